#pragma once
// The small name tables iptables accepts where numbers are meant: protocols (/etc/protocols),
// ICMP and ICMPv6 type names, services, conntrack states, and the classification of targets.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sanso::vendor::iptables {

/// "tcp", "6", "ipv6-icmp", ... -> protocol number; "all" and "0" -> 0.
std::optional<std::uint8_t> protocol_number(std::string_view name);

struct IcmpType {
  std::uint8_t type = 0;
  std::uint8_t code_lo = 0;
  std::uint8_t code_hi = 255;
  bool any = false;  ///< "any": every type
};
/// "8", "8/0", "echo-request", "port-unreachable" (v6: "neighbour-solicitation", ...).
std::optional<IcmpType> icmp_type(std::string_view text, bool v6);

/// "22", "ssh" (a few well-known names; iptables-save writes numbers).
std::optional<std::uint16_t> port_number(std::string_view text);

/// What a target does to a forwarded packet.
enum class TargetClass {
  Accept,       ///< ACCEPT
  Deny,         ///< DROP, REJECT
  Return,       ///< RETURN
  NonTerminal,  ///< LOG, MARK, ... : processing continues with the next rule
  Nat,          ///< DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP (valid in the nat table)
  Unknown,      ///< anything else that is not a chain of the table
};
TargetClass classify_target(std::string_view name);

}  // namespace sanso::vendor::iptables
