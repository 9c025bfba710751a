#include "analysis/reachability.h"

#include <algorithm>
#include <optional>

namespace sanso::analysis {
namespace {

using model::PacketSet;

struct Walker {
  Network& net;
  std::vector<PathFlow>& out;
  ReachabilityStats& stats;
  std::size_t origin = 0;
  std::vector<Hop> hops;
  std::vector<bool> device_used;
  std::vector<bool> required;     // empty: every path; else only paths through one of these
  std::size_t required_used = 0;  // required devices on the current path
  WalkRecord* record = nullptr;   // where to record arrivals and device entries, if anywhere

  bool constrained() const { return !required.empty() && required_used == 0; }

  /// Whether a required device can still be reached from `segment` without reusing a device of
  /// the path (segments of external zones are ends, as in the walk). Over-approximates the walk,
  /// which also needs packets to pass: pruning with it never loses a path.
  bool can_reach_required(std::size_t segment) const {
    std::vector<bool> seen(net.segment_count(), false);
    std::vector<std::size_t> todo{segment};
    seen[segment] = true;
    while (!todo.empty()) {
      const std::size_t s = todo.back();
      todo.pop_back();
      for (std::size_t d : devices_touching(s)) {
        if (device_used[d]) continue;
        if (required[d]) return true;
        for (const auto& port : net.devices()[d].ports) {
          if (port.segment.empty()) {
            for (std::size_t t = 0; t < net.segment_count(); ++t) visit(t, seen, todo);
          } else {
            visit(net.segment_index(port.segment), seen, todo);
          }
        }
      }
    }
    return false;
  }

  void visit(std::size_t t, std::vector<bool>& seen, std::vector<std::size_t>& todo) const {
    if (seen[t]) return;
    seen[t] = true;
    if (!net.is_end(t)) todo.push_back(t);
  }

  void step(std::size_t segment, const PacketSet& may, const PacketSet& must,
            bool source_rewritten) {
    if (record != nullptr) {
      record->arrivals.push_back({origin, hops, segment, may, must, source_rewritten});
    }
    const std::size_t arrival = record != nullptr ? record->arrivals.size() - 1 : 0;
    for (std::size_t d : devices_touching(segment)) {
      if (device_used[d]) continue;
      if (record != nullptr) record->entries.push_back({arrival, d});
      device_used[d] = true;
      const bool is_required = !required.empty() && required[d];
      required_used += is_required ? 1 : 0;
      traverse(d, segment, may, must, source_rewritten);
      required_used -= is_required ? 1 : 0;
      device_used[d] = false;
    }
  }

  /// Whether the device's source NAT may rewrite some of `packets` leaving on `out_port`.
  static bool rewrites_source(const NetworkDevice& dev, const std::string& out_port,
                              const PacketSet& packets) {
    const auto* m = dev.behavior->device();
    if (m == nullptr) return false;
    return std::any_of(m->source_nat.begin(), m->source_nat.end(), [&](const model::SourceNat& s) {
      return (!s.out || model::matches(*s.out, out_port)) && s.match.intersects(packets);
    });
  }

  /// Devices with a port on `segment`, and devices with unattached ports (they may sit anywhere).
  std::vector<std::size_t> devices_touching(std::size_t segment) const {
    std::vector<std::size_t> ds = net.devices_on(segment);
    for (std::size_t d : net.devices_unattached()) {
      if (!std::binary_search(net.devices_on(segment).begin(), net.devices_on(segment).end(), d)) {
        ds.push_back(d);
      }
    }
    return ds;
  }

  void traverse(std::size_t d, std::size_t segment, const PacketSet& may, const PacketSet& must,
                bool source_rewritten) {
    auto& dev = net.devices()[d];
    const std::string& seg_name = net.segment(segment).name;
    for (const auto& in : dev.ports) {
      const bool in_unattached = in.segment.empty();
      if (!in_unattached && in.segment != seg_name) continue;
      // Destination NAT happens as packets enter, before the filters see them.
      std::optional<Translated> translated;
      if (dev.behavior->has_destination_nat()) translated = dev.behavior->translate(may, must, in.name);
      const PacketSet& entering_may = translated ? translated->may : may;
      const PacketSet& entering_must = translated ? translated->must : must;
      const bool rewritten = translated && translated->rewritten;
      for (const auto& out : dev.ports) {
        if (&out == &in) continue;
        const auto& pair = dev.behavior->between(in.name, out.name);
        PacketSet next_may =
            source_rewritten
                ? dev.behavior->between_any_source(in.name, out.name).intersect(entering_may)
                : pair.may_indexed.intersect(entering_may);
        if (next_may.empty()) continue;
        PacketSet next_must =
            source_rewritten ? PacketSet::none() : pair.must_indexed.intersect(entering_must);
        const bool out_unattached = out.segment.empty();
        if (in_unattached || out_unattached) next_must = PacketSet::none();
        const bool rewritten_after = source_rewritten || rewrites_source(dev, out.name, next_may);
        const HopKind kind{in_unattached || out_unattached, source_rewritten, rewritten_after,
                           rewritten};
        if (out_unattached) {
          for (std::size_t s = 0; s < net.segment_count(); ++s) {
            if (s != segment) arrive(d, in, out, segment, s, next_may, next_must, kind);
          }
        } else {
          const std::size_t s = net.segment_index(out.segment);
          if (s != segment) arrive(d, in, out, segment, s, next_may, next_must, kind);
        }
      }
    }
  }

