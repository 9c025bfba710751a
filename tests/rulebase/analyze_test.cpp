#include "rulebase/rulebase.h"

#include <doctest/doctest.h>

#include "rulebase_fixture.h"

using namespace sanso;
using namespace sanso::rulebase;
using namespace sanso::rulebase::test;

namespace {

std::vector<Anomaly> of_kind(const FilterAnalysis& a, AnomalyKind k) {
  std::vector<Anomaly> out;
  for (const auto& x : a.anomalies)
    if (x.kind == k) out.push_back(x);
  return out;
}

std::string kinds(const FilterAnalysis& a) {
  std::string out;
  for (const auto& x : a.anomalies)
    out += std::string(out.empty() ? "" : " ") + std::string(to_string(x.kind)) + "@" +
           std::to_string(x.entry);
  return out;
}

}  // namespace

TEST_CASE("shadowed: a rule that earlier rules cover together, with its blockers") {
  const auto f = filter_of({{src("10.0.0.0/25") & tcp(443, 443), D},
                            {src("10.0.0.128/25") & tcp(443, 443), D},
                            {src("10.0.0.5/32") & tcp(443, 443), P},
                            {src("10.0.0.0/24") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  const auto s = of_kind(a, AnomalyKind::Shadowed);
  REQUIRE(s.size() == 2);
  CHECK(s[0].entry == 2);
  CHECK(s[0].related == std::vector<std::size_t>{0});
  CHECK(s[1].entry == 3);
  CHECK(s[1].related == std::vector<std::size_t>{0, 1});
  REQUIRE(s[1].witness);
  CHECK(f.entries[3].match.contains(*s[1].witness));
  CHECK(f.entries[0].match.contains(*s[1].witness));
  CHECK_FALSE(a.reachable[3]);
  CHECK(a.is_default[4]);
}

TEST_CASE("shadowed: absent when one packet still reaches the rule") {
  const auto f = filter_of({{src("10.0.0.0/25") & tcp(443, 443), D},
                            {src("10.0.0.0/24") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(of_kind(a, AnomalyKind::Shadowed).empty());
  CHECK(a.reachable[1]);
}

TEST_CASE("shadowed: an empty match (rule for replies only) is not shadowed by anything") {
  const auto f = filter_of({{model::PacketSet::none(), P}, {v4(), D}});
  CHECK(of_kind(analyze_filter(f), AnomalyKind::Shadowed).empty());
}

TEST_CASE("the final catch-all is the default: never shadowed or redundant") {
  // The explicit "-j DROP" before the DROP policy is redundant; the policy is not reported.
  const auto f = filter_of({{src("10.0.0.0/24") & tcp(22, 22), P}, {v4(), D}, {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(kinds(a) == "redundant@1");
  CHECK(a.is_default[2]);
  CHECK_FALSE(a.is_default[1]);
}

TEST_CASE("a vendor's implicit deny written as an entry (no line) is a default, never shadowed") {
  // ASA / YAMAHA: an interface's list ends in an implicit deny the parser writes as an entry
  // with an interface condition; an explicit catch-all before it leaves it dead by design.
  auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), P, "inside"},
                      {v4(), D, "inside"},
                      {v4(), D, "inside"}});
  f.entries[2].evidence = {{"asa.cfg", std::nullopt, std::nullopt, "implicit deny"}};
  auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(a.is_default[2]);
  CHECK(of_kind(a, AnomalyKind::Shadowed).empty());
  // The same entry with a line of its own is a rule someone wrote, and it is shadowed.
  f.entries[2].evidence = {{"asa.cfg", 9, std::nullopt, "access-list IN deny ip any any"}};
  a = analyze_filter(f);
  INFO(kinds(a));
  CHECK_FALSE(a.is_default[2]);
  CHECK(of_kind(a, AnomalyKind::Shadowed).size() == 1);
}

TEST_CASE("uncertain entries: an uncertain earlier rule shadows nothing") {
  const auto f = filter_of({{src("10.0.0.0/24"), D, {}, {}, true},
                            {src("10.0.0.5/32") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(of_kind(a, AnomalyKind::Shadowed).empty());
  // ... and is no partner of a correlation either.
  CHECK(of_kind(a, AnomalyKind::Generalization).empty());
  CHECK(of_kind(a, AnomalyKind::Correlated).empty());
}

TEST_CASE("uncertain entries: shadowed only when certain rules cover its whole match") {
  SUBCASE("covered by a certain rule: dead whatever its undecided condition does") {
    const auto f = filter_of({{src("10.0.0.0/24"), D},
                              {src("10.0.0.5/32") & tcp(443, 443), P, {}, {}, true},
                              {v4(), D}});
    const auto s = of_kind(analyze_filter(f), AnomalyKind::Shadowed);
    REQUIRE(s.size() == 1);
    CHECK(s[0].entry == 1);
  }
  SUBCASE("covered only with an uncertain rule's help: not claimed") {
    const auto f = filter_of({{src("10.0.0.0/25"), D},
                              {src("10.0.0.128/25"), D, {}, {}, true},
                              {src("10.0.0.0/24") & tcp(443, 443), P, {}, {}, true},
                              {v4(), D}});
    CHECK(of_kind(analyze_filter(f), AnomalyKind::Shadowed).empty());
  }
}

TEST_CASE("redundant: removing the rule changes no decision") {
  SUBCASE("a later rule of the same action takes its packets") {
    const auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), P},
                              {src("10.0.0.0/24") & tcp(443, 443), P},
                              {v4(), D}});
    const auto r = of_kind(analyze_filter(f), AnomalyKind::Redundant);
    REQUIRE(r.size() == 1);
    CHECK(r[0].entry == 0);
    CHECK(r[0].related == std::vector<std::size_t>{1});
    REQUIRE(r[0].witness);
    CHECK(f.entries[0].match.contains(*r[0].witness));
  }
  SUBCASE("a deny before a deny default") {
    const auto f = filter_of({{src("10.0.0.5/32"), D}, {tcp(443, 443), P}}, model::Action::Deny);
    // The deny keeps 10.0.0.5 from the later permit: not redundant.
    CHECK(of_kind(analyze_filter(f), AnomalyKind::Redundant).empty());
    const auto g = filter_of({{src("10.0.0.5/32"), D}, {tcp(443, 443) & src("10.0.1.0/24"), P}},
                             model::Action::Deny);
    const auto r = of_kind(analyze_filter(g), AnomalyKind::Redundant);
    REQUIRE(r.size() == 1);
    CHECK(r[0].entry == 0);
    CHECK(r[0].related.empty());  // the default decides alike
  }
}

TEST_CASE("redundant: absent when a later rule of another action would decide some packet") {
  const auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), P},
                            {src("10.0.0.0/24") & tcp(443, 443), D},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  // Entry 1 is redundant itself (the default denies alike), entry 0 is not.
  CHECK(kinds(a) == "redundant@1 generalization@1");
}

TEST_CASE("redundant: an uncertain later rule makes it unprovable; uncertain rules are never redundant") {
  const auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), P},
                            {src("10.0.0.0/24") & tcp(443, 443), P, {}, {}, true},
                            {src("10.0.0.0/24") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(of_kind(a, AnomalyKind::Redundant).empty());
}

TEST_CASE("redundant: copies of one rule (same line) are removed together") {
  // Line 7 appears twice (a user chain reached by two jumps): each copy alone is covered by the
  // other, but removing the line lets the packets fall to the default deny.
  const auto f = filter_of({{src("10.0.0.0/24") & tcp(22, 22), P, {}, {}, false, 7},
                            {src("10.0.0.0/24") & tcp(22, 22), P, {}, {}, false, 7}},
                           model::Action::Deny);
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(a.anomalies.empty());
}

TEST_CASE("generalization: a later rule contains an earlier one of another action") {
  const auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), D},
                            {src("10.0.0.0/24") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  const auto g = of_kind(a, AnomalyKind::Generalization);
  REQUIRE(g.size() == 1);
  CHECK(g[0].entry == 1);
  CHECK(g[0].related == std::vector<std::size_t>{0});
  REQUIRE(g[0].witness);
  CHECK(f.entries[0].match.contains(*g[0].witness));
  CHECK(f.entries[1].match.contains(*g[0].witness));
  CHECK(of_kind(a, AnomalyKind::Correlated).empty());
}

