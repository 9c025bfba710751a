#pragma once
// HOST:PORT as written on the command line (--syslog, --metrics): IPv6 literals in brackets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sanso::service {

struct HostPort {
  std::string host;  ///< without brackets
  std::uint16_t port = 0;
};

/// Parses HOST:PORT and [V6]:PORT. With a non-empty `default_host`, ":PORT" and "PORT" mean that
/// host. Port 0 is accepted only when `allow_port_zero` (an ephemeral port, for tests).
std::optional<HostPort> parse_host_port(std::string_view text, std::string_view default_host, std::string& error,
                                        bool allow_port_zero = false);

/// HOST:PORT back again, with brackets around an IPv6 literal.
std::string format_host_port(const HostPort& hp);

}  // namespace sanso::service
