#include "service/alert_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "service/alert_log_line.h"
#include "service/alert_log_files.h"
#include "service/key_file.h"

namespace sanso::service {
namespace {

namespace fs = std::filesystem;

/// Evidence kept from a torn line: enough to read a cut-off alert, bounded so that a runaway
/// fragment cannot make the recovery record huge.
constexpr std::size_t kTornEvidenceBytes = 4096;

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// A rename is only durable once its directory is synced.
void sync_directory(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  const int dfd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  ::fsync(dfd);
  ::close(dfd);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool reserved_type(std::string_view members) {
  for (std::string_view t : {"open", "seal", "recovered"}) {
    if (members.starts_with(fmt::format("\"type\":\"{}\"", t))) return true;
  }
  return false;
}

}  // namespace

std::string live_log_path(const std::string& log_path) {
  const std::size_t dot = log_path.rfind('.');
  if (dot == std::string::npos || dot + 1 == log_path.size()) return log_path;
  const std::string_view suffix = std::string_view(log_path).substr(dot + 1);
  if (!std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; })) return log_path;
  if (log_path.find('/', dot) != std::string::npos) return log_path;
  return log_path.substr(0, dot);
}

std::string default_key_path(const std::string& log_path) {
  fs::path p(live_log_path(log_path));
  p.replace_extension(".key");
  return p.string();
}

AlertLogWriter::AlertLogWriter(std::string path, HmacSha256 hmac, AlertLogOptions options)
    : path_(std::move(path)), hmac_(std::move(hmac)), options_(std::move(options)) {}

AlertLogWriter::AlertLogWriter(AlertLogWriter&& other) noexcept
    : path_(std::move(other.path_)),
      hmac_(std::move(other.hmac_)),
      options_(std::move(other.options_)),
      fd_(std::exchange(other.fd_, -1)),
      prev_(other.prev_),
      next_seq_(other.next_seq_),
      size_(other.size_),
      prev_file_(std::move(other.prev_file_)),
      notes_(std::move(other.notes_)) {}

AlertLogWriter& AlertLogWriter::operator=(AlertLogWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    hmac_ = std::move(other.hmac_);
    options_ = std::move(other.options_);
    fd_ = std::exchange(other.fd_, -1);
    prev_ = other.prev_;
    next_seq_ = other.next_seq_;
    size_ = other.size_;
    prev_file_ = std::move(other.prev_file_);
    notes_ = std::move(other.notes_);
  }
  return *this;
}

AlertLogWriter::~AlertLogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<AlertLogWriter> AlertLogWriter::open(const std::string& path, const std::string& key_path,
                                                   std::string& error, AlertLogOptions options) {
  auto key = load_key(key_path, /*create=*/true, error);
  if (!key) return std::nullopt;
  HmacSha256 hmac(key->bytes);
  wipe(key->bytes);
  if (!hmac.ok()) {
    error = hmac.error();
    return std::nullopt;
  }
  AlertLogWriter w(path, std::move(hmac), std::move(options));
  if (key->created) {
    w.notes_.push_back(fmt::format("created key file {} (32 random bytes, mode 0600); `sanso verify-log` "
                                   "needs it: keep a copy only auditors can read",
                                   key_path));
  }
  w.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (w.fd_ < 0 && errno == ENOENT) {
    w.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, w.options_.file_mode);
  }
  if (w.fd_ < 0) {
    error = fmt::format("cannot open alert log {}: {}", path, errno_text());
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(w.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = fmt::format("alert log {} is not a regular file", path);
    return std::nullopt;
  }
  const bool ok = st.st_size > 0 ? w.resume(static_cast<std::uint64_t>(st.st_size), error)
                                 : w.start_new_file(error);
  if (!ok) return std::nullopt;
  return w;
}

std::string AlertLogWriter::now() const {
  return rfc3339_utc(options_.clock ? options_.clock() : std::chrono::system_clock::now());
}

