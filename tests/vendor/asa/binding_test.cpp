// Security levels, access-group in/out/global, same-security-traffic, implicit denies and
// interface states: which stage decides, with which evidence.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::asa {
namespace {

TEST_CASE("asa binding conversion: security levels decide where no ACL is bound") {
  const auto d = device(kBase);
  // Higher to lower is permitted, lower to higher denied, both families.
  CHECK(fate(d, tcp("10.1.0.5", "198.51.100.7", 443), "inside", "outside").must);
  CHECK(fate(d, tcp("10.1.0.5", "172.16.1.9", 22), "inside", "dmz").must);
  CHECK(fate(d, tcp("172.16.1.9", "198.51.100.7", 80), "dmz", "outside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").may);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "172.16.1.9", 443), "outside", "dmz").may);
  CHECK(fate(d, tcp("2001:db8::1", "2001:db8:1::1", 443), "inside", "outside").must);
  // Hairpin and equal levels need same-security-traffic (absent here).
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "10.1.0.6", 22), "inside", "inside").may);
  // An interface the config does not name: the stage's implicit deny.
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "10.9.0.6", 22), "inside", "ghost").may);
  CHECK(d.interfaces.size() == 3);
  CHECK(d.interfaces[1].addresses.at(0) == *model::parse_cidr("10.1.0.0/24"));
}

TEST_CASE("asa binding conversion: an in ACL replaces the security level, then implicit deny") {
  const auto d = device(std::string(kBase) +
                        "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq 443\n"  // 14
                        "access-list IN_IN extended deny tcp any any eq 23\n"                // 15
                        "access-list IN_IN extended permit ip 10.1.0.0 255.255.255.0 any\n"  // 16
                        "access-group OUT_IN in interface outside\n"                         // 17
                        "access-group IN_IN in interface inside\n");                         // 18
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").must);
  CHECK(deciding_line(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside", "access-group in") == 14);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside").may);
  // The implicit deny cites `line: null` first and the access-group line.
  analysis::DeviceBehavior b("asa", analysis::Knowledge::Modelled, &d);
  const auto dec = b.decide(tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside");
  const auto& f = *stage(d, "access-group in");
  REQUIRE(dec.front().entry);
  const auto& deny = f.entries.at(*dec.front().entry);
  CHECK_FALSE(deny.evidence.at(0).line);
  CHECK(deny.evidence.at(0).text == "implicit deny");
  CHECK(deny.evidence.at(1).line == 17);
  // inside now has an ACL: higher to lower is no longer implicit.
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "198.51.100.7", 23), "inside", "outside").may);
  CHECK(fate(d, tcp("10.1.0.5", "198.51.100.7", 25), "inside", "outside").must);
  CHECK_FALSE(fate(d, tcp("10.1.9.5", "198.51.100.7", 25), "inside", "outside").may);
  // dmz has none: still the security level.
  CHECK(fate(d, tcp("172.16.1.9", "198.51.100.7", 25), "dmz", "outside").must);
}

TEST_CASE("asa binding conversion: global ACL after interface ACLs, and its implicit deny") {
  const auto d = device(std::string(kBase) +
                        "access-list G extended permit udp any any eq 53\n"          // 14
                        "access-list OUT_IN extended permit tcp any any eq 443\n"    // 15
                        "access-group OUT_IN in interface outside\n"
                        "access-group G global\n");
  // outside: its own ACL first, then the global rules (no implicit deny in between).
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").must);
  CHECK(fate(d, udp("198.51.100.7", "10.1.0.5", 53), "outside", "inside").must);
  CHECK(deciding_line(d, udp("198.51.100.7", "10.1.0.5", 53), "outside", "inside", "access-group in") == 14);
  // inside has no ACL: the global rules replace the security level (assumption listed).
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "198.51.100.7", 80), "inside", "outside").may);
  CHECK(fate(d, udp("10.1.0.5", "198.51.100.7", 53), "inside", "outside").must);
  CHECK(relies(d, "asa: with an access-group global"));
  CHECK_FALSE(relies(device(kBase), "asa: with an access-group global"));
}

