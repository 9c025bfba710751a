#pragma once
// File-level helpers of the alert log shared by the writer and the verifier: the tail of a log,
// its rotated siblings, and checking one line's mac.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/alert_log_line.h"
#include "service/hmac.h"

namespace sanso::service {

struct LogTail {
  bool has_line = false;       ///< a complete line exists
  std::string last_line;       ///< the last complete line, without its newline
  std::uint64_t line_end = 0;  ///< file offset just past that line's newline
  std::uint64_t torn_bytes = 0;  ///< bytes after the last newline
  std::string torn;            ///< those bytes
};

/// Reads backwards from `size` until the last complete line is found (at most 16 MiB).
std::optional<LogTail> read_log_tail(int fd, std::uint64_t size, const std::string& name, std::string& error);
std::optional<LogTail> read_log_tail(const std::string& path, std::string& error);

/// N of `name.N`; 0 when there is none.
std::uint64_t rotation_number(const std::string& path);

/// HMAC(key, prev || signed part) == mac.
bool verify_line_mac(const HmacSha256& hmac, const alert_line::Parsed& line);

}  // namespace sanso::service
