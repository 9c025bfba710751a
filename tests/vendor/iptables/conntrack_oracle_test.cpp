// Conntrack matches where the kernel oracle (tests/oracle) showed sanso wrong: the raw table
// runs before conntrack, and DNAT makes a connection's original destination differ from the
// packet's.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

TEST_CASE("matches conversion: in the raw table connection-opening packets are INVALID") {
  const auto d = load_device({"raw_state.rules"});
  const auto& f = stage(d, "raw PREROUTING");
  // --ctstate NEW matches nothing before conntrack, nor does --ctproto without a state
  // option: the tcp packet reaches the policy (line 3).
  const auto* syn = first_match(f, tcp("10.9.0.1", "10.1.0.1", 80));
  REQUIRE(syn);
  CHECK(syn->evidence[0].line == 3);
  CHECK(syn->action == model::Action::Permit);
  // --state INVALID matches every packet there.
  const auto* dns = first_match(f, udp("10.9.0.1", "10.1.0.1", 53));
  REQUIRE(dns);
  CHECK(dns->evidence[0].line == 6);
  CHECK(dns->action == model::Action::Deny);
  CHECK_FALSE(dns->uncertain);
  // ! --ctstate INVALID matches nothing (no NOTRACK here): the echo request passes.
  const auto* ping = first_match(f, icmp("10.9.0.1", "10.1.0.1", 8));
  REQUIRE(ping);
  CHECK(ping->evidence[0].line == 3);
  // With a state option the kernel checks nothing else: --ctproto udp does not stop GRE.
  model::Packet gre = icmp("10.9.0.1", "10.1.0.1", 0);
  gre.proto = 47;
  gre.icmp_type = 0;
  const auto* tunnel = first_match(f, gre);
  REQUIRE(tunnel);
  CHECK(tunnel->evidence[0].line == 9);
  CHECK(coverage_of(d, "raw_state.rules").unparsed.empty());
}

TEST_CASE("matches conversion: --ctorigdst* is uncertain where DNAT rewrites destinations") {
  const auto d = load_device({"dnat_ctorig.rules"});
  const auto& f = stage(d, "filter FORWARD");
  const auto* port = first_match(f, udp("10.9.0.1", "10.2.0.1", 3389));
  REQUIRE(port);
  CHECK(port->evidence[0].line == 8);
  CHECK(port->uncertain);
  // The original source is the packet's: SNAT comes after the filters.
  const auto* src = first_certain_match(f, udp("10.9.0.1", "10.2.0.1", 3389));
  REQUIRE(src);
  CHECK(src->evidence[0].line == 9);
  CHECK(coverage_of(d, "dnat_ctorig.rules").unparsed.size() == 1);
}

}  // namespace
}  // namespace sanso::test::iptables