TEST_CASE("asa binding conversion: out ACLs filter on egress after the in decision") {
  const auto d = device(std::string(kBase) +
                        "access-list DMZ_OUT extended permit tcp any any eq 80\n"
                        "access-group DMZ_OUT out interface dmz\n");
  CHECK(fate(d, tcp("10.1.0.5", "172.16.1.9", 80), "inside", "dmz").must);
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "172.16.1.9", 22), "inside", "dmz").may);
  // The out ACL does not open lower-to-higher.
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "172.16.1.9", 80), "outside", "dmz").may);
  CHECK(fate(d, tcp("10.1.0.5", "198.51.100.7", 22), "inside", "outside").must);
}

TEST_CASE("asa binding conversion: same-security-traffic, with and without ACLs") {
  const std::string two =
      "ASA Version 9.8\ninterface G0/0\n nameif a\n security-level 50\n"
      "interface G0/1\n nameif b\n security-level 50\n";
  const auto closed = device(two);
  CHECK_FALSE(fate(closed, tcp("10.0.0.1", "10.0.1.1", 80), "a", "b").may);
  const auto open = device(two + "same-security-traffic permit inter-interface\n");
  CHECK(fate(open, tcp("10.0.0.1", "10.0.1.1", 80), "a", "b").must);
  CHECK_FALSE(fate(open, tcp("10.0.0.1", "10.0.0.2", 80), "a", "a").may);
  const auto hairpin = device(two + "same-security-traffic permit intra-interface\n");
  CHECK(fate(hairpin, tcp("10.0.0.1", "10.0.0.2", 80), "a", "a").must);
  // An ACL permitting a -> b does not override the same-level rule (assumption listed).
  const auto acl = device(two + "access-list A extended permit ip any any\naccess-group A in interface a\n");
  CHECK_FALSE(fate(acl, tcp("10.0.0.1", "10.0.1.1", 80), "a", "b").may);
  CHECK(relies(acl, "asa: traffic between two interfaces of the same security level"));
  CHECK_FALSE(relies(open, "asa: traffic between two interfaces of the same security level"));
}

TEST_CASE("asa binding conversion: default levels, shutdown, no nameif, management-only") {
  const auto d = device(
      "ASA Version 9.8\ninterface G0/0\n nameif inside\ninterface G0/1\n nameif outside\n"
      "interface G0/2\n nameif dmz\n security-level 50\n shutdown\n"
      "interface G0/3\n no nameif\n security-level 90\n"
      "interface Management0/0\n nameif management\n security-level 100\n management-only\n");
  // `inside` without security-level is 100, any other name 0 (assumption listed).
  CHECK(fate(d, tcp("10.1.0.5", "198.51.100.7", 443), "inside", "outside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").may);
  CHECK(relies(d, "asa: an interface without security-level"));
  // A shut down interface and a management-only one carry no transit.
  CHECK_FALSE(fate(d, tcp("10.1.0.5", "172.16.1.9", 443), "inside", "dmz").may);
  CHECK_FALSE(fate(d, tcp("10.9.0.5", "198.51.100.7", 443), "management", "outside").may);
  // `no nameif`: not an interface of the model.
  CHECK(d.interfaces.size() == 4);
}

TEST_CASE("asa binding warnings: bindings of unknown interfaces and missing ACLs") {
  const auto d = device(std::string(kBase) + "access-group NOPE in interface outside\n"  // 14
                                             "access-group X in interface ghost\n");    // 15
  // A bound ACL with no entry in the file: it may permit anything (unproven), then implicit deny.
  const auto f = fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside");
  CHECK(f.may);
  CHECK_FALSE(f.must);
  REQUIRE(unparsed_at(d, 14));
  CHECK(unparsed_at(d, 14)->reason == "access-list NOPE has no entries in this file");
  REQUIRE(unparsed_at(d, 15));
  bool undefined_acl = false, undefined_if = false;
  for (const auto& o : d.object_issues) {
    undefined_acl |= o.object_type == "access-list" && o.name == "NOPE";
    undefined_if |= o.object_type == "interface" && o.name == "ghost";
  }
  CHECK(undefined_acl);
  CHECK(undefined_if);
  // Absence: a clean config has neither.
  CHECK(device(kBase).object_issues.empty());
  CHECK(device(kBase).coverage.at(0).unparsed.empty());
}

}  // namespace
}  // namespace sanso::test::asa
