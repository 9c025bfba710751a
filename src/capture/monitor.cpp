#include "capture/monitor.h"

#include <fmt/format.h>

#include "policy/audit.h"

namespace sanso::capture {
namespace {

constexpr std::uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58, kSctp = 132;

bool has_ports(std::uint8_t proto) { return proto == kTcp || proto == kUdp || proto == kSctp; }
bool is_icmp(std::uint8_t proto) { return proto == kIcmp || proto == kIcmp6; }

/// Ports that identify a service rather than a client: the well-known range and the registered
/// ports the topology's named services use. Used only to orient flows without a TCP handshake.
bool service_port(std::uint16_t p) {
  if (p < 1024) return true;
  switch (p) {
    case 1433: case 1494: case 1521: case 1812: case 1813: case 2049: case 2598: case 3268:
    case 3306: case 3389: case 4172: case 5060: case 5432: case 8080: case 8443: case 9100:
    case 22443:
      return true;
    default:
      return false;
  }
}

/// ICMP types that open an exchange (+1) or answer one (-1); 0 for errors and the rest.
int icmp_role(std::uint8_t proto, std::uint8_t type) {
  if (proto == kIcmp) {
    if (type == 8 || type == 13 || type == 15 || type == 17) return 1;
    if (type == 0 || type == 14 || type == 16 || type == 18) return -1;
    return 0;
  }
  if (type == 128 || type == 133 || type == 135 || type == 130) return 1;
  if (type == 129 || type == 134 || type == 136 || type == 131) return -1;
  return 0;
}

FlowFacts facts_of(const Flow& f, int orientation) {
  FlowFacts x;
  const auto fam = static_cast<model::Family>(f.key.family);
  const bool lo_first = orientation == 0;
  x.src = {fam, lo_first ? f.key.lo_ip : f.key.hi_ip};
  x.dst = {fam, lo_first ? f.key.hi_ip : f.key.lo_ip};
  x.proto = f.key.proto;
  x.has_ports = has_ports(f.key.proto);
  x.sport = lo_first ? f.key.lo_port : f.key.hi_port;
  x.dport = lo_first ? f.key.hi_port : f.key.lo_port;
  if (is_icmp(f.key.proto)) {
    x.has_icmp = true;
    x.icmp_type = f.first_icmp_type;
  }
  return x;
}

int initiator_orientation(const Flow& f) {
  switch (f.initiator) {
    case Initiator::Lo: return 0;
    case Initiator::Hi: return 1;
    case Initiator::Unknown: break;
  }
  return -1;
}

std::string tier_name(const topology::Zone* z) {
  return z == nullptr ? std::string() : std::string(topology::to_string(z->tier));
}

}  // namespace

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
    f.continued = true;
  }

  if (new_direction && d.has_mac) {
    flows_.macs(found.index).mac[dir] = d.src_mac;
    check_device(d, d.src);
  }
  if (f.verdict == FlowVerdict::Unclassified) classify(f, d, lo_to_hi);
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

void Monitor::classify(Flow& f, const Decoded&, bool) {
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
  f.rule = classifier_->rule_index(j.rule);
  alert_flow(f, j, orientation, now_);
}

std::string Monitor::end_label(const model::IpAddress& ip) const {
  const auto* h = classifier_->book().host_of(ip);
  return h == nullptr ? model::format_ip(ip) : fmt::format("{} ({})", model::format_ip(ip), h->name);
}

Observed Monitor::observe(const Flow& f, int orientation) const {
  Observed o;
  o.capture_point = classifier_->capture_point().name;
  o.vlan = f.key.vlan;
  o.inner_vlan = f.key.inner_vlan;
  o.first_seen = f.first_seen;
  o.last_seen = f.last_seen;
  o.proto = proto_label(f.key.proto);
  o.certainty = f.initiator == Initiator::Unknown ? Certainty::Unknown : f.certainty;
  const FlowFacts x = facts_of(f, orientation);
  auto end = [&](const model::IpAddress& ip, std::uint16_t port, int dir) {
    ObservedEnd e;
    e.ip = ip;
    if (x.has_ports) e.port = port;
    e.mac = flows_.macs(f.index).mac[dir];
    const Place p = classifier_->book().locate(ip);
    if (p.host != nullptr) e.host = p.host->name;
    if (p.segment != nullptr) e.segment = p.segment->name;
    e.packets = f.packets[dir];
    e.bytes = f.bytes[dir];
    return e;
  };
  o.initiator = end(x.src, x.sport, orientation);
  o.responder = end(x.dst, x.dport, 1 - orientation);
  if (x.has_icmp) o.icmp_type = x.icmp_type;
  return o;
}

