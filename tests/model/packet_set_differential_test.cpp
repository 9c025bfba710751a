// Differential, exhaustive test of PacketSet (after re2's exhaustive testers): on a universe of a
// few hundred packets (each field narrowed to two or three values), random expressions are
// evaluated both by PacketSet and by a bitset of concrete packets, and every packet's
// membership, emptiness, containment and the canonical witness must agree.
#include <algorithm>
#include <bitset>
#include <functional>
#include <random>
#include <tuple>

#include <doctest/doctest.h>

#include "model/packet_set.h"

using namespace sanso::model;

namespace {

// The values each field takes in the universe, ascending. Only protocol has a gap (7..16), so
// that the universe stays a few boxes; the others are contiguous but still exercise the witness
// order (49152 before 49151, SYN alone before no flags, a preferred address or MAC first).
const std::vector<std::vector<u128>> kDomain = {
    {4, 6},         // Family
    {0, 1, 2},      // Src
    {0, 1},         // Dst
    {6, 17},        // Proto: tcp, udp
    {49151, 49152}, // Sport
    {0, 1},         // Dport
    {0},            // IcmpType
    {0},            // IcmpCode
    {0, 1},         // TcpFlags
    {0, 1},         // SrcMac
};

constexpr std::size_t kUniverse = 2 * 3 * 2 * 2 * 2 * 2 * 1 * 1 * 2 * 2;
using Naive = std::bitset<kUniverse>;

Packet packet_at(std::size_t index) {
  std::array<u128, kFieldCount> v{};
  for (std::size_t f = kFieldCount; f-- > 0;) {
    v[f] = kDomain[f][index % kDomain[f].size()];
    index /= kDomain[f].size();
  }
  Packet p;
  p.family = v[0] == 6 ? Family::V6 : Family::V4;
  p.src = v[1];
  p.dst = v[2];
  p.proto = static_cast<std::uint8_t>(v[3]);
  p.sport = static_cast<std::uint16_t>(v[4]);
  p.dport = static_cast<std::uint16_t>(v[5]);
  p.icmp_type = static_cast<std::uint8_t>(v[6]);
  p.icmp_code = static_cast<std::uint8_t>(v[7]);
  p.tcp_flags = static_cast<std::uint8_t>(v[8]);
  p.src_mac = static_cast<std::uint64_t>(v[9]);
  return p;
}

std::array<u128, kFieldCount> values_of(const Packet& p) {
  return {static_cast<u128>(p.family), p.src, p.dst, p.proto, p.sport, p.dport, p.icmp_type,
          p.icmp_code, p.tcp_flags, p.src_mac};
}

const std::vector<Packet>& universe() {
  static const std::vector<Packet> all = [] {
    std::vector<Packet> v;
    for (std::size_t i = 0; i < kUniverse; ++i) v.push_back(packet_at(i));
    return v;
  }();
  return all;
}

// The universe as a PacketSet: every field restricted to its domain values.
PacketSet universe_set() {
  PacketSet u = PacketSet::all();
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    PacketSet values;
    for (u128 v : kDomain[f]) values |= PacketSet::field(static_cast<Field>(f), v, v);
    u &= values;
  }
  return u;
}

// The order of WitnessPreference written out naively, as one sort key per packet.
auto order_key(const Packet& p, const WitnessPreference& pref) {
  auto preferred_ip = [&](u128 v) {
    return std::find(pref.preferred_addresses.begin(), pref.preferred_addresses.end(),
                     IpAddress{p.family, v}) == pref.preferred_addresses.end();
  };
  const bool mac_other = std::find(pref.preferred_macs.begin(), pref.preferred_macs.end(),
                                   p.src_mac) == pref.preferred_macs.end();
  const int proto_rank = p.proto == 6 ? 0 : p.proto == 17 ? 1 : p.proto == 1 ? 2 : p.proto == 58 ? 3 : 4;
  return std::make_tuple(static_cast<int>(p.family), preferred_ip(p.src), p.src, preferred_ip(p.dst),
                         p.dst, proto_rank, p.proto, p.dport, p.sport != 49152, p.sport,
                         p.tcp_flags != kTcpSyn, p.tcp_flags, p.icmp_type, p.icmp_code, mac_other,
                         p.src_mac);
}

std::optional<Packet> naive_witness(const Naive& n, const WitnessPreference& pref) {
  std::optional<Packet> best;
  for (std::size_t i = 0; i < kUniverse; ++i) {
    if (!n[i]) continue;
    const Packet& p = universe()[i];
    if (!best || order_key(p, pref) < order_key(*best, pref)) best = p;
  }
  return best;
}

