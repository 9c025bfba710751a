#include "capture/classifier.h"

#include <algorithm>

namespace sanso::capture {
namespace {

using model::Field;

constexpr std::uint8_t kTcp = 6, kUdp = 17;

model::Packet to_packet(const FlowFacts& f) {
  model::Packet p;
  p.family = f.src.family;
  p.src = f.src.value;
  p.dst = f.dst.value;
  p.proto = f.proto;
  if (f.has_ports) {
    p.sport = f.sport;
    p.dport = f.dport;
  }
  if (f.has_icmp) {
    p.icmp_type = f.icmp_type;
    p.icmp_code = f.icmp_code;
  }
  // The audited set is "packets that can open a connection": judge the flow by its opening packet.
  if (f.proto == kTcp) p.tcp_flags = model::kTcpSyn;
  return p;
}

}  // namespace

std::unique_ptr<Classifier> Classifier::build(std::unique_ptr<topology::Topology> topology,
                                              policy::RulePack pack,
                                              const std::string& capture_point,
                                              std::string& error) {
  std::unique_ptr<Classifier> c(new Classifier());
  c->topology_ = std::move(topology);
  c->pack_ = std::move(pack);
  const auto& topo = *c->topology_;
  c->network_ = std::make_unique<analysis::Network>(topo, c->no_devices_);
  c->allowances_ = std::make_unique<policy::Allowances>(*c->network_, topo);
  c->book_ = std::make_unique<AddressBook>(topo);
  c->ntp_sources_ = topo.policy.ntp_sources;

  c->capture_point_.name = capture_point.empty() ? "-" : capture_point;
  if (!capture_point.empty()) {
    auto it = std::find_if(topo.monitor.begin(), topo.monitor.end(),
                           [&](const auto& m) { return m.name == capture_point; });
    if (it == topo.monitor.end()) {
      error = "capture point '" + capture_point + "' is not declared under monitor: in " + topo.path;
      return nullptr;
    }
    for (const auto& s : it->sees) c->capture_point_.sees.push_back(topo.find_segment(s));
  }

  for (const auto& d : c->allowances_->entries()) {
    if (!d.valid() || d.entry->kind != topology::AllowKind::Specific) continue;
    if (d.entry->from.kind != topology::Endpoint::Kind::Host) continue;
    const auto* host = topo.find_host(d.entry->from.name);
    for (const auto& i : host->interfaces) {
      if (!i.ip || !i.mac) continue;
      c->specific_sources_.push_back({*i.ip, *i.mac, topo.find_segment(i.segment), &d});
    }
  }
  for (const auto& entry : topo.allow) {
    for (const auto& service : entry.services) {
      for (const auto& b : service.packets.blocks()) {
        c->named_ports_.push_back({static_cast<std::uint8_t>(b[Field::Proto].lo),
                                   static_cast<std::uint8_t>(b[Field::Proto].hi),
                                   static_cast<std::uint16_t>(b[Field::Dport].lo),
                                   static_cast<std::uint16_t>(b[Field::Dport].hi)});
      }
    }
  }
  c->named_ports_.push_back({kUdp, kUdp, 123, 123});
  c->judge_ = std::make_unique<policy::FlowJudge>(topo, *c->allowances_, c->pack_);
  return c;
}

const policy::RuleDef* Classifier::monitor_rule(std::string_view kind) const {
  for (const auto& r : pack_.rules) {
    if (r.monitor == kind) return &r;
  }
  return nullptr;
}

const policy::RuleDef* Classifier::rule_of_kind(std::string_view kind) const {
  for (const auto& r : pack_.rules) {
    if (r.check == kind) return &r;
  }
  return nullptr;
}

bool Classifier::sees(const topology::Segment* s, std::uint16_t vlan) const {
  if (s == nullptr) return false;
  const auto& seen = capture_point_.sees;
  if (std::find(seen.begin(), seen.end(), s) == seen.end()) return false;
  // On a trunk the same packet passes once per VLAN; only the copy on the segment's own VLAN
  // carries the sender's MAC (a routed copy carries the router's).
  return !s->vlan || *s->vlan == vlan;
}

const void* Classifier::place_identity(const Place& p) {
  static constexpr char kSpecial = 0, kUndeclared = 0, kUnzoned = 0;
  if (p.segment != nullptr) return p.segment;
  if (p.special) return &kSpecial;
  return p.undeclared_private ? &kUndeclared : &kUnzoned;
}

bool Classifier::port_named(std::uint8_t proto, std::uint16_t dport) const {
  for (const auto& n : named_ports_) {
    if (proto >= n.proto_lo && proto <= n.proto_hi && dport >= n.lo && dport <= n.hi) return true;
  }
  return false;
}

bool Classifier::approved_ntp(const model::IpAddress& a) const {
  return std::find(ntp_sources_.begin(), ntp_sources_.end(), a) != ntp_sources_.end();
}

Judgement Classifier::judge_at(const FlowFacts& f, const Place& src, const Place& dst) const {
  Judgement j;
  j.src = src;
  j.dst = dst;
  const model::Packet p = to_packet(f);

  if (j.src.undeclared_private || j.dst.undeclared_private) {
    j.rule = rule_of_kind("zone-assign");
    j.address = model::format_ip(j.src.undeclared_private ? f.src : f.dst);
    return j;
  }
  if (j.src.zone != nullptr && j.dst.zone != nullptr && j.src.zone != j.dst.zone) {
    j.crossing = true;
    judge_crossing(p, j);
  }
  // TIME-SYNC: NTP to a server that is not an approved source (only when sources are declared).
  const bool ntp = f.proto == kUdp && f.has_ports && f.dport == 123;
  if (ntp && !ntp_sources_.empty() && !approved_ntp(f.dst)) {
    if (const auto* r = monitor_rule("time-sync")) {
      if (j.rule == nullptr) j.rule = r; else j.also_breaks.push_back(r);
    }
  }
  return j;
}

void Classifier::judge_crossing(const model::Packet& p, Judgement& j) const {
  const policy::FlowVerdict v = judge_->judge(p, *j.src.zone, *j.dst.zone);
  j.rule = v.rule;
  j.also_breaks = v.also_breaks;
  j.entry = v.entry;
}

std::optional<std::string> Classifier::mac_mismatch(const FlowFacts& f, std::uint64_t mac,
                                                    std::uint16_t vlan) const {
  if (mac == 0) return std::nullopt;
  const model::Packet p = to_packet(f);
  for (const auto& s : specific_sources_) {
    if (s.ip != f.src || s.mac == mac || !sees(s.segment, vlan)) continue;
    if (s.entry->packets.contains(p)) return s.entry->entry->id;
  }
  return std::nullopt;
}

std::optional<std::string> Classifier::arp_mismatch(const model::IpAddress& claimed,
                                                    std::uint64_t mac, std::uint16_t vlan) const {
  for (const auto& s : specific_sources_) {
    if (s.ip == claimed && s.mac != mac && sees(s.segment, vlan)) return s.entry->entry->id;
  }
  return std::nullopt;
}

const topology::Segment* Classifier::unauthorized_at(const Place& place, std::uint64_t mac,
                                                     std::uint16_t vlan) const {
  const auto* seg = place.segment;
  if (seg == nullptr || !seg->inventory_complete || !sees(seg, vlan)) return nullptr;
  const bool ip_ok = place.host != nullptr;
  const bool mac_ok = mac == 0 || book_->registered_mac(mac);
  return ip_ok && mac_ok ? nullptr : seg;
}

}  // namespace sanso::capture
