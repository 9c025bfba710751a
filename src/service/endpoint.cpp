#include "service/endpoint.h"

#include <charconv>

#include <fmt/format.h>

namespace sanso::service {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view s, bool allow_zero) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty() || value > 65535) return std::nullopt;
  if (value == 0 && !allow_zero) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view text, std::string_view default_host, std::string& error,
                                        bool allow_port_zero) {
  HostPort hp;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = fmt::format("'{}': expected [IPV6]:PORT", text);
      return std::nullopt;
    }
    hp.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      if (default_host.empty()) {
        error = fmt::format("'{}': expected HOST:PORT", text);
        return std::nullopt;
      }
      port = text;
    } else {
      if (text.find(':') != colon) {
        error = fmt::format("'{}': write an IPv6 address in brackets, [ADDR]:PORT", text);
        return std::nullopt;
      }
      hp.host = std::string(text.substr(0, colon));
      port = text.substr(colon + 1);
    }
    if (hp.host.empty()) {
      if (default_host.empty()) {
        error = fmt::format("'{}': expected HOST:PORT", text);
        return std::nullopt;
      }
      hp.host = std::string(default_host);
    }
  }
  if (hp.host.empty()) {
    error = fmt::format("'{}': empty host", text);
    return std::nullopt;
  }
  const auto p = parse_port(port, allow_port_zero);
  if (!p) {
    error = fmt::format("'{}': port '{}' is not a number from 1 to 65535", text, port);
    return std::nullopt;
  }
  hp.port = *p;
  return hp;
}

std::string format_host_port(const HostPort& hp) {
  if (hp.host.find(':') != std::string::npos) return fmt::format("[{}]:{}", hp.host, hp.port);
  return fmt::format("{}:{}", hp.host, hp.port);
}

}  // namespace sanso::service
