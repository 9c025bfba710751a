#include "model/device.h"

#include <doctest/doctest.h>

using namespace sanso::model;

TEST_CASE("interface patterns: trailing '+' or '*' is a prefix wildcard, else exact") {
  CHECK(interface_pattern_matches("eth2", "eth2"));
  CHECK_FALSE(interface_pattern_matches("eth2", "eth2.10"));
  CHECK_FALSE(interface_pattern_matches("eth2", "eth"));
  CHECK(interface_pattern_matches("eth2+", "eth2"));
  CHECK(interface_pattern_matches("eth2+", "eth2.10"));
  CHECK_FALSE(interface_pattern_matches("eth2+", "eth3"));
  CHECK(interface_pattern_matches("lan*", "lan1"));
  CHECK(interface_pattern_matches("+", "anything"));
  CHECK_FALSE(interface_pattern_matches("", "eth0"));
  CHECK_FALSE(interface_pattern_matches("eth+0", "eth10"));
}

TEST_CASE("InterfaceMatch honours negation") {
  CHECK(matches(InterfaceMatch{"eth1", false}, "eth1"));
  CHECK_FALSE(matches(InterfaceMatch{"eth1", true}, "eth1"));
  CHECK(matches(InterfaceMatch{"eth1", true}, "eth2"));
  CHECK_FALSE(matches(InterfaceMatch{"ppp+", true}, "ppp0"));
}