struct Pair {
  PacketSet real;
  Naive naive;
};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed), u_(universe_set()) {}

  Pair leaf() {
    switch (pick(4)) {
      case 0: return boxes();
      case 1: return builder();
      case 2: return packets();
      default: return {u_, Naive{}.set()};
    }
  }

  Pair expr(int depth) {
    if (depth == 0 || pick(4) == 0) return leaf();
    const Pair a = expr(depth - 1);
    switch (pick(5)) {
      case 0: {
        const Pair b = expr(depth - 1);
        return {a.real | b.real, a.naive | b.naive};
      }
      case 1: {
        const Pair b = expr(depth - 1);
        return {a.real & b.real, a.naive & b.naive};
      }
      case 2:
      case 3: {
        const Pair b = expr(depth - 1);
        return {a.real - b.real, a.naive & ~b.naive};
      }
      default: return {a.real.complement() & u_, ~a.naive};
    }
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  // A union of random boxes whose bounds are domain values, clipped to the universe.
  Pair boxes() {
    Pair out;
    const std::size_t n = 1 + pick(3);
    for (std::size_t k = 0; k < n; ++k) {
      PacketSet box = PacketSet::all();
      std::array<std::pair<u128, u128>, kFieldCount> iv{};
      for (std::size_t f = 0; f < kFieldCount; ++f) {
        iv[f] = {0, ~u128{0}};
        if (pick(3) != 0) continue;  // most fields stay free
        std::size_t i = pick(kDomain[f].size());
        std::size_t j = pick(kDomain[f].size());
        if (i > j) std::swap(i, j);
        iv[f] = {kDomain[f][i], kDomain[f][j]};
        box &= PacketSet::field(static_cast<Field>(f), iv[f].first, iv[f].second);
      }
      out.real |= box & u_;
      for (std::size_t i = 0; i < kUniverse; ++i) {
        const auto v = values_of(universe()[i]);
        bool in = true;
        for (std::size_t f = 0; f < kFieldCount; ++f) in = in && iv[f].first <= v[f] && v[f] <= iv[f].second;
        out.naive[i] = out.naive[i] || in;
      }
    }
    return out;
  }

  // Builders, each with an independent naive predicate.
  Pair builder() {
    const auto a = static_cast<std::uint16_t>(pick(2));
    const auto b = static_cast<std::uint16_t>(pick(2));
    const std::uint16_t lo = std::min(a, b);
    const std::uint16_t hi = std::max(a, b);
    const std::uint8_t proto = pick(2) == 0 ? kProtoTcp : kProtoUdp;
    Pair out;
    std::function<bool(const Packet&)> pred;
    switch (pick(5)) {
      case 0:
        out.real = PacketSet::dport(proto, lo, hi);
        pred = [=](const Packet& p) { return p.proto == proto && p.dport >= lo && p.dport <= hi; };
        break;
      case 1:
        out.real = PacketSet::tcp_flags(kTcpSyn | kTcpAck, kTcpSyn);
        pred = [](const Packet& p) { return p.proto == kProtoTcp && (p.tcp_flags & 3) == kTcpSyn; };
        break;
      case 2: {
        const Family fam = pick(2) == 0 ? Family::V4 : Family::V6;
        out.real = PacketSet::src({fam, lo, static_cast<u128>(hi) + 1});
        pred = [=](const Packet& p) { return p.family == fam && p.src >= lo && p.src <= hi + 1u; };
        break;
      }
      case 3:
        out.real = PacketSet::sport(proto, 49152, 65535);
        pred = [=](const Packet& p) { return p.proto == proto && p.sport >= 49152; };
        break;
      default:
        out.real = PacketSet::src_mac(1, 5) | PacketSet::dst({Family::V4, hi, hi});
        pred = [=](const Packet& p) {
          return (p.src_mac >= 1 && p.src_mac <= 5) || (p.family == Family::V4 && p.dst == hi);
        };
        break;
    }
    out.real &= u_;
    for (std::size_t i = 0; i < kUniverse; ++i) out.naive[i] = pred(universe()[i]);
    return out;
  }

  // Many single packets: large box counts, so the indexed paths of the operators run too.
  Pair packets() {
    Pair out;
    std::vector<PacketSet> parts;
    const std::size_t n = 20 + pick(40);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = pick(kUniverse);
      parts.push_back(PacketSet::of(universe()[i]));
      out.naive[i] = true;
    }
    out.real = pick(2) == 0 ? union_all(parts) : [&] {
      PacketSet s;
      for (const auto& p : parts) s |= p;
      return s;
    }();
    return out;
  }

  std::mt19937 rng_;
  PacketSet u_;
};

