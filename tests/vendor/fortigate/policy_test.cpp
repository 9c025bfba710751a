// Firewall policies: order, defaults, interfaces and zones, negation, IPv6, conditions sanso
// cannot decide, and the fate of hand-computed packets through DeviceBehavior.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::fortigate {
namespace {

// port1 10.1.0.0/24 (lan), port2 10.2.0.0/24 and port3 10.3.0.0/24 in zone "dmz" (intrazone
// allow), port4 = wan.
const char* kBase =
    "config system interface\n"                             // 1
    "    edit port1\n        set ip 10.1.0.1 255.255.255.0\n    next\n"   // 2-4
    "    edit port2\n        set ip 10.2.0.1/24\n    next\n"              // 5-7
    "    edit port3\n        set ip 10.3.0.1/24\n    next\n"              // 8-10
    "    edit port4\n        set ip 203.0.113.1/24\n    next\n"           // 11-13
    "end\n"                                                               // 14
    "config system zone\n"                                                // 15
    "    edit dmz\n"                                                      // 16
    "        set interface port2 port3\n"                                 // 17
    "        set intrazone allow\n"                                       // 18
    "    next\n"                                                          // 19
    "end\n"                                                               // 20
    "config firewall address\n"                                           // 21
    "    edit lan\n        set subnet 10.1.0.0/24\n    next\n"            // 22-24
    "    edit srv\n        set subnet 10.2.0.10/32\n    next\n"           // 25-27
    "end\n";                                                              // 28

std::string with_policies(const std::string& body) {
  return std::string(kBase) + "config firewall policy\n" + body + "end\n";  // policies from 30
}

TEST_CASE("fortigate policy conversion: file order decides, not the id; disabled skipped") {
  const auto d = device(with_policies(
      "    edit 9\n"                                      // 30
      "        set srcintf port1\n        set dstintf dmz\n"
      "        set srcaddr lan\n        set dstaddr srv\n"
      "        set service HTTPS\n        set action deny\n"
      "    next\n"                                        // 37
      "    edit 1\n"                                      // 38
      "        set srcintf port1\n        set dstintf dmz\n"
      "        set srcaddr all\n        set dstaddr all\n"
      "        set service ALL\n        set action accept\n"
      "        set logtraffic all\n"
      "    next\n"                                        // 46
      "    edit 5\n"                                      // 47
      "        set srcintf port1\n        set dstintf port4\n"
      "        set srcaddr all\n        set dstaddr all\n"
      "        set service ALL\n        set action accept\n"
      "        set status disable\n"
      "    next\n"));                                     // 55
  // https to srv: policy 9 (line 30, first in the file) denies although id 1 would accept.
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "10.2.0.10", 443), "port1", "port2").may);
  const auto hit = deciding(d, tcp("10.1.0.5", "10.2.0.10", 443), "port1", "port2");
  REQUIRE(hit);
  CHECK(line_of(policies(d).entries[*hit]) == 30);
  // ssh to srv: policy 1 accepts (zone dmz expands to port2 and port3).
  CHECK(fate(d, tcp("10.1.0.5", "10.2.0.10", 22), "port1", "port2").must);
  CHECK(fate(d, tcp("10.1.0.5", "10.3.0.7", 22), "port1", "port3").must);
  // port1 -> port4: policy 5 is disabled, so the implicit deny decides.
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "198.51.100.1", 80), "port1", "port4").may);
  const auto deny = deciding(d, tcp("10.1.0.5", "198.51.100.1", 80), "port1", "port4");
  REQUIRE(deny);
  const auto& implicit = policies(d).entries[*deny];
  CHECK_FALSE(implicit.evidence[0].line);
  CHECK(implicit.evidence[0].text == "implicit deny");
  // Reverse direction has no policy: denied (replies ride the session, not audited).
  CHECK_FALSE(fate(d, tcp("10.2.0.10", "10.1.0.5", 22), "port2", "port1").may);
  // logtraffic all marks the entries logged; the others are not.
  CHECK(policies(d).entries[2].logged);
  CHECK_FALSE(policies(d).entries[0].logged);
  CHECK(d.coverage.at(0).unparsed.empty());
}

