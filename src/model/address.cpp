#include "model/address.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include <fmt/format.h>

namespace sanso::model {
namespace {

constexpr u128 kV4Max = (u128{1} << 32) - 1;
constexpr u128 kV6Max = ~u128{0};

int family_bits(Family f) {
  switch (f) {
    case Family::V4: return 32;
    case Family::V6: return 128;
  }
  return 128;
}

// Digits only, no sign, no leading '+', bounded: the prefix of a CIDR.
std::optional<int> parse_prefix(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Mask of the host bits of a /len in a family of `bits` bits.
u128 host_mask(int bits, int len) {
  const int host = bits - len;
  if (host <= 0) return 0;
  if (host >= 128) return kV6Max;
  return (u128{1} << host) - 1;
}

}  // namespace

u128 family_max(Family f) {
  switch (f) {
    case Family::V4: return kV4Max;
    case Family::V6: return kV6Max;
  }
  return kV6Max;
}

IpRange full_range(Family f) { return {f, 0, family_max(f)}; }

std::optional<IpAddress> parse_ip(std::string_view text) {
  // inet_pton needs a NUL-terminated string; 45 characters is the longest IPv6 text form.
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::array<char, 46> buf{};
  std::memcpy(buf.data(), text.data(), text.size());
  if (text.find(':') != std::string_view::npos) {
    std::array<unsigned char, 16> bytes{};
    if (inet_pton(AF_INET6, buf.data(), bytes.data()) != 1) return std::nullopt;
    u128 v = 0;
    for (unsigned char b : bytes) v = (v << 8) | b;
    return IpAddress{Family::V6, v};
  }
  std::array<unsigned char, 4> bytes{};
  if (inet_pton(AF_INET, buf.data(), bytes.data()) != 1) return std::nullopt;
  u128 v = 0;
  for (unsigned char b : bytes) v = (v << 8) | b;
  return IpAddress{Family::V4, v};
}

std::optional<IpRange> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const auto addr = parse_ip(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const int bits = family_bits(addr->family);
  if (slash == std::string_view::npos) return IpRange{addr->family, addr->value, addr->value};
  const auto len = parse_prefix(text.substr(slash + 1), bits);
  if (!len) return std::nullopt;
  const u128 mask = host_mask(bits, *len);
  const u128 lo = addr->value & ~mask;
  return IpRange{addr->family, lo, lo | mask};
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto lo = parse_ip(text.substr(0, dash));
  const auto hi = parse_ip(text.substr(dash + 1));
  if (!lo || !hi || lo->family != hi->family || lo->value > hi->value) return std::nullopt;
  return IpRange{lo->family, lo->value, hi->value};
}

std::optional<std::uint64_t> parse_mac(std::string_view text) {
  // Exactly six two-digit hex groups with one separator kind throughout.
  if (text.size() != 17) return std::nullopt;
  const char sep = text[2];
  if (sep != ':' && sep != '-') return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    const std::size_t at = i * 3;
    if (i > 0 && text[at - 1] != sep) return std::nullopt;
    const int hi = hex_digit(text[at]);
    const int lo = hex_digit(text[at + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    v = (v << 8) | static_cast<std::uint64_t>(hi * 16 + lo);
  }
  return v;
}

std::string format_ip(Family family, u128 value) {
  switch (family) {
    case Family::V4: {
      // A value outside the family cannot come from a parser; say so instead of truncating.
      if (value > kV4Max) return "invalid-ipv4";
      const auto v = static_cast<std::uint32_t>(value);
      return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }
    case Family::V6: {
      std::array<unsigned char, 16> bytes{};
      for (int i = 15; i >= 0; --i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xff);
        value >>= 8;
      }
      std::array<char, INET6_ADDRSTRLEN> buf{};
      // glibc's inet_ntop writes RFC 5952 text: lower case, longest zero run compressed.
      if (inet_ntop(AF_INET6, bytes.data(), buf.data(), buf.size()) == nullptr) return "invalid-ipv6";
      return buf.data();
    }
  }
  return "invalid-family";
}

std::string format_ip(const IpAddress& a) { return format_ip(a.family, a.value); }

std::string format_mac(std::uint64_t mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", (mac >> 40) & 0xff,
                     (mac >> 32) & 0xff, (mac >> 24) & 0xff, (mac >> 16) & 0xff, (mac >> 8) & 0xff,
                     mac & 0xff);
}

std::optional<int> prefix_length(const IpRange& r) {
  if (r.lo > r.hi || r.hi > family_max(r.family)) return std::nullopt;
  const int bits = family_bits(r.family);
  // The block is a CIDR when hi - lo + 1 is a power of two 2^k and lo is aligned to it, i.e.
  // when (hi - lo) is a mask of k low bits and lo has none of them set.
  const u128 span = r.hi - r.lo;
  if ((span & (span + 1)) != 0) return std::nullopt;
  if ((r.lo & span) != 0) return std::nullopt;
  int host = 0;
  for (u128 s = span; s != 0; s >>= 1) ++host;
  return bits - host;
}

std::string format_range(const IpRange& r) {
  const auto len = prefix_length(r);
  if (len && *len == family_bits(r.family)) return format_ip(r.family, r.lo);
  if (len) return fmt::format("{}/{}", format_ip(r.family, r.lo), *len);
  return fmt::format("{}-{}", format_ip(r.family, r.lo), format_ip(r.family, r.hi));
}

bool contains(const IpRange& outer, const IpRange& inner) {
  return outer.family == inner.family && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

bool overlaps(const IpRange& a, const IpRange& b) {
  return a.family == b.family && a.lo <= b.hi && b.lo <= a.hi;
}

}  // namespace sanso::model
