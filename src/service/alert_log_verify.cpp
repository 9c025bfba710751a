// verify_alert_log: replays the chain of one or more alert log files with the key and stops at
// the first line that does not belong to it.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "service/alert_log.h"
#include "service/alert_log_files.h"
#include "service/alert_log_line.h"
#include "service/key_file.h"

namespace sanso::service {
namespace {

/// POSIX getline() gives each line with its newline, so a last line without one (torn) is seen,
/// and lines of any length are read without a fixed buffer.
class LineReader {
 public:
  explicit LineReader(std::FILE* f) : f_(f) {}
  ~LineReader() {
    std::free(buf_);
    std::fclose(f_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  bool next(std::string_view& line) {
    const ssize_t n = ::getline(&buf_, &cap_, f_);
    if (n < 0) return false;
    line = std::string_view(buf_, static_cast<std::size_t>(n));
    return true;
  }
  bool failed() const { return std::ferror(f_) != 0; }

 private:
  std::FILE* f_;
  char* buf_ = nullptr;
  std::size_t cap_ = 0;
};

class Verifier {
 public:
  Verifier(const HmacSha256& hmac, const VerifyOptions& options, VerifyResult& result)
      : hmac_(hmac), options_(options), r_(result) {}

  /// False when verification must stop (a problem or an unreadable file).
  bool file(const std::string& path, const std::string& previous_path);
  bool finish();
  bool set_expected_head(std::string hex);

 private:
  bool fail(const std::string& path, std::optional<std::uint64_t> line, std::string problem) {
    r_.intact = false;
    r_.bad_file = path;
    r_.first_bad_line = line;
    r_.problem = std::move(problem);
    return false;
  }
  bool check_line(const std::string& path, const std::string& previous_path, std::uint64_t n,
                  std::string_view line);

  const HmacSha256& hmac_;
  const VerifyOptions& options_;
  VerifyResult& r_;
  std::optional<Mac> chain_;  ///< mac of the last line checked
  std::string last_type_;     ///< type of that line ("" for an alert)
  std::optional<Mac> expected_head_;
  bool head_found_ = false;
};

bool Verifier::set_expected_head(std::string hex) {
  for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Mac mac{};
  if (!from_hex(hex, mac)) return false;
  expected_head_ = mac;
  return true;
}

bool Verifier::check_line(const std::string& path, const std::string& previous_path, std::uint64_t n,
                          std::string_view line) {
  if (line.empty() || line.back() != '\n') {
    return fail(path, n,
                fmt::format("torn last line ({} bytes without a newline): the writer was killed mid-write; "
                            "restarting the monitor recovers it",
                            line.size()));
  }
  line.remove_suffix(1);
  std::string why;
  const auto p = alert_line::parse(line, why);
  if (!p) return fail(path, n, why);
  if (!verify_line_mac(hmac_, *p)) {
    return fail(path, n,
                n == 1 ? "mac mismatch: the line was altered, or the log was written with another key"
                       : "mac mismatch: the line was altered, or written with another key");
  }
  const std::uint64_t expected_seq = n - 1;
  if (p->seq > expected_seq) {
    return fail(path, n,
                fmt::format("seq {} where {} was expected: {} line(s) before it were deleted, or lines were "
                            "reordered",
                            p->seq, expected_seq, p->seq - expected_seq));
  }
  if (p->seq < expected_seq) {
    return fail(path, n,
                fmt::format("seq {} where {} was expected: lines were reordered or repeated", p->seq, expected_seq));
  }
  if (n == 1) {
    if (p->type != "open") return fail(path, n, "the first line is not an open record: the start was cut off");
    if (chain_ && p->prev != *chain_) {
      return fail(path, n,
                  fmt::format("the open record does not chain to the head of {}: a file between them is "
                              "missing, or the files are out of order",
                              previous_path));
    }
    if (!chain_ && p->prev != Mac{}) {
      const auto prev_file = alert_line::writer_field(p->signed_part, "prev_file");
      r_.notes.push_back(fmt::format("{}:1: continues the chain of {} (head {}), which was not checked", path,
                                     prev_file ? std::string(*prev_file) : "an earlier file", to_hex(p->prev)));
    }
  } else {
    if (p->prev != *chain_) {
      return fail(path, n,
                  fmt::format("prev is not the mac of line {}: a line was replaced, or the chain was spliced",
                              n - 1));
    }
    if (last_type_ == "seal" && p->type != "open") {
      return fail(path, n, "a record follows the seal without an open record");
    }
    if (p->type == "open" && last_type_ != "seal") {
      r_.notes.push_back(fmt::format(
          "{}:{}: the writer restarted after an unclean stop; lines written after the last chain head sent "
          "to syslog before it could have been removed without trace here",
          path, n));
    }
  }
  if (p->type == "recovered") {
    const auto torn_pos = p->signed_part.find("\"torn_bytes\":");
    std::string bytes = "some";
    if (torn_pos != std::string_view::npos) {
      const auto digits = p->signed_part.substr(torn_pos + 13);
      bytes = std::string(digits.substr(0, digits.find_first_not_of("0123456789")));
    }
    r_.notes.push_back(
        fmt::format("{}:{}: a torn line of {} bytes (a crash mid-write) was cut off on restart and recorded here",
                    path, n, bytes));
  }
  chain_ = p->mac;
  last_type_ = std::string(p->type);
  if (expected_head_ && p->mac == *expected_head_) head_found_ = true;
  return true;
}

bool Verifier::file(const std::string& path, const std::string& previous_path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    r_.error = fmt::format("cannot read alert log {}: {}", path, std::strerror(errno));
    return false;
  }
  LineReader reader(f);
  VerifiedFile vf;
  vf.path = path;
  std::uint64_t n = 0;
  std::string_view line;
  bool ok = true;
  while (ok && reader.next(line)) {
    ++n;
    ok = check_line(path, previous_path, n, line);
    if (ok) ++vf.lines;
  }
  if (ok && reader.failed()) {
    r_.error = fmt::format("cannot read alert log {}: {}", path, std::strerror(errno));
    return false;
  }
  if (ok && n == 0) ok = fail(path, 1, "empty file: no open record (truncated to nothing?)");
  vf.sealed = ok && last_type_ == "seal";
  if (chain_) vf.head = to_hex(*chain_);
  r_.lines += vf.lines;
  r_.files.push_back(std::move(vf));
  return ok;
}

bool Verifier::finish() {
  r_.head = chain_ ? to_hex(*chain_) : "";
  r_.sealed = last_type_ == "seal";
  const std::string& last = r_.files.back().path;
  if (expected_head_ && !head_found_) {
    return fail(last, std::nullopt,
                fmt::format("chain head {} (from syslog) is not in the log: lines after it were removed, or "
                            "it belongs to another log",
                            to_hex(*expected_head_)));
  }
  if (!r_.sealed) {
    if (!options_.allow_unsealed) {
      return fail(last, std::nullopt,
                  "not sealed: truncated, or the writer is still running / was killed — compare the chain "
                  "head with the last one sent to syslog");
    }
    r_.notes.push_back(fmt::format("{}: not sealed (the writer may still be running); compare the chain head "
                                   "with the last one sent to syslog",
                                   last));
  }
  r_.intact = true;
  return true;
}

}  // namespace

VerifyResult verify_alert_log(const std::vector<std::string>& paths, const std::string& key_path,
                              const VerifyOptions& options) {
  VerifyResult r;
  if (paths.empty()) {
    r.error = "no alert log given";
    return r;
  }
  auto key = load_key(key_path, /*create=*/false, r.error);
  if (!key) return r;
  HmacSha256 hmac(key->bytes);
  wipe(key->bytes);
  if (!hmac.ok()) {
    r.error = hmac.error();
    return r;
  }
  Verifier v(hmac, options, r);
  if (!options.expect_head.empty() && !v.set_expected_head(options.expect_head)) {
    r.error = fmt::format("expected chain head '{}' is not 64 hex digits", options.expect_head);
    return r;
  }
  std::string previous;
  for (const auto& path : paths) {
    if (!v.file(path, previous)) return r;
    previous = path;
  }
  v.finish();
  return r;
}

}  // namespace sanso::service
