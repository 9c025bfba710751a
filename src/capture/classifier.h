#pragma once
// The monitor's judge, compiled once from the same topology and rule pack as the audit: where
// each end of a flow belongs, whether the flow crosses realms, and which rule it breaks — with the
// audit's own crossing checks and DESIGN §5 precedence, so that a violation seen on the wire and
// found in the configs carry the same rule. Immutable once built; a reload builds a new one.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/address_book.h"
#include "analysis/network.h"
#include "policy/allowances.h"
#include "policy/flow_verdict.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::capture {

/// One orientation of a flow: the initiator's first packet.
struct FlowFacts {
  model::IpAddress src, dst;
  std::uint8_t proto = 0;
  bool has_ports = false;
  std::uint16_t sport = 0, dport = 0;
  bool has_icmp = false;
  std::uint8_t icmp_type = 0, icmp_code = 0;
};

struct Judgement {
  const policy::RuleDef* rule = nullptr;  ///< nullptr: the flow breaks nothing
  std::vector<const policy::RuleDef*> also_breaks;
  Place src, dst;
  bool crossing = false;  ///< the ends are in different realms (zones)
  std::string entry;      ///< the allow entry the flow came closest to ("" when none)
  std::string address;    ///< ZONE-ASSIGN: the address of no declared zone
};

/// A capture point as the monitor uses it: the segments it sees at L2 (MAC checks only there).
struct CapturePointInfo {
  std::string name;
  std::vector<const topology::Segment*> sees;
};

class Classifier {
 public:
  /// Takes ownership of both; `capture_point` names a `monitor:` entry ("" = none: no L2 checks,
  /// the name used in alerts is "-"). Returns nullptr and sets `error` when the name is unknown.
  static std::unique_ptr<Classifier> build(std::unique_ptr<topology::Topology> topology,
                                           policy::RulePack pack, const std::string& capture_point,
                                           std::string& error);

  /// Judges one orientation of a flow (TOPOLOGY.md "What crosses, and what is allowed").
  Judgement judge(const FlowFacts& f) const { return judge_at(f, book_->locate(f.src), book_->locate(f.dst)); }
  /// The same with both ends already located. The verdict depends on the addresses only through
  /// each end's host and `place_identity`, and on approved_ntp(f.dst): callers may cache it on that
  /// key (allow entries name hosts, segments and zones, never bare addresses); the ZONE-ASSIGN
  /// address is then theirs to fill in.
  Judgement judge_at(const FlowFacts& f, const Place& src, const Place& dst) const;
  /// Besides the host: an address's segment, else which kind of unzoned address it is.
  static const void* place_identity(const Place& p);
  bool approved_ntp(const model::IpAddress& a) const;
  /// Whether some `allow` entry's service (or a check: NTP) names this destination port. A port
  /// nobody names is judged like every other such port, so a cache may key them all as one.
  bool port_named(std::uint8_t proto, std::uint16_t dport) const;

  /// MN-SPECIFIC-COMM on the wire: a flow inside a declared specific entry whose source MAC is not
  /// the registered MAC of the entry's source host, where this capture point sees that host's
  /// segment (`vlan` must be the segment's VLAN when it declares one). Returns the entry id.
  std::optional<std::string> mac_mismatch(const FlowFacts& f, std::uint64_t mac,
                                          std::uint16_t vlan) const;
  /// An ARP (or ND) claim of a specific-communication source host's address from another MAC.
  std::optional<std::string> arp_mismatch(const model::IpAddress& claimed, std::uint64_t mac,
                                          std::uint16_t vlan) const;
  /// NET-NO-UNAUTH-DEVICE: the segment (inventory: complete, seen here, VLAN matching) on which an
  /// unregistered MAC or address appears; nullptr when the sender is registered or not checkable.
  const topology::Segment* unauthorized(const model::IpAddress& src, std::uint64_t mac,
                                        std::uint16_t vlan) const {
    return unauthorized_at(book_->locate(src), mac, vlan);
  }
  /// The same with the sender's address already located.
  const topology::Segment* unauthorized_at(const Place& src, std::uint64_t mac,
                                           std::uint16_t vlan) const;

  /// The rule of a monitor-only check kind (monitor_check_kinds()), nullptr when the pack has none.
  const policy::RuleDef* monitor_rule(std::string_view kind) const;
  /// The first rule of an audit check kind ("mn-specific-comm", "zone-assign").
  const policy::RuleDef* rule_of_kind(std::string_view kind) const;

  const topology::Topology& topology() const { return *topology_; }
  const policy::RulePack& pack() const { return pack_; }
  const AddressBook& book() const { return *book_; }
  const CapturePointInfo& capture_point() const { return capture_point_; }

 private:
  Classifier() = default;
  bool sees(const topology::Segment* s, std::uint16_t vlan) const;
  void judge_crossing(const model::Packet& p, Judgement& j) const;

  struct SpecificSource {
    model::IpAddress ip;
    std::uint64_t mac = 0;
    const topology::Segment* segment = nullptr;
    const policy::DeclaredCrossing* entry = nullptr;
  };

  std::unique_ptr<topology::Topology> topology_;
  policy::RulePack pack_;
  std::map<std::string, model::Device> no_devices_;
  std::unique_ptr<analysis::Network> network_;
  std::unique_ptr<policy::Allowances> allowances_;
  std::unique_ptr<AddressBook> book_;
  CapturePointInfo capture_point_;
  std::vector<SpecificSource> specific_sources_;
  std::unique_ptr<policy::FlowJudge> judge_;  ///< the audit's crossing checks, shared with trace
  std::vector<model::IpAddress> ntp_sources_;
  struct NamedPorts {
    std::uint8_t proto_lo, proto_hi;
    std::uint16_t lo, hi;
  };
  std::vector<NamedPorts> named_ports_;
};

}  // namespace sanso::capture
