// YamahaConfig -> model::Device. The order of the script: stages (which lower every filter once,
// so coverage reports what was not understood even in unbound filters), then NAT, interfaces,
// settings, unused objects, coverage, and last the assumptions relied on by all of the above.
#include "vendor/yamaha/to_model.h"

#include <algorithm>
#include <set>

#include "vendor/yamaha/assumptions.h"
#include "vendor/yamaha/nat.h"
#include "vendor/yamaha/parse_commands.h"
#include "vendor/yamaha/stages.h"

namespace sanso::vendor::yamaha {
namespace {

using model::Family;

model::SourceRef ref(const std::string& file, const Where& w) {
  return {file, w.line, w.end_line > w.line ? std::optional<int>(w.end_line) : std::nullopt, w.text};
}

std::vector<model::Interface> interfaces(const YamahaConfig& cfg) {
  std::vector<model::Interface> out;
  for (const std::string& name : cfg.interfaces) out.push_back({name, {}});
  for (const InterfaceAddress& a : cfg.addresses) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const model::Interface& i) { return i.name == a.iface; });
    if (it == out.end()) {
      out.push_back({a.iface, {}});
      it = out.end() - 1;
    }
    if (std::find(it->addresses.begin(), it->addresses.end(), a.subnet) == it->addresses.end())
      it->addresses.push_back(a.subnet);
  }
  return out;
}

// Filters, dynamic filters and ethernet filters no list (nor route, nor dynamic filter) uses.
void unused_objects(const YamahaConfig& cfg, const StageNotes& notes,
                    std::vector<model::ObjectIssue>& out) {
  std::set<std::pair<int, std::uint32_t>> route_refs;
  for (const std::string& r : cfg.route_filter_refs)
    if (const auto n = filter_number(r)) route_refs.insert({4, *n});
  std::set<std::pair<int, std::uint32_t>> seen;
  for (const IpFilter& f : cfg.filters) {
    const std::pair<int, std::uint32_t> k{family_key(f.family), f.number};
    if (f.number == 0 || notes.used_filters.count(k) || route_refs.count(k) || !seen.insert(k).second)
      continue;
    out.push_back({model::ObjectIssue::Kind::Unused,
                   f.family == Family::V4 ? "ip filter" : "ipv6 filter",
                   std::to_string(f.number), ref(cfg.file, f.at)});
  }
  seen.clear();
  for (const DynamicFilter& d : cfg.dynamic_filters) {
    const std::pair<int, std::uint32_t> k{family_key(d.family), d.number};
    if (d.number == 0 || notes.used_dynamic.count(k) || !seen.insert(k).second) continue;
    out.push_back({model::ObjectIssue::Kind::Unused,
                   d.family == Family::V4 ? "ip filter dynamic" : "ipv6 filter dynamic",
                   std::to_string(d.number), ref(cfg.file, d.at)});
  }
  seen.clear();
  for (const EthernetFilter& e : cfg.ethernet_filters) {
    const std::pair<int, std::uint32_t> k{0, e.number};
    if (e.number == 0 || notes.used_filters.count(k) || !seen.insert(k).second) continue;
    out.push_back({model::ObjectIssue::Kind::Unused, "ethernet filter", std::to_string(e.number),
                   ref(cfg.file, e.at)});
  }
}

model::Coverage coverage(const YamahaConfig& cfg, const std::map<int, std::vector<std::string>>& a,
                         const std::map<int, std::vector<std::string>>& b) {
  std::map<int, model::UnparsedLine> by_line;
  auto add = [&by_line](int line, const std::string& text, const std::string& reason) {
    auto [it, fresh] = by_line.try_emplace(line, model::UnparsedLine{line, text, reason});
    if (fresh) return;
    std::string& all = it->second.reason;
    if (all.find(reason) == std::string::npos) all += "; " + reason;
  };
  for (const model::UnparsedLine& u : cfg.unparsed) add(u.line, u.text, u.reason);
  if (!a.empty() || !b.empty()) {
    std::map<int, std::string> texts;  // physical line -> the text to show
    auto remember = [&texts](const Where& w) { texts.emplace(w.line, w.text); };
    for (const auto& f : cfg.filters) remember(f.at);
    for (const auto& f : cfg.dynamic_filters) remember(f.at);
    for (const auto& f : cfg.ethernet_filters) remember(f.at);
    for (const auto& [n, d] : cfg.nat) {
      for (const auto* w : {d.type_at ? &*d.type_at : nullptr, d.inner_at ? &*d.inner_at : nullptr,
                            d.outer_at ? &*d.outer_at : nullptr, d.incoming_at ? &*d.incoming_at : nullptr})
        if (w) remember(*w);
      for (const auto& s : d.masquerade_static) remember(s.at);
      for (const auto& s : d.statics) remember(s.at);
    }
    for (const auto* notes : {&a, &b})
      for (const auto& [line, reasons] : *notes) {
        const auto t = texts.find(line);
        for (const std::string& r : reasons) add(line, t == texts.end() ? std::string() : t->second, r);
      }
  }
  model::Coverage c{cfg.file, cfg.lines, {}};
  for (auto& [line, u] : by_line) c.unparsed.push_back(std::move(u));
  return c;
}

}  // namespace

model::Device to_model(const std::string& device_name, const YamahaConfig& cfg) {
  model::Device d;
  d.name = device_name;
  d.vendor = "yamaha-rtx";
  // Without a list every family passes, so the config states both families' behaviour.
  d.families = {Family::V4, Family::V6};

  StageNotes notes;
  d.transit = build_stages(cfg, notes);

  NatModel nat = lower_nat(cfg);
  d.destination_nat = std::move(nat.destination);
  d.source_nat = std::move(nat.source);
  d.unmodelled_nat = std::move(nat.unmodelled);
  if (nat.bound) notes.relied.insert(std::string(assumption::kNatOrder));

  d.interfaces = interfaces(cfg);

  model::DeviceSettings& s = d.settings;
  s.syslog_servers = std::vector<std::string>{};
  for (const Where& w : cfg.syslog_hosts) s.syslog_servers->push_back(w.text);
  s.ntp_servers = std::vector<std::string>{};
  for (const Where& w : cfg.ntp_servers) s.ntp_servers->push_back(w.text);

  d.object_issues = std::move(notes.issues);
  d.object_issues.insert(d.object_issues.end(), nat.issues.begin(), nat.issues.end());
  unused_objects(cfg, notes, d.object_issues);

  d.coverage.push_back(coverage(cfg, notes.lines, nat.notes));

  if (!cfg.rejoined.empty()) notes.relied.insert(std::string(assumption::kRejoined));
  // In the order of assumptions.h, so the list reads the same for every device.
  for (std::string_view a :
       {assumption::kNoListPasses, assumption::kRestrictPasses, assumption::kStaticBeforeDynamic,
        assumption::kRelatedConnections, assumption::kEthernetDiscard, assumption::kNatOrder,
        assumption::kUndefinedFilter, assumption::kTcpFlagsClear, assumption::kIcmpErrorTypes,
        assumption::kPortNames, assumption::kTcpFlagKeywords, assumption::kIcmp6Alone,
        assumption::kBridge, assumption::kRejoined}) {
    if (notes.relied.count(std::string(a)) != 0) d.assumptions.emplace_back(a);
  }
  return d;
}

}  // namespace sanso::vendor::yamaha
