// -m set resolved from an `ipset save` file (extraction, conversion) and unresolved (warnings).
#include <doctest/doctest.h>

#include "helpers.h"
#include "vendor/iptables/ipset.h"

namespace sanso::test::iptables {
namespace {

TEST_CASE("ipset extraction: hash:ip and hash:net members, other types uncertain") {
  const auto cfg = vendor::iptables::parse_ipsets("ipset.conf", read_text(data_path("ipset.conf")));
  CHECK(cfg.lines == 7);
  REQUIRE(cfg.sets.size() == 3);
  const auto* allowed = vendor::iptables::find_set(cfg, "allowed");
  REQUIRE(allowed);
  CHECK(allowed->type == "hash:ip");
  CHECK(allowed->line == 1);
  REQUIRE(allowed->members.size() == 2);
  CHECK(allowed->members[1].lo == ip("192.168.22.51"));
  CHECK_FALSE(allowed->uncertain);
  const auto* nets = vendor::iptables::find_set(cfg, "nets");
  REQUIRE(nets);
  REQUIRE(nets->members.size() == 1);
  CHECK(nets->members[0].lo == ip("10.20.0.0"));
  CHECK(nets->members[0].hi == ip("10.20.255.255"));
  const auto* ports = vendor::iptables::find_set(cfg, "ports_set");
  REQUIRE(ports);
  CHECK(ports->uncertain == "set type hash:ip,port is not modelled");
  CHECK(cfg.unparsed.empty());
}

TEST_CASE("ipset conversion: --match-set src and ! --match-set dst resolve to addresses") {
  const auto d = load_device({"ipset.rules"}, "ipset.conf");
  const auto& f = stage(d, "filter FORWARD");
  const auto* e = first_match(f, tcp("192.168.22.50", "8.8.8.8", 443), "wlan0", "eth0");
  REQUIRE(e);
  CHECK(e->evidence[0].line == 4);
  CHECK_FALSE(e->uncertain);
  CHECK(e->action == model::Action::Permit);
  // Not in the set: on to the next rules (the udp one does not match tcp).
  const auto* other = first_match(f, tcp("192.168.22.52", "8.8.8.8", 443), "wlan0", "eth0");
  REQUIRE(other);
  CHECK(other->evidence[0].line == 6);  // the unresolved set: uncertain
  CHECK(other->uncertain);
  // ! --match-set nets dst: udp to 10.20/16 is not accepted by line 5.
  const auto* inside = first_match(f, udp("192.168.1.1", "10.20.1.1", 53));
  REQUIRE(inside);
  CHECK(inside->evidence[0].line == 6);
  const auto* outside = first_match(f, udp("192.168.1.1", "10.21.1.1", 53));
  REQUIRE(outside);
  CHECK(outside->evidence[0].line == 5);
  CHECK_FALSE(outside->uncertain);
}

TEST_CASE("ipset warnings: sets not in the file, of unmodelled types, or with no file at all") {
  const auto d = load_device({"ipset.rules"}, "ipset.conf");
  const auto& cov = coverage_of(d, "ipset.rules");
  REQUIRE(cov.unparsed.size() == 2);
  CHECK(cov.unparsed[0].line == 6);
  CHECK(cov.unparsed[0].reason == "set missing is not in the ipset file");
  CHECK(cov.unparsed[1].line == 7);
  CHECK(cov.unparsed[1].reason == "set type hash:ip,port is not modelled");
  CHECK(coverage_of(d, "ipset.conf").unparsed.empty());

  const auto bare = load_device({"ipset.rules"});
  const auto& cov2 = coverage_of(bare, "ipset.rules");
  REQUIRE(cov2.unparsed.size() == 4);
  CHECK(cov2.unparsed[0].line == 4);
  CHECK(cov2.unparsed[0].reason == "set allowed: no ipset file given");
  const auto* e = first_match(stage(bare, "filter FORWARD"),
                              tcp("192.168.22.50", "8.8.8.8", 443), "wlan0", "eth0");
  REQUIRE(e);
  CHECK(e->uncertain);
  CHECK(e->uncertain_why == "set allowed: no ipset file given");
}

}  // namespace
}  // namespace sanso::test::iptables
