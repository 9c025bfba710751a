#pragma once
// FortigateConfig: what one VDOM of a FortiOS configuration says, as written (after the CLI's
// set/unset/append/select commands are applied in order). Defaults are NOT filled in here: an
// attribute never written stays empty, and to_model.cpp applies FortiOS's defaults in one place.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/address.h"

namespace sanso::vendor::fortigate {

/// A list-valued attribute and the lines that gave it its value (`set` then `append`s).
struct Names {
  std::vector<std::string> names;
  std::vector<int> lines;
  bool written() const { return !lines.empty(); }
};

struct InterfaceDef {
  std::string name;
  int line = 0;
  std::string vdom;  ///< empty: not written (single-VDOM configs often omit it)
  std::string type;  ///< physical, vlan, aggregate, tunnel, loopback, ... ("" = not written)
  std::string parent;  ///< `set interface` of a VLAN
  std::optional<int> vlanid;
  std::vector<model::IpRange> addresses;  ///< `set ip` and `config ipv6` / `set ip6-address`
};

struct ZoneDef {
  std::string name;
  int line = 0;
  Names interfaces;
  std::optional<bool> intrazone_allow;  ///< nullopt: not written (FortiOS default: deny)
  int intrazone_line = 0;
};

/// `firewall address` / `address6`: the type decides which fields count.
struct AddressDef {
  std::string name;
  int line = 0;
  int end_line = 0;
  model::Family family = model::Family::V4;
  std::string type;  ///< as written; "" = not written (ipmask / ipprefix)
  int type_line = 0;
  std::optional<model::IpRange> subnet;  ///< ipmask (`subnet`), ipprefix (`ip6`)
  int subnet_line = 0;
  std::optional<model::IpRange> range;   ///< iprange (`start-ip` .. `end-ip`)
  std::string start_ip, end_ip;          ///< as written, for messages
  int range_line = 0;
  /// A value sanso could not read (bad address, non-contiguous wildcard): why, and where.
  std::string bad_value;
  int bad_line = 0;
};

/// `firewall addrgrp` / `addrgrp6`.
struct AddrGroupDef {
  std::string name;
  int line = 0;
  int end_line = 0;
  model::Family family = model::Family::V4;
  Names members;
  bool exclude = false;  ///< `set exclude enable`
  Names exclude_members;
};

/// One `dst[-dst2][:src[-src2]]` item of a port-range list.
struct PortSpec {
  std::uint16_t dlo = 0, dhi = 0;
  std::optional<std::pair<std::uint16_t, std::uint16_t>> src;  ///< nullopt: any source port
};

/// `firewall service custom`. Changing `protocol` clears the other protocol's fields (FortiOS
/// does; batfish's service_custom test exercises it), so only the last protocol's fields remain.
struct ServiceDef {
  std::string name;
  int line = 0;
  int end_line = 0;
  std::string protocol;  ///< "" = not written (TCP/UDP/SCTP)
  int protocol_line = 0;
  std::vector<PortSpec> tcp, udp, sctp;
  std::optional<int> icmptype, icmpcode;
  std::optional<int> protocol_number;
  /// `set iprange A[-B]` (destination restriction); "0.0.0.0" means none.
  std::optional<model::IpRange> iprange;
  std::string fqdn;  ///< `set fqdn` (destination restriction sanso cannot resolve)
  int fqdn_line = 0;
  std::string bad_value;
  int bad_line = 0;
};

struct ServiceGroupDef {
  std::string name;
  int line = 0;
  int end_line = 0;
  Names members;
};

/// `firewall vip`: static NAT (DNAT) of extip[:extport] to mappedip[:mappedport].
struct VipDef {
  std::string name;
  int line = 0;
  int end_line = 0;
  model::Family family = model::Family::V4;
  std::string type;  ///< "" = static-nat
  std::optional<model::IpRange> extip;
  std::optional<model::IpRange> mappedip;
  Names extintf;
  bool portforward = false;
  std::string protocol;  ///< "" = tcp
  std::optional<std::pair<std::uint16_t, std::uint16_t>> extport, mappedport;
  bool enabled = true;  ///< `set status disable`: the VIP translates nothing
  std::string bad_value;
  int bad_line = 0;
  /// Keys that change the translation and are not modelled (load balancing, src-filter, ...).
  std::vector<std::pair<int, std::string>> unmodelled;
};

struct VipGroupDef {
  std::string name;
  int line = 0;
  Names members;
};

struct IppoolDef {
  std::string name;
  int line = 0;
};

/// `firewall policy` / `policy6` / `consolidated policy`: one entry, in file order.
struct PolicyDef {
  std::string id;  ///< the `edit` name: an identifier only, never the order
  std::string table;  ///< "firewall policy", "firewall policy6", ...
  int line = 0;
  int end_line = 0;
  std::string name;
  Names srcintf, dstintf;
  Names srcaddr, dstaddr;    ///< IPv4 (policy6: IPv6) addresses
  Names srcaddr6, dstaddr6;  ///< FortiOS 7 unified / consolidated policies
  Names service;
  std::optional<std::string> action;  ///< nullopt: not written (FortiOS default: deny)
  int action_line = 0;
  std::optional<bool> enabled;        ///< `set status`
  bool srcaddr_negate = false, dstaddr_negate = false, service_negate = false;
  bool srcaddr6_negate = false, dstaddr6_negate = false;
  std::string logtraffic;  ///< "" = not written (accept: utm, deny: disable)
  std::string schedule;    ///< "" = not written (always)
  int schedule_line = 0;
  bool nat = false;
  bool ippool = false;
  Names poolname;
  bool match_vip = false;
  /// `set internet-service enable` (-src): FortiGuard's database replaces dstaddr (srcaddr).
  bool internet_service = false, internet_service_src = false;
  /// Conditions sanso cannot decide offline (users, internet-service, ...): line and why.
  std::vector<std::pair<int, std::string>> conditions;
  /// Keys sanso does not know: line and key. The policy becomes uncertain.
  std::vector<std::pair<int, std::string>> unknown;
};

/// `firewall central-snat-map` entry: source NAT after the policy (central NAT mode).
struct CentralSnatDef {
  int line = 0;
  Names dstintf;
  bool enabled = true;
};

struct NtpDef {
  int line = 0;
  std::optional<bool> ntpsync;
  std::string type;  ///< "" = not written (fortiguard)
  std::vector<std::string> servers;
};

struct LogSettings {
  /// Every `log syslogd*/fortianalyzer* setting` block seen: enabled and the server written.
  struct Target {
    std::string block;
    int line = 0;
    std::optional<bool> enabled;
    std::string server;
  };
  std::vector<Target> targets;
  std::optional<bool> implicit_deny_logged;  ///< `log setting` / `fwpolicy-implicit-log`
  bool log_setting_seen = false;
};

struct UnparsedNote {
  int line = 0;
  std::string reason;
};

/// One VDOM (or the whole file when it has none).
struct FortigateConfig {
  std::string file;
  std::string vdom;  ///< "root" when the file has no VDOMs
  std::vector<InterfaceDef> interfaces;
  std::vector<ZoneDef> zones;
  std::vector<AddressDef> addresses;  ///< v4 and v6, in file order
  std::vector<AddrGroupDef> addrgrps;
  std::vector<ServiceDef> services;
  std::vector<ServiceGroupDef> service_groups;
  std::vector<VipDef> vips;
  std::vector<VipGroupDef> vipgrps;
  std::vector<IppoolDef> ippools;
  std::vector<PolicyDef> policies;  ///< every policy table, in file order
  std::vector<CentralSnatDef> central_snat;
  bool central_nat = false;
  std::optional<NtpDef> ntp;
  LogSettings log;
  /// Lines that could affect forwarding and are not modelled, with the reason.
  std::vector<UnparsedNote> unparsed;
};

}  // namespace sanso::vendor::fortigate
