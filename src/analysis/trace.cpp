#include "analysis/trace.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

namespace sanso::analysis {
namespace {

using model::PacketSet;

bool has_ports(std::uint8_t proto) {
  return proto == model::kProtoTcp || proto == model::kProtoUdp || proto == model::kProtoSctp;
}

bool is_icmp(std::uint8_t proto) {
  return proto == model::kProtoIcmp || proto == model::kProtoIcmpv6;
}

/// Devices a packet on `segment` can enter, as the reachability walk sees them: those attached
/// to it, and those with an interface attached nowhere (they may sit anywhere).
std::vector<std::size_t> devices_touching(const Network& net, std::size_t segment) {
  std::vector<std::size_t> ds = net.devices_on(segment);
  for (std::size_t d : net.devices_unattached()) {
    if (!std::binary_search(net.devices_on(segment).begin(), net.devices_on(segment).end(), d)) {
      ds.push_back(d);
    }
  }
  return ds;
}

/// The packet after the device's destination NAT on `in_port`, and the entries that rewrote it.
/// `towards`: where the walk's sets say the packet went (several outcomes are possible where an
/// entry is uncertain; the one the path delivers is chosen).
model::Packet after_nat(DeviceBehavior& behavior, const model::Packet& p, const std::string& in_port,
                        const std::optional<model::Packet>& towards,
                        std::vector<model::SourceRef>& nat) {
  if (!behavior.has_destination_nat()) return p;
  const PacketSet one = PacketSet::of(p);
  const Translated t = behavior.translate(one, one, in_port);
  if (!t.rewritten || t.may.empty()) return p;
  model::Packet out = p;
  model::Packet candidate = p;
  if (towards) {
    candidate.dst = towards->dst;
    candidate.dport = towards->dport;
  }
  if (t.may.contains(candidate)) {
    out = candidate;
  } else if (auto w = t.may.witness()) {
    out = *w;
  }
  if (out == p) return p;
  for (const auto& e : behavior.device()->destination_nat) {
    if (e.in && !model::matches(*e.in, in_port)) continue;
    if (!e.match.contains(p)) continue;
    nat.insert(nat.end(), e.evidence.begin(), e.evidence.end());
    if (!e.uncertain) break;  // first match decides
  }
  return out;
}

/// The hop as the device decides `seen` (the packet its filters see).
TraceHop describe_hop(const Network& net, const Hop& hop, const model::Packet& seen,
                      std::vector<model::SourceRef> nat, bool forwards) {
  const auto& nd = net.devices()[hop.device];
  TraceHop th;
  th.hop = hop;
  th.device = nd.name;
  th.knowledge = nd.behavior->knowledge();
  th.packet = seen;
  th.nat = std::move(nat);
  th.forwards = forwards;
  const model::Device* dev = nd.behavior->device();
  for (const auto& d : nd.behavior->decide(seen, hop.in_port, hop.out_port)) {
    const auto& filter = dev->transit[d.stage];
    StageStep s;
    s.stage = d.stage;
    s.name = filter.name;
    s.entry = d.entry;
    s.action = d.action;
    if (d.entry) {
      const auto& e = filter.entries[*d.entry];
      s.uncertain = e.uncertain;
      s.evidence = e.evidence;
      s.is_default = *d.entry + 1 == filter.entries.size() && !e.in && !e.out &&
                     e.match.contains(PacketSet::family(seen.family));
    } else {
      s.is_default = true;
      s.evidence.push_back(filter.default_source);
    }
    th.stages.push_back(std::move(s));
  }
  return th;
}

/// Why a delivering path is unproven: every condition on it sanso cannot decide.
std::vector<Doubt> doubts_of(const Network& net, const std::vector<TraceHop>& hops) {
  std::vector<Doubt> out;
  auto note = [&](const std::string& device, std::string text) {
    out.push_back({device, {"", std::nullopt, std::nullopt, std::move(text)}});
  };
  for (const auto& th : hops) {
    const auto& nd = net.devices()[th.hop.device];
    if (th.hop.unattached) {
      note(th.device, fmt::format("interface not attached to any segment: {} -> {}",
                                  display_name({th.hop.in_port, ""}),
                                  display_name({th.hop.out_port, ""})));
    }
    if (th.hop.source_rewritten) {
      note(th.device, "source rewritten upstream (source NAT): judged for any source address");
    }
    if (th.knowledge == Knowledge::Unsupported) note(th.device, "vendor not supported: forwarding unproven");
    const model::Device* dev = nd.behavior->device();
    if (dev == nullptr) continue;
    for (const auto& ref : dev->unmodelled_nat) out.push_back({th.device, ref});
    for (const auto& e : dev->destination_nat) {
      if (!e.uncertain) continue;
      for (const auto& ref : e.evidence) out.push_back({th.device, ref});
    }
    const auto& fams = dev->families;
    if (std::find(fams.begin(), fams.end(), th.packet.family) == fams.end()) {
      note(th.device, fmt::format("no IPv{} ruleset given", static_cast<int>(th.packet.family)));
    }
    // Uncertain entries that match the packet up to the deciding one: an uncertain deny that may
    // drop it, or the uncertain permit that lets it through.
    for (const auto& step : th.stages) {
      const auto& f = dev->transit[step.stage];
      const std::size_t end = step.entry ? *step.entry + 1 : f.entries.size();
      for (std::size_t i = 0; i < end; ++i) {
        const auto& e = f.entries[i];
        if (!e.uncertain) continue;
        if (e.in && !model::matches(*e.in, th.hop.in_port)) continue;
        if (e.out && !model::matches(*e.out, th.hop.out_port)) continue;
        if (!e.match.contains(th.packet)) continue;
        for (const auto& ref : e.evidence) out.push_back({th.device, ref});
      }
    }
  }
  return out;
}

/// A delivering path of the walk, explained for its representative packet.
TracePath explain_delivered(Network& net, const PathFlow& f, const FlowQuery& q,
                            const model::WitnessPreference& pref) {
  TracePath path;
  path.from = f.from;
  path.to = f.to;
  path.may = f.may;
  path.must = f.must;
  path.verdict = f.must.empty() ? Verdict::Unproven : Verdict::Allowed;
  // The witness as delivered; before any destination NAT it carried the query's destination.
  const model::Packet delivered = *(f.must.empty() ? f.may : f.must).witness(pref);
  model::Packet p = delivered;
  p.dst = q.dst;
  if (q.dport && has_ports(p.proto)) p.dport = *q.dport;
  path.packet = p;
  for (const auto& hop : f.hops) {
    auto& behavior = *net.devices()[hop.device].behavior;
    std::vector<model::SourceRef> nat;
    p = after_nat(behavior, p, hop.in_port, delivered, nat);
    path.hops.push_back(describe_hop(net, hop, p, std::move(nat), true));
  }
  if (path.verdict == Verdict::Unproven) path.doubts = doubts_of(net, path.hops);
  return path;
}

/// Whether a packet on segment `from` could still reach a target segment through devices not in
/// `used`, ignoring filters (transit only through segments that are not ends): whether a dropped
/// packet was on its way to the destination.
bool reaches_target(const Network& net, std::size_t from, const std::vector<bool>& used,
                    const std::vector<bool>& is_target) {
  if (is_target[from]) return true;
  if (net.is_end(from)) return false;
  std::vector<bool> seen(net.segment_count(), false);
  std::vector<bool> device_seen = used;
  std::deque<std::size_t> queue{from};
  seen[from] = true;
  while (!queue.empty()) {
    const std::size_t x = queue.front();
    queue.pop_front();
    for (std::size_t d : devices_touching(net, x)) {
      if (device_seen[d]) continue;
      device_seen[d] = true;
      for (const auto& port : net.devices()[d].ports) {
        std::vector<std::size_t> next;
        if (port.segment.empty()) {
          for (std::size_t s = 0; s < net.segment_count(); ++s) next.push_back(s);  // anywhere
        } else {
          next.push_back(net.segment_index(port.segment));
        }
        for (std::size_t s : next) {
          if (is_target[s]) return true;
          if (seen[s] || net.is_end(s)) continue;
          seen[s] = true;
          queue.push_back(s);
        }
      }
    }
  }
  return false;
}

bool same_prefix(const std::vector<TraceHop>& blocked, const std::vector<TraceHop>& delivered) {
  if (delivered.size() < blocked.size()) return false;
  for (std::size_t i = 0; i < blocked.size(); ++i) {
    const Hop& a = blocked[i].hop;
    const Hop& b = delivered[i].hop;
    if (a.device != b.device || a.in_port != b.in_port || a.out_port != b.out_port ||
        a.out_segment != b.out_segment) {
      return false;
    }
  }
  return true;
}

/// Follows one concrete packet through the graph as the walk would, recording where it is
/// dropped on the way to a destination segment.
struct Explorer {
  Network& net;
  const std::vector<bool>& is_target;
  const std::vector<TracePath>& delivered;
  std::vector<TracePath>& blocked;
  std::size_t origin = 0;
  model::Packet start;
  std::vector<TraceHop> hops;
  std::vector<bool> used;

