#pragma once
// The semantic readings of the ASA conversion that no Cisco document found in this work confirmed
// in so many words (or that depend on the software version). Each is written into
// model::Device::assumptions when, and only when, the conversion relied on it for the device at
// hand; docs/vendors/cisco-asa.md "Assumptions" explains each with its evidence.
#include <string_view>

namespace sanso::vendor::asa::assumption {

inline constexpr std::string_view kSameSecurityOverAcl =
    "asa: traffic between two interfaces of the same security level (or in and out of one "
    "interface) is dropped without same-security-traffic permit inter-interface (intra-interface) "
    "even when an access rule permits it (the guide: same-level interfaces 'cannot communicate' "
    "by default; batfish models it the same way)";
inline constexpr std::string_view kGlobalReplacesLevels =
    "asa: with an access-group global, an interface without its own access rule is governed by "
    "the global rules and the implicit deny, not by security levels (read from the documented "
    "order: interface rule, global rule, implicit deny)";
inline constexpr std::string_view kInsideLevel =
    "asa: an interface without security-level is at level 100 when its nameif is 'inside' and 0 "
    "otherwise (the nameif command reference)";
inline constexpr std::string_view kPortNames =
    "asa: port and ICMP type names are read with sanso's table (docs/vendors/cisco-asa.md)";
inline constexpr std::string_view kDenyLogged =
    "asa: with logging enabled, deny entries without a log option and the implicit deny are "
    "logged (syslog 106023/106100 by default); permit entries only with 'log'";
inline constexpr std::string_view kNoVersion =
    "asa: the configuration has no 'ASA Version' line: it is read as 9.x (access rules name real "
    "addresses, 'any' covers IPv4 and IPv6)";
inline constexpr std::string_view kAnyV4Only =
    "asa: before 9.0 'any' in an access rule covers IPv4 only (unified IPv4/IPv6 ACLs came with "
    "9.0)";
inline constexpr std::string_view kNatOrder =
    "asa: destination NAT is looked up in the order twice NAT (section 1), static object NAT by "
    "size of the real address space, then after-auto twice NAT (section 3); dynamic NAT and PAT "
    "rewrite only sources";
inline constexpr std::string_view kOutAclReal =
    "asa: out access rules, like in rules, see real (untranslated) addresses (8.3 and later)";
inline constexpr std::string_view kReturnTraffic =
    "asa: the ASA is stateful: replies of permitted connections pass without a rule (ICMP "
    "replies need inspect icmp); sanso audits only connection-opening packets";

}  // namespace sanso::vendor::asa::assumption