bool AlertLogWriter::write_record(std::string_view members, std::string& error) {
  if (fd_ < 0) {
    error = fmt::format("alert log {} is closed", path_);
    return false;
  }
  const std::string signed_part = alert_line::signed_part(next_seq_, prev_, members);
  Mac mac{};
  const std::string_view prev_bytes(reinterpret_cast<const char*>(prev_.data()), prev_.size());
  if (!hmac_.compute({prev_bytes, signed_part}, mac)) {
    error = "HMAC-SHA-256 failed in OpenSSL";
    return false;
  }
  const std::string line = alert_line::complete(signed_part, mac);
  if (!write_all(fd_, line)) {
    error = fmt::format("cannot write alert log {}: {}", path_, errno_text());
    // Cut a partial line off now, so the next record does not land after garbage mid-file.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      error += "; the partial line could not be removed, closing the log";
      ::close(fd_);
      fd_ = -1;
    }
    return false;
  }
  prev_ = mac;
  ++next_seq_;
  size_ += line.size();
  if (options_.sync && ::fdatasync(fd_) != 0) {
    error = fmt::format("alert log {}: line {} written but not synced to disk: {}", path_, next_seq_,
                        errno_text());
    return false;
  }
  return true;
}

bool AlertLogWriter::write_open_record(std::string_view extra, std::string& error) {
  const std::string prev_file = prev_file_.empty() ? "null" : alert_line::json_string(prev_file_);
  return write_record(fmt::format("\"type\":\"open\",\"time\":\"{}\",\"prev_file\":{}{}", now(), prev_file, extra),
                      error);
}

bool AlertLogWriter::write_seal(std::string_view reason, std::string& error) {
  // "lines" counts the lines before the seal; it equals the seal's seq, repeated so that a person
  // reading the tail sees the count without knowing the numbering.
  if (!write_record(fmt::format("\"type\":\"seal\",\"time\":\"{}\",\"reason\":\"{}\",\"lines\":{}", now(),
                                reason, next_seq_),
                    error)) {
    return false;
  }
  // A seal is rare and is what proves a clean end: always make it durable.
  if (::fdatasync(fd_) != 0) {
    error = fmt::format("cannot sync alert log {}: {}", path_, errno_text());
    return false;
  }
  return true;
}

bool AlertLogWriter::start_new_file(std::string& error) {
  next_seq_ = 0;
  size_ = 0;
  prev_ = Mac{};
  prev_file_.clear();
  // The live file is missing but rotated files exist: a crash between rotation's rename and the
  // new open record, or an operator moving the file. Continue the chain from the newest one.
  const auto rotated = rotated_log_files(path_);
  if (!rotated.empty()) {
    const std::string& newest = rotated.back();
    auto tail = read_log_tail(newest, error);
    if (!tail) return false;
    if (!tail->has_line) {
      error = fmt::format("rotated alert log {} holds no complete line; move it aside to start a new chain",
                          newest);
      return false;
    }
    std::string why;
    auto parsed = alert_line::parse(tail->last_line, why);
    if (!parsed || !verify_line_mac(hmac_, *parsed)) {
      error = fmt::format("the last line of rotated alert log {} does not verify against the key ({}); run "
                          "`sanso verify-log` on it and move it aside to start a new chain",
                          newest, parsed ? "mac mismatch" : why);
      return false;
    }
    prev_ = parsed->mac;
    prev_file_ = fs::path(newest).filename().string();
    notes_.push_back(fmt::format("alert log {} chains to {}", path_, newest));
  }
  return write_open_record("", error);
}

bool AlertLogWriter::resume(std::uint64_t size, std::string& error) {
  auto tail = read_log_tail(fd_, size, path_, error);
  if (!tail) return false;
  if (!tail->has_line) {
    // The very first write was torn: there is no chain to continue yet.
    if (::ftruncate(fd_, 0) != 0) {
      error = fmt::format("cannot truncate alert log {}: {}", path_, errno_text());
      return false;
    }
    return start_new_file(error) && write_recovered(*tail, error);
  }
  std::string why;
  auto parsed = alert_line::parse(tail->last_line, why);
  if (!parsed) {
    error = fmt::format("alert log {}: its last line is not a chained record ({}); not an alert log, or "
                        "damaged: run `sanso verify-log {}` and move it aside",
                        path_, why, path_);
    return false;
  }
  if (!verify_line_mac(hmac_, *parsed)) {
    error = fmt::format("alert log {}: its last line does not verify against the key (wrong key, or the "
                        "log was altered): run `sanso verify-log {}` and move it aside",
                        path_, path_);
    return false;
  }
  prev_ = parsed->mac;
  next_seq_ = parsed->seq + 1;
  size_ = tail->line_end;
  if (tail->torn_bytes > 0) {
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      error = fmt::format("cannot truncate alert log {}: {}", path_, errno_text());
      return false;
    }
    if (!write_recovered(*tail, error)) return false;
  }
  const bool sealed = parsed->type == "seal" && tail->torn_bytes == 0;
  if (!sealed) {
    notes_.push_back(fmt::format("alert log {} was not sealed: the previous writer stopped uncleanly; "
                                 "continuing its chain",
                                 path_));
  }
  return write_open_record(sealed ? ",\"resumed\":\"sealed\"" : ",\"resumed\":\"unclean\"", error);
}

