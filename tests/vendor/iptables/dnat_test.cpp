// Destination NAT: nat PREROUTING (with its user chains) -> model::Device::destination_nat.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

TEST_CASE("dnat extraction and conversion: first-match entries with their translations") {
  const auto d = load_device({"dnat.rules"});
  const auto& nat = d.destination_nat;
  // ACCEPT (line 7), PUBLISH's two DNATs through the jump (12 and 13 via 8; 13's address is not
  // one), DNAT (9), the DNAT with two targets (10: anywhere, uncertain), then the chain policy.
  REQUIRE(nat.size() == 6);
  CHECK(nat[0].evidence[0].line == 7);
  CHECK(!nat[0].to);  // ACCEPT: no translation
  CHECK(nat[1].evidence[0].line == 12);
  CHECK(nat[1].evidence[1].line == 8);  // the jump that leads there
  REQUIRE(nat[1].to);
  CHECK(nat[1].to->lo == ip("10.0.0.10"));
  CHECK(nat[1].to->hi == ip("10.0.0.11"));
  REQUIRE(nat[1].to_ports);
  CHECK(nat[1].to_ports->first == 443);
  REQUIRE(nat[1].in);
  CHECK(nat[1].in->pattern == "eth1");
  CHECK(nat[1].match.contains(tcp("198.51.100.1", "203.0.113.10", 8443)));
  CHECK(nat[2].evidence[0].line == 13);
  CHECK(nat[2].uncertain);
  CHECK(nat[3].evidence[0].line == 9);
  REQUIRE(nat[3].to);
  CHECK(!nat[3].to_ports);
  CHECK(nat[4].evidence[0].line == 10);
  CHECK(nat[4].uncertain);
  REQUIRE(nat[4].to);
  CHECK(nat[4].to->hi == model::family_max(model::Family::V4));
  CHECK(!nat[5].to);  // policy ACCEPT
  // Two destinations, or no address at all: not modelled, listed, the device is unproven.
  REQUIRE(d.unmodelled_nat.size() == 2);
  CHECK(d.unmodelled_nat[0].line == 10);
  CHECK(d.unmodelled_nat[1].line == 13);
  const auto& cov = coverage_of(d, "dnat.rules");
  REQUIRE(cov.unparsed.size() == 2);
  CHECK(cov.unparsed[0].line == 10);
  CHECK(cov.unparsed[0].reason == "DNAT target not understood: crossings through this device are unproven");
  CHECK(cov.unparsed[1].line == 13);
}

}  // namespace
}  // namespace sanso::test::iptables
