#pragma once
// Address and service terms -> exact sets. Every term resolves to two bounds: `over` holds every
// packet (address) it could stand for, `under` only those it certainly stands for. They differ
// where the term cannot be resolved offline (an FQDN object, a DHCP interface address, an
// undefined or cyclic name, a user or security group), and `why` then says so.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/packet_set.h"
#include "vendor/asa/config.h"

namespace sanso::vendor::asa {

/// Sorted, disjoint, non-adjacent ranges (both families may occur).
using Ranges = std::vector<model::IpRange>;

Ranges normalize(Ranges r);
/// Packets whose source (`dst` false) or destination address lies in the ranges.
model::PacketSet address_set(const Ranges& r, bool dst);

struct AddrBounds {
  Ranges over, under;
  std::vector<std::string> why;  ///< empty: exact
};

struct SvcBounds {
  model::PacketSet over, under;
  std::vector<std::string> why;
};

/// A name used but defined nowhere.
struct Undefined {
  std::string type;  ///< "object", "object-group", "interface"
  std::string name;
  int line = 0;
};

class Resolver {
 public:
  explicit Resolver(const AsaConfig& cfg);

  AddrBounds address(const AddrTerm& t);
  /// An ACE's (or a NAT rule's) service term, with its ports and ICMP type folded in.
  SvcBounds service(const SvcTerm& t);
  /// A name of NAT: `any`, `interface` (of `nameif`), an object or a network group.
  AddrBounds named_address(const std::string& name, const std::string& nameif, int line);

  /// The network object of that name (nullptr: none).
  const NetworkObject* network_object(const std::string& name) const;
  const ServiceObject* service_object(const std::string& name) const;

  const std::vector<Undefined>& undefined() const { return undefined_; }
  /// Objects and groups some resolved term used (directly or through a group).
  const std::set<std::string>& used() const { return used_; }
  /// Lines of objects that could not be resolved, with the reason (coverage).
  const std::map<int, std::string>& unresolved_lines() const { return unresolved_; }
  /// Some `any` was read as IPv4 only (a configuration of ASA 8.x).
  bool any_v4_only_used() const { return any_v4_only_used_; }

 private:
  const AddrBounds& group_addresses(const std::string& name, int line);
  AddrBounds object_addresses(const std::string& name, int line);
  SvcBounds term(const SvcTerm& t, const PortCond* sport, const PortCond* dport);
  SvcBounds group_services(const std::string& name, const SvcTerm& ace, int line);
  /// A typed service group's port ranges (over = under unless it cannot be resolved).
  std::vector<std::pair<std::uint16_t, std::uint16_t>> port_group(const std::string& name, int line,
                                                                  std::vector<std::string>& why);
  model::PacketSet ports(std::uint8_t proto, const PortCond& s, const PortCond& d,
                         std::vector<std::string>& why, int line);
  void undefined(const std::string& type, const std::string& name, int line);
  void note(int line, const std::string& why);

  const AsaConfig& cfg_;
  std::map<std::string, const NetworkObject*> net_;
  std::map<std::string, const ServiceObject*> svc_;
  std::map<std::string, const ObjectGroup*> grp_;
  std::map<std::string, const InterfaceDef*> ifaces_;
  std::map<std::string, AddrBounds> grp_memo_;
  std::set<std::string> busy_;  // cycle detection
  std::vector<Undefined> undefined_;
  std::set<std::pair<std::string, std::string>> undefined_seen_;
  std::set<std::string> used_;
  std::map<int, std::string> unresolved_;
  bool any_v4_only_ = false;
  bool any_v4_only_used_ = false;
};

}  // namespace sanso::vendor::asa
