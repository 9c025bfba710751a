// AddressPlan: most specific CIDR decides; catch-alls never claim special or private space.
#include <doctest/doctest.h>

#include "topology/address_plan.h"

using namespace sanso;
using namespace sanso::topology;
using Lines = std::vector<std::string>;

namespace {

Segment segment(const std::string& name, const std::string& zone,
                std::initializer_list<const char*> cidrs) {
  Segment s;
  s.name = name;
  s.zone = zone;
  for (const char* c : cidrs) s.cidrs.push_back(*model::parse_cidr(c));
  return s;
}

Topology make_topology(std::vector<Segment> segments) {
  Topology t;
  for (auto [name, tier] : {std::pair{"mynumber", Tier::Mynumber}, {"lgwan", Tier::Lgwan},
                            {"internet", Tier::Internet}}) {
    Zone z;
    z.name = name;
    z.tier = tier;
    z.is_tier = true;
    t.zones.push_back(z);
  }
  t.segments = std::move(segments);
  return t;
}

std::string owner(const AddressPlan& plan, const char* ip) {
  const Segment* s = plan.segment_of(*model::parse_ip(ip));
  return s ? s->name : "-";
}

Lines text(const std::vector<model::IpRange>& ranges) {
  Lines out;
  for (const auto& r : ranges) out.push_back(model::format_range(r));
  return out;
}

}  // namespace

TEST_CASE("the most specific CIDR decides") {
  const Topology t = make_topology({segment("a", "lgwan", {"10.0.0.0/8"}),
                               segment("c", "lgwan", {"10.1.2.0/24"}),
                               segment("b", "lgwan", {"10.1.0.0/16"})});
  const AddressPlan plan(t);
  CHECK(owner(plan, "10.1.2.3") == "c");
  CHECK(owner(plan, "10.1.3.3") == "b");
  CHECK(owner(plan, "10.1.1.255") == "b");
  CHECK(owner(plan, "10.2.0.0") == "a");
  CHECK(owner(plan, "10.255.255.255") == "a");
  CHECK(owner(plan, "11.0.0.0") == "-");
  CHECK(owner(plan, "9.255.255.255") == "-");
  CHECK(text(plan.space_of_segment("b")) == Lines{"10.1.0.0/23", "10.1.3.0-10.1.255.255"});
  CHECK(text(plan.space_of_segment("a")) == Lines{"10.0.0.0/16", "10.2.0.0-10.255.255.255"});
  CHECK(text(plan.space_of_zone("lgwan")) == Lines{"10.0.0.0/8"});
  CHECK(plan.space_of_segment("nope").empty());
  // Nothing undeclared in 10/8 any more; the other private blocks are.
  CHECK(text(plan.undeclared_private_space()) ==
        Lines{"172.16.0.0/12", "192.168.0.0/16", "fc00::/7"});
}

TEST_CASE("a catch-all holds neither special-purpose addresses nor undeclared private space") {
  const Topology t = make_topology({segment("world", "internet", {"0.0.0.0/0", "::/0"}),
                               segment("lan", "lgwan", {"10.1.0.0/16"}),
                               segment("mcast", "lgwan", {"239.1.0.0/16"})});
  const AddressPlan plan(t);
  CHECK(owner(plan, "8.8.8.8") == "world");
  CHECK(owner(plan, "2001:db8::1") == "world");
  CHECK(owner(plan, "fe00::1") == "world");
  CHECK(owner(plan, "10.1.0.1") == "lan");
  CHECK(owner(plan, "239.1.2.3") == "mcast");  // declared by a real segment: it belongs there
  for (const char* special : {"0.0.0.1", "127.0.0.1", "169.254.1.1", "224.0.0.5", "239.2.0.1",
                              "255.255.255.255", "::1", "fe80::1", "ff02::1"})
    CHECK_MESSAGE(owner(plan, special) == "-", special);
  for (const char* priv : {"10.2.0.1", "172.20.0.1", "192.168.1.1", "fd00::1"}) {
    CHECK_MESSAGE(owner(plan, priv) == "-", priv);
    CHECK_MESSAGE(plan.is_undeclared_private(*model::parse_ip(priv)), priv);
  }
  CHECK_FALSE(plan.is_undeclared_private(*model::parse_ip("10.1.0.1")));
  CHECK_FALSE(plan.is_undeclared_private(*model::parse_ip("8.8.8.8")));
  CHECK(text(plan.undeclared_private_space()) ==
        Lines{"10.0.0.0/16", "10.2.0.0-10.255.255.255", "172.16.0.0/12", "192.168.0.0/16",
              "fc00::/7"});
  const Lines world = text(plan.space_of_segment("world"));
  REQUIRE(world.size() >= 3);
  CHECK(world[0] == "1.0.0.0-9.255.255.255");
  CHECK(world[1] == "11.0.0.0-126.255.255.255");
  CHECK(world[world.size() - 2] == "fe00::/9");  // fe80::/10 and ff00::/8 cut away at the top
  CHECK(world.back() == "fec0::/10");
}

TEST_CASE("range helpers") {
  auto r = [](const char* c) { return *model::parse_cidr(c); };
  CHECK(text(merge_ranges({r("10.0.1.0/24"), r("10.0.0.0/24"), r("::/0")})) ==
        Lines{"10.0.0.0/23", "::/0"});
  CHECK(text(subtract_ranges({r("10.0.0.0/8")}, {r("10.0.0.0/9"), r("10.255.0.0/16")})) ==
        Lines{"10.128.0.0-10.254.255.255"});
  CHECK(text(subtract_ranges({r("::/0")}, {r("::/0")})).empty());
}
