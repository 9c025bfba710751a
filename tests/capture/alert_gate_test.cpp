#include "capture/alert_gate.h"

#include <doctest/doctest.h>

namespace sc = sanso::capture;

TEST_CASE("alert gate: one alert per identity per window, repeats counted") {
  sanso::policy::RuleDef rule;
  rule.id = "MN-ISOLATE";
  sc::AlertGate gate({3600 * sc::kSecond, 1000, 60 * sc::kSecond, 20});
  CHECK(gate.admit("a", &rule, 0) == sc::AlertGate::Decision::Emit);
  CHECK(gate.admit("a", &rule, sc::kSecond) == sc::AlertGate::Decision::Repeat);
  CHECK(gate.admit("b", &rule, sc::kSecond) == sc::AlertGate::Decision::Emit);
  CHECK(gate.repeats() == 1);
  // After the window the same identity alerts again.
  CHECK(gate.admit("a", &rule, 3601 * sc::kSecond) == sc::AlertGate::Decision::Emit);
}

TEST_CASE("alert gate: a flood becomes one aggregate with its count") {
  sanso::policy::RuleDef rule, other;
  rule.id = "NET-NO-UNAUTH-DEVICE";
  other.id = "MN-ISOLATE";
  sc::AlertGate gate({3600 * sc::kSecond, 100000, 60 * sc::kSecond, 5});
  int emitted = 0, suppressed = 0;
  for (int i = 0; i < 100; ++i) {
    auto d = gate.admit("id" + std::to_string(i), &rule, i * sc::kSecond / 10);
    emitted += d == sc::AlertGate::Decision::Emit;
    suppressed += d == sc::AlertGate::Decision::Suppressed;
  }
  CHECK(emitted == 5);
  CHECK(suppressed == 95);
  // Another rule is not limited by this flood.
  CHECK(gate.admit("x", &other, 10 * sc::kSecond) == sc::AlertGate::Decision::Emit);
  CHECK(gate.due(30 * sc::kSecond).empty());
  const auto aggs = gate.due(61 * sc::kSecond);
  REQUIRE(aggs.size() == 1);
  CHECK(aggs[0].rule == &rule);
  CHECK(aggs[0].suppressed == 95);
  CHECK(gate.flush().empty());
  CHECK(gate.admit("new", &rule, 62 * sc::kSecond) == sc::AlertGate::Decision::Emit);
}

TEST_CASE("alert gate: remembered identities stay bounded") {
  sanso::policy::RuleDef rule;
  rule.id = "R";
  sc::AlertGate gate({3600 * sc::kSecond, 50, 60 * sc::kSecond, 1000000});
  for (int i = 0; i < 500; ++i) gate.admit("id" + std::to_string(i), &rule, i);
  CHECK(gate.identities() <= 51);
}
