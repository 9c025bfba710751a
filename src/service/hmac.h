#pragma once
// HMAC-SHA-256 over OpenSSL's EVP_MAC interface, keyed once and reused for every line of the alert
// log chain. No OpenSSL state outlives the object; nothing is global.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

struct evp_mac_st;
struct evp_mac_ctx_st;

namespace sanso::service {

using Mac = std::array<std::uint8_t, 32>;

class HmacSha256 {
 public:
  /// Keys the MAC; `ok()` is false (and `error()` says why) when OpenSSL cannot provide HMAC.
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(HmacSha256&& other) noexcept;
  HmacSha256& operator=(HmacSha256&& other) noexcept;
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  bool ok() const { return ctx_ != nullptr; }
  const std::string& error() const { return error_; }

  /// HMAC(key, parts[0] || parts[1] || ...); false only when OpenSSL fails.
  bool compute(std::initializer_list<std::string_view> parts, Mac& out) const;

 private:
  evp_mac_st* mac_ = nullptr;
  evp_mac_ctx_st* ctx_ = nullptr;  ///< keyed template, duplicated per computation
  std::string error_;
};

/// Lower-case hex of bytes.
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Mac& mac) { return to_hex(mac.data(), mac.size()); }

/// Parses exactly 64 lower-case hex digits (the writer never emits upper case, so neither is
/// accepted: one spelling per value keeps the bytes canonical).
bool from_hex(std::string_view hex, Mac& out);

}  // namespace sanso::service
