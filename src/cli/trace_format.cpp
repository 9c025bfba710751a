#include "cli/trace_format.h"

#include <fmt/format.h>

#include "report/json.h"

namespace sanso::cli {
namespace {

using analysis::Knowledge;
using analysis::TraceHop;
using analysis::TracePath;
using analysis::Verdict;
using nlohmann::json;

bool has_ports(std::uint8_t p) {
  return p == model::kProtoTcp || p == model::kProtoUdp || p == model::kProtoSctp;
}

std::string_view knowledge_name(Knowledge k) {
  switch (k) {
    case Knowledge::Modelled: return "modelled";
    case Knowledge::NoConfig: return "no-config";
    case Knowledge::Unsupported: return "unsupported";
  }
  return "unsupported";
}

std::string_view action_name(model::Action a) { return a == model::Action::Permit ? "permit" : "deny"; }

std::string_view kind_name(policy::FlowVerdict::Kind k) {
  switch (k) {
    case policy::FlowVerdict::Kind::Internal: return "internal";
    case policy::FlowVerdict::Kind::Declared: return "declared";
    case policy::FlowVerdict::Kind::DefaultAllowed: return "default-allowed";
    case policy::FlowVerdict::Kind::Breaks: return "breaks";
    case policy::FlowVerdict::Kind::Unjudged: return "unjudged";
  }
  return "unjudged";
}

json ref_json(const model::SourceRef& r) {
  return {{"file", r.file.empty() ? json(nullptr) : json(r.file)},
          {"line", r.line ? json(*r.line) : json(nullptr)},
          {"text", r.text}};
}

json ranges_json(const std::vector<std::pair<std::uint16_t, std::uint16_t>>& ranges) {
  json out = json::array();
  for (const auto& [lo, hi] : ranges) out.push_back({lo, hi});
  return out;
}

std::string ranges_text(const std::vector<std::pair<std::uint16_t, std::uint16_t>>& ranges) {
  std::string out;
  for (const auto& [lo, hi] : ranges) {
    if (!out.empty()) out += ", ";
    out += lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
  }
  return out.empty() ? "-" : out;
}

/// Allowed source ports are worth printing only when the user left the source port free.
bool show_sports(const TraceQueryInfo& info) { return !info.query.sport && has_ports(info.query.proto); }

json hop_json(const analysis::Network& net, const TraceHop& th, bool show_mac) {
  json stages = json::array();
  for (const auto& s : th.stages) {
    json ev = json::array();
    for (const auto& r : s.evidence) ev.push_back(ref_json(r));
    stages.push_back({{"stage", s.name}, {"action", action_name(s.action)}, {"default", s.is_default},
                      {"uncertain", s.uncertain}, {"evidence", ev}});
  }
  json nat = json::array();
  for (const auto& r : th.nat) nat.push_back(ref_json(r));
  return {{"device", th.device},
          {"in", analysis::display_name({th.hop.in_port, ""})},
          {"out", analysis::display_name({th.hop.out_port, ""})},
          {"in_segment", net.segment(th.hop.in_segment).name},
          {"out_segment", net.segment(th.hop.out_segment).name},
          {"knowledge", knowledge_name(th.knowledge)},
          {"forwards", th.forwards},
          {"unattached", th.hop.unattached},
          {"source_rewritten", th.hop.source_rewritten},
          {"destination_rewritten", th.hop.destination_rewritten},
          {"packet", report::witness_json(th.packet, show_mac)},
          {"nat", nat},
          {"stages", stages}};
}

std::string segment_chain(const analysis::Network& net, const TracePath& p) {
  std::string out = net.segment(p.from).name;
  for (const auto& th : p.hops) out += " -> " + th.device + " -> " + net.segment(th.hop.out_segment).name;
  return out;
}

std::string where(const model::SourceRef& r) {
  if (r.file.empty()) return "";
  return r.line ? fmt::format("{}:{}", r.file, *r.line) : r.file;
}

struct Words {
  bool ja;
  const char* operator()(const char* en, const char* j) const { return ja ? j : en; }
};

void hop_text(std::string& out, const TraceHop& th, const Words& w) {
  out += fmt::format("  {} ({} -> {})\n", th.device, analysis::display_name({th.hop.in_port, ""}),
                     analysis::display_name({th.hop.out_port, ""}));
  for (const auto& r : th.nat) {
    out += fmt::format("    {}: {}  {}\n", w("destination NAT", "宛先NAT"), where(r), r.text);
  }
  if (th.knowledge == Knowledge::NoConfig) {
    out += fmt::format("    {}\n", w("device without config: forwards everything between its segments",
                                     "設定のない機器：セグメント間のすべての通信を転送します"));
  } else if (th.knowledge == Knowledge::Unsupported) {
    out += fmt::format("    {}\n", w("vendor not supported: forwarding unproven",
                                     "未対応のベンダー：転送の可否を検証できません"));
  }
  if (th.hop.unattached) {
    out += fmt::format("    {}\n", w("interface attached to no segment: nothing through it is proven",
                                     "どのセグメントにも接続されていないインターフェース：経由する通信は未検証"));
  }
  if (th.hop.source_rewritten) {
    out += fmt::format("    {}\n", w("source rewritten upstream (source NAT): judged for any source",
                                     "上流で送信元が変換されています（送信元NAT）：任意の送信元として判定"));
  }
  for (const auto& s : th.stages) {
    const char* action = s.action == model::Action::Permit ? w("permit", "許可") : w("deny", "拒否");
    std::string head;
    if (s.is_default) {
      head = fmt::format("{}: {} ({})", s.name, w("no rule: default policy", "該当ルールなし：既定の動作"), action);
    } else {
      head = fmt::format("{}: {}", s.name, action);
      if (s.uncertain) head += w(" (uncertain: may or may not match)", "（不確定：一致するか判断できません）");
    }
    const model::SourceRef* first = s.evidence.empty() ? nullptr : &s.evidence.front();
    if (first != nullptr && !where(*first).empty()) {
      out += fmt::format("    {}  {}  {}\n", head, where(*first), first->text);
    } else if (first != nullptr && !first->text.empty()) {
      out += fmt::format("    {}  ({})\n", head, first->text);
    } else {
      out += fmt::format("    {}\n", head);
    }
    for (std::size_t i = 1; i < s.evidence.size(); ++i) {
      out += fmt::format("      {} {}  {}\n", w("via", "経由"), where(s.evidence[i]), s.evidence[i].text);
    }
  }
  if (!th.forwards) out += fmt::format("    => {}\n", w("dropped here", "ここで破棄されます"));
}

}  // namespace

json trace_json(const analysis::Network& net, const TraceQueryInfo& info,
                const analysis::TraceResult& trace, const policy::TraceJudgement& judged) {
  const auto& q = info.query;
  const bool ports = has_ports(q.proto);
  const bool icmp = q.proto == model::kProtoIcmp || q.proto == model::kProtoIcmpv6;
  json flow = {{"family", static_cast<int>(q.family)},
               {"src", model::format_ip(q.family, q.src)},
               {"dst", model::format_ip(q.family, q.dst)},
               {"proto", model::proto_name(q.proto)},
               {"sport", ports && q.sport ? json(*q.sport) : json(nullptr)},
               {"dport", ports && q.dport ? json(*q.dport) : json(nullptr)},
               {"icmp_type", icmp && q.icmp_type ? json(*q.icmp_type) : json(nullptr)},
               {"src_mac", q.src_mac ? json(model::format_mac(*q.src_mac)) : json(nullptr)},
               {"src_host", info.src_host.empty() ? json(nullptr) : json(info.src_host)},
               {"dst_host", info.dst_host.empty() ? json(nullptr) : json(info.dst_host)}};
  const bool show_mac = q.src_mac.has_value();
  json paths = json::array();
  std::size_t k = 0;
  for (const auto& p : trace.paths) {
    json hops = json::array();
    for (const auto& th : p.hops) hops.push_back(hop_json(net, th, show_mac));
    json doubts = json::array();
    for (const auto& d : p.doubts) {
      json r = ref_json(d.ref);
      r["device"] = d.device;
      doubts.push_back(r);
    }
    json path = {{"verdict", analysis::to_string(p.verdict)},
                 {"from", net.segment(p.from).name},
                 {"to", net.segment(p.to).name},
                 {"packet", report::witness_json(p.packet, show_mac)},
                 {"sports", p.verdict != Verdict::Denied && ports ? ranges_json(analysis::sport_ranges(p.may))
                                                                   : json(nullptr)},
                 {"hops", hops},
                 {"doubts", doubts}};
    if (p.verdict != Verdict::Denied) {
      const auto& j = judged.paths[k++];
      json also = json::array();
      for (const auto* r : j.verdict.also_breaks) also.push_back(r->id);
      path["policy"] = {{"kind", kind_name(j.verdict.kind)},
                        {"from_zone", j.from_zone},
                        {"to_zone", j.to_zone},
                        {"rule", j.verdict.rule ? json(j.verdict.rule->id) : json(nullptr)},
                        {"also_breaks", also},
                        {"entry", j.verdict.entry.empty() ? json(nullptr) : json(j.verdict.entry)},
                        {"proven", j.proven}};
    } else {
      path["policy"] = nullptr;
    }
    paths.push_back(std::move(path));
  }
  json also = json::array();
  for (const auto* r : judged.also_breaks) also.push_back(r->id);
  json enters = json::array(), delivered = json::array();
  for (std::size_t s : trace.from_segments) enters.push_back(net.segment(s).name);
  for (std::size_t s : trace.to_segments) delivered.push_back(net.segment(s).name);
  const auto tier_of = [&](const std::string& zone) -> json {
    if (zone.empty()) return nullptr;
    return std::string(topology::to_string(net.topology().tier_of_zone(zone)));
  };
  return {{"sanso", 1},
          {"network", net.topology().name},
          {"flow", flow},
          {"allowed", trace.allowed()},
          {"verdict", analysis::to_string(trace.verdict)},
          {"status", judged.status},
          {"rule", judged.rule ? json(judged.rule->id) : json(nullptr)},
          {"also_breaks", also},
          {"severity", judged.rule ? json(policy::to_string(judged.rule->severity)) : json(nullptr)},
          {"entry", judged.entry.empty() ? json(nullptr) : json(judged.entry)},
          {"from_zone", judged.from_zone.empty() ? json(nullptr) : json(judged.from_zone)},
          {"to_zone", judged.to_zone.empty() ? json(nullptr) : json(judged.to_zone)},
          {"from", tier_of(judged.from_zone)},
          {"to", tier_of(judged.to_zone)},
          {"message", {{"en", judged.message.en}, {"ja", judged.message.ja}}},
          {"sports", show_sports(info) && trace.allowed() ? ranges_json(analysis::sport_ranges(trace.may))
                                                          : json(nullptr)},
          {"enters", enters},
          {"delivered_to", delivered},
          {"paths", paths}};
}

std::string trace_text(const analysis::Network& net, const TraceQueryInfo& info,
                       const analysis::TraceResult& trace, const policy::TraceJudgement& judged,
                       report::Lang lang) {
  const Words w{lang == report::Lang::Ja};
  const auto& q = info.query;
  std::string out;
  auto end = [](const std::string& addr, const std::string& host) {
    return host.empty() ? addr : fmt::format("{} ({})", addr, host);
  };
  out += fmt::format("{}: {} {} -> {}", w("Flow", "通信"), model::proto_name(q.proto),
                     end(model::format_ip(q.family, q.src), info.src_host),
                     end(model::format_ip(q.family, q.dst), info.dst_host));
  if (has_ports(q.proto)) {
    out += fmt::format(", dport {}, sport {}", q.dport ? fmt::format("{}", *q.dport) : std::string("any"),
                       q.sport ? fmt::format("{}", *q.sport) : std::string(w("any", "任意")));
  } else if (q.icmp_type) {
    out += fmt::format(", type {}", *q.icmp_type);
  }
  out += fmt::format(", {} {}", w("src MAC", "送信元MAC"),
                     q.src_mac ? model::format_mac(*q.src_mac) : std::string(w("any", "任意")));
  if (info.mac_registered) out += w(" (registered)", "（登録済み）");
  out += "\n";
  std::string enters, to;
  for (std::size_t s : trace.from_segments) enters += (enters.empty() ? "" : ", ") + net.segment(s).name;
  for (std::size_t s : trace.to_segments) to += (to.empty() ? "" : ", ") + net.segment(s).name;
  out += fmt::format("{}: {}; {}: {}\n", w("Enters at", "送信元セグメント"), enters.empty() ? "-" : enters,
                     w("destination segment", "宛先セグメント"), to.empty() ? "-" : to);

  if (trace.paths.empty()) out += fmt::format("\n{}\n", w("No path leads from the source to the destination.",
                                                       "送信元から宛先へ至る経路はありません。"));
  for (std::size_t i = 0; i < trace.paths.size(); ++i) {
    const auto& p = trace.paths[i];
    std::string status;
    switch (p.verdict) {
      case Verdict::Allowed: status = w("allowed", "許可"); break;
      case Verdict::Unproven: status = w("unproven", "未検証"); break;
      case Verdict::Denied:
        status = fmt::format(fmt::runtime(w("denied at {}", "{} で拒否")), p.hops.back().device);
        break;
    }
    out += fmt::format("\n{} {}: {}  {}\n", w("Path", "経路"), i + 1, status, segment_chain(net, p));
    if (p.verdict != Verdict::Denied && show_sports(info)) {
      out += fmt::format("  {}: {}\n", w("source ports", "送信元ポート"),
                         ranges_text(analysis::sport_ranges(p.may)));
    }
    if (p.hops.empty()) {
      out += fmt::format("  {}\n", w("both ends on one segment: delivered without passing a device",
                                     "送信元と宛先が同じセグメント：機器を経由せずに届きます"));
    }
    for (const auto& th : p.hops) hop_text(out, th, w);
    if (!p.doubts.empty()) {
      out += fmt::format("  {}:\n", w("unproven because", "未検証の理由"));
      for (const auto& d : p.doubts) {
        out += fmt::format("    {}: {}{}{}\n", d.device, where(d.ref), where(d.ref).empty() ? "" : "  ",
                           d.ref.text);
      }
    }
  }

  std::string verdict;
  switch (trace.verdict) {
    case Verdict::Allowed: verdict = w("allowed", "許可"); break;
    case Verdict::Unproven: verdict = w("unproven (may be allowed)", "未検証（許可される可能性があります）"); break;
    case Verdict::Denied: verdict = w("denied", "拒否"); break;
  }
  out += fmt::format("\n{}: {}", w("Verdict", "判定"), verdict);
  if (trace.allowed() && show_sports(info)) {
    out += fmt::format(" ({} {})", w("source ports", "送信元ポート"), ranges_text(analysis::sport_ranges(trace.may)));
  }
  out += "\n";
  const std::string& message = w.ja ? judged.message.ja : judged.message.en;
  if (judged.rule != nullptr) {
    out += fmt::format("{}: {} {} ({}, {})\n", w("Policy", "ポリシー"), w("breaks", "違反"), judged.rule->id,
                       policy::to_string(judged.rule->severity),
                       judged.status == "violation" ? w("violation", "違反") : w("unproven", "未検証"));
    out += fmt::format("  {}\n", message);
    if (!judged.also_breaks.empty()) {
      std::string also;
      for (const auto* r : judged.also_breaks) also += (also.empty() ? "" : ", ") + r->id;
      out += fmt::format("  {}: {}\n", w("also breaks", "その他の違反"), also);
    }
    if (!judged.entry.empty()) {
      out += fmt::format("  {}: {}\n", w("declared entry concerned", "関連する許可定義"), judged.entry);
    }
  } else {
    out += fmt::format("{}: {}\n", w("Policy", "ポリシー"), message);
  }
  return out;
}

}  // namespace sanso::cli
