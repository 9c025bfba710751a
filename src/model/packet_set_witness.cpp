// The canonical witness (DESIGN §5): the least packet of a set under a fixed order. The order is
// lexicographic over fields, each field ranked on its own, so the least packet of a box is the
// best value of every field and the least packet of the set is the least over its boxes: the
// answer depends on the set, never on how it was cut into boxes.
#include <algorithm>
#include <array>

#include "model/packet_set.h"
#include "model/packet_set_boxes.h"

namespace sanso::model {
namespace {

// A value's rank within its field: smaller class first, then smaller value.
struct Rank {
  std::uint8_t cls = 0;
  u128 value = 0;
  friend bool operator==(const Rank&, const Rank&) = default;
  friend bool operator<(const Rank& a, const Rank& b) {
    return a.cls != b.cls ? a.cls < b.cls : a.value < b.value;
  }
};

// Comparison order of the fields (WitnessPreference).
constexpr std::array<Field, kFieldCount> kOrder = {
    Field::Family,   Field::Src,      Field::Dst,      Field::Proto,    Field::Dport,
    Field::Sport,    Field::TcpFlags, Field::IcmpType, Field::IcmpCode, Field::SrcMac};

constexpr std::uint16_t kEphemeralSport = 49152;  // first IANA dynamic port: looks like a client

struct SortedPrefs {
  std::vector<u128> v4, v6, macs;
};

// Preferred values first (in ascending order), then every other value ascending.
Rank best_preferred(const std::vector<u128>& prefs, const Interval& iv) {
  const auto it = std::lower_bound(prefs.begin(), prefs.end(), iv.lo);
  if (it != prefs.end() && *it <= iv.hi) return {0, *it};
  return {1, iv.lo};
}

// The interval holds `v`: it is the field's favourite value.
Rank best_favourite(u128 v, const Interval& iv) {
  if (iv.lo <= v && v <= iv.hi) return {0, v};
  return {1, iv.lo};
}

Rank best_proto(const Interval& iv) {
  constexpr std::array<std::uint8_t, 4> kFirst = {kProtoTcp, kProtoUdp, kProtoIcmp, kProtoIcmpv6};
  for (std::size_t i = 0; i < kFirst.size(); ++i) {
    if (iv.lo <= kFirst[i] && kFirst[i] <= iv.hi) return {static_cast<std::uint8_t>(i), kFirst[i]};
  }
  // None of the favourites lies inside, so lo is not one of them either.
  return {static_cast<std::uint8_t>(kFirst.size()), iv.lo};
}

Rank best_in(Field f, const Interval& iv, const std::vector<u128>& addr_prefs,
             const SortedPrefs& prefs) {
  switch (f) {
    case Field::Family:
    case Field::Dport:
    case Field::IcmpType:
    case Field::IcmpCode: return {0, iv.lo};
    case Field::Src:
    case Field::Dst: return best_preferred(addr_prefs, iv);
    case Field::Proto: return best_proto(iv);
    case Field::Sport: return best_favourite(kEphemeralSport, iv);
    case Field::TcpFlags: return best_favourite(kTcpSyn, iv);
    case Field::SrcMac: return best_preferred(prefs.macs, iv);
  }
  return {0, iv.lo};
}

SortedPrefs sort_prefs(const WitnessPreference& pref) {
  SortedPrefs s;
  for (const IpAddress& a : pref.preferred_addresses) {
    (a.family == Family::V4 ? s.v4 : s.v6).push_back(a.value);
  }
  for (std::uint64_t m : pref.preferred_macs) s.macs.push_back(m);
  for (auto* v : {&s.v4, &s.v6, &s.macs}) std::sort(v->begin(), v->end());
  return s;
}

Packet to_packet(const std::array<Rank, kFieldCount>& best) {
  auto value = [&best](Field f) {
    for (std::size_t i = 0; i < kOrder.size(); ++i) {
      if (kOrder[i] == f) return best[i].value;
    }
    return u128{0};
  };
  Packet p;
  p.family = value(Field::Family) == 6 ? Family::V6 : Family::V4;
  p.src = value(Field::Src);
  p.dst = value(Field::Dst);
  p.proto = static_cast<std::uint8_t>(value(Field::Proto));
  p.sport = static_cast<std::uint16_t>(value(Field::Sport));
  p.dport = static_cast<std::uint16_t>(value(Field::Dport));
  p.icmp_type = static_cast<std::uint8_t>(value(Field::IcmpType));
  p.icmp_code = static_cast<std::uint8_t>(value(Field::IcmpCode));
  p.tcp_flags = static_cast<std::uint8_t>(value(Field::TcpFlags));
  p.src_mac = static_cast<std::uint64_t>(value(Field::SrcMac));
  return p;
}

}  // namespace

std::optional<Packet> PacketSet::witness(const WitnessPreference& pref) const {
  if (boxes_.empty()) return std::nullopt;
  const SortedPrefs prefs = sort_prefs(pref);
  std::array<Rank, kFieldCount> best{};
  bool have = false;
  for (const Block& b : boxes_) {
    const bool v4 = b[Field::Family].lo == static_cast<u128>(Family::V4);
    const std::vector<u128>& addr = v4 ? prefs.v4 : prefs.v6;
    std::array<Rank, kFieldCount> mine{};
    // Fill field by field and stop as soon as this box is known to lose.
    bool better = !have;
    bool worse = false;
    for (std::size_t i = 0; i < kOrder.size() && !worse; ++i) {
      mine[i] = best_in(kOrder[i], b[kOrder[i]], addr, prefs);
      if (better) continue;
      if (mine[i] < best[i]) better = true;
      else if (best[i] < mine[i]) worse = true;
    }
    if (better) {
      best = mine;
      have = true;
    }
  }
  return to_packet(best);
}

}  // namespace sanso::model