TEST_CASE("fortigate policy conversion: intrazone allow, any, negation, default action") {
  const auto d = device(with_policies(
      "    edit 1\n"                                      // 30
      "        set srcintf any\n        set dstintf port4\n"
      "        set srcaddr lan\n        set srcaddr-negate enable\n"
      "        set dstaddr all\n        set service HTTP\n"
      "    next\n"                                        // 37: no action -> deny
      "    edit 2\n"                                      // 38
      "        set srcintf any\n        set dstintf port4\n"
      "        set srcaddr all\n        set dstaddr all\n"
      "        set service HTTP\n        set service-negate enable\n"
      "        set action accept\n"
      "    next\n"));
  // Intrazone: port2 <-> port3 allowed with no policy (the zone's line 18).
  CHECK(fate(d, tcp("10.2.0.9", "10.3.0.9", 3389), "port2", "port3").must);
  const auto iz = deciding(d, tcp("10.2.0.9", "10.3.0.9", 3389), "port2", "port3");
  REQUIRE(iz);
  CHECK(line_of(policies(d).entries[*iz]) == 18);
  // Policy 1 denies http from anything but lan; policy 2 accepts everything but http.
  CHECK_FALSE(fate(d, tcp("10.2.0.9", "198.51.100.1", 80), "port2", "port4").may);
  CHECK_FALSE(fate(d, tcp("10.1.0.9", "198.51.100.1", 80), "port1", "port4").may);  // policy 2 negates http
  CHECK(fate(d, tcp("10.1.0.9", "198.51.100.1", 443), "port1", "port4").must);
  CHECK(fate(d, udp("10.2.0.9", "198.51.100.1", 53), "port2", "port4").must);
  // IPv6 has no policy: the implicit deny covers it (the family is defined, not unknown).
  CHECK_FALSE(fate(d, tcp("2001:db8::1", "2001:db8:9::1", 443), "port1", "port4").may);
}

TEST_CASE("fortigate policy warnings: unknown keys, schedules, identity conditions, FQDNs") {
  const auto d = device(
      "config firewall address\n"                         // 1
      "    edit web\n        set type fqdn\n        set fqdn www.example.com\n    next\n"  // 2-5
      "end\n"                                             // 6
      "config firewall policy\n"                          // 7
      "    edit 1\n"                                      // 8
      "        set srcintf port1\n        set dstintf port2\n"   // 9-10
      "        set srcaddr all\n        set dstaddr all\n"       // 11-12
      "        set service ALL\n        set action accept\n"     // 13-14
      "        set frobnicate 7\n"                        // 15
      "    next\n"                                        // 16
      "    edit 2\n"                                      // 17
      "        set srcintf port1\n        set dstintf port3\n"   // 18-19
      "        set srcaddr all\n        set dstaddr web\n"       // 20-21
      "        set service ALL\n        set action accept\n"     // 22-23
      "        set schedule \"office-hours\"\n"           // 24
      "        set groups \"staff\"\n"                    // 25
      "    next\n"                                        // 26
      "end\n");
  const auto& f = policies(d);
  REQUIRE(f.entries.size() == 3);
  CHECK(f.entries[0].uncertain);
  CHECK(f.entries[0].uncertain_why == "unknown policy key 'frobnicate'");
  REQUIRE(unparsed_at(d, 15));
  CHECK(unparsed_at(d, 15)->reason == "unknown policy key 'frobnicate': the policy is uncertain");
  CHECK(f.entries[1].uncertain);
  CHECK(f.entries[1].uncertain_why.find("address web of type fqdn cannot be resolved offline") != std::string::npos);
  CHECK(f.entries[1].uncertain_why.find("schedule office-hours limits when the policy applies") != std::string::npos);
  CHECK(f.entries[1].uncertain_why.find("policy condition 'groups' cannot be decided offline") != std::string::npos);
  CHECK(unparsed_at(d, 3));   // the fqdn type line
  CHECK(unparsed_at(d, 24));  // the schedule
  CHECK(unparsed_at(d, 25));  // the groups
  // An uncertain accept: the crossing may happen but is not proven (may, not must).
  const auto fq = fate(d, tcp("10.1.0.1", "192.0.2.80", 443), "port1", "port3");
  CHECK(fq.may);
  CHECK_FALSE(fq.must);
}

