// Readable blocks: the union of the printed blocks is exactly the set, on hand-made and random sets.
#include <doctest/doctest.h>

#include <random>

#include "impact/blocks.h"
#include "model/address.h"

namespace {

using sanso::impact::readable_blocks;
using sanso::impact::readable_set;
using sanso::impact::services_text;
using sanso::model::Family;
using sanso::model::IpRange;
using sanso::model::PacketSet;

IpRange cidr(const char* text) { return *sanso::model::parse_cidr(text); }

PacketSet union_of_blocks(const PacketSet& s) {
  PacketSet u;
  for (const auto& b : readable_blocks(s)) u |= readable_set(b);
  return u;
}

}  // namespace

TEST_CASE("readable blocks: a multiport rule is one block with three services") {
  const PacketSet s = PacketSet::src(cidr("10.1.10.0/24")) & PacketSet::dst(cidr("10.1.20.0/24")) &
                      (PacketSet::dport(6, 443, 443) | PacketSet::dport(6, 445, 445) |
                       PacketSet::dport(6, 1521, 1521)) &
                      PacketSet::connection_opening();
  const auto blocks = readable_blocks(s);
  REQUIRE(blocks.size() == 1);
  CHECK(sanso::impact::ranges_text(Family::V4, blocks[0].src) == "10.1.10.0/24");
  CHECK(sanso::impact::ranges_text(Family::V4, blocks[0].dst) == "10.1.20.0/24");
  CHECK(services_text(blocks[0].services) ==
        std::vector<std::string>{"tcp/1521", "tcp/443", "tcp/445"});
  CHECK(readable_set(blocks[0]).same_as(s));
}

TEST_CASE("readable blocks: sources with the same destinations and services share a block") {
  const PacketSet svc = PacketSet::dport(17, 53, 53) & PacketSet::connection_opening();
  const PacketSet s = (PacketSet::src(cidr("10.0.0.0/25")) | PacketSet::src(cidr("10.0.0.128/25")) |
                       PacketSet::src(cidr("10.0.5.0/24"))) &
                      PacketSet::dst(cidr("10.9.0.53/32")) & svc;
  const auto blocks = readable_blocks(s);
  REQUIRE(blocks.size() == 1);
  CHECK(sanso::impact::ranges_text(Family::V4, blocks[0].src) == "10.0.0.0/24, 10.0.5.0/24");
  CHECK(services_text(blocks[0].services) == std::vector<std::string>{"udp/53"});
}

TEST_CASE("readable blocks: every connection-opening packet reads 'any', the empty set has none") {
  const PacketSet s = PacketSet::src(cidr("10.2.30.0/24")) & PacketSet::dst(cidr("172.16.10.0/24")) &
                      PacketSet::connection_opening();
  const auto blocks = readable_blocks(s);
  REQUIRE(blocks.size() == 1);
  CHECK(services_text(blocks[0].services) == std::vector<std::string>{"any"});
  CHECK(readable_blocks(PacketSet::none()).empty());
}

TEST_CASE("readable blocks: the union of the blocks equals random sets exactly") {
  std::mt19937 rng(20261122);
  auto pick = [&](unsigned lo, unsigned hi) {
    return std::uniform_int_distribution<unsigned>(lo, hi)(rng);
  };
  // Small address and port spaces so that pieces overlap, touch and cut each other often.
  auto random_box = [&]() {
    const unsigned s0 = pick(0, 40), s1 = s0 + pick(0, 20);
    const unsigned d0 = pick(0, 40), d1 = d0 + pick(0, 20);
    PacketSet b = PacketSet::src({Family::V4, 0x0a000000u + s0, 0x0a000000u + s1}) &
                  PacketSet::dst({Family::V4, 0x0a010000u + d0, 0x0a010000u + d1});
    const unsigned p0 = pick(20, 60), p1 = p0 + pick(0, 30);
    switch (pick(0, 4)) {
      case 0: return b & PacketSet::dport(6, p0, p1);
      case 1: return b & PacketSet::dport(17, p0, p1);
      case 2: return b & PacketSet::icmp(1, static_cast<std::uint8_t>(pick(0, 20)), 30);
      case 3: return b & PacketSet::sport(6, p0, p1) & PacketSet::dport(6, 80, 90);
      default: return b & PacketSet::src_mac(pick(1, 5), pick(5, 9));
    }
  };
  for (int round = 0; round < 60; ++round) {
    PacketSet s;
    const int n = static_cast<int>(pick(1, 12));
    for (int i = 0; i < n; ++i) {
      if (pick(0, 3) == 0) {
        s -= random_box();
      } else {
        s |= random_box();
      }
    }
    if (pick(0, 1) == 0) s &= PacketSet::connection_opening();
    CAPTURE(round);
    const auto blocks = readable_blocks(s);
    CHECK(union_of_blocks(s).same_as(s));
    // Blocks never overlap: their sizes add up (checked pairwise, which is equivalent).
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      for (std::size_t j = i + 1; j < blocks.size(); ++j) {
        CHECK_FALSE(readable_set(blocks[i]).intersects(readable_set(blocks[j])));
      }
    }
    // Never more blocks than the representation has boxes.
    CHECK(blocks.size() <= s.block_count());
  }
}