TEST_CASE("generalization: absent for the same action, and against the catch-all default") {
  const auto f = filter_of({{src("10.0.0.5/32") & tcp(443, 443), P},
                            {src("10.0.0.0/24") & tcp(443, 443), P},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  CHECK(of_kind(a, AnomalyKind::Generalization).empty());
}

TEST_CASE("correlated: overlapping rules of different actions, neither containing the other") {
  const auto f = filter_of({{src("10.0.0.0/24") & tcp(1, 1000), P},
                            {dst("10.9.0.0/16") & tcp(500, 2000), D},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  const auto c = of_kind(a, AnomalyKind::Correlated);
  REQUIRE(c.size() == 1);
  CHECK(c[0].entry == 1);
  CHECK(c[0].related == std::vector<std::size_t>{0});
  REQUIRE(c[0].witness);
  CHECK(f.entries[0].match.contains(*c[0].witness));
  CHECK(f.entries[1].match.contains(*c[0].witness));
  CHECK(of_kind(a, AnomalyKind::Generalization).empty());
}

TEST_CASE("correlated: absent when the overlap is already taken by an even earlier rule") {
  const auto f = filter_of({{src("10.0.0.0/24") & dst("10.9.0.0/16"), D},
                            {src("10.0.0.0/24") & tcp(1, 1000), P},
                            {dst("10.9.0.0/16") & tcp(500, 2000), D},
                            {v4(), D}});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  // Entries 1 and 2 overlap only where entry 0 decides first; entry 1 does correlate with entry 0.
  CHECK(kinds(a) == "correlated@1 redundant@2");
  CHECK(of_kind(a, AnomalyKind::Correlated).front().related == std::vector<std::size_t>{0});
}

TEST_CASE("interface conditions: rules that cannot hold on the same interfaces are disjoint") {
  SUBCASE("different in-interfaces: no shadowing, no generalization") {
    const auto f = filter_of({{src("10.0.0.0/24"), D, "eth0"},
                              {src("10.0.0.5/32") & tcp(443, 443), P, "eth1"},
                              {src("10.0.0.0/16"), P, "eth1"},
                              {v4(), D}});
    const auto a = analyze_filter(f);
    INFO(kinds(a));
    // Entry 0 is redundant (the default denies alike), entry 1 too (entry 2 permits alike); the
    // eth0 deny neither shadows nor is generalized by the eth1 rules.
    CHECK(kinds(a) == "redundant@0 redundant@1");
  }
  SUBCASE("a wildcard covers the exact name: shadowed") {
    const auto f = filter_of({{src("10.0.0.0/24"), D, "eth+"},
                              {src("10.0.0.5/32"), P, "eth1"},
                              {v4(), D}});
    const auto s = of_kind(analyze_filter(f), AnomalyKind::Shadowed);
    REQUIRE(s.size() == 1);
    CHECK(s[0].entry == 1);
  }
  SUBCASE("the exact name does not cover the wildcard: not shadowed, a correlation") {
    const auto f = filter_of({{src("10.0.0.0/24"), D, "eth1"},
                              {src("10.0.0.5/32"), P, "eth+"},
                              {v4(), D}});
    const auto a = analyze_filter(f);
    INFO(kinds(a));
    CHECK(of_kind(a, AnomalyKind::Shadowed).empty());
    CHECK(of_kind(a, AnomalyKind::Correlated).size() == 1);
  }
  SUBCASE("two interfaces together do not cover every interface name") {
    const auto f = filter_of({{src("10.0.0.0/24"), D, "eth0"},
                              {src("10.0.0.0/24"), D, "eth1"},
                              {src("10.0.0.5/32"), P},
                              {v4(), D}});
    CHECK(of_kind(analyze_filter(f), AnomalyKind::Shadowed).empty());
  }
  SUBCASE("a negated condition and its complement cover everything") {
    auto f = filter_of({{src("10.0.0.0/24"), D, "eth0"},
                        {src("10.0.0.0/24"), D, "eth0"},
                        {src("10.0.0.5/32"), P},
                        {v4(), D}});
    f.entries[1].in->negated = true;
    const auto s = of_kind(analyze_filter(f), AnomalyKind::Shadowed);
    REQUIRE(s.size() == 1);
    CHECK(s[0].entry == 2);
    CHECK(s[0].related == std::vector<std::size_t>{0, 1});
  }
}

TEST_CASE("a user chain's copy reached through a dead jump is shadowed; the other copy is not") {
  // Line 9 lives in a user chain jumped to from lines 2 and 3; line 1 takes everything the jump
  // at line 3 passes on, so that copy never matches, while the copy via line 2 does.
  auto f = filter_of({{src("10.0.1.0/24"), D, {}, {}, false, 1},
                      {src("10.0.0.0/24") & tcp(22, 22), P, {}, {}, false, 9},
                      {src("10.0.1.0/24") & tcp(22, 22), P, {}, {}, false, 9},
                      {v4(), D}});
  f.entries[1].evidence.push_back({"fw.rules", 2, std::nullopt, "jump"});
  f.entries[2].evidence.push_back({"fw.rules", 3, std::nullopt, "jump"});
  const auto a = analyze_filter(f);
  INFO(kinds(a));
  const auto s = of_kind(a, AnomalyKind::Shadowed);
  REQUIRE(s.size() == 1);
  CHECK(s[0].entry == 2);
  CHECK(s[0].related == std::vector<std::size_t>{0});
  // Removing line 9 removes both copies: the live one decides packets the default denies.
  CHECK(of_kind(a, AnomalyKind::Redundant).empty());
}