void check_agrees(const Pair& x, const WitnessPreference& pref) {
  // Every expression stays inside the universe: an error outside it (a gap filled in) would
  // otherwise go unseen by the per-packet comparison.
  static const PacketSet u = universe_set();
  CHECK(u.contains(x.real));
  for (std::size_t i = 0; i < kUniverse; ++i) {
    if (x.real.contains(universe()[i]) != x.naive[i]) {
      FAIL_CHECK("membership differs for " << describe(universe()[i]) << ": naive says "
                                           << x.naive[i] << ", set is " << describe(x.real));
      return;
    }
  }
  CHECK(x.real.empty() == x.naive.none());
  const auto w = x.real.witness(pref);
  const auto nw = naive_witness(x.naive, pref);
  REQUIRE(w.has_value() == nw.has_value());
  if (w) CHECK(describe(*w) == describe(*nw));
  if (w) CHECK(*w == *nw);
}

}  // namespace

TEST_CASE("the universe is what the test thinks it is") {
  const PacketSet u = universe_set();
  for (const Packet& p : universe()) CHECK(u.contains(p));
  Packet outside = universe().front();
  outside.proto = 7;
  CHECK_FALSE(u.contains(outside));
  outside = universe().front();
  outside.sport = 0;
  CHECK_FALSE(u.contains(outside));
  CHECK(universe().size() == 384);
}

TEST_CASE("PacketSet agrees with a naive set of packets on random expressions") {
  WitnessPreference none;
  WitnessPreference pref;
  pref.preferred_addresses = {IpAddress{Family::V4, 2}, IpAddress{Family::V6, 1},
                              IpAddress{Family::V4, 7}};
  pref.preferred_macs = {1};
  Generator gen(20240601);
  std::vector<Pair> seen;
  for (int round = 0; round < 160; ++round) {
    CAPTURE(round);
    const Pair x = gen.expr(3);
    check_agrees(x, round % 2 == 0 ? none : pref);
    // Binary predicates against an earlier expression.
    if (!seen.empty()) {
      const Pair& y = seen[gen.pick(seen.size())];
      CHECK(x.real.contains(y.real) == ((y.naive & ~x.naive).none()));
      CHECK(y.real.contains(x.real) == ((x.naive & ~y.naive).none()));
      CHECK(x.real.intersects(y.real) == (x.naive & y.naive).any());
      CHECK(x.real.same_as(y.real) == (x.naive == y.naive));
    }
    if (seen.size() < 40) seen.push_back(x);
  }
}

TEST_CASE("first_match_hits and union_all agree with a naive first match") {
  Generator gen(7);
  for (int round = 0; round < 16; ++round) {
    CAPTURE(round);
    // Long lists reach the indexed path (64 boxes and more).
    const std::size_t n = 1 + gen.pick(round < 8 ? 8 : 40);
    std::vector<PacketSet> matches;
    std::vector<Naive> naive;
    for (std::size_t k = 0; k < n; ++k) {
      Pair p = gen.expr(1);
      matches.push_back(p.real);
      naive.push_back(p.naive);
    }
    const auto hits = first_match_hits(matches);
    REQUIRE(hits.size() == n);
    Naive earlier;
    for (std::size_t k = 0; k < n; ++k) {
      const Naive expect = naive[k] & ~earlier;
      check_agrees({hits[k], expect}, {});
      earlier |= naive[k];
    }
    check_agrees({union_all(matches), earlier}, {});
    check_agrees({union_all(hits), earlier}, {});
  }
}

TEST_CASE("the witness does not depend on how the set was built") {
  WitnessPreference pref;
  pref.preferred_addresses = {IpAddress{Family::V4, 1}};
  Generator gen(99);
  for (int round = 0; round < 30; ++round) {
    CAPTURE(round);
    const Pair a = gen.expr(2);
    const Pair b = gen.expr(2);
    // Three constructions of a ∪ b, cut into boxes differently.
    const PacketSet one = a.real | b.real;
    const PacketSet two = b.real | a.real;
    const PacketSet three = (a.real - b.real) | (b.real - a.real) | (a.real & b.real);
    REQUIRE(one.same_as(two));
    REQUIRE(one.same_as(three));
    CHECK(one.witness(pref) == two.witness(pref));
    CHECK(one.witness(pref) == three.witness(pref));
    CHECK(one.witness() == union_all({b.real, a.real}).witness());
  }
}