  void step(std::size_t segment, const model::Packet& p, bool source_rewritten) {
    for (std::size_t d : devices_touching(net, segment)) {
      if (used[d]) continue;
      used[d] = true;
      traverse(d, segment, p, source_rewritten);
      used[d] = false;
    }
  }

  static bool rewrites_source(const NetworkDevice& dev, const std::string& out_port,
                              const model::Packet& p) {
    const auto* m = dev.behavior->device();
    if (m == nullptr) return false;
    return std::any_of(m->source_nat.begin(), m->source_nat.end(), [&](const model::SourceNat& s) {
      return (!s.out || model::matches(*s.out, out_port)) && s.match.contains(p);
    });
  }

  void traverse(std::size_t d, std::size_t segment, const model::Packet& p, bool source_rewritten) {
    auto& dev = net.devices()[d];
    const std::string& seg_name = net.segment(segment).name;
    for (const auto& in : dev.ports) {
      const bool in_unattached = in.segment.empty();
      if (!in_unattached && in.segment != seg_name) continue;
      std::vector<model::SourceRef> nat;
      const model::Packet seen = after_nat(*dev.behavior, p, in.name, std::nullopt, nat);
      const bool rewritten = !(seen == p);
      const PacketSet one = PacketSet::of(seen);
      for (const auto& out : dev.ports) {
        if (&out == &in) continue;
        const bool forwards =
            source_rewritten ? dev.behavior->between_any_source(in.name, out.name).intersects(one)
                             : dev.behavior->between(in.name, out.name).may_indexed.intersects(one);
        const bool out_unattached = out.segment.empty();
        std::vector<std::size_t> next;
        if (out_unattached) {
          for (std::size_t s = 0; s < net.segment_count(); ++s) {
            if (s != segment) next.push_back(s);
          }
        } else if (std::size_t s = net.segment_index(out.segment); s != segment) {
          next.push_back(s);
        }
        for (std::size_t t : next) {
          Hop hop{d, in.name, out.name, segment, t, in_unattached || out_unattached,
                  source_rewritten, rewritten};
          // Where the packet is (or would be) delivered, or cannot get closer, the path ends.
          if (!reaches_target(net, t, used, is_target)) continue;
          if (!forwards) {
            record_blocked(hop, seen, nat, t);
            break;  // one record per dropping port pair, even where it may lead anywhere
          }
          if (is_target[t] || net.is_end(t)) continue;
          hops.push_back(describe_hop(net, hop, seen, nat, true));
          step(t, seen, source_rewritten || rewrites_source(dev, out.name, seen));
          hops.pop_back();
        }
      }
    }
  }

