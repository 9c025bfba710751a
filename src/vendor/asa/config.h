#pragma once
// AsaConfig: what a Cisco ASA running configuration (`show running-config`, a saved startup
// config) says, as written. Defaults are NOT filled in here: a security level never written stays
// empty, and to_model.cpp / stages.cpp apply the ASA's defaults in one place.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/address.h"

namespace sanso::vendor::asa {

/// Where a construct is written: its first line and, for blocks, its last.
struct Where {
  int line = 0;
  int end_line = 0;
};

struct InterfaceDef {
  std::string hardware;  ///< `interface GigabitEthernet0/1` (with `.N` for sub-interfaces)
  Where at;
  std::optional<std::string> nameif;  ///< nullopt: none, or `no nameif`
  std::optional<int> security_level;  ///< nullopt: not written (`inside`: 100, else 0)
  int level_line = 0;
  std::vector<model::IpRange> addresses;  ///< `ip address A M`, `ipv6 address X/len` (subnets)
  std::vector<model::IpAddress> hosts;    ///< the interface's own addresses (`interface IF` terms)
  bool dhcp = false;       ///< `ip address dhcp` / `pppoe`: the address is learnt at run time
  bool shutdown = false;
  int shutdown_line = 0;
  bool management_only = false;
  int management_line = 0;
  std::optional<int> vlan;
};

/// One address term: `host A`, `A M`, `X::/len`, `range A B`, `object N`, `object-group N`,
/// `any`, `any4`, `any6`, `interface IF`, or something sanso cannot resolve (fqdn).
struct AddrTerm {
  enum class Kind { Range, Any, Any4, Any6, Object, Group, Interface, Fqdn, Bad };
  Kind kind = Kind::Bad;
  model::IpRange range;  ///< Range
  std::string name;      ///< Object, Group, Interface, Fqdn; Bad: the text
  int line = 0;
};

/// A port condition: `eq P`, `neq P`, `lt P`, `gt P`, `range A B` -> inclusive intervals.
struct PortCond {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> ranges;  ///< empty: any port
  std::string group;  ///< a typed service group (`object-group PORTS`) instead of ranges
  bool any() const { return ranges.empty() && group.empty(); }
};

/// One service term: protocol (`ip` = every protocol) with ports or ICMP type/code; or a
/// reference to a service object / group.
struct SvcTerm {
  enum class Kind { Proto, TcpUdp, Object, Group, Bad };
  Kind kind = Kind::Bad;
  std::optional<std::uint8_t> proto;  ///< Proto: nullopt = `ip` (every protocol)
  PortCond sport, dport;
  std::optional<int> icmp_type, icmp_code;
  std::string icmp_group;  ///< `object-group ICMPGRP` after an icmp ACE
  std::string name;        ///< Object, Group; Bad: the text
  int line = 0;
};

struct NetworkObject {
  std::string name;
  Where at;
  std::vector<AddrTerm> terms;  ///< one (host/subnet/range/fqdn); the last written wins
  std::string bad;              ///< a value sanso could not read
};

struct ServiceObject {
  std::string name;
  Where at;
  std::vector<SvcTerm> terms;
  std::string bad;
};

/// `object-group network|service|protocol|icmp-type` (and others, recorded by kind).
struct ObjectGroup {
  std::string name;
  std::string kind;      ///< "network", "service", "protocol", "icmp-type", "user", ...
  std::string port_proto;  ///< typed service group: "tcp", "udp", "tcp-udp"; "" = untyped
  Where at;
  std::vector<AddrTerm> addresses;     ///< network
  std::vector<SvcTerm> services;       ///< service (service-object), typed (port-object)
  std::vector<std::uint8_t> protocols; ///< protocol
  bool any_protocol = false;           ///< `protocol-object ip`
  std::vector<int> icmp_types;         ///< icmp-type
  std::vector<std::pair<std::string, int>> groups;  ///< group-object NAME, line
  std::vector<std::pair<int, std::string>> bad;     ///< lines sanso could not read
};

/// One `access-list NAME extended ...` entry (or a standard one), in file order.
struct Ace {
  std::string acl;
  int line = 0;
  bool permit = false;
  bool standard = false;
  SvcTerm service;  ///< protocol part (with the ports and ICMP of the ACE folded in)
  AddrTerm src, dst;
  bool log = false;          ///< `log` (any level/interval), not `log disable`
  bool log_disabled = false;
  std::string time_range;
  bool inactive = false;
  /// Conditions sanso cannot decide offline (user, security-group): why.
  std::vector<std::string> conditions;
  std::string text;  ///< normalised text (identity)
};

struct AccessGroup {
  std::string acl;
  enum class Dir { In, Out, Global } dir = Dir::In;
  std::string nameif;  ///< empty for global
  int line = 0;
};

/// Object NAT (inside `object network`) or twice NAT (top level), 8.3 syntax.
struct NatRule {
  Where at;
  bool twice = false;
  bool after_auto = false;
  std::string real_if, mapped_if;  ///< "any" allowed
  bool is_static = false;
  std::string object;  ///< object NAT: the enclosing object
  std::string src_real, src_mapped;  ///< twice NAT names (objects, groups, `any`, `interface`)
  AddrTerm mapped_term;              ///< object NAT: the mapped address as written
  std::string dst_mapped, dst_real;  ///< twice NAT `destination static MAPPED REAL`
  std::string svc_real, svc_mapped;  ///< twice NAT `service REAL MAPPED`
  /// object NAT `service PROTO REAL MAPPED`
  std::optional<std::uint8_t> port_proto;
  std::optional<std::uint16_t> real_port, mapped_port;
  bool unidirectional = false;
  bool inactive = false;
  std::string bad;  ///< what sanso could not read
};

struct UnparsedNote {
  int line = 0;
  std::string reason;
};

struct AsaConfig {
  std::string file;
  std::optional<std::pair<int, int>> version;  ///< `ASA Version 9.9(2)` -> {9, 9}
  std::map<std::string, model::IpAddress, std::less<>> names;  ///< `name A ALIAS`
  std::vector<InterfaceDef> interfaces;
  std::vector<NetworkObject> network_objects;
  std::vector<ServiceObject> service_objects;
  std::vector<ObjectGroup> groups;
  std::vector<Ace> aces;  ///< every extended and standard ACE, in file order
  std::map<std::string, int> acl_first_line;  ///< every ACL name (remarks too) -> first line
  std::map<std::string, std::string> acl_other_type;  ///< ethertype/webtype ACLs: name -> type
  std::vector<std::pair<std::string, int>> acl_other_lines;  ///< their lines (name, line)
  std::vector<AccessGroup> access_groups;
  bool same_security_inter = false, same_security_intra = false;
  int same_inter_line = 0, same_intra_line = 0;
  std::vector<NatRule> nats;  ///< object NAT and twice NAT, in file order
  std::vector<int> legacy_nat_lines;  ///< pre-8.3 `static`, `global`, `nat (if) N`
  std::vector<std::string> ntp_servers;
  std::vector<std::string> logging_hosts;
  bool logging_enabled = false;
  bool transparent = false;
  std::vector<std::pair<std::string, int>> time_ranges;  ///< defined time ranges
  int ios_version_line = 0;  ///< a top-level `version 15.2` line: Cisco IOS, not ASA
  int context_line = 0;  ///< `context NAME`: the system configuration of a multi-context ASA
  bool saved_header = false;  ///< `: Saved` (show running-config / write memory)
  bool end_marker = false;    ///< `: end`
  /// Reading relied on sanso's name tables (ports, ICMP types).
  bool port_names_used = false;
  std::vector<UnparsedNote> unparsed;
};

}  // namespace sanso::vendor::asa
