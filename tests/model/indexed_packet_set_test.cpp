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

TEST_CASE("rewrite and release: images of NAT and projections") {
  using sanso::model::Field;
  const PacketSet clients = PacketSet::src(IpRange{Family::V4, 0x0a020a00, 0x0a020aff}) &
                            PacketSet::dst(IpRange{Family::V4, 0x0a020a01, 0x0a020a01}) &
                            PacketSet::dport(sanso::model::kProtoTcp, 8443, 8443);
  const PacketSet moved = clients.rewrite(Field::Dst, 0x0a01140a, 0x0a01140a);
  const PacketSet expected = PacketSet::src(IpRange{Family::V4, 0x0a020a00, 0x0a020aff}) &
                             PacketSet::dst(IpRange{Family::V4, 0x0a01140a, 0x0a01140a}) &
                             PacketSet::dport(sanso::model::kProtoTcp, 8443, 8443);
  CHECK(moved.same_as(expected));
  // An IPv6 member keeps its family: the value range is clipped to each member's space.
  const PacketSet v6 = PacketSet::family(Family::V6) & PacketSet::proto(17);
  CHECK(v6.rewrite(Field::Dst, 5, 5).same_as(v6 & PacketSet::dst(IpRange{Family::V6, 5, 5})));
  // Release frees one field and keeps the others.
  const PacketSet any_src = clients.release(Field::Src);
  CHECK(any_src.same_as(PacketSet::family(Family::V4) &
                        PacketSet::dst(IpRange{Family::V4, 0x0a020a01, 0x0a020a01}) &
                        PacketSet::dport(sanso::model::kProtoTcp, 8443, 8443)));
  CHECK(PacketSet::none().release(Field::Src).empty());
  CHECK(PacketSet::none().rewrite(Field::Dst, 1, 1).empty());
}
