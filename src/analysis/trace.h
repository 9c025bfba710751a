#pragma once
// One flow explained (`sanso trace`): every path its packets take from the source's segment to
// the destination's, and on each device the entry of each stage that decides them (file:line), or
// the stage's default.
//
// The verdict is not recomputed here: it comes from the reachability walk itself, started from
// the flow's packets only (compute_reachability(network, packets)), so that trace and audit
// cannot disagree. The per-device explanation is given for one representative packet of each
// path (the canonical witness: sport 49152 if allowed, the registered MAC first). Paths on which
// no packet of the flow gets through are found by following that representative packet and are
// listed with the device that drops it, where the path could have led to the destination.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "model/packet_set.h"
#include "model/source_ref.h"

namespace sanso::analysis {

/// The flow asked about. An unset field means "any value".
struct FlowQuery {
  model::Family family = model::Family::V4;
  model::u128 src = 0;
  model::u128 dst = 0;
  std::uint8_t proto = 0;
  std::optional<std::uint16_t> dport;     ///< tcp, udp, sctp
  std::optional<std::uint16_t> sport;     ///< tcp, udp, sctp
  std::optional<std::uint8_t> icmp_type;  ///< icmp, icmpv6
  std::optional<std::uint64_t> src_mac;
};

/// The query's packets that can open a connection (TCP SYN, UDP, ICMP requests, other protocols).
model::PacketSet flow_packets(const FlowQuery& q);

enum class Verdict {
  Allowed,   ///< some packet of the flow is delivered whatever the undecidable conditions are
  Unproven,  ///< some packet may be delivered, none is proven to be
  Denied,    ///< no packet of the flow can be delivered
};
std::string_view to_string(Verdict v);

/// How one stage (Filter) of a device treats the path's packet.
struct StageStep {
  std::size_t stage = 0;                   ///< index into Device::transit
  std::string name;                        ///< Filter::name, e.g. "filter FORWARD"
  std::optional<std::size_t> entry;        ///< nullopt: no entry matches, the default decides
  /// No rule matched: the stage's default decides, or its final catch-all entry without interface
  /// conditions (how vendors such as iptables write the chain policy).
  bool is_default = false;
  model::Action action = model::Action::Deny;
  bool uncertain = false;                  ///< the deciding entry may or may not match
  std::vector<model::SourceRef> evidence;  ///< the entry's lines, or the default's source
};

/// Something on a path that sanso cannot decide: why the path is unproven.
struct Doubt {
  std::string device;
  model::SourceRef ref;  ///< the line, or a text without file for structural reasons
};

struct TraceHop {
  Hop hop;
  std::string device;
  Knowledge knowledge = Knowledge::Modelled;
  model::Packet packet;                ///< as the device's filters see it (after its DNAT)
  std::vector<model::SourceRef> nat;   ///< destination NAT entries that rewrote it on entry
  std::vector<StageStep> stages;       ///< one per stage; empty unless the device is modelled
  bool forwards = true;                ///< false: the device drops the packet here
};

struct TracePath {
  std::size_t from = 0;  ///< segment where the packets enter
  std::size_t to = 0;    ///< segment where they are delivered, or where the dropping hop leads
  std::vector<TraceHop> hops;
  Verdict verdict = Verdict::Denied;  ///< Denied: dropped at hops.back()
  model::PacketSet may;   ///< delivered packets of the flow (empty when denied)
  model::PacketSet must;
  model::Packet packet;   ///< the representative packet as it leaves the source
  std::vector<Doubt> doubts;  ///< why the path is unproven (empty unless Unproven)
};

struct TraceResult {
  model::PacketSet flow;                   ///< flow_packets(query)
  std::vector<std::size_t> from_segments;  ///< segments the flow's source address enters from
  std::vector<std::size_t> to_segments;    ///< segments its destination address is delivered to
  /// Delivering paths first (in walk order; a path without hops where both ends share a segment),
  /// then the paths on which the flow is dropped.
  std::vector<TracePath> paths;
  model::PacketSet may;   ///< union of the delivering paths' sets
  model::PacketSet must;
  Verdict verdict = Verdict::Denied;
  bool allowed() const { return verdict != Verdict::Denied; }
};

/// Traces the flow through the network. `preference` chooses representative packets (declared
/// hosts' MACs first). The network's devices are lowered on demand (Network::lower_all first for
/// many traces).
TraceResult trace(Network& network, const FlowQuery& query,
                  const model::WitnessPreference& preference = {});

/// The source ports of the set's port-carrying packets, as sorted disjoint merged ranges (for
/// "allowed from source ports 1024-65535").
std::vector<std::pair<std::uint16_t, std::uint16_t>> sport_ranges(const model::PacketSet& s);

}  // namespace sanso::analysis
