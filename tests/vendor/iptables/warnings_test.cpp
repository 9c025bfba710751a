// Coverage: exactly which lines are not understood, and why; NAT listed as unmodelled.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

TEST_CASE("warnings: unparsed lines and reasons are exact") {
  const auto d = load_device({"warnings.rules"});
  const auto& cov = coverage_of(d, "warnings.rules");
  CHECK(cov.lines == 17);
  struct Expected {
    int line;
    const char* reason;
  };
  const Expected expected[] = {
      {5, "NAT not modelled: crossings through this device are unproven"},
      // line 6, MASQUERADE, is source NAT: recorded in Device::source_nat, not unparsed
      {10, "match -m recent is not modelled"},
      {11, "unknown match -m frobnicate"},
      {12, "line not understood: unterminated double quote"},
      {13, "unknown target NFQUEUE"},
      {15, "not an iptables-save line"},
  };
  REQUIRE(cov.unparsed.size() == std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    CAPTURE(i);
    CHECK(cov.unparsed[i].line == expected[i].line);
    CHECK(cov.unparsed[i].reason == expected[i].reason);
  }
  CHECK(cov.unparsed[3].text ==
        "-A FORWARD -s 10.0.0.0/8 -m comment --comment \"unterminated -j ACCEPT");
  CHECK(cov.understood() == 11);
}

TEST_CASE("warnings conversion: NAT rules are listed; unknown constructs become uncertain") {
  const auto d = load_device({"warnings.rules"});
  REQUIRE(d.unmodelled_nat.size() == 1);  // REDIRECT: destination NAT to the device itself
  CHECK(d.unmodelled_nat[0].line == 5);
  REQUIRE(d.source_nat.size() == 1);
  CHECK(d.source_nat[0].evidence[0].line == 6);
  CHECK(d.source_nat[0].evidence[0].text == "-A POSTROUTING -o eth0 -j MASQUERADE");
  REQUIRE(d.source_nat[0].out);
  CHECK(d.source_nat[0].out->pattern == "eth0");
  const auto& f = stage(d, "filter FORWARD");
  // -m recent DROP: may or may not match; an uncertain deny is not trusted to block.
  const auto* recent = first_match(f, tcp("10.0.0.1", "10.0.0.5", 22));
  REQUIRE(recent);
  CHECK(recent->evidence[0].line == 10);
  CHECK(recent->action == model::Action::Deny);
  CHECK(recent->uncertain);
  // The garbled line becomes an uncertain permit of everything that reaches it.
  std::vector<const model::FilterEntry*> at12;
  for (const auto& e : f.entries)
    if (e.evidence[0].line == 12) at12.push_back(&e);
  REQUIRE(at12.size() == 1);
  CHECK(at12[0]->action == model::Action::Permit);
  CHECK(at12[0]->uncertain);
  CHECK(at12[0]->match.contains(udp("192.168.0.1", "172.16.0.1", 1)));
  // The unknown target: uncertain permit; LOG adds no entry.
  bool log_entry = false;
  for (const auto& e : f.entries) log_entry |= e.evidence[0].line == 14;
  CHECK_FALSE(log_entry);
  // nat is not a transit stage.
  for (const auto& s : d.transit) CHECK(s.name.rfind("nat", 0) != 0);
}

}  // namespace
}  // namespace sanso::test::iptables
