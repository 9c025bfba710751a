#pragma once
// What one device forwards from one port to another, as two exact bounds:
//   may  - packets the device could forward (uncertain permits taken as permits, uncertain denies
//          ignored, undefined families and unmodelled configs forwarded),
//   must - packets the device forwards whatever the undecidable conditions turn out to be.
// may - must is what sanso cannot prove either way: crossings there are "unproven".
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/device.h"
#include "model/packet_set.h"

namespace sanso::analysis {

/// How the device's forwarding is known.
enum class Knowledge {
  Modelled,     ///< a parsed config: its filters decide
  NoConfig,     ///< a device without a config forwards everything between its segments
  Unsupported,  ///< a vendor this build cannot read: nothing it does is proven
};

/// The entry of one stage that decides a packet.
struct Decision {
  std::size_t stage = 0;  ///< index into Device::transit
  std::optional<std::size_t> entry;  ///< index into the stage's entries; nullopt = stage default
  model::Action action = model::Action::Deny;
};

/// One stage lowered for one port pair: the first-match hit set of every applicable entry.
struct LoweredStage {
  std::string name;
  std::vector<std::size_t> entry_index;  ///< applicable entries, in order
  std::vector<model::PacketSet> hits;    ///< may-semantics hit set of each applicable entry
  model::PacketSet default_hit;          ///< packets no applicable entry matches, if default permits
  model::PacketSet may;
  model::PacketSet must;
};

struct PortPairBehavior {
  model::PacketSet may;
  model::PacketSet must;
  model::IndexedPacketSet may_indexed;   ///< `may`, prepared for the walk's many intersections
  model::IndexedPacketSet must_indexed;
  std::vector<LoweredStage> stages;  ///< empty unless Knowledge::Modelled
};

/// Packets as the device's filters see them after destination NAT.
struct Translated {
  model::PacketSet may;
  model::PacketSet must;
  bool rewritten = false;  ///< some packet's destination was rewritten
};

class DeviceBehavior {
 public:
  DeviceBehavior(std::string name, Knowledge knowledge, const model::Device* device);

  const std::string& name() const { return name_; }
  Knowledge knowledge() const { return knowledge_; }
  const model::Device* device() const { return device_; }

  /// Lowered lazily and cached: audits touch few port pairs of a large device.
  const PortPairBehavior& between(const std::string& in_port, const std::string& out_port);

  /// What passes this port pair whatever the packets' source address: the judgement for packets
  /// whose source an upstream source NAT rewrote (the original source stays in the set).
  const model::IndexedPacketSet& between_any_source(const std::string& in_port,
                                                    const std::string& out_port);

  bool has_destination_nat() const {
    return device_ != nullptr && !device_->destination_nat.empty();
  }
  /// Applies the device's destination NAT to packets entering on `in_port` (device.h
  /// DestinationNat). Exact first-match; where an applicable entry is uncertain, `may` holds every
  /// outcome and `must` nothing.
  Translated translate(const model::PacketSet& may, const model::PacketSet& must,
                       const std::string& in_port);

  /// The entries that decide packet `p` entering on `in_port` and leaving on `out_port`, one per
  /// stage, in stage order.
  std::vector<Decision> decide(const model::Packet& p, const std::string& in_port,
                               const std::string& out_port) const;

  /// The stage whose permit entries explain a crossing best: the one with the most applicable
  /// permit entries for this port pair (iptables: filter FORWARD). -1 when not modelled.
  int primary_stage(const std::string& in_port, const std::string& out_port);

 private:
  PortPairBehavior lower(const std::string& in_port, const std::string& out_port) const;

  std::string name_;
  Knowledge knowledge_;
  const model::Device* device_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<PortPairBehavior>> cache_;
  std::map<std::pair<std::string, std::string>, model::IndexedPacketSet> any_source_cache_;

  struct NatLowered {
    std::vector<std::size_t> entries;     // applicable destination_nat entries, in order
    std::vector<model::PacketSet> hits;   // their first-match hits
    model::PacketSet covered;             // union of their matches
    bool uncertain = false;
  };
  const NatLowered& nat_for(const std::string& in_port);
  std::map<std::string, NatLowered> nat_cache_;
};

}  // namespace sanso::analysis