  void record_blocked(const Hop& hop, const model::Packet& seen,
                      const std::vector<model::SourceRef>& nat, std::size_t to) {
    TracePath path;
    path.from = origin;
    path.to = to;
    path.hops = hops;
    path.hops.push_back(describe_hop(net, hop, seen, nat, false));
    path.verdict = Verdict::Denied;
    path.packet = start;
    // Other packets of the flow (another source port) pass here: the path delivers, it is listed.
    for (const auto& d : delivered) {
      if (d.from == origin && same_prefix(path.hops, d.hops)) return;
    }
    blocked.push_back(std::move(path));
  }
};

}  // namespace

model::PacketSet flow_packets(const FlowQuery& q) {
  PacketSet s = PacketSet::src({q.family, q.src, q.src}) & PacketSet::dst({q.family, q.dst, q.dst}) &
                PacketSet::proto(q.proto);
  if (has_ports(q.proto)) {
    if (q.dport) s &= PacketSet::dport(q.proto, *q.dport, *q.dport);
    if (q.sport) s &= PacketSet::sport(q.proto, *q.sport, *q.sport);
  }
  if (is_icmp(q.proto) && q.icmp_type) s &= PacketSet::icmp(q.proto, *q.icmp_type, *q.icmp_type);
  if (q.src_mac) s &= PacketSet::src_mac(*q.src_mac, *q.src_mac);
  return s & PacketSet::connection_opening();
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Allowed: return "allowed";
    case Verdict::Unproven: return "unproven";
    case Verdict::Denied: return "denied";
  }
  return "denied";
}

