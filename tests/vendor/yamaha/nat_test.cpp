// `nat descriptor` bound with `ip IF nat descriptor N`: recorded as Device::destination_nat /
// source_nat and applied by analysis (DeviceBehavior::translate).
#include "helpers.h"

namespace sanso::test::yamaha {
namespace {

TEST_CASE("nat conversion: masquerade static with a known outer address is exact DNAT") {
  const auto d = device("nat descriptor type 1 masquerade\n"
                        "nat descriptor address outer 1 203.0.113.1\n"
                        "nat descriptor address inner 1 192.168.0.0/24\n"
                        "nat descriptor masquerade static 1 1 192.168.0.10 tcp 8080=80\n"
                        "nat descriptor masquerade static 1 2 192.168.0.11 esp\n"
                        "ip lan2 nat descriptor 1\n");
  REQUIRE(d.destination_nat.size() == 2);
  const auto& web = d.destination_nat[0];
  CHECK_FALSE(web.uncertain);
  REQUIRE(web.in);
  CHECK(web.in->pattern == "lan2");
  CHECK(model::format_range(*web.to) == "192.168.0.10");
  CHECK(*web.to_ports == std::make_pair(std::uint16_t{80}, std::uint16_t{80}));
  CHECK(web.match.contains(tcp("198.51.100.1", "203.0.113.1", 8080)));
  CHECK_FALSE(web.match.contains(tcp("198.51.100.1", "203.0.113.2", 8080)));
  CHECK(web.evidence[0].line == 4);
  CHECK(web.evidence[1].line == 6);
  CHECK(d.destination_nat[1].match.contains(proto("198.51.100.1", "203.0.113.1", 50)));
  REQUIRE(d.source_nat.size() == 1);
  CHECK(d.source_nat[0].out->pattern == "lan2");
  CHECK(d.source_nat[0].match.contains(tcp("192.168.0.5", "8.8.8.8", 443)));
  CHECK_FALSE(d.source_nat[0].match.contains(tcp("192.168.1.5", "8.8.8.8", 443)));
  CHECK(d.unmodelled_nat.empty());
  CHECK(has_assumption(d, "NAT descriptor"));

  // Applied: a packet to the outer address and port 8080 arriving on lan2 leaves for the server.
  analysis::DeviceBehavior b(d.name, analysis::Knowledge::Modelled, &d);
  const auto in = model::PacketSet::of(tcp("198.51.100.1", "203.0.113.1", 8080));
  const auto t = b.translate(in, in, "lan2");
  CHECK(t.rewritten);
  CHECK(t.must.contains(tcp("198.51.100.1", "192.168.0.10", 80)));
  CHECK_FALSE(t.may.contains(tcp("198.51.100.1", "203.0.113.1", 8080)));
}

TEST_CASE("nat conversion: an outer address learnt at run time makes the entries uncertain") {
  const auto d = device("nat descriptor type 1 masquerade\nnat descriptor address outer 1 ipcp\n"
                        "nat descriptor masquerade static 1 1 192.168.0.10 tcp www\n"
                        "nat descriptor masquerade incoming 1 forward 192.168.0.20\n"
                        "pp select 1\n ip pp nat descriptor 1\n");
  REQUIRE(d.destination_nat.size() == 2);
  for (const auto& n : d.destination_nat) {
    CHECK(n.uncertain);
    CHECK(n.in->pattern == "pp1");
  }
  CHECK(model::format_range(*d.destination_nat[1].to) == "192.168.0.20");
}

TEST_CASE("nat conversion: static NAT maps address to address") {
  const auto d = device("nat descriptor type 2 nat\n"
                        "nat descriptor static 2 1 203.0.113.10=192.168.0.10 3\n"
                        "ip lan2 nat descriptor 2\n");
  REQUIRE(d.destination_nat.size() == 3);
  CHECK(d.destination_nat[2].match.contains(tcp("198.51.100.1", "203.0.113.12", 22)));
  CHECK(model::format_range(*d.destination_nat[2].to) == "192.168.0.12");
}

TEST_CASE("nat warnings: unknown types are unmodelled; unbound and undefined descriptors") {
  const auto d = device("nat descriptor type 1 ipv4-to-ipv6\nnat descriptor type 2 masquerade\n"
                        "ip lan2 nat descriptor 1 3\n");
  REQUIRE(d.unmodelled_nat.size() == 1);
  CHECK(d.unmodelled_nat[0].line == 1);
  CHECK(count_reason(d.coverage[0], "crossings through this device are unproven") == 1);
  REQUIRE(d.object_issues.size() == 2);
  CHECK(d.object_issues[0].kind == model::ObjectIssue::Kind::Undefined);
  CHECK(d.object_issues[0].name == "3");
  CHECK(d.object_issues[1].kind == model::ObjectIssue::Kind::Unused);
  CHECK(d.object_issues[1].name == "2");
  const auto none = device("ip lan1 address 192.168.0.1/24\n");
  CHECK(none.destination_nat.empty());
  CHECK(none.source_nat.empty());
  CHECK_FALSE(has_assumption(none, "NAT"));
  REQUIRE(none.interfaces.size() == 1);
  CHECK(model::format_range(none.interfaces[0].addresses[0]) == "192.168.0.0/24");
}

}  // namespace
}  // namespace sanso::test::yamaha