TEST_CASE("fortigate policy warnings absent: a plain policy is certain and understood") {
  const auto d = device(with_policies(
      "    edit 1\n        set srcintf port1\n        set dstintf port4\n"
      "        set srcaddr lan\n        set dstaddr all\n        set service HTTPS\n"
      "        set action accept\n        set schedule always\n        set nat enable\n"
      "        set utm-status enable\n        set av-profile default\n    next\n"));
  CHECK_FALSE(policies(d).entries[0].uncertain);
  CHECK(d.coverage.at(0).unparsed.empty());
  // nat enable: what the policy accepts leaves port4 with a rewritten source.
  REQUIRE(d.source_nat.size() == 1);
  CHECK(d.source_nat[0].out->pattern == "port4");
  CHECK(d.source_nat[0].match.contains(tcp("10.1.0.3", "8.8.8.8", 443)));
  CHECK_FALSE(d.source_nat[0].match.contains(tcp("10.1.0.3", "8.8.8.8", 80)));
}

TEST_CASE("fortigate policy conversion: IPv6 policies, unified policies and undefined names") {
  const auto d = device(
      "config firewall address6\n    edit v6lan\n        set ip6 2001:db8:1::/64\n    next\nend\n"  // 1-5
      "config firewall policy6\n"                                         // 6
      "    edit 1\n        set srcintf port1\n        set dstintf port4\n" // 7-9
      "        set srcaddr v6lan\n        set dstaddr all\n"             // 10-11
      "        set service PING6\n        set action accept\n    next\n" // 12-14
      "end\n"                                                             // 15
      "config firewall policy\n"                                          // 16
      "    edit 2\n        set srcintf port1\n        set dstintf port4\n" // 17-19
      "        set srcaddr6 v6lan\n        set dstaddr6 all\n"           // 20-21
      "        set service HTTPS\n        set action accept\n    next\n" // 22-24
      "    edit 3\n        set srcintf port1\n        set dstintf port4\n" // 25-27
      "        set srcaddr ghost\n        set dstaddr all\n"             // 28-29
      "        set service ALL\n        set action deny\n    next\n"     // 30-32
      "end\n");
  CHECK(fate(d, icmp("2001:db8:1::5", "2001:db8:ff::1", 128), "port1", "port4").must);
  CHECK(fate(d, tcp("2001:db8:1::5", "2001:db8:ff::1", 443), "port1", "port4").must);
  CHECK_FALSE(fate(d, tcp("2001:db8:2::5", "2001:db8:ff::1", 443), "port1", "port4").may);
  CHECK_FALSE(fate(d, tcp("10.1.0.1", "8.8.8.8", 443), "port1", "port4").may);  // v4: no accept
  REQUIRE(d.object_issues.size() == 1);
  CHECK(d.object_issues[0].kind == model::ObjectIssue::Kind::Undefined);
  CHECK(d.object_issues[0].name == "ghost");
  CHECK(d.object_issues[0].where.line == 28);
  CHECK(unparsed_at(d, 28)->reason == "address ghost is not defined");
  CHECK(policies(d).entries[2].uncertain);  // an uncertain deny: not trusted to block
}

}  // namespace
}  // namespace sanso::test::fortigate
