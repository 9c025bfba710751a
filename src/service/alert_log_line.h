#pragma once
// The byte layout of one alert log line, shared by the writer and the verifier so that both agree
// without re-serialising JSON:
//
//   {"seq":N,"prev":"<64 hex>"[,<the caller's members>],"mac":"<64 hex>"}\n
//   \________________________ signed part ______________/
//
// mac = HMAC-SHA-256(key, prev mac bytes || signed part). The writer's own records (open, seal,
// recovered) put "type" first among the members: {"seq":N,"prev":"…","type":"open",…}.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/hmac.h"

namespace sanso::service::alert_line {

inline constexpr std::string_view kMacKey = ",\"mac\":\"";
/// `,"mac":"` + 64 hex digits + `"}`.
inline constexpr std::size_t kMacSuffixSize = kMacKey.size() + 64 + 2;

/// The signed part for a record: `{"seq":N,"prev":"HEX"` and `,members` when members is not empty.
std::string signed_part(std::uint64_t seq, const Mac& prev, std::string_view members);

/// The complete line with its trailing newline.
std::string complete(std::string_view signed_part, const Mac& mac);

struct Parsed {
  std::uint64_t seq = 0;
  Mac prev{};
  Mac mac{};
  std::string_view signed_part;  ///< points into the parsed line
  std::string_view type;         ///< the value of a leading "type" member, else empty
};

/// Splits a line (without its newline) into its chain fields; nullopt and `why` when the bytes
/// are not a chained record.
std::optional<Parsed> parse(std::string_view line, std::string& why);

/// The string value of `"name":"…"` in a writer record (never used on caller members), or nullopt.
std::optional<std::string_view> writer_field(std::string_view signed_part, std::string_view name);

/// JSON string literal for `s` (quotes included); bytes >= 0x80 pass through unchanged.
std::string json_string(std::string_view s);

}  // namespace sanso::service::alert_line
