#include "report/json.h"

#include "model/address.h"

namespace sanso::report {
namespace {

using nlohmann::json;

json text_json(const policy::Text& t) { return {{"en", t.en}, {"ja", t.ja}}; }

json ref_json(const std::string& device, const model::SourceRef& r) {
  json j;
  j["device"] = device.empty() ? json(nullptr) : json(device);
  j["file"] = r.file.empty() ? json(nullptr) : json(r.file);
  j["line"] = r.line ? json(*r.line) : json(nullptr);
  if (r.end_line) j["end_line"] = *r.end_line;
  j["text"] = r.text;
  return j;
}

std::string flags_text(std::uint8_t f) {
  std::string s;
  if (f & model::kTcpSyn) s += 'S';
  if (f & model::kTcpAck) s += 'A';
  if (f & model::kTcpRst) s += 'R';
  return s;
}

/// The protocol by name where it has one, else its number (DESIGN §5 shows "tcp").
json proto_json(std::uint8_t p) {
  const std::string name = model::proto_name(p);
  return name.rfind("ip/", 0) == 0 ? json(p) : json(name);
}

}  // namespace

json witness_json(const model::Packet& p, bool show_mac) {
  const bool ports = p.proto == model::kProtoTcp || p.proto == model::kProtoUdp ||
                     p.proto == model::kProtoSctp;
  const bool icmp = p.proto == model::kProtoIcmp || p.proto == model::kProtoIcmpv6;
  json j;
  j["family"] = static_cast<int>(p.family);
  j["src"] = model::format_ip(p.family, p.src);
  j["dst"] = model::format_ip(p.family, p.dst);
  j["proto"] = proto_json(p.proto);
  j["sport"] = ports ? json(p.sport) : json(nullptr);
  j["dport"] = ports ? json(p.dport) : json(nullptr);
  j["icmp_type"] = icmp ? json(p.icmp_type) : json(nullptr);
  j["icmp_code"] = icmp ? json(p.icmp_code) : json(nullptr);
  j["tcp_flags"] = p.proto == model::kProtoTcp ? json(flags_text(p.tcp_flags)) : json(nullptr);
  j["src_mac"] = show_mac ? json(model::format_mac(p.src_mac)) : json(nullptr);
  return j;
}

json coverage_json(const std::string& device, const std::string& vendor, const model::Coverage& c) {
  json unparsed = json::array();
  for (const auto& u : c.unparsed) {
    unparsed.push_back({{"line", u.line}, {"text", u.text}, {"reason", u.reason}});
  }
  return {{"device", device}, {"vendor", vendor}, {"file", c.file}, {"lines", c.lines},
          {"understood", c.understood()}, {"unparsed", unparsed}};
}

json audit_json(const topology::Topology& topology, const policy::AuditResult& r) {
  json j;
  j["sanso"] = 1;
  j["network"] = r.network;
  j["verdict"] = r.verdict;
  const auto& p = topology.policy;
  j["policy"] = {{"model", topology::to_string(p.model)},
                 {"mn_exception_direction", topology::to_string(p.mn_exception_direction)},
                 {"mn_wlan", topology::to_string(p.mn_wlan)},
                 {"mn_screen_transfer", p.mn_screen_transfer}};
  j["zones"] = json::array();
  for (const auto& z : topology.zones) {
    j["zones"].push_back({{"name", z.name}, {"tier", topology::to_string(z.tier)},
                          {"external", z.external}});
  }
  j["matrix"] = json::array();
  for (const auto& c : r.matrix) {
    j["matrix"].push_back({{"from", c.from_zone}, {"to", c.to_zone}, {"from_tier", c.from_tier},
                           {"to_tier", c.to_tier}, {"status", c.status}, {"services", c.services}});
  }
  j["coverage"] = json::array();
  for (const auto& c : r.coverage) j["coverage"].push_back(coverage_json(c.device, c.vendor, c.coverage));
  j["findings"] = json::array();
  for (const auto& f : r.findings) {
    json e = json::array();
    for (const auto& ev : f.evidence) e.push_back(ref_json(ev.device, ev.ref));
    json fj = {{"rule", f.rule},
               {"also_breaks", f.also_breaks},
               {"severity", policy::to_string(f.severity)},
               {"status", policy::to_string(f.status)},
               {"from", f.from_tier.empty() ? json(nullptr) : json(f.from_tier)},
               {"to", f.to_tier.empty() ? json(nullptr) : json(f.to_tier)},
               {"from_zone", f.from_zone.empty() ? json(nullptr) : json(f.from_zone)},
               {"to_zone", f.to_zone.empty() ? json(nullptr) : json(f.to_zone)},
               {"device", f.device.empty() ? json(nullptr) : json(f.device)},
               {"message", text_json(f.message)},
               {"evidence", e},
               {"witness", f.witness ? witness_json(*f.witness, f.witness_mac_matters) : json(nullptr)},
               {"services", f.services},
               {"id", f.id}};
    if (f.waiver_reason) fj["waiver"] = *f.waiver_reason;
    if (f.baseline) fj["baseline"] = true;
    j["findings"].push_back(fj);
  }
  j["not_evaluated"] = json::array();
  for (const auto& n : r.not_evaluated) {
    j["not_evaluated"].push_back({{"rule", n.rule},
                                  {"device", n.device.empty() ? json(nullptr) : json(n.device)},
                                  {"why", n.why.en},
                                  {"why_ja", n.why.ja}});
  }
  j["checklist"] = json::array();
  for (const auto& c : r.checklist) {
    j["checklist"].push_back({{"rule", c.rule}, {"title", text_json(c.title)}});
  }
  j["passed"] = r.passed;
  return j;
}

}  // namespace sanso::report
