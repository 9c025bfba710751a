#pragma once
// The monitor's durable alert sink (DESIGN §5 "Monitor alerts"): an append-only file of JSON
// lines, each carrying an HMAC-SHA-256 chained to the line before, keyed from a file only the
// service user can read. A clean close appends a sealed record, so that a missing seal shows a
// truncation; rotation seals the file and chains the next file's first record to it; a line torn
// by a crash is recovered on the next start. docs/alert-log.md describes the format.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/hmac.h"
#include "service/time_format.h"

namespace sanso::service {

struct LogTail;

struct AlertLogOptions {
  /// Rotate once the file reaches this many bytes; 0 = only on rotate().
  std::uint64_t max_bytes = 0;
  /// fdatasync after every line, so an acknowledged alert survives a power cut.
  bool sync = true;
  /// Creation mode of a new log file (the umask still applies).
  unsigned file_mode = 0640;
  /// Time for the writer's own records; system_clock::now when empty (tests pass a fixed clock).
  WallClock clock;
};

/// Writes one chained log. Not thread-safe: the monitor appends from one thread. Move-only.
/// Destroying a writer without close() leaves the file unsealed, as a crash would.
class AlertLogWriter {
 public:
  /// Opens or creates `path`. The key is read from `key_path`, or created there (mode 0600, 32
  /// random bytes) when absent. An existing log is continued: its last complete line must verify
  /// against the key, a torn last line is cut off and recorded, and an `open` record marks the
  /// restart. A missing `path` beside rotated `path.N` files chains to the newest of them.
  /// What happened (key created, torn line recovered, resumed after an unclean stop) is in
  /// take_notes().
  static std::optional<AlertLogWriter> open(const std::string& path, const std::string& key_path,
                                            std::string& error, AlertLogOptions options = {});

  AlertLogWriter(AlertLogWriter&& other) noexcept;
  AlertLogWriter& operator=(AlertLogWriter&& other) noexcept;
  AlertLogWriter(const AlertLogWriter&) = delete;
  AlertLogWriter& operator=(const AlertLogWriter&) = delete;
  ~AlertLogWriter();

  /// Appends one JSON object (no newline) with the chain fields added, as one write(2), then
  /// fdatasync when options.sync. False (nothing written) on a malformed object, a write error
  /// or a closed log. A size rotation that fails afterwards does not fail the append (the line is
  /// durable); it is reported in take_notes().
  bool append(std::string_view json_object, std::string& error);

  /// Seals the file, renames it to `path.N` (N one above the highest existing), and starts a new
  /// `path` whose open record chains to the sealed head and names the renamed file.
  bool rotate(std::string& error);

  /// Appends the seal record and closes the file. Further appends fail.
  bool close(std::string& error);

  /// The chain head: hex of the last line's mac (send it to syslog).
  std::string head() const { return to_hex(prev_); }
  /// seq of the last line written (the head's line is seq + 1 in the file).
  std::uint64_t head_seq() const { return next_seq_ - 1; }
  /// "alert log FILE seq=N head=HEX": the text to send to syslog periodically and at close.
  std::string head_message() const;
  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

  /// Notes since the last call (English, one sentence each), for the monitor's stderr.
  std::vector<std::string> take_notes();

 private:
  AlertLogWriter(std::string path, HmacSha256 hmac, AlertLogOptions options);
  bool write_record(std::string_view members, std::string& error);
  bool write_open_record(std::string_view extra, std::string& error);
  bool write_seal(std::string_view reason, std::string& error);
  bool start_new_file(std::string& error);
  bool resume(std::uint64_t size, std::string& error);
  bool write_recovered(const LogTail& tail, std::string& error);
  std::string now() const;

  std::string path_;
  HmacSha256 hmac_;
  AlertLogOptions options_;
  int fd_ = -1;
  Mac prev_{};
  std::uint64_t next_seq_ = 0;
  std::uint64_t size_ = 0;
  std::uint64_t alerts_ = 0;  ///< caller lines in the current file
  std::string prev_file_;     ///< for the next open record: the file this one chains to
  std::vector<std::string> notes_;
};

/// The key path used when none is given: the log path without its rotation suffix and with its
/// extension replaced by ".key" (alerts.jsonl.3 -> alerts.key), so `alerts.jsonl*` never matches it.
std::string default_key_path(const std::string& log_path);

/// The rotated `live_path.N` files beside the live log, ordered by N (oldest first): with the
/// live file appended, the order verify_alert_log expects.
std::vector<std::string> rotated_log_files(const std::string& live_path);

/// The log path without a rotation suffix ".N" (alerts.jsonl.3 -> alerts.jsonl).
std::string live_log_path(const std::string& log_path);

struct VerifyOptions {
  /// The writer may still be running: a missing final seal is a note, not a failure.
  bool allow_unsealed = false;
  /// A chain head (hex) sent to syslog earlier: it must be the mac of some line, else lines
  /// after it were removed.
  std::string expect_head;
};

struct VerifiedFile {
  std::string path;
  std::uint64_t lines = 0;  ///< complete lines checked
  bool sealed = false;
  std::string head;  ///< mac of its last complete line
};

struct VerifyResult {
  bool intact = false;
  /// Set when a file or the key cannot be read: no verdict (exit 2). `intact` is false.
  std::string error;
  std::string bad_file;  ///< where the problem is
  std::optional<std::uint64_t> first_bad_line;  ///< 1-based; none for a missing seal or head
  std::string problem;
  std::uint64_t lines = 0;  ///< complete lines checked over all files
  bool sealed = false;      ///< the last file ends in a seal record
  std::string head;         ///< mac of the last line checked
  std::vector<VerifiedFile> files;
  /// "FILE:LINE: …" facts worth an operator's eye that are not tampering: restarts after an
  /// unclean stop (the tail before them is only as safe as the last head sent to syslog), torn
  /// lines recovered, a first file chaining to one that was not given.
  std::vector<std::string> notes;
};

/// Checks the files as consecutive parts of one chain (oldest first): every mac, seq and prev;
/// each later file's open record chaining to the earlier file's head; the last file sealed.
/// Stops at the first problem.
VerifyResult verify_alert_log(const std::vector<std::string>& paths, const std::string& key_path,
                              const VerifyOptions& options = {});

}  // namespace sanso::service
