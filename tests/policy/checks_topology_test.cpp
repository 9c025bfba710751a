// Checks on the topology and on the shape of rules fire and stay silent: ZONE-ASSIGN,
// ZONE-NO-BRIDGE, MN-WLAN, ALLOW-UNUSED, and invalid allow entries.
#include <doctest/doctest.h>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

/// "network.yaml:LINE" as a topology finding cites it (DESIGN §5: topology findings cite
/// network.yaml lines).
std::string yaml_line(const std::string& yaml, std::string_view needle) {
  return "network.yaml:" + std::to_string(line_of(yaml, needle));
}

// lg-srv -eth0-[gw]-eth1- world (the Internet; 0.0.0.0/0 also covers undeclared private space)
std::string assign_town() {
  return std::string(kHeader) + R"(segments:
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  world:  {zone: the-internet, cidr: 0.0.0.0/0}
hosts:
  lg-file: {segment: lg-srv, ip: 10.2.20.30, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-srv, eth1: world}}
)";
}

}  // namespace

TEST_CASE("ZONE-ASSIGN: a rule names private space no segment declares") {
  const auto r = audit_ok(
      {assign_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 10.2.20.0/24 -d 192.168.5.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport "
                        "443 -j ACCEPT"})}}});
  INFO(summary(r));
  const auto found = findings_of(r, "ZONE-ASSIGN");
  REQUIRE(found.size() == 1);
  const auto& f = found.front();
  CHECK(f.status == Status::Violation);
  CHECK(f.severity == Severity::High);
  CHECK(f.device == "gw");
  CHECK(f.from_zone.empty());
  CHECK(f.to_zone.empty());
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.20.0");
  CHECK(dst_of(f) == "192.168.5.0");
  CHECK(dport_of(f) == 443);
  CHECK(f.message.en.find("192.168.5.0") != std::string::npos);
}

TEST_CASE("ZONE-ASSIGN: silent for a rule whose destination is any") {
  const auto r = audit_ok(
      {assign_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 10.2.20.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT"})}}});
  INFO(summary(r));
  CHECK(findings_of(r, "ZONE-ASSIGN").empty());
  CHECK(!findings_of(r, "LG-NO-INTERNET").empty());  // the rule is still judged as a crossing
}

namespace {
// lg-srv -eth0-[gw]-eth1- in-dmz; the gateway forwards only replies.
std::string nas_town(const std::string& nas, const std::string& allow = "") {
  return std::string(kHeader) + R"(segments:
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  in-dmz: {zone: internet, cidr: 172.16.1.0/24}
hosts:
  lg-pc: {segment: lg-srv, ip: 10.2.20.21, role: terminal}
)" + nas + R"(devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-srv, eth1: in-dmz}}
)" + allow;
}
const std::string kRepliesOnly = iptables_save({"-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"});
}  // namespace

TEST_CASE("ZONE-NO-BRIDGE: a host with interfaces in two tiers") {
  const std::string yaml = nas_town(R"(  share-nas:
    interfaces:
      - {segment: lg-srv, ip: 10.2.20.70}
      - {segment: in-dmz, ip: 172.16.1.70}
    role: server
)");
  auto run = audit_town({yaml, {{"configs/gw.rules", kRepliesOnly}}});
  const auto r = ok_result(run);
  INFO(summary(r));
  const auto found = findings_of(r, "ZONE-NO-BRIDGE");
  REQUIRE(found.size() == 1);
  const auto& f = found.front();
  CHECK(f.status == Status::Violation);
  CHECK(f.device.empty());  // a topology finding
  CHECK(f.from_zone.empty());
  CHECK(f.to_zone.empty());
  CHECK(evidence_lines(f) == yaml_line(yaml, "share-nas:"));
  CHECK(!f.witness);
  CHECK(f.message.en.find("share-nas") != std::string::npos);
  CHECK(r.exit_code() == 1);
}

