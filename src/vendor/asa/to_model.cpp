// AsaConfig -> model::Device, as an ordered script: interfaces, settings, filter stages (which
// resolve the objects the bound ACLs use), NAT, object issues, coverage, and last the assumptions
// relied on by all of the above. ASA defaults applied here and in stages.cpp: security level 100
// for `inside` and 0 otherwise, same-security traffic denied, implicit deny after a bound ACL (or
// after the global ACL), higher-to-lower permitted where no ACL is bound.
#include "vendor/asa/to_model.h"

#include <map>
#include <set>

#include "vendor/asa/assumptions.h"
#include "vendor/asa/lines.h"
#include "vendor/asa/nat.h"
#include "vendor/asa/stages.h"

namespace sanso::vendor::asa {
namespace {

model::DeviceSettings settings(const AsaConfig& cfg) {
  model::DeviceSettings s;
  // An ASA configuration always says whether it syncs time and where it logs: no `ntp server`
  // line is "no NTP server", no `logging enable` is "nothing logged".
  s.ntp_servers = cfg.ntp_servers;
  s.syslog_servers = cfg.logging_enabled ? cfg.logging_hosts : std::vector<std::string>{};
  s.logs_denied = cfg.logging_enabled;
  return s;
}

/// Names every ACE, group and NAT rule mentions (whether bound or not): an object none of them
/// names is unused.
std::set<std::string> referenced(const AsaConfig& cfg) {
  std::set<std::string> out;
  auto addr = [&](const AddrTerm& t) {
    if (t.kind == AddrTerm::Kind::Object || t.kind == AddrTerm::Kind::Group) out.insert(t.name);
  };
  auto svc = [&](const SvcTerm& t) {
    if (t.kind == SvcTerm::Kind::Object || t.kind == SvcTerm::Kind::Group) out.insert(t.name);
    if (!t.sport.group.empty()) out.insert(t.sport.group);
    if (!t.dport.group.empty()) out.insert(t.dport.group);
    if (!t.icmp_group.empty()) out.insert(t.icmp_group);
  };
  for (const auto& a : cfg.aces) {
    addr(a.src);
    addr(a.dst);
    svc(a.service);
  }
  for (const auto& g : cfg.groups) {
    for (const auto& t : g.addresses) addr(t);
    for (const auto& t : g.services) svc(t);
    for (const auto& m : g.groups) out.insert(m.first);
  }
  for (const auto& n : cfg.nats) {
    for (const auto* s : {&n.object, &n.src_real, &n.src_mapped, &n.dst_mapped, &n.dst_real,
                          &n.svc_real, &n.svc_mapped})
      if (!s->empty()) out.insert(*s);
    addr(n.mapped_term);
  }
  return out;
}

model::SourceRef ref(const AsaConfig& cfg, const std::vector<std::string_view>& lines, int line) {
  model::SourceRef r{cfg.file, line, std::nullopt, {}};
  if (line >= 1 && static_cast<std::size_t>(line) <= lines.size())
    r.text = std::string(trim(lines[static_cast<std::size_t>(line - 1)]));
  return r;
}

void unused(const AsaConfig& cfg, const std::vector<std::string_view>& lines,
            std::vector<model::ObjectIssue>& out) {
  const auto refs = referenced(cfg);
  std::set<std::string> with_nat;
  for (const auto& n : cfg.nats)
    if (!n.object.empty()) with_nat.insert(n.object);
  for (const auto& o : cfg.network_objects)
    if (refs.count(o.name) == 0 && with_nat.count(o.name) == 0)
      out.push_back({model::ObjectIssue::Kind::Unused, "object", o.name, ref(cfg, lines, o.at.line)});
  for (const auto& o : cfg.service_objects)
    if (refs.count(o.name) == 0)
      out.push_back({model::ObjectIssue::Kind::Unused, "object", o.name, ref(cfg, lines, o.at.line)});
  for (const auto& g : cfg.groups)
    if (refs.count(g.name) == 0)
      out.push_back({model::ObjectIssue::Kind::Unused, "object-group", g.name, ref(cfg, lines, g.at.line)});
}

model::Coverage coverage(const AsaConfig& cfg, const std::vector<std::string_view>& lines,
                         const std::vector<const std::map<int, std::string>*>& more) {
  std::map<int, std::string> by_line;
  auto add = [&by_line](int line, const std::string& why) {
    auto [it, fresh] = by_line.try_emplace(line, why);
    if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
  };
  for (const auto& u : cfg.unparsed) add(u.line, u.reason);
  for (const auto* m : more)
    for (const auto& [l, w] : *m) add(l, w);
  model::Coverage c{cfg.file, static_cast<int>(lines.size()), {}};
  for (auto& [line, why] : by_line) {
    if (line < 1 || static_cast<std::size_t>(line) > lines.size()) continue;
    c.unparsed.push_back({line, std::string(trim(lines[static_cast<std::size_t>(line - 1)])), why});
  }
  return c;
}

}  // namespace

model::Device to_model(const std::string& device_name, const AsaConfig& cfg,
                       const std::vector<std::string_view>& lines) {
  model::Device d;
  d.name = device_name;
  d.vendor = "asa";
  // Security levels and implicit denies cover both families: IPv6 without a rule is decided, not
  // unknown.
  d.families = {model::Family::V4, model::Family::V6};
  for (const auto& i : cfg.interfaces)
    if (i.nameif) d.interfaces.push_back({*i.nameif, i.addresses});
  d.settings = settings(cfg);

  Resolver resolver(cfg);
  StageNotes stage_notes;
  // Stages first: they resolve the objects the bound ACLs use (undefined names, FQDNs).
  d.transit = build_stages(cfg, resolver, lines, stage_notes);
  NatNotes nat_notes;
  lower_nat(cfg, resolver, lines, d, nat_notes);

  d.object_issues = stage_notes.issues;
  for (const auto& u : resolver.undefined())
    d.object_issues.push_back({model::ObjectIssue::Kind::Undefined, u.type, u.name, ref(cfg, lines, u.line)});
  unused(cfg, lines, d.object_issues);
  // Ethertype/webtype lists bound to an interface filter what sanso does not model.
  std::map<int, std::string> other;
  for (const auto& [name, line] : cfg.acl_other_lines)
    if (stage_notes.bound_acls.count(name) != 0) other[line] = "ethertype/webtype access list is not modelled";
  d.coverage.push_back(coverage(cfg, lines, {&stage_notes.lines, &nat_notes.lines,
                                             &resolver.unresolved_lines(), &other}));

  std::set<std::string_view> relied = stage_notes.relied;
  relied.insert(nat_notes.relied.begin(), nat_notes.relied.end());
  if (cfg.port_names_used) relied.insert(assumption::kPortNames);
  if (!cfg.version) relied.insert(assumption::kNoVersion);
  if (resolver.any_v4_only_used()) relied.insert(assumption::kAnyV4Only);
  relied.insert(assumption::kReturnTraffic);
  // In the order of assumptions.h, so the list reads the same for every device.
  for (std::string_view a :
       {assumption::kSameSecurityOverAcl, assumption::kGlobalReplacesLevels, assumption::kInsideLevel,
        assumption::kPortNames, assumption::kDenyLogged, assumption::kNoVersion, assumption::kAnyV4Only,
        assumption::kNatOrder, assumption::kOutAclReal, assumption::kReturnTraffic})
    if (relied.count(a) != 0) d.assumptions.push_back(std::string(a));
  return d;
}

}  // namespace sanso::vendor::asa