bool AlertLogWriter::write_recovered(const LogTail& tail, std::string& error) {
  const std::string_view evidence =
      std::string_view(tail.torn).substr(0, std::min(tail.torn.size(), kTornEvidenceBytes));
  notes_.push_back(fmt::format("alert log {}: removed a torn last line of {} bytes left by a crash and "
                               "recorded it",
                               path_, tail.torn_bytes));
  return write_record(
      fmt::format("\"type\":\"recovered\",\"time\":\"{}\",\"torn_bytes\":{},\"torn_hex\":\"{}\"", now(),
                  tail.torn_bytes,
                  to_hex(reinterpret_cast<const std::uint8_t*>(evidence.data()), evidence.size())),
      error);
}

bool AlertLogWriter::append(std::string_view json_object, std::string& error) {
  if (json_object.size() < 2 || json_object.front() != '{' || json_object.back() != '}') {
    error = "an alert must be one JSON object";
    return false;
  }
  if (json_object.find_first_of("\r\n") != std::string_view::npos) {
    error = "an alert must be one line (it contains a newline)";
    return false;
  }
  const std::string_view members = trim(json_object.substr(1, json_object.size() - 2));
  if (reserved_type(members)) {
    error = "an alert may not start with the log's own record types (open, seal, recovered)";
    return false;
  }
  if (!write_record(members, error)) return false;
  if (options_.max_bytes > 0 && size_ >= options_.max_bytes) {
    std::string rotate_error;
    if (!rotate(rotate_error)) notes_.push_back("size rotation failed: " + rotate_error);
  }
  return true;
}

bool AlertLogWriter::rotate(std::string& error) {
  if (fd_ < 0) {
    error = fmt::format("alert log {} is closed", path_);
    return false;
  }
  if (!write_seal("rotate", error)) return false;
  const auto rotated = rotated_log_files(path_);
  std::uint64_t n = rotated.empty() ? 1 : rotation_number(rotated.back()) + 1;
  std::string target;
  for (;; ++n) {
    target = fmt::format("{}.{}", path_, n);
    // NOREPLACE: never overwrite an archived part of the chain, even if one appears meanwhile.
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) break;
    if (errno == EEXIST) continue;
    error = fmt::format("cannot rename alert log {} to {}: {}", path_, target, errno_text());
    // Keep logging into the sealed file; the chain stays valid ("seal, then open").
    std::string ignored;
    prev_file_.clear();
    write_open_record(",\"resumed\":\"sealed\"", ignored);
    return false;
  }
  sync_directory(path_);
  const int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, options_.file_mode);
  if (fd < 0) {
    error = fmt::format("cannot create alert log {}: {}", path_, errno_text());
    if (::renameat2(AT_FDCWD, target.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) == 0) {
      std::string ignored;
      prev_file_.clear();
      write_open_record(",\"resumed\":\"sealed\"", ignored);
    } else {
      ::close(fd_);
      fd_ = -1;
    }
    return false;
  }
  ::close(fd_);
  fd_ = fd;
  next_seq_ = 0;
  size_ = 0;
  prev_file_ = fs::path(target).filename().string();
  return write_open_record("", error);
}

bool AlertLogWriter::close(std::string& error) {
  if (fd_ < 0) {
    error = fmt::format("alert log {} is closed", path_);
    return false;
  }
  const bool ok = write_seal("close", error);
  ::close(fd_);
  fd_ = -1;
  return ok;
}

std::string AlertLogWriter::head_message() const {
  return fmt::format("alert log {} seq={} head={}", path_, head_seq(), head());
}

std::vector<std::string> AlertLogWriter::take_notes() { return std::exchange(notes_, {}); }

}  // namespace sanso::service
