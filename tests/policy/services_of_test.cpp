// services_of: the readable service list of a packet set (matrix cells, findings).
#include <doctest/doctest.h>

#include "policy/audit_context.h"

using sanso::model::Family;
using sanso::model::IpRange;
using sanso::model::PacketSet;
using sanso::policy::services_of;

namespace {
const PacketSet kHosts = PacketSet::src(IpRange{Family::V4, 0x0a000001, 0x0a000001}) &
                         PacketSet::dst(IpRange{Family::V4, 0x0a010001, 0x0a010001});
}

TEST_CASE("services_of merges port ranges per protocol, in numeric order") {
  const PacketSet s = kHosts & (PacketSet::dport(6, 8080, 8080) | PacketSet::dport(6, 22, 22) |
                                PacketSet::dport(6, 23, 30) | PacketSet::dport(17, 53, 53) |
                                PacketSet::icmp(1, 8, 8));
  CHECK(services_of(s) == std::vector<std::string>{"icmp", "tcp/22-30", "tcp/8080", "udp/53"});
}

TEST_CASE("services_of says any when every service crosses") {
  CHECK(services_of(kHosts & PacketSet::connection_opening()) == std::vector<std::string>{"any"});
  CHECK(services_of(kHosts & PacketSet::proto(6)) == std::vector<std::string>{"tcp/any"});
  CHECK(services_of(PacketSet::none()).empty());
}

TEST_CASE("services_of lists other protocols once and stops at the limit") {
  const PacketSet s = kHosts & (PacketSet::proto(47) | PacketSet::proto(50) | PacketSet::dport(6, 1, 1) |
                                PacketSet::dport(6, 3, 3) | PacketSet::dport(6, 5, 5));
  CHECK(services_of(s, 2) == std::vector<std::string>{"tcp/1", "tcp/3", "...", "ip/other"});
}