TEST_CASE("ZONE-NO-BRIDGE: silent for a host in one tier and for a declared sanitizer") {
  SUBCASE("the NAS in lgwan only") {
    const auto r = audit_ok(
        {nas_town("  share-nas: {segment: lg-srv, ip: 10.2.20.70, role: server}\n"),
         {{"configs/gw.rules", kRepliesOnly}}});
    INFO(summary(r));
    CHECK(r.findings.empty());
  }
  SUBCASE("a file sanitizer with legs in both tiers and a valid entry") {
    const auto r = audit_ok({nas_town(R"(  cdr-box:
    interfaces:
      - {segment: lg-srv, ip: 10.2.20.60}
      - {segment: in-dmz, ip: 172.16.1.60}
    role: sanitizer
    method: file-sanitize
)",
                                      R"(allow:
  - {id: cdr-download, kind: sanitized, method: file-sanitize, from: lg-pc, to: cdr-box, service: https}
)"),
                             {{"configs/gw.rules", kRepliesOnly}}});
    INFO(summary(r));
    CHECK(findings_of(r, "ZONE-NO-BRIDGE").empty());
  }
}

namespace {
std::string switch_town(const std::string& second_segment) {
  return std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  lg-pc:    {segment: lg-srv, ip: 10.2.20.21, role: terminal}
devices:
  sw:
    interfaces: {a: lg-cli, b: )" +
         second_segment + "}\n";
}
}  // namespace

TEST_CASE("ZONE-NO-BRIDGE: a config-less device joins two tiers") {
  const std::string yaml = switch_town("mn-srv");
  auto run = audit_town({yaml, {}});
  const auto r = ok_result(run);
  INFO(summary(r));
  const auto found = findings_of(r, "ZONE-NO-BRIDGE");
  REQUIRE(found.size() == 1);
  const auto& f = found.front();
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "sw");
  CHECK(evidence_lines(f) == yaml_line(yaml, "  sw:"));
  CHECK(!f.witness);
  // What it forwards is judged as crossings too, with the device named as the breach.
  const auto isolate = findings_of(r, "MN-ISOLATE");
  REQUIRE(!isolate.empty());
  CHECK(isolate.front().device == "sw");
  CHECK(isolate.front().status == Status::Violation);
}

TEST_CASE("ZONE-NO-BRIDGE: silent for a config-less device inside one tier") {
  const auto r = audit_ok({switch_town("lg-srv"), {}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}

namespace {
std::string wlan_town(const std::string& mn_wlan, const std::string& wifi_zone) {
  std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv:  {zone: mynumber, cidr: 10.1.20.0/24}
  mn-wifi: {zone: )" + wifi_zone + R"(, cidr: 10.1.30.0/24, medium: wireless}
)";
  const std::string from = "mn_wlan: forbidden";
  yaml.replace(yaml.find(from), from.size(), "mn_wlan: " + mn_wlan);
  return yaml;
}
}  // namespace

TEST_CASE("MN-WLAN: a wireless segment in mynumber while mn_wlan is forbidden") {
  const std::string yaml = wlan_town("forbidden", "mynumber");
  auto run = audit_town({yaml, {}});
  const auto r = ok_result(run);
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "MN-WLAN");
  CHECK(f.status == Status::Violation);
  CHECK(f.device.empty());
  CHECK(f.to_zone == "mynumber");
  CHECK(evidence_lines(f) == yaml_line(yaml, "mn-wifi:"));
  CHECK(!f.witness);
  CHECK(r.exit_code() == 1);
}

TEST_CASE("MN-WLAN: silent under enterprise-eap-tls, and for wireless outside mynumber") {
  for (const auto& [policy, zone] : {std::pair{"enterprise-eap-tls", "mynumber"},
                                     std::pair{"forbidden", "lgwan"}}) {
    CAPTURE(policy);
    CAPTURE(zone);
    const auto r = audit_ok({wlan_town(policy, zone), {}});
    INFO(summary(r));
    CHECK(r.findings.empty());
  }
}

