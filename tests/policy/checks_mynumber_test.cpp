// The My Number checks fire on a tiny town that breaks them and stay silent on the same town
// done right: MN-ISOLATE, MN-SPECIFIC-COMM, MN-NO-INTERNET-PATH, MN-NATIONAL-VIA-LGWAN.
#include <doctest/doctest.h>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

constexpr const char* kJukiMac = "02:00:0a:01:14:0a";

// mn-srv -eth0-[gw]-eth1- lg-srv
std::string mn_lg_town(const std::string& allow = "") {
  return std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  lg-pc:    {segment: lg-srv, ip: 10.2.20.5, role: terminal}
  lg-print: {segment: lg-srv, ip: 10.2.20.35, role: server}
devices:
  gw:
    vendor: iptables
    config: configs/gw.rules
    interfaces: {eth0: mn-srv, eth1: lg-srv}
)" + allow;
}

const std::string kJukiToPrint = R"(allow:
  - id: juki-to-print
    kind: specific
    from: juki-app
    to: lg-print
    service: tcp/9100
    reason: 帳票印刷
)";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("MN-ISOLATE: a subnet-wide permit from lgwan into mynumber") {
  const auto r = audit_ok({mn_lg_town(),
                           {{"configs/gw.rules",
                             iptables_save({"-s 10.2.20.0/24 -d 10.1.20.0/24 -i eth1 -o eth0 -p tcp "
                                            "-m tcp --dport 22 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "MN-ISOLATE");
  CHECK(f.status == Status::Violation);
  CHECK(f.severity == Severity::Critical);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "mynumber");
  CHECK(f.from_tier == "lgwan");
  CHECK(f.to_tier == "mynumber");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.20.5");  // declared hosts first
  CHECK(dst_of(f) == "10.1.20.10");
  CHECK(dport_of(f) == 22);
  CHECK(f.witness->sport == 49152);
  CHECK(r.exit_code() == 1);
  CHECK(r.verdict == "violations");
}

TEST_CASE("MN-ISOLATE: silent when the gateway admits nothing into mynumber") {
  // Same town; the only permit is a hairpin within lg-srv, which crosses nothing.
  const auto r = audit_ok({mn_lg_town(),
                           {{"configs/gw.rules",
                             iptables_save({"-s 10.2.20.0/24 -d 10.2.20.0/24 -i eth1 -o eth1 -p tcp "
                                            "-m tcp --dport 22 -j ACCEPT"})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(r.exit_code() == 0);
  CHECK(r.verdict == "clean");
}

TEST_CASE("MN-SPECIFIC-COMM: a port range wider than the declared entry") {
  const auto r = audit_ok(
      {mn_lg_town(kJukiToPrint),
       {{"configs/gw.rules",
         iptables_save({"-s 10.1.20.10/32 -d 10.2.20.35/32 -i eth0 -o eth1 -p tcp -m mac "
                        "--mac-source 02:00:0a:01:14:0a -m tcp --dport 9100:9110 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "MN-SPECIFIC-COMM");
  CHECK(contains(f.also_breaks, "MN-ISOLATE"));
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "mynumber");
  CHECK(f.to_zone == "lgwan");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.1.20.10");
  CHECK(dst_of(f) == "10.2.20.35");
  CHECK(dport_of(f) == 9101);  // the lowest port beyond the entry
  CHECK(sanso::model::format_mac(f.witness->src_mac) == kJukiMac);
}

TEST_CASE("MN-SPECIFIC-COMM: silent for the exact, MAC-pinned rule of the entry") {
  const auto r = audit_ok(
      {mn_lg_town(kJukiToPrint),
       {{"configs/gw.rules",
         iptables_save({"-s 10.1.20.10/32 -d 10.2.20.35/32 -i eth0 -o eth1 -p tcp -m mac "
                        "--mac-source 02:00:0a:01:14:0a -m tcp --dport 9100 -j ACCEPT"})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(r.exit_code() == 0);
}

TEST_CASE("MN-SPECIFIC-COMM: the gateway on the source's segment does not pin the source MAC") {
  const auto r = audit_ok({mn_lg_town(kJukiToPrint),
                           {{"configs/gw.rules",
                             iptables_save({"-s 10.1.20.10/32 -d 10.2.20.35/32 -i eth0 -o eth1 -p "
                                            "tcp -m tcp --dport 9100 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "MN-SPECIFIC-COMM");
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "mynumber");
  CHECK(f.to_zone == "lgwan");
  CHECK(f.witness_mac_matters);
  REQUIRE(!f.evidence.empty());
  CHECK(where(f.evidence.front()) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.1.20.10");
  CHECK(dst_of(f) == "10.2.20.35");
  CHECK(dport_of(f) == 9100);
  CHECK(sanso::model::format_mac(f.witness->src_mac) != kJukiMac);  // a spoofing host's MAC
  CHECK(f.message.en.find("02:00:0a:01:14:0a") != std::string::npos);
}

TEST_CASE("MN-SPECIFIC-COMM: a gateway not on the source's segment need not pin the MAC") {
  // mn-srv -[gw-mn]- lg-srv -[gw-lg]- lg-prn: gw-mn sees juki-app's segment and pins its MAC;
  // gw-lg only sees gw-mn's MAC and cannot pin juki-app's.
  const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  lg-prn: {zone: lgwan, cidr: 10.2.40.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  lg-print: {segment: lg-prn, ip: 10.2.40.35, role: server}
devices:
  gw-mn: {vendor: iptables, config: configs/gw-mn.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
  gw-lg: {vendor: iptables, config: configs/gw-lg.rules, interfaces: {eth0: lg-srv, eth1: lg-prn}}
allow:
  - {id: juki-to-print, kind: specific, from: juki-app, to: lg-print, service: tcp/9100}
)";
  const std::string mn_rule =
      "-s 10.1.20.10/32 -d 10.2.40.35/32 -i eth0 -o eth1 -p tcp -m mac --mac-source "
      "02:00:0a:01:14:0a -m tcp --dport 9100 -j ACCEPT";
  const std::string lg_rule =
      "-s 10.1.20.10/32 -d 10.2.40.35/32 -i eth0 -o eth1 -p tcp -m tcp --dport 9100 -j ACCEPT";
  SUBCASE("pinned on the first hop: silent") {
    const auto r = audit_ok({yaml, {{"configs/gw-mn.rules", iptables_save({mn_rule})},
                                    {"configs/gw-lg.rules", iptables_save({lg_rule})}}});
    INFO(summary(r));
    CHECK(r.findings.empty());
  }
  SUBCASE("pinned on neither: the first hop is named") {
    const auto r = audit_ok({yaml, {{"configs/gw-mn.rules", iptables_save({lg_rule})},
                                    {"configs/gw-lg.rules", iptables_save({lg_rule})}}});
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings.front().rule == "MN-SPECIFIC-COMM");
    CHECK(r.findings.front().device == "gw-mn");
  }
}

TEST_CASE("MN-NO-INTERNET-PATH: a direct permit from mynumber into the internet tier") {
  const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  in-dmz: {zone: internet, cidr: 172.16.1.0/24}
hosts:
  juki-app:   {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  inet-proxy: {segment: in-dmz, ip: 172.16.1.80, role: network}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: mn-srv, eth1: in-dmz}}
)";
  SUBCASE("fires") {
    const auto r = audit_ok(
        {yaml, {{"configs/gw.rules",
                 iptables_save({"-s 10.1.20.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 8080 -j "
                                "ACCEPT"})}}});
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    const auto& f = r.findings.front();
    CHECK(f.rule == "MN-NO-INTERNET-PATH");
    CHECK(contains(f.also_breaks, "MN-ISOLATE"));
    CHECK(f.status == Status::Violation);
    CHECK(f.device == "gw");
    CHECK(f.from_zone == "mynumber");
    CHECK(f.to_zone == "internet");
    CHECK(evidence_lines(f) == "configs/gw.rules:5");
    CHECK(src_of(f) == "10.1.20.10");
    CHECK(dst_of(f) == "172.16.1.80");
    CHECK(dport_of(f) == 8080);
  }
  SUBCASE("silent when the gateway forwards only the other way's replies") {
    const auto r = audit_ok(
        {yaml, {{"configs/gw.rules",
                 iptables_save({"-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"})}}});
    INFO(summary(r));
    CHECK(r.findings.empty());
  }
}

namespace {
// mn-srv -[gw-mn]- lg-srv -[gw-lg]- in-dmz -[gw-inet]- world: each gateway lets tcp/8080 through.
std::string chain_town() {
  return std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  in-dmz: {zone: internet, cidr: 172.16.1.0/24}
  world:  {zone: the-internet, cidr: 0.0.0.0/0}
hosts:
  juki-app:  {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  av-vendor: {segment: world, ip: 203.0.113.10, role: server}
devices:
  gw-mn:   {vendor: iptables, config: configs/gw-mn.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
  gw-lg:   {vendor: iptables, config: configs/gw-lg.rules, interfaces: {eth0: lg-srv, eth1: in-dmz}}
  gw-inet: {vendor: iptables, config: configs/gw-inet.rules, interfaces: {eth0: in-dmz, eth1: world}}
)";
}
}  // namespace

TEST_CASE("MN-NO-INTERNET-PATH: a path through three devices") {
  const std::string any8080 = "-i eth0 -o eth1 -p tcp -m tcp --dport 8080 -j ACCEPT";
  const std::string mn_out = "-s 10.1.20.0/24 " + any8080;
  SUBCASE("fires, named at the first hop, with every hop as evidence") {
    const auto r = audit_ok({chain_town(),
                             {{"configs/gw-mn.rules", iptables_save({mn_out})},
                              {"configs/gw-lg.rules", iptables_save({any8080})},
                              {"configs/gw-inet.rules", iptables_save({any8080})}}});
    INFO(summary(r));
    std::vector<Finding> to_internet;
    for (const auto& f : findings_of(r, "MN-NO-INTERNET-PATH")) {
      if (f.to_zone == "the-internet") to_internet.push_back(f);
    }
    REQUIRE(to_internet.size() == 1);
    const auto& f = to_internet.front();
    CHECK(f.status == Status::Violation);
    CHECK(f.device == "gw-mn");
    CHECK(f.from_zone == "mynumber");
    CHECK(f.from_tier == "mynumber");
    CHECK(f.to_tier == "internet");
    CHECK(evidence_lines(f) ==
          "configs/gw-mn.rules:5 | configs/gw-lg.rules:5 | configs/gw-inet.rules:5");
    CHECK(src_of(f) == "10.1.20.10");
    CHECK(dst_of(f) == "203.0.113.10");
    CHECK(dport_of(f) == 8080);
  }
  SUBCASE("silent when the middle hop admits only its own proxy") {
    const auto r = audit_ok(
        {chain_town(),
         {{"configs/gw-mn.rules", iptables_save({mn_out})},
          {"configs/gw-lg.rules", iptables_save({"-s 10.2.20.80/32 -d 172.16.1.80/32 " + any8080})},
          {"configs/gw-inet.rules", iptables_save({any8080})}}});
    INFO(summary(r));
    CHECK(findings_of(r, "MN-NO-INTERNET-PATH").empty());
    CHECK(!findings_of(r, "MN-ISOLATE").empty());  // gw-mn's own crossing into lgwan remains
  }
}

namespace {
// mn-srv -eth0-[gw]-eth1- nat-sys (public-body, an external lgwan zone)
std::string national_town(const std::string& allow) {
  return std::string(kHeader) + R"(segments:
  mn-srv:  {zone: mynumber, cidr: 10.1.20.0/24}
  nat-sys: {zone: public-body, cidr: 10.201.0.0/16}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  mn-link:  {segment: mn-srv, ip: 10.1.20.40, mac: "02:00:0a:01:14:28", role: mn-link-server}
  chuukan:  {segment: nat-sys, ip: 10.201.3.4, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: mn-srv, eth1: nat-sys}}
allow:
  - {id: national-link, kind: public-body, from: mn-link, to: chuukan, service: https}
)" + allow;
}

// kHeader says import-only.
std::string with_direction(std::string yaml, const std::string& direction) {
  const std::string from = "mn_exception_direction: import-only";
  yaml.replace(yaml.find(from), from.size(), "mn_exception_direction: " + direction);
  return yaml;
}

const std::string kNationalOut =
    "-s 10.1.20.40/32 -d 10.201.3.4/32 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT";
const std::string kNationalIn =
    "-s 10.201.3.4/32 -d 10.1.20.40/32 -i eth1 -o eth0 -p tcp -m tcp --dport 443 -j ACCEPT";
const std::string kNationalInEntry =
    "  - {id: national-in, kind: public-body, from: chuukan, to: mn-link, service: https}\n";
}  // namespace

TEST_CASE("MN-NATIONAL-VIA-LGWAN: the public-body rule admits more than the link server") {
  const auto r = audit_ok(
      {national_town(""),
       {{"configs/gw.rules",
         iptables_save({"-s 10.1.20.0/24 -d 10.201.3.4/32 -i eth0 -o eth1 -p tcp -m tcp --dport "
                        "443 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "MN-NATIONAL-VIA-LGWAN");
  CHECK(contains(f.also_breaks, "MN-ISOLATE"));
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "mynumber");
  CHECK(f.to_zone == "public-body");
  CHECK(f.to_tier == "lgwan");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.1.20.10");  // juki-app, not the link server
  CHECK(dst_of(f) == "10.201.3.4");
  CHECK(dport_of(f) == 443);
}

TEST_CASE("MN-NATIONAL-VIA-LGWAN: silent for the valid entry") {
  const auto r =
      audit_ok({national_town(""), {{"configs/gw.rules", iptables_save({kNationalOut})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(r.exit_code() == 0);
}

TEST_CASE("MN-NATIONAL-VIA-LGWAN: the reverse direction under import-only") {
  const std::string yaml = national_town(kNationalInEntry);
  const auto r = audit_ok({yaml, {{"configs/gw.rules", iptables_save({kNationalOut, kNationalIn})}}});
  INFO(summary(r));
  const auto found = findings_of(r, "MN-NATIONAL-VIA-LGWAN");
  REQUIRE(found.size() == 2);
  const Finding* entry = nullptr;
  const Finding* crossing = nullptr;
  for (const auto& f : found) (f.device.empty() ? entry : crossing) = &f;
  REQUIRE(entry != nullptr);
  REQUIRE(crossing != nullptr);
  // The entry is invalid: a finding at its network.yaml line, and it allows nothing...
  CHECK(entry->status == Status::Violation);
  REQUIRE(entry->evidence.size() == 1);
  CHECK(evidence_lines(*entry) == "network.yaml:" + std::to_string(line_of(yaml, "id: national-in")));
  CHECK(!entry->witness);
  // ...so the crossing it meant to cover is uncovered.
  CHECK(crossing->status == Status::Violation);
  CHECK(crossing->device == "gw");
  CHECK(crossing->from_zone == "public-body");
  CHECK(crossing->to_zone == "mynumber");
  CHECK(evidence_lines(*crossing) == "configs/gw.rules:6");
  CHECK(src_of(*crossing) == "10.201.3.4");
  CHECK(dst_of(*crossing) == "10.1.20.40");
  CHECK(dport_of(*crossing) == 443);
}

TEST_CASE("MN-NATIONAL-VIA-LGWAN: the reverse direction is fine when bidirectional") {
  const auto r = audit_ok({with_direction(national_town(kNationalInEntry), "bidirectional"),
                           {{"configs/gw.rules", iptables_save({kNationalOut, kNationalIn})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}
