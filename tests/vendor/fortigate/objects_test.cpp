// Address and service objects: extraction (what was written) and conversion (the exact sets),
// with FortiOS's defaults and the objects sanso cannot resolve offline.
#include <doctest/doctest.h>

#include "helpers.h"
#include "vendor/fortigate/extract.h"
#include "vendor/fortigate/resolve.h"

namespace sanso::test::fortigate {
namespace {

using vendor::fortigate::AddrBounds;
using vendor::fortigate::FortigateConfig;
using vendor::fortigate::Resolver;

const char* kObjects =
    "config firewall address\n"                         // 1
    "    edit \"net1\"\n"                               // 2
    "        set subnet 10.1.0.0 255.255.0.0\n"         // 3
    "    next\n"                                        // 4
    "    edit \"range1\"\n"                             // 5
    "        set type iprange\n"                        // 6
    "        set start-ip 10.2.0.10\n"                  // 7
    "        set end-ip 10.2.0.20\n"                    // 8
    "    next\n"                                        // 9
    "    edit \"web\"\n"                                // 10
    "        set type fqdn\n"                           // 11
    "        set fqdn \"www.example.com\"\n"            // 12
    "    next\n"                                        // 13
    "    edit \"jp\"\n"                                 // 14
    "        set type geography\n"                      // 15
    "        set country \"JP\"\n"                      // 16
    "    next\n"                                        // 17
    "    edit \"host5\"\n"                              // 18
    "        set subnet 10.1.0.5/32\n"                  // 19
    "        set color 3\n"                             // 20
    "    next\n"                                        // 21
    "end\n"                                             // 22
    "config firewall addrgrp\n"                         // 23
    "    edit \"inner\"\n"                              // 24
    "        set member \"range1\"\n"                   // 25
    "    next\n"                                        // 26
    "    edit \"outer\"\n"                              // 27
    "        set member \"inner\" \"net1\"\n"           // 28
    "        set exclude enable\n"                      // 29
    "        set exclude-member \"host5\"\n"            // 30
    "    next\n"                                        // 31
    "    edit \"loop\"\n"                               // 32
    "        set member \"loop\"\n"                     // 33
    "    next\n"                                        // 34
    "end\n"                                             // 35
    "config firewall address6\n"                        // 36
    "    edit \"v6net\"\n"                              // 37
    "        set ip6 2001:db8:1::/48\n"                 // 38
    "    next\n"                                        // 39
    "end\n"                                             // 40
    "config firewall addrgrp6\n"                        // 41
    "    edit \"v6grp\"\n"                              // 42
    "        set member \"v6net\"\n"                    // 43
    "    next\n"                                        // 44
    "end\n"                                             // 45
    "config firewall service custom\n"                  // 46
    "    edit \"multi\"\n"                              // 47
    "        set tcp-portrange 80 8000-8080:1024-2048\n" // 48
    "        set udp-portrange 53\n"                    // 49
    "        set sctp-portrange 2905\n"                 // 50
    "    next\n"                                        // 51
    "    edit \"echo\"\n"                               // 52
    "        set protocol ICMP\n"                       // 53
    "        set icmptype 8\n"                          // 54
    "        set icmpcode 0\n"                          // 55
    "    next\n"                                        // 56
    "    edit \"gre\"\n"                                // 57
    "        set protocol IP\n"                         // 58
    "        set protocol-number 47\n"                  // 59
    "    next\n"                                        // 60
    "    edit \"to-range\"\n"                           // 61
    "        set tcp-portrange 22\n"                    // 62
    "        set iprange 10.9.0.1-10.9.0.2\n"           // 63
    "    next\n"                                        // 64
    "    edit \"switched\"\n"                           // 65
    "        set tcp-portrange 25\n"                    // 66
    "        set protocol ICMP\n"                       // 67
    "    next\n"                                        // 68
    "end\n"                                             // 69
    "config firewall service group\n"                   // 70
    "    edit \"grp\"\n"                                // 71
    "        set member \"echo\" \"HTTPS\"\n"           // 72
    "    next\n"                                        // 73
    "end\n";                                            // 74

struct Fixture {
  std::string text = kObjects;
  vendor::fortigate::CliTree tree = vendor::fortigate::build_tree(text);
  FortigateConfig cfg = vendor::fortigate::extract("obj.conf", tree, "root");
};

bool has(const AddrBounds& b, const char* a) {
  const auto x = model::parse_ip(a);
  for (const auto& r : b.over)
    if (r.family == x->family && r.lo <= x->value && x->value <= r.hi) return true;
  return false;
}

TEST_CASE("fortigate objects extraction: addresses and groups as written") {
  Fixture f;
  REQUIRE(f.cfg.addresses.size() == 6);
  CHECK(f.cfg.addresses[0].subnet == model::parse_cidr("10.1.0.0/16"));
  CHECK(f.cfg.addresses[1].type == "iprange");
  CHECK(f.cfg.addresses[1].range == model::IpRange{model::Family::V4, ip("10.2.0.10"), ip("10.2.0.20")});
  CHECK(f.cfg.addresses[2].type == "fqdn");
  CHECK(f.cfg.addresses[5].family == model::Family::V6);
  REQUIRE(f.cfg.addrgrps.size() == 4);
  CHECK(f.cfg.addrgrps[1].exclude);
  CHECK(f.cfg.addrgrps[1].exclude_members.names == std::vector<std::string>{"host5"});
  CHECK(f.cfg.unparsed.empty());  // `set color` is cosmetic
}

TEST_CASE("fortigate objects conversion: nested groups, exclude, negation, unresolvable") {
  Fixture f;
  Resolver r(f.cfg);
  const auto outer = r.addresses({"outer"}, model::Family::V4, false, false, 99);
  CHECK(outer.why.empty());
  CHECK(has(outer, "10.2.0.15"));  // inner -> range1
  CHECK(has(outer, "10.1.200.1"));
  CHECK_FALSE(has(outer, "10.1.0.5"));  // excluded host5
  CHECK_FALSE(has(outer, "10.2.0.21"));
  // An FQDN (or geography) address: every address may match (over), none surely (under).
  const auto web = r.addresses({"web", "net1"}, model::Family::V4, true, false, 99);
  REQUIRE(web.why.size() == 1);
  CHECK(web.why[0] == "address web of type fqdn cannot be resolved offline");
  CHECK(has(web, "192.0.2.1"));
  CHECK(web.under == vendor::fortigate::Ranges{*model::parse_cidr("10.1.0.0/16")});
  // Negated, the bounds swap: "not (web or net1)" may be anything outside net1, surely nothing.
  const auto neg = r.addresses({"web", "net1"}, model::Family::V4, true, true, 99);
  CHECK(has(neg, "192.0.2.1"));
  CHECK_FALSE(has(neg, "10.1.2.3"));
  CHECK(neg.under.empty());
  // Defaults and built-ins: `all`, `none`; undefined names and cycles are unresolvable.
  CHECK(has(r.addresses({"all"}, model::Family::V4, false, false, 1), "8.8.8.8"));
  CHECK(r.addresses({"none"}, model::Family::V4, false, false, 1).over.empty());
  CHECK(r.addresses({"nosuch"}, model::Family::V4, false, false, 77).why.size() == 1);
  REQUIRE(r.undefined().size() == 1);
  CHECK(r.undefined()[0].line == 77);
  CHECK_FALSE(r.addresses({"loop"}, model::Family::V4, false, false, 1).why.empty());
  CHECK(r.unresolved_lines().at(11) == "address of type fqdn cannot be resolved offline");
  // IPv6 names live in their own namespace.
  const auto v6 = r.addresses({"v6grp"}, model::Family::V6, false, false, 1);
  CHECK(v6.why.empty());
  CHECK(has(v6, "2001:db8:1:ffff::1"));
  CHECK_FALSE(r.addresses({"v6grp"}, model::Family::V4, false, false, 1).why.empty());
}

TEST_CASE("fortigate services conversion: port ranges dst:src, ICMP, protocol number, iprange") {
  Fixture f;
  Resolver r(f.cfg);
  const auto multi = r.services({"multi"}, false, 1);
  CHECK(multi.why.empty());
  CHECK(multi.over.contains(tcp("1.1.1.1", "2.2.2.2", 80, 5)));
  CHECK(multi.over.contains(tcp("1.1.1.1", "2.2.2.2", 8040, 1500)));
  CHECK_FALSE(multi.over.contains(tcp("1.1.1.1", "2.2.2.2", 8040, 3000)));  // source outside 1024-2048
  CHECK(multi.over.contains(udp("1.1.1.1", "2.2.2.2", 53)));
  CHECK_FALSE(multi.over.contains(udp("1.1.1.1", "2.2.2.2", 80)));
  model::Packet sctp = tcp("1.1.1.1", "2.2.2.2", 2905);
  sctp.proto = model::kProtoSctp;
  sctp.tcp_flags = 0;
  CHECK(multi.over.contains(sctp));
  const auto echo = r.services({"echo"}, false, 1).over;
  CHECK(echo.contains(icmp("1.1.1.1", "2.2.2.2", 8, 0)));
  CHECK_FALSE(echo.contains(icmp("1.1.1.1", "2.2.2.2", 8, 1)));
  CHECK_FALSE(echo.contains(icmp("1.1.1.1", "2.2.2.2", 0, 0)));
  CHECK(r.services({"gre"}, false, 1).over.contains(proto("1.1.1.1", "2.2.2.2", 47)));
  CHECK_FALSE(r.services({"gre"}, false, 1).over.contains(proto("1.1.1.1", "2.2.2.2", 50)));
  const auto ranged = r.services({"to-range"}, false, 1).over;
  CHECK(ranged.contains(tcp("1.1.1.1", "10.9.0.2", 22)));
  CHECK_FALSE(ranged.contains(tcp("1.1.1.1", "10.9.0.3", 22)));
  // Changing the protocol drops the earlier port range: "switched" is any ICMP.
  const auto sw = r.services({"switched"}, false, 1).over;
  CHECK(sw.contains(icmp("1.1.1.1", "2.2.2.2", 13)));
  CHECK_FALSE(sw.contains(tcp("1.1.1.1", "2.2.2.2", 25)));
  // Groups and predefined services (HTTPS is not defined in the file: the built-in table).
  const auto grp = r.services({"grp"}, false, 1).over;
  CHECK(grp.contains(tcp("1.1.1.1", "2.2.2.2", 443)));
  CHECK(grp.contains(icmp("1.1.1.1", "2.2.2.2", 8)));
  CHECK(r.predefined_used() == std::set<std::string>{"HTTPS"});
  // service-negate: everything but the group.
  const auto neg = r.services({"grp"}, true, 1).over;
  CHECK(neg.contains(tcp("1.1.1.1", "2.2.2.2", 80)));
  CHECK_FALSE(neg.contains(tcp("1.1.1.1", "2.2.2.2", 443)));
  // An undefined service may be anything.
  const auto none = r.services({"nosuch"}, false, 5);
  CHECK(none.why == std::vector<std::string>{"service nosuch is not defined"});
  CHECK(none.under.empty());
}

TEST_CASE("fortigate objects warnings: unknown keys are listed, bad values make objects unresolved") {
  const auto d = device(
      "config firewall address\n"
      "    edit a\n"
      "        set subnet 10.0.0.0 255.0.255.0\n"
      "        set frobnicate yes\n"
      "    next\n"
      "end\n"
      "config firewall policy\n"
      "    edit 1\n"
      "        set srcintf any\n"
      "        set dstintf any\n"
      "        set srcaddr a\n"
      "        set dstaddr all\n"
      "        set service ALL\n"
      "        set action accept\n"
      "    next\n"
      "end\n");
  REQUIRE(unparsed_at(d, 3));
  CHECK(unparsed_at(d, 3)->reason == "address '10.0.0.0 255.0.255.0' not understood");
  REQUIRE(unparsed_at(d, 4));
  CHECK(unparsed_at(d, 4)->reason == "unknown key 'frobnicate' in firewall address a");
  const auto& e = policies(d).entries.at(0);
  CHECK(e.uncertain);
  CHECK(e.uncertain_why == "address a: address '10.0.0.0 255.0.255.0' not understood");
}

TEST_CASE("fortigate objects absence: a clean object section leaves no coverage note") {
  const auto d = device("config firewall address\n edit a\n  set subnet 10.0.0.0/8\n next\nend\n");
  CHECK(d.coverage.at(0).unparsed.empty());
  CHECK(d.object_issues.empty());
}

}  // namespace
}  // namespace sanso::test::fortigate
