#include <fmt/format.h>

#include "impact/report.h"
#include "report/json.h"

namespace sanso::impact {
namespace {

using nlohmann::json;

json interval_json(const model::Interval& iv) {
  return json::array({static_cast<std::uint64_t>(iv.lo), static_cast<std::uint64_t>(iv.hi)});
}

json ranges_json(model::Family fam, const std::vector<model::Interval>& ivs) {
  json out = json::array();
  for (const auto& iv : ivs) out.push_back(model::format_range({fam, iv.lo, iv.hi}));
  return out;
}

/// The service boxes field by field, so that a consumer can rebuild the exact set.
json services_exact(const std::vector<model::Block>& services) {
  json out = json::array();
  for (const auto& b : services) {
    out.push_back({{"proto", interval_json(b[model::Field::Proto])},
                   {"sport", interval_json(b[model::Field::Sport])},
                   {"dport", interval_json(b[model::Field::Dport])},
                   {"icmp_type", interval_json(b[model::Field::IcmpType])},
                   {"icmp_code", interval_json(b[model::Field::IcmpCode])},
                   {"tcp_flags", interval_json(b[model::Field::TcpFlags])},
                   {"src_mac", interval_json(b[model::Field::SrcMac])}});
  }
  return out;
}

json block_json(const ReadableBlock& b) {
  return {{"family", b.family == model::Family::V4 ? 4 : 6},
          {"src", ranges_json(b.family, b.src)},
          {"dst", ranges_json(b.family, b.dst)},
          {"services", services_text(b.services)},
          {"services_exact", services_exact(b.services)}};
}

json decision_json(const RuleDecision& d) {
  return {{"device", d.device},
          {"stage", d.stage.empty() ? json(nullptr) : json(d.stage)},
          {"action", d.action},
          {"file", d.file.empty() ? json(nullptr) : json(d.file)},
          {"line", d.line ? json(*d.line) : json(nullptr)},
          {"text", d.text}};
}

json shown_json(const std::vector<ShownBlock>& blocks) {
  json out = json::array();
  for (const auto& sb : blocks) {
    json j = block_json(sb.block);
    j["proven"] = sb.proven;
    j["witness"] = report::witness_json(sb.witness, false);
    j["before"] = json::array();
    j["after"] = json::array();
    for (const auto& d : sb.before) j["before"].push_back(decision_json(d));
    for (const auto& d : sb.after) j["after"].push_back(decision_json(d));
    out.push_back(std::move(j));
  }
  return out;
}

json plain_blocks(const model::PacketSet& s) {
  json out = json::array();
  for (const auto& b : readable_blocks(s)) {
    json j = block_json(b);
    j["witness"] = report::witness_json(*readable_set(b).witness(), false);
    out.push_back(std::move(j));
  }
  return out;
}

json pair_json(const PairChange& p, bool intents_given) {
  json j = {{"from", p.from},         {"to", p.to},
            {"from_tier", p.from_tier}, {"to_tier", p.to_tier},
            {"checked", p.checked},   {"gates", !p.uncovered.empty()},
            {"added", shown_json(p.added_blocks)},
            {"removed", shown_json(p.removed_blocks)},
            {"uncovered", plain_blocks(p.uncovered)}};
  j["collateral"] = intents_given ? json{{"added", plain_blocks(p.collateral_added)},
                                         {"removed", plain_blocks(p.collateral_removed)}}
                                  : json(nullptr);
  return j;
}

json finding_json(const policy::Finding& f) {
  json ev = json::array();
  for (const auto& e : f.evidence) {
    ev.push_back({{"device", e.device.empty() ? json(nullptr) : json(e.device)},
                  {"file", e.ref.file.empty() ? json(nullptr) : json(e.ref.file)},
                  {"line", e.ref.line ? json(*e.ref.line) : json(nullptr)},
                  {"text", e.ref.text}});
  }
  return {{"id", f.id},
          {"rule", f.rule},
          {"severity", policy::to_string(f.severity)},
          {"status", policy::to_string(f.status)},
          {"from_zone", f.from_zone.empty() ? json(nullptr) : json(f.from_zone)},
          {"to_zone", f.to_zone.empty() ? json(nullptr) : json(f.to_zone)},
          {"device", f.device.empty() ? json(nullptr) : json(f.device)},
          {"message", {{"en", f.message.en}, {"ja", f.message.ja}}},
          {"evidence", ev},
          {"witness", f.witness ? report::witness_json(*f.witness, f.witness_mac_matters) : json(nullptr)},
          {"waiver", f.waiver_reason ? json(*f.waiver_reason) : json(nullptr)}};
}

json findings_json(const std::vector<policy::Finding>& fs) {
  json out = json::array();
  for (const auto& f : fs) out.push_back(finding_json(f));
  return out;
}

json findings_json(const std::vector<const policy::Finding*>& fs) {
  json out = json::array();
  for (const auto* f : fs) out.push_back(finding_json(*f));
  return out;
}

}  // namespace

json impact_json(const ImpactResult& r) {
  json j;
  j["sanso"] = 1;
  j["command"] = "impact";
  j["before"] = r.before;
  j["after"] = r.after;
  j["exit"] = r.exit_code();
  j["verdict"] = r.exit_code() == 0 ? "pass" : "fail";
  j["zones"] = json::array();
  for (const auto& p : r.zones) j["zones"].push_back(pair_json(p, r.intents_given));
  j["segments"] = json::array();
  for (const auto& p : r.segments) j["segments"].push_back(pair_json(p, r.intents_given));
  j["findings"] = {{"new", findings_json(r.findings.added)},
                   {"resolved", findings_json(r.findings.resolved)},
                   {"unchanged", findings_json(r.findings.unchanged)}};
  j["intents"] = json::array();
  for (const auto& o : r.intents) {
    j["intents"].push_back(
        {{"from", o.intent.from},
         {"to", o.intent.to},
         {"service", o.intent.service},
         {"action", o.intent.action == IntentAction::Open ? "open" : "close"},
         {"line", o.intent.line},
         {"met", o.met},
         {"counter_example",
          o.counter_example ? report::witness_json(*o.counter_example, false) : json(nullptr)}});
  }
  return j;
}

}  // namespace sanso::impact
