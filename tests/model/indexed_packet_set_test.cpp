// IndexedPacketSet::intersect must equal operator& for small and large (indexed) sets.
#include <doctest/doctest.h>

#include <random>

#include "model/packet_set.h"

using sanso::model::Family;
using sanso::model::IndexedPacketSet;
using sanso::model::IpRange;
using sanso::model::PacketSet;

namespace {

PacketSet random_rules(std::mt19937& rng, int n) {
  PacketSet s;
  std::uniform_int_distribution<int> host(0, 255), port(0, 40), len(0, 2);
  for (int i = 0; i < n; ++i) {
    const unsigned a = 0x0a000000u + static_cast<unsigned>(host(rng));
    const unsigned b = 0x0a010000u + static_cast<unsigned>(host(rng));
    const unsigned span = len(rng) == 0 ? 63 : 0;
    const auto p = static_cast<std::uint16_t>(port(rng));
    s |= PacketSet::src(IpRange{Family::V4, a & ~span, a | span}) &
         PacketSet::dst(IpRange{Family::V4, b, b}) &
         PacketSet::dport(sanso::model::kProtoTcp, p, static_cast<std::uint16_t>(p + len(rng)));
  }
  return s;
}

}  // namespace

TEST_CASE("indexed packet set: intersect equals operator&") {
  std::mt19937 rng(7);
  for (int round = 0; round < 6; ++round) {
    const PacketSet big = random_rules(rng, round < 2 ? 5 : 300);
    const IndexedPacketSet indexed{PacketSet(big)};
    for (int q = 0; q < 5; ++q) {
      const PacketSet other = random_rules(rng, 1 + q * 20) | PacketSet::family(Family::V6);
      const PacketSet a = indexed.intersect(other);
      const PacketSet b = big & other;
      CHECK(a.same_as(b));
      CHECK(indexed.intersects(other) == big.intersects(other));
    }
    CHECK(indexed.intersect(PacketSet::none()).empty());
    CHECK(indexed.intersect(PacketSet::all()).same_as(big));
  }
}

TEST_CASE("union of disjoint sets equals the union") {
  std::mt19937 rng(11);
  std::vector<PacketSet> rules;
  for (int i = 0; i < 40; ++i) rules.push_back(random_rules(rng, 3));
  const auto hits = sanso::model::first_match_hits(rules);  // pairwise disjoint
  PacketSet expected;
  for (const auto& r : rules) expected |= r;
  CHECK(sanso::model::union_of_disjoint(hits).same_as(expected));
  CHECK(sanso::model::union_of_disjoint({}).empty());
}
