// MN-EXT-NO-INTERNET: the partner of a declared mynumber crossing must not reach the internet tier.
#include <doctest/doctest.h>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

// mn-srv -[gw-mn]- lg-srv -[gw-lg]- inet; juki-app -> lg-print tcp/9100 declared and admitted.
Town partner_town(const std::vector<std::string>& gw_lg_rules) {
  const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  inet: {zone: internet, cidr: 172.16.1.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
  lg-print: {segment: lg-srv, ip: 10.2.20.35, role: server}
devices:
  gw-mn: {vendor: iptables, config: configs/gw-mn.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
  gw-lg: {vendor: iptables, config: configs/gw-lg.rules, interfaces: {eth0: lg-srv, eth1: inet}}
allow:
  - id: juki-to-print
    kind: specific
    from: juki-app
    to: lg-print
    service: tcp/9100
    reason: 帳票印刷
)";
  const std::string print =
      "-s 10.1.20.10/32 -d 10.2.20.35/32 -i eth0 -o eth1 -p tcp -m mac --mac-source "
      "02:00:0a:01:14:0a -m tcp --dport 9100 -j ACCEPT";
  return {yaml, {{"configs/gw-mn.rules", iptables_save({print})},
                 {"configs/gw-lg.rules", iptables_save(gw_lg_rules)}}};
}

}  // namespace

TEST_CASE("MN-EXT-NO-INTERNET: the printer partner can browse the internet tier") {
  const auto r = audit_ok(partner_town({"-s 10.2.20.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT"}));
  INFO(summary(r));
  const auto found = findings_of(r, "MN-EXT-NO-INTERNET");
  REQUIRE(found.size() == 1);
  const auto& f = found.front();
  CHECK(f.status == Status::Violation);
  CHECK(f.device == "gw-lg");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  CHECK(src_of(f) == "10.2.20.35");
  CHECK(dport_of(f) == 443);
  CHECK(evidence_lines(f).find("network.yaml:") != std::string::npos);
  CHECK(evidence_lines(f).find("configs/gw-lg.rules:5") != std::string::npos);
  // The rest of lg-srv reaching the internet tier is LG-INET-SPLIT, not this rule.
  CHECK(!findings_of(r, "LG-INET-SPLIT").empty());
}

TEST_CASE("MN-EXT-NO-INTERNET: absent when only other lgwan hosts reach the internet tier") {
  const auto r = audit_ok(partner_town({"-s 10.2.20.50/32 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT"}));
  INFO(summary(r));
  CHECK(findings_of(r, "MN-EXT-NO-INTERNET").empty());
  CHECK(!findings_of(r, "LG-INET-SPLIT").empty());
}

TEST_CASE("MN-EXT-NO-INTERNET: passed when nothing reaches the internet tier") {
  const auto r = audit_ok(partner_town({}));
  INFO(summary(r));
  CHECK(r.findings.empty());
  CHECK(std::find(r.passed.begin(), r.passed.end(), "MN-EXT-NO-INTERNET") != r.passed.end());
}
