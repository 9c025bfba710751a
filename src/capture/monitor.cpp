// The monitor's packet path: decode ahead, flows, orientation, verdicts (cached), timeouts,
// reload. The alerts it raises are built in monitor_alerts.cpp.
#include "capture/monitor.h"

#include "capture/monitor_detail.h"

namespace sanso::capture {

using namespace monitor_detail;

Monitor::Monitor(std::shared_ptr<const Classifier> classifier, MonitorOptions options,
                 AlertSink& sink)
    : classifier_(std::move(classifier)),
      options_(options),
      sink_(sink),
      decoder_(options.decoder),
      flows_(options.max_flows, options.timeouts),
      gate_(options.gate) {
  if (options_.lookahead >= kRing) options_.lookahead = kRing - 1;
}

void Monitor::packet(const RawPacket& raw) {
  ++counters_.packets;
  counters_.bytes += raw.wirelen;
  if (counters_.first_ts == 0) counters_.first_ts = raw.ts;
  Pending& p = ring_[(head_ + count_) % kRing];
  Decoded& d = p.d;
  if (!decoder_.decode(raw, d)) {
    ++counters_.not_tracked;
    if (raw.ts > now_ && count_ == 0) now_ = raw.ts;
    return;
  }
  p.flow = d.l3 != Decoded::L3::Arp &&
           !(d.fragment && !d.first_fragment && !d.ports_from_fragment_table && has_ports(d.proto));
  if (p.flow) {
    p.key = flow_key_of(d, 0, p.lo_to_hi);
    p.hash = hash_flow_key(p.key);
    flows_.prefetch_slot(p.hash);
  }
  ++count_;
  if (options_.lookahead == 0) {
    drain(0);
    return;
  }
  // Second stage: the slot of a packet half-way through the ring is in cache by now; fetch the
  // flow it points at, so that both are there when the packet's turn comes.
  if (count_ > options_.lookahead / 2) {
    const Pending& mid = ring_[(head_ + count_ - 1 - options_.lookahead / 2) % kRing];
    if (mid.flow) flows_.prefetch_flow(mid.hash);
  }
  drain(options_.lookahead);
}

void Monitor::drain(std::size_t keep) {
  while (count_ > keep) {
    Pending& p = ring_[head_];
    head_ = (head_ + 1) % kRing;
    --count_;
    process(p);
  }
}

void Monitor::process(const Pending& p) {
  const Decoded& d = p.d;
  if (d.ts > now_) now_ = d.ts;
  if (d.has(Anomaly::TinyFragment) || d.has(Anomaly::OverlappingFragment)) on_fragment_anomaly(d);
  if (d.l3 == Decoded::L3::Arp) {
    on_arp(d);
    return;
  }
  if (d.l3 == Decoded::L3::Ipv6 && d.has_icmp && d.icmp_type == 136 && d.has_nd_mac) {
    on_address_claim(d, d.arp_target_ip, true);  // a neighbor advertisement: "target is at MAC"
  }
  if (!p.flow) {
    // A later fragment whose first never came: its ports are unknown, so it joins no flow.
    ++counters_.fragments_unattributed;
    return;
  }
  on_flow_packet(p);
}

void Monitor::on_flow_packet(const Pending& p) {
  const Decoded& d = p.d;
  const bool lo_to_hi = p.lo_to_hi;
  FlowTable::Found found;
  if (last_valid_ && p.key == last_key_) {
    found.index = last_index_;
  } else {
    found = flows_.find_or_create(p.key, p.hash, now_,
                                  [this](Flow& f, FlowTable::EndReason why) { end_flow(f, why); });
    last_key_ = p.key;
    last_index_ = found.index;
    last_valid_ = true;
  }
  Flow& f = flows_.at(found.index);
  const int dir = lo_to_hi ? 0 : 1;
  const bool new_direction = f.packets[dir] == 0;
  ++f.packets[dir];
  f.bytes[dir] += d.wirelen;
  if (found.created) {
    f.first_dir = static_cast<std::uint8_t>(dir);
    if (d.has_icmp) f.first_icmp_type = d.icmp_type;
  }

  // Orientation: a SYN names its sender, a SYN-ACK its peer (issue 3 "Flows").
  std::uint8_t cls = static_cast<std::uint8_t>(TimeoutClass::Other);
  if (d.proto == kTcp && d.has_ports) {
    const bool syn = d.tcp_flags & kSyn, ack = d.tcp_flags & kAck;
    if (syn && !ack) f.tcp_seen |= dir == 0 ? kSynLo : kSynHi;
    if (syn && ack) f.tcp_seen |= kSynAck;
    if (d.tcp_flags & kFin) f.tcp_seen |= dir == 0 ? kFinLo : kFinHi;
    if (d.tcp_flags & kRst) f.tcp_seen |= kRstSeen;
    if (f.initiator == Initiator::Unknown && syn) {
      const bool sender_initiates = !ack;
      f.initiator = (dir == 0) == sender_initiates ? Initiator::Lo : Initiator::Hi;
      f.certainty = sender_initiates ? Certainty::Syn : Certainty::SynAck;
    }
    if (f.packets[0] > 0 && f.packets[1] > 0 && !syn) f.tcp_seen |= kEstablished;
    const bool closing = (f.tcp_seen & kRstSeen) || ((f.tcp_seen & kFinLo) && (f.tcp_seen & kFinHi));
    cls = static_cast<std::uint8_t>(closing ? TimeoutClass::TcpClosing
                                    : (f.tcp_seen & (kSynAck | kEstablished)) ? TimeoutClass::TcpEstablished
                                                                              : TimeoutClass::TcpOpening);
  } else if (found.created && d.has_icmp) {
    const int role = icmp_role(d.proto, d.icmp_type);
    if (role != 0) {
      f.initiator = (dir == 0) == (role > 0) ? Initiator::Lo : Initiator::Hi;
      f.certainty = Certainty::IcmpType;
    }
  } else if (found.created && d.has_ports) {
    const bool to_service = service_port(d.dport), from_service = service_port(d.sport);
    if (to_service != from_service) {
      f.initiator = (dir == 0) == to_service ? Initiator::Lo : Initiator::Hi;
      f.certainty = Certainty::Port;
    }
  }
  if (d.proto == kUdp) cls = static_cast<std::uint8_t>(TimeoutClass::Udp);
  if (is_icmp(d.proto)) cls = static_cast<std::uint8_t>(TimeoutClass::Icmp);
  flows_.touch(found.index, now_, static_cast<TimeoutClass>(cls));

  if (now_ - f.first_seen >= options_.timeouts.active) {
    // A long-lived flow ends as a record and goes on as a continuation with the same verdict.
    ++counters_.flows.active_restarts;
    f.first_seen = now_;
  }

  if (new_direction && d.has_mac) {
    flows_.macs(found.index).mac[dir] = d.src_mac;
    check_device(d, d.src);
  }
  if (f.verdict == FlowVerdict::Unclassified) classify(f);
  if (new_direction && d.has_mac && f.verdict != FlowVerdict::Alerted) {
    const int o = initiator_orientation(f);
    const int sender = dir;  // the orientation in which this packet travels
    if (o < 0 || o == sender) {
      if (auto entry = classifier_->mac_mismatch(facts_of(f, sender), d.src_mac, d.vlan)) {
        alert_mac(f, sender, *entry, now_);
        f.verdict = FlowVerdict::Alerted;
      }
    }
  }
}

std::size_t Monitor::JudgeKeyHash::operator()(const JudgeKey& k) const {
  std::size_t h = std::hash<const void*>()(k.src_host);
  for (const void* p : {k.src_place, k.dst_host, k.dst_place}) h = h * 0x9e3779b97f4a7c15ull ^ std::hash<const void*>()(p);
  return h * 31 + (static_cast<std::size_t>(k.service) << 16 | static_cast<std::size_t>(k.proto) << 8 | k.flags);
}

const Place& Monitor::locate(const model::IpAddress& a) {
  const auto lo = static_cast<std::uint64_t>(a.value), hi = static_cast<std::uint64_t>(a.value >> 64);
  Located& slot = located_[((lo ^ hi) * 0x9e3779b97f4a7c15ull >> 52) % kLocateCache];
  if (!slot.valid || slot.address != a) {
    slot.address = a;
    slot.place = classifier_->book().locate(a);
    slot.valid = true;
  }
  return slot.place;
}

const Judgement& Monitor::judge(const FlowFacts& f) {
  const Place src = locate(f.src), dst = locate(f.dst);
  const bool ntp = f.proto == kUdp && f.has_ports && f.dport == 123;
  if (src.zone != nullptr && src.zone == dst.zone && !ntp) {
    // Within one zone nothing crosses (most traffic): no lookup, no judgement to build. Two
    // slots, because an unknown-direction flow holds both orientations at once.
    Judgement& j = within_zone_[within_next_ ^= 1];
    j.src = src;
    j.dst = dst;
    return j;
  }
  JudgeKey key{src.host, Classifier::place_identity(src), dst.host, Classifier::place_identity(dst),
               0, f.proto, 0};
  if (f.has_ports) {
    // Ports no allow entry names are all judged alike (the reverse orientation of a flow of
    // unknown direction has an ephemeral one): one cache entry for them.
    key.service = classifier_->port_named(f.proto, f.dport) ? f.dport : 0;
    key.flags |= classifier_->port_named(f.proto, f.dport) ? 1 : 8;
  }
  if (f.has_icmp) {
    key.service = static_cast<std::uint16_t>(f.icmp_type << 8 | f.icmp_code);
    key.flags |= 2;
  }
  if (ntp && classifier_->approved_ntp(f.dst)) key.flags |= 4;
  if (auto it = judged_.find(key); it != judged_.end()) return it->second;
  if (judged_.size() >= kMaxJudged) judged_.clear();
  Judgement j = classifier_->judge_at(f, src, dst);
  j.address.clear();  // the one address-specific field: alert_flow() fills it per flow
  return judged_.emplace(key, std::move(j)).first->second;
}

const Judgement& Monitor::judge_flow(const Flow& f, int& orientation, bool& breaks) {
  orientation = initiator_orientation(f);
  if (orientation >= 0) {
    const Judgement& j = judge(facts_of(f, orientation));
    breaks = j.rule != nullptr;
    return j;
  }
  // Direction unknown: alert only if neither direction would be allowed. (The first lookup's
  // reference stays valid: the second can only clear the cache when it is full, so judge the
  // second first when that could happen.)
  orientation = f.first_dir;
  if (judged_.size() + 2 >= kMaxJudged) judged_.clear();
  const Judgement& first = judge(facts_of(f, orientation));
  const Judgement& other = judge(facts_of(f, 1 - orientation));
  breaks = first.rule != nullptr && other.rule != nullptr;
  if (first.rule != nullptr && other.rule == nullptr) {
    orientation = 1 - orientation;
    return other;
  }
  return first;
}

void Monitor::classify(Flow& f) {
  int orientation = 0;
  bool breaks = false;
  const Judgement& j = judge_flow(f, orientation, breaks);
  if (j.src.zone != nullptr && j.dst.zone != nullptr) {
    ++tier_pairs_[static_cast<int>(j.src.zone->tier) + 1][static_cast<int>(j.dst.zone->tier) + 1]
                 [j.src.zone == j.dst.zone ? 1 : 0];
  } else {
    ++tier_pairs_[0][0][0];
  }
  f.verdict = FlowVerdict::Clean;
  if (!breaks) return;
  f.verdict = FlowVerdict::Alerted;
  alert_flow(f, j, orientation, now_);
}

void Monitor::end_flow(Flow&, FlowTable::EndReason) {
  // The remembered last flow may be the one ending (its slot is reused next).
  last_valid_ = false;
}

void Monitor::tick(Nanos now) {
  drain(0);
  if (now > now_) now_ = now;
  flows_.expire(now_, [this](Flow& f, FlowTable::EndReason why) { end_flow(f, why); });
  decoder_.expire_fragments(now_);
  for (const auto& agg : gate_.due(now_)) {
    ++counters_.aggregates;
    sink_.aggregate(agg);
  }
}

void Monitor::reload(std::shared_ptr<const Classifier> classifier) {
  drain(0);
  for (auto& l : located_) l.valid = false;
  const std::shared_ptr<const Classifier> old = classifier_;
  classifier_ = std::move(classifier);
  ++counters_.reloads;
  judged_.clear();
  flows_.for_each([&](Flow& f) {
    if (f.verdict != FlowVerdict::Clean) return;
    int orientation = 0;
    bool breaks = false;
    const Judgement& j = judge_flow(f, orientation, breaks);
    if (!breaks) return;
    f.verdict = FlowVerdict::Alerted;
    ++counters_.reload_alerts;
    alert_flow(f, j, orientation, now_);
  });
}

void Monitor::finish() {
  drain(0);
  decoder_.finish();
  for (const auto& agg : gate_.flush()) {
    ++counters_.aggregates;
    sink_.aggregate(agg);
  }
}

MonitorCounters Monitor::counters() const {
  MonitorCounters c = counters_;
  c.decode = decoder_.stats();
  c.anomalies = decoder_.anomalies();
  const auto active = c.flows.active_restarts;
  c.flows = flows_.stats();
  c.flows.active_restarts = active;
  c.flow_memory_bytes = flows_.memory_bytes();
  c.repeats = gate_.repeats();
  c.suppressed = gate_.suppressed();
  c.last_ts = now_;
  constexpr topology::Tier kTiers[] = {topology::Tier::Mynumber, topology::Tier::Lgwan,
                                       topology::Tier::Internet};
  if (tier_pairs_[0][0][0] != 0) c.flows_by_tier_pair["unzoned"] = tier_pairs_[0][0][0];
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      const std::string from(topology::to_string(kTiers[a])), to(topology::to_string(kTiers[b]));
      if (const auto n = tier_pairs_[a + 1][b + 1][1]) c.flows_by_tier_pair[from] += n;
      if (const auto n = tier_pairs_[a + 1][b + 1][0]) c.flows_by_tier_pair[from + ">" + to] = n;
    }
  }
  return c;
}

}  // namespace sanso::capture
