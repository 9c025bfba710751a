#include "service/hmac.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <utility>

namespace sanso::service {
namespace {

std::string openssl_error(const char* what) {
  const unsigned long code = ERR_get_error();
  if (code == 0) return what;
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

}  // namespace

HmacSha256::HmacSha256(std::string_view key) {
  mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac_ == nullptr) {
    error_ = openssl_error("OpenSSL provides no HMAC");
    return;
  }
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac_);
  if (ctx == nullptr) {
    error_ = openssl_error("cannot create an HMAC context");
    return;
  }
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
    error_ = openssl_error("cannot key HMAC-SHA-256");
    EVP_MAC_CTX_free(ctx);
    return;
  }
  ctx_ = ctx;
}

HmacSha256::~HmacSha256() {
  EVP_MAC_CTX_free(ctx_);
  EVP_MAC_free(mac_);
}

HmacSha256::HmacSha256(HmacSha256&& other) noexcept
    : mac_(std::exchange(other.mac_, nullptr)),
      ctx_(std::exchange(other.ctx_, nullptr)),
      error_(std::move(other.error_)) {}

HmacSha256& HmacSha256::operator=(HmacSha256&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(ctx_);
    EVP_MAC_free(mac_);
    mac_ = std::exchange(other.mac_, nullptr);
    ctx_ = std::exchange(other.ctx_, nullptr);
    error_ = std::move(other.error_);
  }
  return *this;
}

bool HmacSha256::compute(std::initializer_list<std::string_view> parts, Mac& out) const {
  if (ctx_ == nullptr) return false;
  // Duplicating the keyed context is cheaper than re-keying and leaves the template untouched,
  // so a const object can be shared by a writer and a verifier.
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(ctx_);
  if (ctx == nullptr) return false;
  bool ok = true;
  for (auto part : parts) {
    if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) != 1) {
      ok = false;
      break;
    }
  }
  std::size_t len = 0;
  if (ok) ok = EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size();
  EVP_MAC_CTX_free(ctx);
  return ok;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

bool from_hex(std::string_view hex, Mac& out) {
  if (hex.size() != out.size() * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace sanso::service
