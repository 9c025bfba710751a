#include "service/alert_log_files.h"

#include "service/alert_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <openssl/crypto.h>

namespace sanso::service {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kFirstWindow = 64 * 1024;
constexpr std::uint64_t kMaxWindow = 16 * 1024 * 1024;

bool pread_all(int fd, char* out, std::uint64_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<std::uint64_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

std::optional<LogTail> read_log_tail(int fd, std::uint64_t size, const std::string& name, std::string& error) {
  std::uint64_t window = std::min(size, kFirstWindow);
  for (;;) {
    std::string buf(window, '\0');
    if (!pread_all(fd, buf.data(), window, size - window)) {
      error = fmt::format("cannot read alert log {}: {}", name, std::strerror(errno));
      return std::nullopt;
    }
    const bool whole = window == size;
    const std::size_t nl = buf.rfind('\n');
    LogTail tail;
    if (nl == std::string::npos) {
      if (whole) {
        tail.torn_bytes = size;
        tail.torn = std::move(buf);
        return tail;
      }
    } else {
      const std::size_t before = nl == 0 ? std::string::npos : buf.rfind('\n', nl - 1);
      if (before != std::string::npos || whole) {
        const std::size_t start = before == std::string::npos ? 0 : before + 1;
        tail.has_line = true;
        tail.last_line = buf.substr(start, nl - start);
        tail.line_end = size - window + nl + 1;
        tail.torn_bytes = size - tail.line_end;
        tail.torn = buf.substr(nl + 1);
        return tail;
      }
    }
    if (window >= kMaxWindow) {
      error = fmt::format("alert log {}: its last line is longer than {} bytes; not an alert log", name,
                          kMaxWindow);
      return std::nullopt;
    }
    window = std::min({size, window * 4, kMaxWindow});
  }
}

std::optional<LogTail> read_log_tail(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot read alert log {}: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  struct stat st {};
  std::optional<LogTail> tail;
  if (::fstat(fd, &st) != 0) {
    error = fmt::format("cannot read alert log {}: {}", path, std::strerror(errno));
  } else {
    tail = read_log_tail(fd, static_cast<std::uint64_t>(st.st_size), path, error);
  }
  ::close(fd);
  return tail;
}

std::uint64_t rotation_number(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos) return 0;
  std::uint64_t n = 0;
  const char* first = path.data() + dot + 1;
  const char* last = path.data() + path.size();
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc{} || end != last || first == last) return 0;
  return n;
}

std::vector<std::string> rotated_log_files(const std::string& live_path) {
  const fs::path live(live_path);
  const fs::path dir = live.parent_path().empty() ? fs::path(".") : live.parent_path();
  const std::string prefix = live.filename().string() + ".";
  std::vector<std::pair<std::uint64_t, std::string>> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::uint64_t n = rotation_number(name);
    if (n == 0 || name.size() == prefix.size()) continue;
    // Exactly `live.N`: `live.bak.3` is someone else's file.
    if (name.find('.', prefix.size()) != std::string::npos) continue;
    found.emplace_back(n, (live.parent_path() / name).string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [n, p] : found) out.push_back(std::move(p));
  return out;
}

bool verify_line_mac(const HmacSha256& hmac, const alert_line::Parsed& line) {
  Mac mac{};
  const std::string_view prev(reinterpret_cast<const char*>(line.prev.data()), line.prev.size());
  if (!hmac.compute({prev, line.signed_part}, mac)) return false;
  // Constant time: the verifier may run where an attacker can time it.
  return CRYPTO_memcmp(mac.data(), line.mac.data(), mac.size()) == 0;
}

}  // namespace sanso::service
