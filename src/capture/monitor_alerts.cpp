// The monitor's alerts: what each check builds once the gate lets it through (rule, tiers, the
// observed flow, the message in both languages).
#include <fmt/format.h>

#include "capture/monitor.h"
#include "capture/monitor_detail.h"
#include "policy/audit.h"

namespace sanso::capture {

using namespace monitor_detail;

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

Observed Monitor::observe_packet(const Decoded& d, const model::IpAddress& sender,
                                 std::uint64_t mac, std::string proto) const {
  Observed o;
  o.capture_point = classifier_->capture_point().name;
  o.vlan = d.vlan;
  o.inner_vlan = d.inner_vlan;
  o.first_seen = o.last_seen = d.ts;
  o.proto = std::move(proto);
  o.initiator.ip = sender;
  o.initiator.mac = mac;
  const Place p = classifier_->book().locate(sender);
  if (p.host != nullptr) o.initiator.host = p.host->name;
  if (p.segment != nullptr) o.initiator.segment = p.segment->name;
  o.initiator.packets = 1;
  o.initiator.bytes = d.wirelen;
  return o;
}

namespace {

/// The tiers and zones of an alert from where its ends belong (either may be unknown).
void set_zones(Alert& a, const Place& from, const Place* to) {
  if (from.zone != nullptr) {
    a.from_zone = from.zone->name;
    a.from_tier = tier_name(from.zone);
  }
  if (to != nullptr && to->zone != nullptr) {
    a.to_zone = to->zone->name;
    a.to_tier = tier_name(to->zone);
  }
}

std::optional<std::uint16_t> port_if(bool has_ports, std::uint16_t port) {
  return has_ports ? std::optional<std::uint16_t>(port) : std::nullopt;
}

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
                                  port_if(x.has_ports, x.dport));
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
                                  port_if(x.has_ports, x.dport));
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Flow;
  a.rule = rule;
  const Place src = classifier_->book().locate(x.src), dst = classifier_->book().locate(x.dst);
  set_zones(a, src, &dst);
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
  const Nanos now = packet_time(d);
  const char* proto = nd ? "nd" : "arp";
  std::string id = alert_identity(rule->id, claimed, std::nullopt, proto, std::nullopt);
  if (!admit(id, rule, now)) return;
  const Place p = classifier_->book().locate(claimed);
  const std::uint64_t registered = classifier_->book().registered_mac_of(claimed);
  const std::string host = p.host != nullptr ? p.host->name : model::format_ip(claimed);
  Alert a;
  a.kind = AlertKind::Arp;
  a.rule = rule;
  set_zones(a, p, nullptr);
  a.closest_allow = *entry;
  a.observed = observe_packet(d, claimed, d.arp_sender_mac, proto);
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
  const DeviceKey device = mac_known ? DeviceKey{0, src} : DeviceKey{d.src_mac, {}};
  if (devices_.contains(device)) return;
  if (devices_.size() >= options_.max_devices) {
    ++counters_.devices_untracked;
    return;
  }
  devices_.insert(device);
  ++counters_.devices_alerted;
  const Nanos now = packet_time(d);
  std::string id = alert_identity(rule->id, src, std::nullopt,
                                  d.has_mac ? model::format_mac(d.src_mac) : "-", std::nullopt);
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Device;
  a.rule = rule;
  set_zones(a, classifier_->book().locate(src), nullptr);
  a.observed = observe_packet(d, src, d.has_mac ? d.src_mac : 0,
                              d.l3 == Decoded::L3::Arp ? "arp" : proto_label(d.proto));
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
  const Nanos now = packet_time(d);
  std::string id = alert_identity(rule->id, d.src, d.dst, proto_label(d.proto),
                                  port_if(d.has_ports, d.dport));
  if (!admit(id, rule, now)) return;
  Alert a;
  a.kind = AlertKind::Fragment;
  a.rule = rule;
  const Place t = classifier_->book().locate(d.dst);
  set_zones(a, classifier_->book().locate(d.src), &t);
  a.observed = observe_packet(d, d.src, d.has_mac ? d.src_mac : 0, proto_label(d.proto));
  a.observed.initiator.port = port_if(d.has_ports, d.sport);
  ObservedEnd r;
  r.ip = d.dst;
  r.port = port_if(d.has_ports, d.dport);
  if (t.host != nullptr) r.host = t.host->name;
  if (t.segment != nullptr) r.segment = t.segment->name;
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

}  // namespace sanso::capture
