// Names and helpers of capture/packet.h.
#include "capture/packet.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace sanso::capture;

TEST_CASE("link_type_of_dlt: the link types sanso decodes") {
  CHECK(link_type_of_dlt(0) == LinkType::Null);
  CHECK(link_type_of_dlt(1) == LinkType::Ethernet);
  CHECK(link_type_of_dlt(12) == LinkType::RawIp);
  CHECK(link_type_of_dlt(14) == LinkType::RawIp);
  CHECK(link_type_of_dlt(101) == LinkType::RawIp);
  CHECK(link_type_of_dlt(108) == LinkType::Loop);
  CHECK(link_type_of_dlt(113) == LinkType::LinuxSll);
  CHECK(link_type_of_dlt(228) == LinkType::RawIpv4);
  CHECK(link_type_of_dlt(229) == LinkType::RawIpv6);
  CHECK(link_type_of_dlt(276) == LinkType::LinuxSll2);
  for (int other : {-1, 9, 105, 127, 182, 239}) CHECK(link_type_of_dlt(other) == LinkType::Unsupported);
  CHECK(to_string(LinkType::LinuxSll2) == "linux_sll2");
}

TEST_CASE("anomaly names are unique snake_case; only fragment evasions alert") {
  std::set<std::string> names;
  for (std::size_t i = 0; i < static_cast<std::size_t>(Anomaly::kAnomalyCount); ++i) {
    const auto a = static_cast<Anomaly>(i);
    const std::string name(to_string(a));
    CAPTURE(name);
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
    CHECK(names.insert(name).second);
    CHECK(is_alerted(a) == (a == Anomaly::TinyFragment || a == Anomaly::OverlappingFragment));
  }
  CHECK(to_string(Anomaly::TruncatedTcp) == "truncated_tcp");
  // Decoded::anomalies is a 32-bit set.
  CHECK(static_cast<std::size_t>(Anomaly::kAnomalyCount) <= 32);
}

TEST_CASE("anomaly counters add up") {
  AnomalyCounters c;
  CHECK(c.total() == 0);
  c.add(Anomaly::TinyFragment);
  c.add(Anomaly::TinyFragment);
  c.add(Anomaly::TruncatedIpv4);
  CHECK(c[Anomaly::TinyFragment] == 2);
  CHECK(c.total() == 3);
}
