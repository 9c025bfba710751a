#include "service/key_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace sanso::service {
namespace {

/// A key file is a few bytes; anything large is a wrong path, not a key.
constexpr off_t kMaxKeyBytes = 64 * 1024;

std::string errno_text(int err) { return std::strerror(err); }

bool create_key(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    // EEXIST: another process created it between our stat and open; the caller then reads it.
    if (errno == EEXIST) return true;
    error = fmt::format("cannot create key file {}: {}", path, errno_text(errno));
    return false;
  }
  unsigned char bytes[kMinKeyBytes];
  bool ok = RAND_bytes(bytes, sizeof bytes) == 1;
  if (!ok) error = fmt::format("cannot create key file {}: no random bytes from OpenSSL", path);
  std::size_t done = 0;
  while (ok && done < sizeof bytes) {
    const ssize_t n = ::write(fd, bytes + done, sizeof bytes - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = fmt::format("cannot write key file {}: {}", path, errno_text(errno));
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (ok && ::fsync(fd) != 0) {
    error = fmt::format("cannot write key file {}: {}", path, errno_text(errno));
    ok = false;
  }
  OPENSSL_cleanse(bytes, sizeof bytes);
  ::close(fd);
  // A half-written key would be accepted as "existing" on the next start and silently weaken the
  // chain, so a failed creation leaves no file behind.
  if (!ok) ::unlink(path.c_str());
  return ok;
}

}  // namespace

void wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

std::optional<Key> load_key(const std::string& path, bool create, std::string& error) {
  Key key;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create) {
    if (!create_key(path, error)) return std::nullopt;
    key.created = true;
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) {
    error = fmt::format("cannot read key file {}: {}", path, errno_text(errno));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = fmt::format("cannot read key file {}: {}", path, errno_text(errno));
    ::close(fd);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    error = fmt::format("key file {} is not a regular file", path);
    ::close(fd);
    return std::nullopt;
  }
  if ((st.st_mode & 077) != 0) {
    // Anyone who can read the key can forge a chain that verifies; anyone who can write it can
    // make the real one fail. Refuse rather than warn.
    error = fmt::format("key file {} is accessible by group or others (mode {:04o}): run `chmod 600 {}`",
                        path, st.st_mode & 07777, path);
    ::close(fd);
    return std::nullopt;
  }
  if (st.st_size < static_cast<off_t>(kMinKeyBytes) || st.st_size > kMaxKeyBytes) {
    error = fmt::format("key file {} has {} bytes; a key is {} to {} random bytes", path, st.st_size,
                        kMinKeyBytes, kMaxKeyBytes);
    ::close(fd);
    return std::nullopt;
  }
  key.bytes.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < key.bytes.size()) {
    const ssize_t n = ::read(fd, key.bytes.data() + done, key.bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != key.bytes.size()) {
    error = fmt::format("cannot read key file {}: short read", path);
    wipe(key.bytes);
    return std::nullopt;
  }
  return key;
}

}  // namespace sanso::service