  struct HopKind {
    bool unattached;
    bool source_rewritten;  // judged for any source (an earlier device rewrote it)
    bool rewritten_after;   // leaves this device with a source that may be rewritten
    bool destination_rewritten;
  };

  void arrive(std::size_t d, const Port& in, const Port& out, std::size_t from_segment,
              std::size_t segment, const PacketSet& may, const PacketSet& must, HopKind kind) {
    hops.push_back(Hop{d, in.name, out.name, from_segment, segment, kind.unattached,
                       kind.source_rewritten, kind.destination_rewritten});
    PacketSet delivered = segment == origin || constrained()
                              ? PacketSet::none()
                              : may & net.destination_space(segment);
    if (!delivered.empty()) {
      ++stats.paths;
      out_flow(segment, std::move(delivered), must & net.destination_space(segment));
    }
    if (!net.is_end(segment) && (!constrained() || can_reach_required(segment))) {
      step(segment, may, must, kind.rewritten_after);
    }
    hops.pop_back();
  }

  void out_flow(std::size_t to, PacketSet may, PacketSet must) {
    PathFlow f;
    f.from = origin;
    f.to = to;
    f.hops = hops;
    f.may = std::move(may);
    f.must = std::move(must);
    out.push_back(std::move(f));
  }
};

}  // namespace

std::vector<PathFlow> compute_reachability(Network& network, ReachabilityStats* stats) {
  return compute_reachability(network, PacketSet::all(), stats);
}

std::vector<PathFlow> compute_reachability(Network& network, WalkRecord& record) {
  record = {};
  ReachabilityStats st;
  std::vector<PathFlow> flows;
  const PacketSet opening = PacketSet::connection_opening();
  for (std::size_t s = 0; s < network.segment_count(); ++s) {
    const PacketSet start = opening & network.source_space(s);
    if (start.empty()) continue;
    Walker w{network, flows, st, s, {}, std::vector<bool>(network.devices().size(), false)};
    w.record = &record;
    w.step(s, start, start, false);
  }
  return flows;
}

std::vector<PathFlow> compute_reachability(Network& network, const PacketSet& packets,
                                           ReachabilityStats* stats) {
  ReachabilityStats local;
  ReachabilityStats& st = stats != nullptr ? *stats : local;
  std::vector<PathFlow> flows;
  const PacketSet opening = PacketSet::connection_opening() & packets;
  for (std::size_t s = 0; s < network.segment_count(); ++s) {
    const PacketSet start = opening & network.source_space(s);
    if (start.empty()) continue;
    Walker w{network, flows, st, s, {}, std::vector<bool>(network.devices().size(), false)};
    w.step(s, start, start, false);
  }
  return flows;
}

std::vector<PathFlow> compute_reachability_through(Network& network,
                                                   const std::vector<std::size_t>& through,
                                                   ReachabilityStats* stats) {
  ReachabilityStats local;
  ReachabilityStats& st = stats != nullptr ? *stats : local;
  std::vector<PathFlow> flows;
  if (through.empty()) return flows;
  std::vector<bool> required(network.devices().size(), false);
  for (std::size_t d : through) required[d] = true;
  const PacketSet opening = PacketSet::connection_opening();
  for (std::size_t s = 0; s < network.segment_count(); ++s) {
    Walker w{network, flows, st, s, {}, std::vector<bool>(network.devices().size(), false), required};
    if (!w.can_reach_required(s)) continue;
    const PacketSet start = opening & network.source_space(s);
    if (start.empty()) continue;
    w.step(s, start, start, false);
  }
  return flows;
}

std::vector<PathFlow> compute_reachability_through(Network& network,
                                                   const std::vector<std::size_t>& through,
                                                   const WalkRecord& record) {
  ReachabilityStats st;
  std::vector<PathFlow> flows;
  if (through.empty()) return flows;
  std::vector<bool> required(network.devices().size(), false);
  for (std::size_t d : through) required[d] = true;
  // The entries are in walk order, and each taken one starts a subtree of the walk that no other
  // taken entry is inside (its path has no required device yet): replaying them in order yields
  // the flows in the order of the full walk.
  for (const auto& e : record.entries) {
    if (!required[e.device]) continue;
    const auto& a = record.arrivals[e.arrival];
    const bool earlier = std::any_of(a.hops.begin(), a.hops.end(),
                                     [&](const Hop& h) { return required[h.device]; });
    if (earlier) continue;
    Walker w{network, flows, st, a.origin, a.hops,
             std::vector<bool>(network.devices().size(), false), required};
    for (const auto& h : a.hops) w.device_used[h.device] = true;
    w.device_used[e.device] = true;
    w.required_used = 1;
    w.traverse(e.device, a.segment, a.may, a.must, a.source_rewritten);
  }
  return flows;
}

}  // namespace sanso::analysis
