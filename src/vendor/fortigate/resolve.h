#pragma once
// Address and service objects -> exact sets. Every object resolves to two bounds: `over` holds
// every packet (address) it could stand for, `under` only those it certainly stands for. They
// differ where the object cannot be resolved offline (FQDN, geography, dynamic, an undefined
// name), and `why` then says so. Negation swaps the bounds (not-under is the over-bound), which is
// what keeps `srcaddr-negate` with an FQDN sound.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/address.h"
#include "model/packet_set.h"
#include "vendor/fortigate/config.h"

namespace sanso::vendor::fortigate {

/// Sorted, disjoint, non-adjacent ranges of one family.
using Ranges = std::vector<model::IpRange>;

Ranges normalize(Ranges r);
Ranges unite(const Ranges& a, const Ranges& b);
Ranges subtract(const Ranges& a, const Ranges& b);
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

/// A name used but defined nowhere (not even as a FortiOS default).
struct Undefined {
  std::string type;  ///< "address", "address6", "service"
  std::string name;
  int line = 0;
};

class Resolver {
 public:
  explicit Resolver(const FortigateConfig& cfg);

  /// The union of a policy's address list in family `f` (destination lists may name VIPs),
  /// negated when asked. `line` is where the list is written (for undefined names).
  AddrBounds addresses(const std::vector<std::string>& names, model::Family f, bool dst,
                       bool negate, int line);
  SvcBounds services(const std::vector<std::string>& names, bool negate, int line);

  /// Destination addresses VIPs translate to (the space `match-vip` is about), over-bound.
  const Ranges& vip_mapped_space() const { return vip_space_; }

  const std::vector<Undefined>& undefined() const { return undefined_; }
  /// Predefined services taken from sanso's table because the config did not define them.
  const std::set<std::string>& predefined_used() const { return predefined_used_; }
  /// Lines of objects that could not be resolved, with the reason (coverage).
  const std::map<int, std::string>& unresolved_lines() const { return unresolved_; }

 private:
  const AddrBounds& address(const std::string& name, model::Family f, bool dst, int line);
  AddrBounds resolve_address(const std::string& name, model::Family f, bool dst, int line);
  const SvcBounds& service(const std::string& name, int line);
  SvcBounds resolve_service(const std::string& name, int line);
  SvcBounds custom_service(const ServiceDef& s);
  void note(int line, const std::string& why);

  const FortigateConfig& cfg_;
  std::map<std::pair<std::string, int>, const AddressDef*> addr_;   // (name, family)
  std::map<std::pair<std::string, int>, const AddrGroupDef*> grp_;
  std::map<std::string, const ServiceDef*> svc_;
  std::map<std::string, const ServiceGroupDef*> svcgrp_;
  std::map<std::string, const VipDef*> vip_;
  std::map<std::string, const VipGroupDef*> vipgrp_;
  std::map<std::tuple<std::string, int, bool>, AddrBounds> addr_memo_;
  std::map<std::string, SvcBounds> svc_memo_;
  std::set<std::pair<std::string, int>> addr_busy_;  // cycle detection
  std::set<std::string> svc_busy_;
  Ranges vip_space_;
  std::vector<Undefined> undefined_;
  std::set<std::pair<std::string, std::string>> undefined_seen_;
  std::set<std::string> predefined_used_;
  std::map<int, std::string> unresolved_;
};

}  // namespace sanso::vendor::fortigate