namespace {

std::string service_label(const FlowFacts& x) {
  if (x.has_ports) return fmt::format("{}/{}", proto_label(x.proto), x.dport);
  if (x.has_icmp) return fmt::format("{}/{}", proto_label(x.proto), x.icmp_type);
  return proto_label(x.proto);
}

struct Values {
  std::map<std::string, std::string> en, ja;
  void both(const std::string& k, const std::string& v) { en[k] = v; ja[k] = v; }
};

policy::Text render_alert(const policy::RuleDef& rule, const Values& v) {
  if (!rule.monitor_message.en.empty()) {
    return {policy::render_message(rule.monitor_message.en, v.en),
            policy::render_message(rule.monitor_message.ja, v.ja)};
  }
  return {policy::render_message("{src} -> {dst} {service}, seen at {capture_point}, breaks " +
                                     rule.id + ": " + rule.title.en, v.en),
          policy::render_message("{capture_point} で検知した {src} から {dst} への {service} の通信は " +
                                     rule.id + "（" + rule.title.ja + "）に違反します", v.ja)};
}

}  // namespace

void Monitor::alert_flow(const Flow& f, const Judgement& j, int orientation, Nanos now) {
  const FlowFacts x = facts_of(f, orientation);
  std::string id = alert_identity(j.rule->id, x.src, x.dst, proto_label(x.proto),
                                  x.has_ports ? std::optional<std::uint16_t>(x.dport) : std::nullopt);
  if (!admit(id, j.rule, now)) return;
  Alert a;
  a.kind = AlertKind::Flow;
  a.rule = j.rule;
  for (const auto* r : j.also_breaks) a.also_breaks.push_back(r->id);
  if (j.src.zone != nullptr) {
    a.from_zone = j.src.zone->name;
    a.from_tier = tier_name(j.src.zone);
  }
  if (j.dst.zone != nullptr) {
    a.to_zone = j.dst.zone->name;
    a.to_tier = tier_name(j.dst.zone);
  }
  a.observed = observe(f, orientation);
  a.closest_allow = j.entry;
  Values v;
  v.both("src", end_label(x.src));
  v.both("dst", end_label(x.dst));
  v.both("service", service_label(x));
  v.both("capture_point", a.observed.capture_point);
  v.both("from_zone", a.from_zone.empty() ? "-" : a.from_zone);
  v.both("to_zone", a.to_zone.empty() ? "-" : a.to_zone);
  v.both("entry", j.entry.empty() ? "-" : "'" + j.entry + "'");
  std::string address = j.address;
  if (address.empty() && (j.src.undeclared_private || j.dst.undeclared_private)) {
    address = model::format_ip(j.src.undeclared_private ? x.src : x.dst);
  }
  v.both("address", address);
  if (j.src.zone != nullptr) {
    const auto t = policy::tier_title(j.src.zone->tier);
    v.en["from_tier"] = t.en;
    v.ja["from_tier"] = t.ja;
  }
  if (j.dst.zone != nullptr) {
    const auto t = policy::tier_title(j.dst.zone->tier);
    v.en["to_tier"] = t.en;
    v.ja["to_tier"] = t.ja;
  }
  a.message = render_alert(*j.rule, v);
  a.id = std::move(id);
  emit(std::move(a), now);
}

void Monitor::alert_mac(const Flow& f, int orientation, const std::string& entry, Nanos now) {
  const auto* rule = classifier_->rule_of_kind("mn-specific-comm");
  if (rule == nullptr) return;
  const FlowFacts x = facts_of(f, orientation);
  std::string id = alert_identity(rule->id, x.src, x.dst, proto_label(x.proto),
                                  x.has_ports ? std::optional<std::uint16_t>(x.dport) : std::nullopt);
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Flow;
  a.rule = rule;
  const Place src = classifier_->book().locate(x.src), dst = classifier_->book().locate(x.dst);
  if (src.zone != nullptr) { a.from_zone = src.zone->name; a.from_tier = tier_name(src.zone); }
  if (dst.zone != nullptr) { a.to_zone = dst.zone->name; a.to_tier = tier_name(dst.zone); }
  a.observed = observe(f, orientation);
  a.closest_allow = entry;
  const std::uint64_t mac = flows_.macs(f.index).mac[orientation];
  const std::uint64_t registered = classifier_->book().registered_mac_of(x.src);
  const std::string host = src.host != nullptr ? src.host->name : model::format_ip(x.src);
  Values v;
  v.both("src", end_label(x.src));
  v.both("dst", end_label(x.dst));
  v.both("service", service_label(x));
  v.both("capture_point", a.observed.capture_point);
  v.both("entry", "'" + entry + "'");
  v.both("mac", model::format_mac(mac));
  v.en["detail"] = fmt::format("source MAC {} is not the registered MAC {} of {}",
                               model::format_mac(mac), model::format_mac(registered), host);
  v.ja["detail"] = fmt::format("送信元MACアドレス {} が {} の登録MACアドレス {} と一致しません",
                               model::format_mac(mac), host, model::format_mac(registered));
  a.message = render_alert(*rule, v);
  a.id = std::move(id);
  emit(std::move(a), now);
}

