// NET-ROUTE-FILTER-CONSISTENCY (filter half) and the rule half of LOG-COLLECT, from one
// rule-base analysis per filter.
#include "policy/rulebase_findings.h"

#include <algorithm>
#include <fmt/format.h>
#include <atomic>
#include <set>
#include <thread>

#include "rulebase/rulebase.h"

namespace sanso::policy {
namespace {

using rulebase::AnomalyKind;

std::string where(const model::SourceRef& r) {
  return r.line ? fmt::format("{}:{}", r.file, *r.line) : fmt::format("{} ({})", r.file, r.text);
}

std::string action_en(model::Action a) { return a == model::Action::Permit ? "permit" : "deny"; }
std::string action_ja(model::Action a) { return a == model::Action::Permit ? "許可" : "拒否"; }

const model::SourceRef& first_ref(const model::FilterEntry& e) {
  static const model::SourceRef none{};
  return e.evidence.empty() ? none : e.evidence.front();
}

std::string lines_of(const model::Filter& f, const std::vector<std::size_t>& entries,
                     std::size_t limit = 5) {
  std::string out;
  for (std::size_t i = 0; i < entries.size() && i < limit; ++i) {
    out += (out.empty() ? "" : ", ") + where(first_ref(f.entries[entries[i]]));
  }
  if (entries.size() > limit) out += fmt::format(" (+{})", entries.size() - limit);
  return out;
}

std::string kind_name(AnomalyKind k) { return std::string(rulebase::to_string(k)); }

bool reported_as_violation(const RuleDef& rule, std::string_view kind) {
  const auto it = rule.params.find("violation");
  if (it == rule.params.end()) return false;
  return std::find(it->second.begin(), it->second.end(), kind) != it->second.end();
}

Finding device_finding(const RuleDef& rule, const std::string& device, bool violation,
                       const std::string& detail_en, const std::string& detail_ja) {
  Finding f;
  f.rule = rule.id;
  f.severity = rule.severity;
  f.status = violation ? Status::Violation : Status::Info;
  f.device = device;
  f.message = render(rule, {{"device", device}, {"detail", detail_en}},
                     {{"device", device}, {"detail", detail_ja}});
  return f;
}

void add_evidence(Finding& f, const std::string& device, const model::FilterEntry& e) {
  for (const auto& r : e.evidence) f.evidence.push_back({device, r});
}

struct Texts {
  std::string en, ja;
};

Texts anomaly_text(const model::Filter& filter, const rulebase::Anomaly& a) {
  const auto& e = filter.entries[a.entry];
  const std::string at = where(first_ref(e));
  const std::string w = a.witness ? model::describe(*a.witness) : "-";
  switch (a.kind) {
    case AnomalyKind::Shadowed:
      return {fmt::format("the rule at {} in {} never matches: earlier rules ({}) take every packet "
                          "it names, e.g. {}",
                          at, filter.name, lines_of(filter, a.related), w),
              fmt::format("{} の {} のルールは、先行するルール（{}）がすべての対象パケットを先に処理す"
                          "るため、一度も適用されません（該当パケット例: {}）",
                          filter.name, at, lines_of(filter, a.related), w)};
    case AnomalyKind::Redundant: {
      const std::string by_en = a.related.empty() ? "the filter's default"
                                                  : "the rules at " + lines_of(filter, a.related);
      const std::string by_ja = a.related.empty() ? "既定の動作"
                                                  : lines_of(filter, a.related) + " のルール";
      return {fmt::format("the rule at {} in {} is redundant: removing it changes no decision ({} "
                          "decides its packets alike, e.g. {})",
                          at, filter.name, by_en, w),
              fmt::format("{} の {} のルールは冗長です。削除しても判定は変わりません（{}が同じ判定をし"
                          "ます。該当パケット例: {}）",
                          filter.name, at, by_ja, w)};
    }
    case AnomalyKind::Correlated: {
      const auto& o = filter.entries[a.related.front()];
      return {fmt::format("the rules at {} ({}) and {} ({}) in {} overlap with different actions; "
                          "their order decides packets such as {}",
                          where(first_ref(o)), action_en(o.action), at, action_en(e.action),
                          filter.name, w),
              fmt::format("{} の {}（{}）と {}（{}）のルールは判定の異なる範囲が重なっており、{} "
                          "などのパケットの判定がルールの順序に依存しています",
                          filter.name, where(first_ref(o)), action_ja(o.action), at,
                          action_ja(e.action), w)};
    }
    case AnomalyKind::Generalization: {
      const auto& o = filter.entries[a.related.front()];
      return {fmt::format("the rule at {} ({}) in {} contains the earlier rule at {} ({}), which "
                          "is an exception to it, e.g. {}",
                          at, action_en(e.action), filter.name, where(first_ref(o)),
                          action_en(o.action), w),
              fmt::format("{} の {}（{}）のルールは、先行する {}（{}）のルールを包含しています（先行"
                          "ルールが例外となっています。該当パケット例: {}）",
                          filter.name, at, action_ja(e.action), where(first_ref(o)),
                          action_ja(o.action), w)};
    }
  }
  return {};
}

std::string kind_param(AnomalyKind k) { return kind_name(k); }

void anomaly_findings(const RuleDef& rule, const std::string& device, const model::Filter& filter,
                      const rulebase::FilterAnalysis& analysis, std::vector<Finding>& out) {
  for (const auto& a : analysis.anomalies) {
    const auto& e = filter.entries[a.entry];
    const auto text = anomaly_text(filter, a);
    Finding f = device_finding(rule, device, reported_as_violation(rule, kind_param(a.kind)),
                               text.en, text.ja);
    add_evidence(f, device, e);
    std::string identity = kind_name(a.kind) + ": " + e.normalized_text;
    for (std::size_t r : a.related) {
      const auto& o = filter.entries[r];
      if (!o.evidence.empty()) f.evidence.push_back({device, o.evidence.front()});
      // Correlated and generalization findings are about a pair: both rules make the identity.
      if (a.kind == AnomalyKind::Correlated || a.kind == AnomalyKind::Generalization)
        identity += " | " + o.normalized_text;
    }
    f.witness = a.witness;
    f.permitting_text = identity;
    if (a.witness) f.services = {service_of(*a.witness)};
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

void object_findings(const RuleDef& rule, const std::string& device, const model::Device& m,
                     std::vector<Finding>& out) {
  for (const auto& o : m.object_issues) {
    const bool unused = o.kind == model::ObjectIssue::Kind::Unused;
    const std::string at = where(o.where);
    Finding f = device_finding(
        rule, device, reported_as_violation(rule, unused ? "unused-object" : "undefined-object"),
        unused ? fmt::format("the {} {} is defined at {} but never used", o.object_type, o.name, at)
               : fmt::format("the {} {} is used at {} but never defined", o.object_type, o.name, at),
        unused ? fmt::format("{} {} が {} で定義されていますが、どこからも使われていません",
                             o.object_type, o.name, at)
               : fmt::format("{} {} が {} で使われていますが、定義されていません", o.object_type,
                             o.name, at));
    f.evidence.push_back({device, o.where});
    f.permitting_text =
        fmt::format("{} {} {}", unused ? "unused-object" : "undefined-object", o.object_type, o.name);
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

// Zones of the segments the device's ports attach (by port).
std::vector<std::string> port_zones(const AuditContext& ctx, const analysis::NetworkDevice& nd) {
  std::vector<std::string> out;
  for (const auto& p : nd.ports) {
    const auto* seg = p.segment.empty() ? nullptr : ctx.topology.find_segment(p.segment);
    out.push_back(seg == nullptr ? std::string() : seg->zone);
  }
  return out;
}

bool is_boundary(const std::vector<std::string>& zones) {
  std::set<std::string> distinct;
  for (const auto& z : zones)
    if (!z.empty()) distinct.insert(z);
  return distinct.size() >= 2;
}

// Whether the entry's interface conditions hold for a pair of ports attached to different zones
// (packets may arrive through other devices, so addresses do not narrow this). `example` gets
// the entry's packets that enter on one such port's segment for the other's, where there are
// some: they make a more telling witness than the bare match.
struct PortSpaces {  // per port: the segment's source and destination spaces, indexed
  std::vector<model::IndexedPacketSet> source, destination;
};

PortSpaces port_spaces(const AuditContext& ctx, const analysis::NetworkDevice& nd) {
  PortSpaces out;
  for (const auto& p : nd.ports) {
    if (p.segment.empty()) {
      out.source.emplace_back();
      out.destination.emplace_back();
      continue;
    }
    const std::size_t seg = ctx.network.segment_index(p.segment);
    out.source.emplace_back(ctx.network.source_space(seg));
    out.destination.emplace_back(ctx.network.destination_space(seg));
  }
  return out;
}

bool crosses_zones(const analysis::NetworkDevice& nd, const std::vector<std::string>& zones,
                   const PortSpaces& spaces, const model::FilterEntry& e,
                   model::PacketSet& example) {
  bool crosses = false;
  for (std::size_t a = 0; a < nd.ports.size(); ++a) {
    if (zones[a].empty() || (e.in && !model::matches(*e.in, nd.ports[a].name))) continue;
    for (std::size_t b = 0; b < nd.ports.size(); ++b) {
      if (zones[b].empty() || zones[b] == zones[a]) continue;
      if (e.out && !model::matches(*e.out, nd.ports[b].name)) continue;
      crosses = true;
      example = spaces.destination[b].intersect(spaces.source[a].intersect(e.match));
      if (!example.empty()) return true;
    }
  }
  if (crosses) example = e.match;
  return crosses;
}

void unlogged_findings(const AuditContext& ctx, const RuleDef& rule,
                       const analysis::NetworkDevice& nd, const model::Filter& filter,
                       const rulebase::FilterAnalysis& analysis, std::vector<Finding>& out) {
  const auto zones = port_zones(ctx, nd);
  if (!is_boundary(zones)) return;
  const PortSpaces spaces = port_spaces(ctx, nd);
  std::set<std::string> seen;  // one finding per rule (its line and the jumps leading there)
  for (std::size_t i = 0; i < filter.entries.size(); ++i) {
    const auto& e = filter.entries[i];
    if (e.logged || e.uncertain || !analysis.reachable[i]) continue;
    const auto& ref = first_ref(e);
    std::string chain;
    for (const auto& r : e.evidence) chain += where(r) + "|";
    if (seen.count(chain) != 0) continue;
    model::PacketSet crossing;
    if (!crosses_zones(nd, zones, spaces, e, crossing)) continue;
    seen.insert(chain);
    const std::string what_en = analysis.is_default[i] ? "default" : "rule";
    const std::string what_ja = analysis.is_default[i] ? "既定の動作" : "ルール";
    const auto w = crossing.witness(ctx.preference);
    Finding f = device_finding(
        rule, nd.name, true,
        fmt::format("the boundary {} at {} in {} ({}) does not log the packets it decides, e.g. {}",
                    what_en, where(ref), filter.name, action_en(e.action),
                    w ? model::describe(*w) : "-"),
        fmt::format("境界の {} の {}（{}）の{}が、判定したパケットのログを取得していません（該当パケッ"
                    "ト例: {}）",
                    filter.name, where(ref), action_ja(e.action), what_ja,
                    w ? model::describe(*w) : "-"));
    add_evidence(f, nd.name, e);
    f.witness = w;
    if (w) f.services = {service_of(*w)};
    f.permitting_text = "unlogged: " + e.normalized_text;
    f.id = finding_identity(f);
    out.push_back(std::move(f));
  }
}

// The analyses of every filter of every device, devices spread over `threads` workers (each
// analysis reads only its own filter; results go to their own slots).
std::vector<std::vector<rulebase::FilterAnalysis>> analyze_all(const AuditContext& ctx) {
  const auto& devices = ctx.network.devices();
  std::vector<std::vector<rulebase::FilterAnalysis>> out(devices.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t d = next++; d < devices.size(); d = next++) {
      const model::Device* m = devices[d].behavior->device();
      if (m == nullptr || !ctx.config_checked(devices[d].name)) continue;
      for (const auto& filter : m->transit)
        out[d].push_back(rulebase::analyze_filter(filter, ctx.preference));
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(ctx.options.threads,
                                                           static_cast<unsigned>(devices.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace

HygieneFindings rulebase_findings(const AuditContext& ctx) {
  HygieneFindings out;
  const auto consistency = ctx.rules_of_kind("filter-consistency");
  const auto log_collect = ctx.rules_of_kind("log-collect");
  if (!consistency.empty() || !log_collect.empty()) {
    const auto analyses = analyze_all(ctx);
    for (std::size_t d = 0; d < ctx.network.devices().size(); ++d) {
      const auto& nd = ctx.network.devices()[d];
      const model::Device* m = nd.behavior->device();
      if (m == nullptr || !ctx.config_checked(nd.name)) continue;
      for (const auto* rule : consistency) object_findings(*rule, nd.name, *m, out.findings);
      for (std::size_t f = 0; f < m->transit.size(); ++f) {
        const auto& filter = m->transit[f];
        const auto& analysis = analyses[d][f];
        for (const auto* rule : consistency)
          anomaly_findings(*rule, nd.name, filter, analysis, out.findings);
        for (const auto* rule : log_collect)
          unlogged_findings(ctx, *rule, nd, filter, analysis, out.findings);
      }
    }
  }
  settings_findings(ctx, out);
  return out;
}

}  // namespace sanso::policy
