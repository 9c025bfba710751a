#pragma once
// Addresses as plain integers so that sets of them are intervals. IPv4 addresses live in
// [0, 2^32), IPv6 addresses in [0, 2^128); the address family is a separate packet field.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sanso::model {

using u128 = unsigned __int128;

enum class Family : std::uint8_t { V4 = 4, V6 = 6 };

struct IpAddress {
  Family family = Family::V4;
  u128 value = 0;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

/// An inclusive range of addresses of one family (a CIDR is a range).
struct IpRange {
  Family family = Family::V4;
  u128 lo = 0;
  u128 hi = 0;
  friend auto operator<=>(const IpRange&, const IpRange&) = default;
};

std::optional<IpAddress> parse_ip(std::string_view text);
/// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits set below the
/// prefix are masked off (iptables-save never writes them, users sometimes do).
std::optional<IpRange> parse_cidr(std::string_view text);
/// "10.0.0.1-10.0.0.9" (iptables iprange syntax).
std::optional<IpRange> parse_ip_range(std::string_view text);
/// "02:00:0a:01:0a:15" (case-insensitive, ':' or '-' separated) -> 48-bit value.
std::optional<std::uint64_t> parse_mac(std::string_view text);

std::string format_ip(Family family, u128 value);
std::string format_ip(const IpAddress& a);
std::string format_mac(std::uint64_t mac);
/// Shortest CIDR when the range is one, else "lo-hi".
std::string format_range(const IpRange& r);

u128 family_max(Family f);                         ///< 2^32-1 or 2^128-1
IpRange full_range(Family f);
bool contains(const IpRange& outer, const IpRange& inner);
bool overlaps(const IpRange& a, const IpRange& b);
/// Prefix length if the range is exactly one CIDR block.
std::optional<int> prefix_length(const IpRange& r);

}  // namespace sanso::model
