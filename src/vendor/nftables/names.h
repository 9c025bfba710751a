#pragma once
// The name tables nft accepts where numbers are meant: protocols, services, ICMP types, chain
// priorities. `nft list ruleset` writes services and most protocols as numbers or canonical
// names; source files may use /etc/services names. An unknown name makes a rule uncertain.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sanso::vendor::nftables {

/// "tcp", "6", "ipv6-icmp", "icmpv6" -> protocol number.
std::optional<std::uint8_t> protocol_number(std::string_view name);

/// "22", "ssh", "domain" -> port.
std::optional<std::uint16_t> service_port(std::string_view text);

/// "echo-request", "8" -> ICMP type (v6: ICMPv6 names).
std::optional<std::uint8_t> icmp_type_number(std::string_view text, bool v6);

/// A chain priority: a number, a standard name (raw -300, mangle -150, dstnat -100, filter 0,
/// security 50, srcnat 100 for ip/ip6/inet), or "NAME + N" / "NAME - N" already joined by the
/// parser into "NAME+N" / "NAME-N".
std::optional<int> priority_value(std::string_view text);

/// Unsigned decimal or 0x hex.
std::optional<std::uint64_t> parse_number(std::string_view text);

}  // namespace sanso::vendor::nftables