namespace {
std::string print_town(const std::string& allow) {
  return std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  lg-print: {segment: lg-srv, ip: 10.2.20.35, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
allow:
)" + allow;
}
const std::string kPrintEntry =
    "  - {id: juki-to-print, kind: specific, from: juki-app, to: lg-print, service: tcp/9100}\n";
const std::string kPinnedPrint =
    "-s 10.1.20.10/32 -d 10.2.20.35/32 -i eth0 -o eth1 -p tcp -m mac --mac-source "
    "02:00:0a:01:14:0a -m tcp --dport 9100 -j ACCEPT";
}  // namespace

TEST_CASE("ALLOW-UNUSED: a declared entry that no config admits is info") {
  const std::string yaml = print_town(kPrintEntry);
  auto run = audit_town({yaml, {{"configs/gw.rules", kRepliesOnly}}});
  const auto r = ok_result(run);
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "ALLOW-UNUSED");
  CHECK(f.status == Status::Info);
  CHECK(f.severity == Severity::Info);
  CHECK(f.device.empty());
  CHECK(evidence_lines(f) == yaml_line(yaml, "id: juki-to-print"));
  CHECK(!f.witness);
  CHECK(r.exit_code() == 0);  // info never fails the audit
  CHECK(r.verdict == "clean");
}

TEST_CASE("ALLOW-UNUSED: silent when the config admits the entry") {
  const auto r = audit_ok({print_town(kPrintEntry), {{"configs/gw.rules", iptables_save({kPinnedPrint})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}

TEST_CASE("invalid allow entry: a specific communication from a whole segment") {
  const std::string yaml =
      print_town("  - {id: mn-print, kind: specific, from: mn-srv, to: lg-print, service: tcp/9100}\n");
  auto run = audit_town(
      {yaml, {{"configs/gw.rules",
               iptables_save({"-s 10.1.20.0/24 -d 10.2.20.35/32 -i eth0 -o eth1 -p tcp -m tcp "
                              "--dport 9100 -j ACCEPT"})}}});
  const auto r = ok_result(run);
  INFO(summary(r));
  const Finding* entry = nullptr;
  const Finding* crossing = nullptr;
  for (const auto& f : r.findings) {
    if (f.device.empty()) entry = &f;
    if (f.device == "gw") crossing = &f;
  }
  REQUIRE(entry != nullptr);
  CHECK(entry->rule == "MN-SPECIFIC-COMM");
  CHECK(entry->status == Status::Violation);
  CHECK(evidence_lines(*entry) == yaml_line(yaml, "id: mn-print"));
  CHECK(!entry->witness);
  CHECK(entry->message.en ==
        "allow entry 'mn-print': the source of a specific communication must be one host, not "
        "segment 'mn-srv'");
  CHECK(entry->message.ja.rfind("許可エントリ 'mn-print': 特定通信の送信元", 0) == 0);  // named once
  // The invalid entry allows nothing: the crossing it meant to cover is a finding of its own.
  REQUIRE(crossing != nullptr);
  CHECK(crossing->status == Status::Violation);
  CHECK(crossing->from_zone == "mynumber");
  CHECK(crossing->to_zone == "lgwan");
  CHECK(evidence_lines(*crossing) == "configs/gw.rules:5");
  CHECK(src_of(*crossing) == "10.1.20.10");
  CHECK(dst_of(*crossing) == "10.2.20.35");
  CHECK(dport_of(*crossing) == 9100);
  CHECK(findings_of(r, "ALLOW-UNUSED").empty());  // an invalid entry is not also "unused"
}

TEST_CASE("invalid allow entry: silent when the entry names one host") {
  const auto r = audit_ok({print_town(kPrintEntry), {{"configs/gw.rules", iptables_save({kPinnedPrint})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}
