#pragma once
// The alert log's HMAC key: raw bytes in a file only the service user may read (DESIGN §5).
#include <optional>
#include <string>

namespace sanso::service {

/// Fewest key bytes accepted: HMAC-SHA-256 gains nothing from more than its block, and less than
/// the digest size would weaken it.
inline constexpr std::size_t kMinKeyBytes = 32;

struct Key {
  std::string bytes;
  bool created = false;  ///< the file did not exist and was made with fresh random bytes
};

/// Reads the key. Refuses a file that is not a regular file, is shorter than kMinKeyBytes, or is
/// readable or writable by group or others (the message names the file and `chmod 600`).
/// With `create`, a missing file is made with O_CREAT|O_EXCL, mode 0600 and 32 bytes from
/// RAND_bytes.
std::optional<Key> load_key(const std::string& path, bool create, std::string& error);

/// Overwrites key bytes before the memory is released.
void wipe(std::string& secret);

}  // namespace sanso::service