TraceResult trace(Network& network, const FlowQuery& query, const model::WitnessPreference& pref) {
  TraceResult r;
  r.flow = flow_packets(query);
  std::vector<bool> is_target(network.segment_count(), false);
  for (std::size_t s = 0; s < network.segment_count(); ++s) {
    if (network.source_space(s).intersects(r.flow)) r.from_segments.push_back(s);
    if (network.destination_space(s).intersects(r.flow)) {
      r.to_segments.push_back(s);
      is_target[s] = true;
    }
  }

  // Both ends on one segment: delivered without passing a device (the walk has no such path).
  for (std::size_t s : r.from_segments) {
    if (!is_target[s]) continue;
    TracePath direct;
    direct.from = direct.to = s;
    direct.may = r.flow & network.source_space(s) & network.destination_space(s);
    direct.must = direct.may;
    direct.verdict = Verdict::Allowed;
    direct.packet = *direct.may.witness(pref);
    r.may |= direct.may;
    r.must |= direct.must;
    r.paths.push_back(std::move(direct));
  }
  for (const auto& f : compute_reachability(network, r.flow)) {
    r.may |= f.may;
    r.must |= f.must;
    r.paths.push_back(explain_delivered(network, f, query, pref));
  }
  r.verdict = !r.must.empty() ? Verdict::Allowed : !r.may.empty() ? Verdict::Unproven : Verdict::Denied;

  // Where the flow is dropped: follow its representative packet from each source segment.
  const auto start = r.flow.witness(pref);
  if (!start) return r;
  std::vector<TracePath> blocked;
  for (std::size_t s : r.from_segments) {
    if (is_target[s]) continue;
    Explorer e{network, is_target, r.paths, blocked, s, *start, {},
               std::vector<bool>(network.devices().size(), false)};
    e.step(s, *start, false);
  }
  for (auto& b : blocked) r.paths.push_back(std::move(b));
  return r;
}

std::vector<std::pair<std::uint16_t, std::uint16_t>> sport_ranges(const model::PacketSet& s) {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> ranges;
  for (const auto& b : s.blocks()) {
    const auto& proto = b[model::Field::Proto];
    bool ported = false;
    for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp}) {
      ported = ported || (proto.lo <= p && p <= proto.hi);
    }
    if (!ported) continue;
    const auto& sp = b[model::Field::Sport];
    ranges.push_back({static_cast<std::uint16_t>(sp.lo), static_cast<std::uint16_t>(sp.hi)});
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::uint16_t, std::uint16_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace sanso::analysis