void Monitor::on_arp(const Decoded& d) {
  check_device(d, d.arp_sender_ip);
  on_address_claim(d, d.arp_sender_ip, false);
}

void Monitor::on_address_claim(const Decoded& d, const model::IpAddress& claimed, bool nd) {
  const auto entry = classifier_->arp_mismatch(claimed, d.arp_sender_mac, d.vlan);
  if (!entry) return;
  const auto* rule = classifier_->rule_of_kind("mn-specific-comm");
  if (rule == nullptr) return;
  const Nanos now = d.ts > now_ ? d.ts : now_;
  const char* proto = nd ? "nd" : "arp";
  std::string id = alert_identity(rule->id, claimed, std::nullopt, proto, std::nullopt);
  if (!admit(id, rule, now)) return;
  const Place p = classifier_->book().locate(claimed);
  const std::uint64_t registered = classifier_->book().registered_mac_of(claimed);
  const std::string host = p.host != nullptr ? p.host->name : model::format_ip(claimed);
  Alert a;
  a.kind = AlertKind::Arp;
  a.rule = rule;
  if (p.zone != nullptr) { a.from_zone = p.zone->name; a.from_tier = tier_name(p.zone); }
  a.closest_allow = *entry;
  a.observed.capture_point = classifier_->capture_point().name;
  a.observed.vlan = d.vlan;
  a.observed.inner_vlan = d.inner_vlan;
  a.observed.first_seen = a.observed.last_seen = d.ts;
  a.observed.proto = proto;
  a.observed.initiator.ip = claimed;
  a.observed.initiator.mac = d.arp_sender_mac;
  a.observed.initiator.host = p.host != nullptr ? p.host->name : "";
  a.observed.initiator.segment = p.segment != nullptr ? p.segment->name : "";
  a.observed.initiator.packets = 1;
  a.observed.initiator.bytes = d.wirelen;
  Values v;
  v.both("src", end_label(claimed));
  v.both("dst", nd ? "ND" : "ARP");
  v.both("service", nd ? "neighbor advertisement"
                       : d.arp_op == 2 ? "reply" : d.arp_op == 1 ? "request" : "packet");
  v.both("capture_point", a.observed.capture_point);
  v.both("entry", "'" + *entry + "'");
  v.both("mac", model::format_mac(d.arp_sender_mac));
  v.en["detail"] = fmt::format("an {} from MAC {} claims the address of {}, whose registered MAC is {}",
                               nd ? "IPv6 neighbor advertisement" : d.arp_op == 2 ? "ARP reply" : "ARP packet",
                               model::format_mac(d.arp_sender_mac),
                               host, model::format_mac(registered));
  v.ja["detail"] = fmt::format("MACアドレス {} からの{}が {} のアドレスを名乗っています（登録MACアドレスは {}）",
                               model::format_mac(d.arp_sender_mac),
                               nd ? "IPv6近隣広告" : d.arp_op == 2 ? "ARP応答" : "ARP",
                               host, model::format_mac(registered));
  a.message = render_alert(*rule, v);
  a.id = std::move(id);
  emit(std::move(a), now);
}

