// The LGWAN / Internet checks fire on a tiny town that breaks them and stay silent on the same
// town done right: LG-INET-SPLIT, LG-NO-INTERNET, LG-IMPORT-SANITIZED, SANITIZE-MAIL,
// SANITIZE-SCREEN, SANITIZE-FILE, INET-SECCLOUD, ZONE-DEFAULT-DENY.
#include <doctest/doctest.h>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// lg-cli -eth0-[gw]-eth1- in-cli
std::string split_town(const std::string& allow = "") {
  return std::string(kHeader) + R"(segments:
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
  in-cli: {zone: internet, cidr: 172.16.10.0/24}
hosts:
  lg-admin:   {segment: lg-cli, ip: 10.2.10.5, role: terminal}
  inet-admin: {segment: in-cli, ip: 172.16.10.5, role: terminal}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-cli, eth1: in-cli}}
)" + allow;
}

const std::string kSsh =
    "-s 10.2.10.5/32 -d 172.16.10.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j ACCEPT";

}  // namespace

TEST_CASE("LG-INET-SPLIT: an undeclared host-to-host permit between lgwan and internet") {
  const auto r = audit_ok({split_town(), {{"configs/gw.rules", iptables_save({kSsh})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "LG-INET-SPLIT");
  CHECK(f.severity == Severity::High);
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.10.5");
  CHECK(dst_of(f) == "172.16.10.5");
  CHECK(dport_of(f) == 22);
  // A rule naming source, destination and service is not ZONE-DEFAULT-DENY's broad rule.
  CHECK(!contains(f.also_breaks, "ZONE-DEFAULT-DENY"));
}

TEST_CASE("LG-INET-SPLIT: silent when a necessary entry declares the permit") {
  const auto r = audit_ok({split_town(R"(allow:
  - {id: ssh-maint, kind: necessary, from: lg-admin, to: inet-admin, service: tcp/22, reason: 保守}
)"),
                           {{"configs/gw.rules", iptables_save({kSsh})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(r.exit_code() == 0);
}

TEST_CASE("ZONE-DEFAULT-DENY: an any-rule across tiers breaks it too") {
  const auto r =
      audit_ok({split_town(), {{"configs/gw.rules", iptables_save({"-i eth0 -o eth1 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "LG-INET-SPLIT");  // the more specific rule names the finding
  CHECK(contains(f.also_breaks, "ZONE-DEFAULT-DENY"));
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.10.5");
  CHECK(dst_of(f) == "172.16.10.5");
}

namespace {
// lg-srv -eth0-[gw]-eth1- lgwan-core (LGWAN itself), -eth2- world (the Internet)
std::string lgwan_exit_town() {
  return std::string(kHeader) + R"(segments:
  lg-srv:     {zone: lgwan, cidr: 10.2.20.0/24}
  lgwan-core: {zone: lgwan-net, cidr: 10.200.16.0/20}
  world:      {zone: the-internet, cidr: 0.0.0.0/0}
hosts:
  lg-file:   {segment: lg-srv, ip: 10.2.20.30, role: server}
  lgwan-asp: {segment: lgwan-core, ip: 10.200.16.10, role: server}
  av-vendor: {segment: world, ip: 203.0.113.10, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-srv, eth1: lgwan-core, eth2: world}}
)";
}
}  // namespace

TEST_CASE("LG-NO-INTERNET: lgwan servers reach the Internet directly") {
  const auto r = audit_ok(
      {lgwan_exit_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 10.2.20.0/24 -i eth0 -o eth2 -p tcp -m tcp --dport 443 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "LG-NO-INTERNET");
  CHECK(contains(f.also_breaks, "LG-INET-SPLIT"));
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "the-internet");
  CHECK(f.to_tier == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.20.30");
  CHECK(dst_of(f) == "203.0.113.10");
  CHECK(dport_of(f) == 443);
}

TEST_CASE("LG-NO-INTERNET: silent when lgwan servers reach only the LGWAN") {
  const auto r = audit_ok(
      {lgwan_exit_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 10.2.20.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT"})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}

namespace {
// lg-cli -eth0-[gw]-eth2- in-dmz, lg-srv -eth1-[gw]: the three sanitized paths of the α model.
std::string sanitize_town() {
  return std::string(kHeader) + R"(segments:
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  in-dmz: {zone: internet, cidr: 172.16.1.0/24}
hosts:
  lg-pc:      {segment: lg-cli, ip: 10.2.10.21, role: terminal}
  lg-mail:    {segment: lg-srv, ip: 10.2.20.25, role: server}
  mail-relay: {segment: in-dmz, ip: 172.16.1.25, role: sanitizer, method: mail-text}
  vdi-gw:     {segment: in-dmz, ip: 172.16.1.50, role: sanitizer, method: screen-transfer}
  cdr-box:    {segment: in-dmz, ip: 172.16.1.60, role: sanitizer, method: file-sanitize}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-cli, eth1: lg-srv, eth2: in-dmz}}
allow:
  - {id: mail-in, kind: sanitized, method: mail-text, from: mail-relay, to: lg-mail, service: smtp}
  - {id: vdi, kind: sanitized, method: screen-transfer, from: lg-cli, to: vdi-gw, service: rdp}
  - {id: cdr-download, kind: sanitized, method: file-sanitize, from: lg-cli, to: cdr-box, service: https}
)";
}

struct SanitizeRules {
  std::string mail = "-s 172.16.1.25/32 -d 10.2.20.25/32 -i eth2 -o eth1 -p tcp -m tcp --dport 25 -j ACCEPT";
  std::string screen = "-s 10.2.10.0/24 -d 172.16.1.50/32 -i eth0 -o eth2 -p tcp -m tcp --dport 3389 -j ACCEPT";
  std::string file = "-s 10.2.10.0/24 -d 172.16.1.60/32 -i eth0 -o eth2 -p tcp -m tcp --dport 443 -j ACCEPT";
  std::vector<std::string> more;
  Town town() const {
    std::vector<std::string> lines{mail, screen, file};
    lines.insert(lines.end(), more.begin(), more.end());
    return {sanitize_town(), {{"configs/gw.rules", iptables_save(lines)}}};
  }
};

/// The single finding of rule `rule`, with the fields every sanitize test checks.
Finding only_finding(const AuditResult& r, const std::string& rule) {
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const Finding f = r.findings.front();
  CHECK(f.rule == rule);
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  return f;
}
}  // namespace

TEST_CASE("SANITIZE-*, LG-IMPORT-SANITIZED: silent when every crossing is its sanitized entry") {
  const auto r = audit_ok(SanitizeRules{}.town());
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(r.exit_code() == 0);
}

TEST_CASE("SANITIZE-MAIL: the whole DMZ may send SMTP to the lgwan mail server") {
  SanitizeRules rules;
  rules.mail = "-s 172.16.1.0/24 -d 10.2.20.25/32 -i eth2 -o eth1 -p tcp -m tcp --dport 25 -j ACCEPT";
  const auto f = only_finding(audit_ok(rules.town()), "SANITIZE-MAIL");
  CHECK(contains(f.also_breaks, "LG-IMPORT-SANITIZED"));
  CHECK(f.from_zone == "internet");
  CHECK(f.to_zone == "lgwan");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "172.16.1.50");  // the lowest declared DMZ host that is not the relay
  CHECK(dst_of(f) == "10.2.20.25");
  CHECK(dport_of(f) == 25);
}

TEST_CASE("SANITIZE-SCREEN: the screen transfer rule also admits ssh") {
  SanitizeRules rules;
  rules.screen =
      "-s 10.2.10.0/24 -d 172.16.1.50/32 -i eth0 -o eth2 -p tcp -m multiport --dports 22,3389 -j ACCEPT";
  const auto f = only_finding(audit_ok(rules.town()), "SANITIZE-SCREEN");
  CHECK(contains(f.also_breaks, "LG-INET-SPLIT"));
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:6");
  CHECK(src_of(f) == "10.2.10.21");
  CHECK(dst_of(f) == "172.16.1.50");
  CHECK(dport_of(f) == 22);
}

TEST_CASE("SANITIZE-FILE: the download rule also admits SMB to the sanitizer") {
  SanitizeRules rules;
  rules.file =
      "-s 10.2.10.0/24 -d 172.16.1.60/32 -i eth0 -o eth2 -p tcp -m multiport --dports 443,445 -j ACCEPT";
  const auto f = only_finding(audit_ok(rules.town()), "SANITIZE-FILE");
  CHECK(contains(f.also_breaks, "LG-INET-SPLIT"));
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:7");
  CHECK(src_of(f) == "10.2.10.21");
  CHECK(dst_of(f) == "172.16.1.60");
  CHECK(dport_of(f) == 445);
}

TEST_CASE("LG-IMPORT-SANITIZED: the DMZ writes straight onto lgwan terminals over SMB") {
  SanitizeRules rules;
  rules.more = {"-s 172.16.1.0/24 -d 10.2.10.0/24 -i eth2 -o eth0 -p tcp -m tcp --dport 445 -j ACCEPT"};
  const auto f = only_finding(audit_ok(rules.town()), "LG-IMPORT-SANITIZED");
  CHECK(contains(f.also_breaks, "LG-INET-SPLIT"));
  CHECK(!contains(f.also_breaks, "SANITIZE-MAIL"));  // no sanitized entry is exceeded
  CHECK(f.from_zone == "internet");
  CHECK(f.to_zone == "lgwan");
  CHECK(evidence_lines(f) == "configs/gw.rules:8");
  CHECK(src_of(f) == "172.16.1.25");
  CHECK(dst_of(f) == "10.2.10.21");
  CHECK(dport_of(f) == 445);
}

namespace {
// in-cli -eth0-[gw]-eth1- sec-cloud (egress, reaches the Internet), -eth2- world
std::string seccloud_town() {
  return std::string(kHeader) + R"(segments:
  in-cli:    {zone: internet, cidr: 172.16.10.0/24}
  sec-cloud: {zone: security-cloud, cidr: 198.51.100.0/30, reaches: [the-internet]}
  world:     {zone: the-internet, cidr: 0.0.0.0/0}
hosts:
  inet-pc:   {segment: in-cli, ip: 172.16.10.21, role: terminal}
  sc-relay:  {segment: sec-cloud, ip: 198.51.100.2, role: network}
  av-vendor: {segment: world, ip: 203.0.113.10, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: in-cli, eth1: sec-cloud, eth2: world}}
)";
}
}  // namespace

TEST_CASE("INET-SECCLOUD: internet terminals go out around the security cloud") {
  const auto r = audit_ok(
      {seccloud_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 172.16.10.0/24 -i eth0 -o eth2 -p tcp -m tcp --dport 443 -j ACCEPT"})}}});
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "INET-SECCLOUD");
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "internet");
  CHECK(f.to_zone == "the-internet");
  CHECK(f.from_tier == "internet");
  CHECK(f.to_tier == "internet");
  CHECK(evidence_lines(f) == "configs/gw.rules:5");
  CHECK(src_of(f) == "172.16.10.21");
  CHECK(dst_of(f) == "203.0.113.10");
  CHECK(dport_of(f) == 443);
}

TEST_CASE("INET-SECCLOUD: silent when internet terminals go out through the security cloud") {
  const auto r = audit_ok(
      {seccloud_town(),
       {{"configs/gw.rules",
         iptables_save({"-s 172.16.10.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT"})}}});
  INFO(summary(r));
  CHECK(r.findings.empty());
}
