#include "service/alert_log_line.h"

#include <charconv>

#include <fmt/format.h>

namespace sanso::service::alert_line {
namespace {

constexpr std::string_view kSeqKey = "{\"seq\":";
constexpr std::string_view kPrevKey = ",\"prev\":\"";
constexpr std::string_view kTypeKey = ",\"type\":\"";

}  // namespace

std::string signed_part(std::uint64_t seq, const Mac& prev, std::string_view members) {
  std::string out = fmt::format("{{\"seq\":{},\"prev\":\"{}\"", seq, to_hex(prev));
  if (!members.empty()) {
    out += ',';
    out += members;
  }
  return out;
}

std::string complete(std::string_view signed_part, const Mac& mac) {
  std::string out;
  out.reserve(signed_part.size() + kMacSuffixSize + 1);
  out += signed_part;
  out += kMacKey;
  out += to_hex(mac);
  out += "\"}\n";
  return out;
}

std::optional<Parsed> parse(std::string_view line, std::string& why) {
  Parsed p;
  if (!line.starts_with(kSeqKey)) {
    why = "not a chained record: it does not start with {\"seq\":";
    return std::nullopt;
  }
  std::size_t pos = kSeqKey.size();
  const char* first = line.data() + pos;
  const char* last = line.data() + line.size();
  auto [end, ec] = std::from_chars(first, last, p.seq);
  // One spelling per number: a leading zero would let the same record be written two ways.
  if (ec != std::errc{} || end == first || (*first == '0' && end - first > 1)) {
    why = "not a chained record: bad seq";
    return std::nullopt;
  }
  pos = static_cast<std::size_t>(end - line.data());
  if (line.substr(pos, kPrevKey.size()) != kPrevKey || line.size() < pos + kPrevKey.size() + 65 ||
      !from_hex(line.substr(pos + kPrevKey.size(), 64), p.prev) || line[pos + kPrevKey.size() + 64] != '"') {
    why = "not a chained record: bad prev";
    return std::nullopt;
  }
  pos += kPrevKey.size() + 65;
  if (line.size() < pos + kMacSuffixSize || !line.ends_with("\"}")) {
    why = "no mac at the end of the line";
    return std::nullopt;
  }
  const std::size_t mac_at = line.size() - kMacSuffixSize;
  if (line.substr(mac_at, kMacKey.size()) != kMacKey ||
      !from_hex(line.substr(mac_at + kMacKey.size(), 64), p.mac)) {
    why = "no mac at the end of the line";
    return std::nullopt;
  }
  p.signed_part = line.substr(0, mac_at);
  if (p.signed_part.substr(pos, kTypeKey.size()) == kTypeKey) {
    const std::size_t start = pos + kTypeKey.size();
    const std::size_t close = p.signed_part.find('"', start);
    if (close != std::string_view::npos) p.type = p.signed_part.substr(start, close - start);
  }
  return p;
}

std::optional<std::string_view> writer_field(std::string_view signed_part, std::string_view name) {
  const std::string key = fmt::format(",\"{}\":\"", name);
  const std::size_t at = signed_part.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t start = at + key.size();
  const std::size_t close = signed_part.find('"', start);
  if (close == std::string_view::npos) return std::nullopt;
  return signed_part.substr(start, close - start);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += fmt::format("\\u{:04x}", u);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace sanso::service::alert_line
