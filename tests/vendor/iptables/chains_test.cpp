// User chains flattened into first-match entries: jump, goto, RETURN (conversion), and a chain
// loop (warnings).
#include <doctest/doctest.h>

#include <algorithm>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

using model::Action;

TEST_CASE("chains conversion: jump, goto and RETURN keep iptables' first-match semantics") {
  const auto d = load_device({"jump_goto.rules"});
  const auto& f = stage(d, "filter FORWARD");
  const auto permitted = permitted_set(f);

  // web: port 80 accepted unless the source RETURNed first (10.0.2.0/24).
  CHECK(permitted.contains(tcp("10.0.7.1", "10.0.1.1", 80)));
  CHECK_FALSE(permitted.contains(tcp("10.0.2.1", "10.0.1.1", 80)));
  // ... and after the RETURN the FORWARD rules apply again (tcp/22 accepted).
  CHECK(permitted.contains(tcp("10.0.2.1", "10.0.1.1", 22)));
  // admin: 10.0.3.5 accepted before admin's RETURN of 10.0.3.0/24.
  CHECK(permitted.contains(udp("10.0.3.5", "10.0.1.1", 53)));
  // 10.0.3.7 returns from admin to web, whose tcp DROP then wins over FORWARD's tcp/22.
  CHECK_FALSE(permitted.contains(tcp("10.0.3.7", "10.0.1.1", 22)));
  CHECK_FALSE(permitted.contains(udp("10.0.3.7", "10.0.1.1", 53)));
  // Other sources reach admin's udp ACCEPT; their tcp/22 hits web's DROP.
  CHECK(permitted.contains(udp("10.0.4.1", "10.0.1.1", 53)));
  CHECK_FALSE(permitted.contains(tcp("10.0.4.1", "10.0.1.1", 22)));
  // goto: a RETURN from gotochain ends FORWARD (policy DROP), it does not resume after -g.
  CHECK(permitted.contains(tcp("10.0.9.1", "10.0.5.1", 443)));
  CHECK_FALSE(permitted.contains(tcp("10.0.9.1", "10.0.5.1", 22)));
  CHECK_FALSE(permitted.contains(udp("10.0.9.1", "10.0.5.1", 53)));
  // Neither chain: FORWARD's own rule and policy.
  CHECK(permitted.contains(tcp("10.0.5.1", "10.0.5.2", 22)));
  CHECK_FALSE(permitted.contains(udp("10.0.5.1", "10.0.5.2", 22)));
}

TEST_CASE("chains conversion: evidence lists the rule, then each jump line, innermost first") {
  const auto d = load_device({"jump_goto.rules"});
  const auto& f = stage(d, "filter FORWARD");
  const auto* admin_accept = first_match(f, udp("10.0.3.5", "10.0.1.1", 53));
  REQUIRE(admin_accept);
  CHECK(admin_accept->action == Action::Permit);
  CHECK(evidence_lines(*admin_accept) == std::vector<int>{16, 14, 9});
  CHECK(admin_accept->evidence[0].text == "-A admin -s 10.0.3.5/32 -j ACCEPT");
  CHECK(admin_accept->evidence[0].file == "jump_goto.rules");
  CHECK(admin_accept->normalized_text == "filter admin: -A admin -s 10.0.3.5/32 -j ACCEPT");
  CHECK_FALSE(admin_accept->uncertain);

  // The goto's return lands on the policy: an entry with the -g line as its evidence.
  const auto* goto_return = first_match(f, tcp("10.0.9.1", "10.0.5.1", 22));
  REQUIRE(goto_return);
  CHECK(goto_return->action == Action::Deny);
  CHECK(evidence_lines(*goto_return) == std::vector<int>{10});

  // The policy is the last entry, for the file's family only; the stage default stays Permit.
  const auto& policy = f.entries.back();
  CHECK(policy.action == Action::Deny);
  CHECK(evidence_lines(policy) == std::vector<int>{4});
  CHECK(policy.evidence[0].text == ":FORWARD DROP [0:0]");
  CHECK(policy.match.same_as(model::PacketSet::family(model::Family::V4)));
  CHECK(f.default_action == Action::Permit);
  CHECK(d.families == std::vector<model::Family>{model::Family::V4});
  // INPUT and OUTPUT are not transit stages.
  CHECK(d.transit.size() == 1);
}

TEST_CASE("chains warnings: a jump loop is reported and becomes an uncertain permit") {
  const auto d = load_device({"loop.rules"});
  const auto& f = stage(d, "filter FORWARD");
  const auto* e = first_match(f, tcp("10.1.1.1", "10.2.2.2", 80));
  REQUIRE(e);
  CHECK(e->action == Action::Permit);
  CHECK(e->uncertain);
  CHECK(e->uncertain_why == "chain loop: a is already being walked");
  CHECK(evidence_lines(*e) == std::vector<int>{7, 6, 5});
  // Outside the loop's condition, b's ACCEPT is certain.
  const auto* ok = first_match(f, tcp("192.168.1.1", "10.2.2.2", 80));
  REQUIRE(ok);
  CHECK_FALSE(ok->uncertain);
  CHECK(evidence_lines(*ok) == std::vector<int>{8, 6, 5});
  const auto& cov = coverage_of(d, "loop.rules");
  REQUIRE(cov.unparsed.size() == 1);
  CHECK(cov.unparsed[0].line == 7);
  CHECK(cov.unparsed[0].reason == "chain loop: a is already being walked");
}

}  // namespace
}  // namespace sanso::test::iptables