void Monitor::check_device(const Decoded& d, const model::IpAddress& src) {
  const auto* seg = classifier_->unauthorized_at(locate(src), d.has_mac ? d.src_mac : 0, d.vlan);
  if (seg == nullptr) return;
  const auto* rule = classifier_->monitor_rule("unauthorized-device");
  if (rule == nullptr) return;
  // A device is its MAC when the MAC is unknown, else its address.
  const bool mac_known = d.has_mac && classifier_->book().registered_mac(d.src_mac);
  const std::uint64_t device = mac_known ? (static_cast<std::uint64_t>(src.value) ^ 0x8000000000000000ull)
                                         : d.src_mac;
  if (devices_.contains(device)) return;
  if (devices_.size() >= options_.max_devices) {
    ++counters_.devices_untracked;
    return;
  }
  devices_.insert(device);
  ++counters_.devices_alerted;
  const Nanos now = d.ts > now_ ? d.ts : now_;
  std::string id = alert_identity(rule->id, src, std::nullopt,
                                  d.has_mac ? model::format_mac(d.src_mac) : "-", std::nullopt);
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Device;
  a.rule = rule;
  const Place p = classifier_->book().locate(src);
  if (p.zone != nullptr) { a.from_zone = p.zone->name; a.from_tier = tier_name(p.zone); }
  a.observed.capture_point = classifier_->capture_point().name;
  a.observed.vlan = d.vlan;
  a.observed.inner_vlan = d.inner_vlan;
  a.observed.first_seen = a.observed.last_seen = d.ts;
  a.observed.proto = d.l3 == Decoded::L3::Arp ? "arp" : proto_label(d.proto);
  a.observed.initiator.ip = src;
  a.observed.initiator.mac = d.has_mac ? d.src_mac : 0;
  a.observed.initiator.segment = seg->name;
  a.observed.initiator.packets = 1;
  a.observed.initiator.bytes = d.wirelen;
  if (d.l3 != Decoded::L3::Arp) {
    // Whom the device was first seen talking to.
    if (d.has_ports) a.observed.initiator.port = d.sport;
    ObservedEnd peer;
    peer.ip = d.dst;
    if (d.has_ports) peer.port = d.dport;
    if (const auto* h = classifier_->book().host_of(d.dst)) peer.host = h->name;
    a.observed.responder = peer;
  }
  Values v;
  v.both("src", model::format_ip(src));
  v.both("mac", d.has_mac ? model::format_mac(d.src_mac) : "-");
  v.both("address", model::format_ip(src));
  v.both("segment", seg->name);
  v.both("capture_point", a.observed.capture_point);
  a.message = render_alert(*rule, v);
  a.id = std::move(id);
  emit(std::move(a), now);
}

void Monitor::on_fragment_anomaly(const Decoded& d) {
  const auto* rule = classifier_->monitor_rule("fragment-evasion");
  if (rule == nullptr) return;
  const bool tiny = d.has(Anomaly::TinyFragment);
  const Nanos now = d.ts > now_ ? d.ts : now_;
  std::string id = alert_identity(rule->id, d.src, d.dst, proto_label(d.proto),
                                  d.has_ports ? std::optional<std::uint16_t>(d.dport) : std::nullopt);
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Fragment;
  a.rule = rule;
  const Place s = classifier_->book().locate(d.src), t = classifier_->book().locate(d.dst);
  if (s.zone != nullptr) { a.from_zone = s.zone->name; a.from_tier = tier_name(s.zone); }
  if (t.zone != nullptr) { a.to_zone = t.zone->name; a.to_tier = tier_name(t.zone); }
  a.observed.capture_point = classifier_->capture_point().name;
  a.observed.vlan = d.vlan;
  a.observed.inner_vlan = d.inner_vlan;
  a.observed.first_seen = a.observed.last_seen = d.ts;
  a.observed.proto = proto_label(d.proto);
  a.observed.initiator.ip = d.src;
  a.observed.initiator.mac = d.has_mac ? d.src_mac : 0;
  if (d.has_ports) a.observed.initiator.port = d.sport;
  a.observed.initiator.packets = 1;
  a.observed.initiator.bytes = d.wirelen;
  ObservedEnd r;
  r.ip = d.dst;
  if (d.has_ports) r.port = d.dport;
  a.observed.responder = r;
  FlowFacts x;
  x.src = d.src;
  x.dst = d.dst;
  x.proto = d.proto;
  x.has_ports = d.has_ports;
  x.dport = d.dport;
  Values v;
  v.both("src", end_label(d.src));
  v.both("dst", end_label(d.dst));
  v.both("service", service_label(x));
  v.both("capture_point", a.observed.capture_point);
  v.en["detail"] = tiny ? "a first fragment too short to hold the transport header (tiny fragment)"
                        : "a later fragment overlapping the transport header (overlapping fragment)";
  v.ja["detail"] = tiny ? "トランスポートヘッダを収められない極小の先頭フラグメント"
                        : "トランスポートヘッダに重なる後続フラグメント（重複フラグメント）";
  a.message = render_alert(*rule, v);
  a.id = std::move(id);
  emit(std::move(a), now);
}

bool Monitor::admit(const std::string& id, const policy::RuleDef* rule, Nanos now) {
  for (const auto& agg : gate_.due(now)) {
    ++counters_.aggregates;
    sink_.aggregate(agg);
  }
  // Decided before the alert is built: a flood costs a lookup per repeat, not a message.
  return gate_.admit(id, rule, now) == AlertGate::Decision::Emit;
}

void Monitor::emit(Alert a, Nanos now) {
  a.time = now;
  ++counters_.alerts;
  ++counters_.alerts_by_rule[a.rule->id];
  sink_.alert(a);
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
    f.rule = classifier_->rule_index(j.rule);
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
