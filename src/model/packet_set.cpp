// PacketSet builders and algebra over disjoint boxes (the box machinery is in
// packet_set_boxes.cpp, the witness and text in their own files).
#include "model/packet_set.h"

#include <initializer_list>

#include "model/packet_set_boxes.h"

namespace sanso::model {
namespace {

using detail::at;
using detail::PacketSetAccess;

constexpr u128 kMacMax = (u128{1} << 48) - 1;

// Largest value field f can take in family fam (only Src and Dst depend on it).
u128 field_max_in(Field f, Family fam) {
  if (f == Field::Src || f == Field::Dst) return family_max(fam);
  return field_max(f);
}

Block family_box(Family fam) {
  Block b;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    b.field[i] = {0, field_max_in(static_cast<Field>(i), fam)};
  }
  const auto v = static_cast<u128>(fam);
  at(b, Field::Family) = {v, v};
  return b;
}

struct Restriction {
  Field field;
  u128 lo;
  u128 hi;
};

// The packets of every family whose fields lie in the given intervals; clipped to each family's
// space, so a family in which some interval is empty contributes nothing.
PacketSet restricted(std::initializer_list<Restriction> rs, std::initializer_list<Family> fams = {
                                                                 Family::V4, Family::V6}) {
  std::vector<Block> boxes;
  for (Family fam : fams) {
    Block b = family_box(fam);
    bool empty = false;
    for (const Restriction& r : rs) {
      Interval& iv = at(b, r.field);
      iv.lo = std::max(iv.lo, r.lo);
      iv.hi = std::min(iv.hi, r.hi);
      empty = empty || iv.lo > iv.hi;
    }
    if (!empty) boxes.push_back(b);
  }
  return PacketSetAccess::from_disjoint(std::move(boxes));
}

// Values of [0, 255] outside `excluded` (sorted), as intervals of one byte-sized field.
PacketSet byte_field_except(Field f, std::initializer_list<int> excluded,
                            std::initializer_list<Restriction> also) {
  PacketSet out;
  const PacketSet base = restricted(also);
  int next = 0;
  auto add = [&](int lo, int hi) {
    if (lo > hi) return;
    for (Block b : PacketSetAccess::boxes(base)) {
      at(b, f) = {static_cast<u128>(lo), static_cast<u128>(hi)};
      PacketSetAccess::boxes(out).push_back(b);
    }
  };
  for (int x : excluded) {
    add(next, x - 1);
    next = x + 1;
  }
  add(next, 255);
  return out;
}

}  // namespace

u128 field_max(Field f) {
  switch (f) {
    case Field::Family: return 6;
    case Field::Src:
    case Field::Dst: return family_max(Family::V6);
    case Field::Proto: return 255;
    case Field::Sport:
    case Field::Dport: return 65535;
    case Field::IcmpType:
    case Field::IcmpCode: return 255;
    case Field::TcpFlags: return kTcpSyn | kTcpAck | kTcpRst;
    case Field::SrcMac: return kMacMax;
  }
  return 0;
}

PacketSet PacketSet::all() { return restricted({}); }

PacketSet PacketSet::family(Family f) { return restricted({}, {f}); }

PacketSet PacketSet::src(const IpRange& r) {
  return restricted({{Field::Src, r.lo, r.hi}}, {r.family});
}

PacketSet PacketSet::dst(const IpRange& r) {
  return restricted({{Field::Dst, r.lo, r.hi}}, {r.family});
}

PacketSet PacketSet::proto(std::uint8_t p) { return restricted({{Field::Proto, p, p}}); }

PacketSet PacketSet::proto_range(std::uint8_t lo, std::uint8_t hi) {
  return restricted({{Field::Proto, lo, hi}});
}

PacketSet PacketSet::sport(std::uint8_t p, std::uint16_t lo, std::uint16_t hi) {
  return restricted({{Field::Proto, p, p}, {Field::Sport, lo, hi}});
}

PacketSet PacketSet::dport(std::uint8_t p, std::uint16_t lo, std::uint16_t hi) {
  return restricted({{Field::Proto, p, p}, {Field::Dport, lo, hi}});
}

PacketSet PacketSet::icmp(std::uint8_t p, std::uint8_t type_lo, std::uint8_t type_hi,
                          std::uint8_t code_lo, std::uint8_t code_hi) {
  return restricted({{Field::Proto, p, p},
                     {Field::IcmpType, type_lo, type_hi},
                     {Field::IcmpCode, code_lo, code_hi}});
}

PacketSet PacketSet::tcp_flags(std::uint8_t mask, std::uint8_t comp) {
  // Only SYN, ACK and RST are modelled: bits outside them are ignored on both sides (the vendor
  // lowering decides whether an unmodelled flag makes its rule uncertain).
  const auto modelled = static_cast<std::uint8_t>(field_max(Field::TcpFlags));
  mask &= modelled;
  comp &= modelled;
  std::vector<Block> boxes;
  const PacketSet tcp = proto(kProtoTcp);
  // Runs of consecutive matching flag values become one interval each.
  for (unsigned v = 0; v <= modelled; ++v) {
    if ((v & mask) != comp) continue;
    unsigned w = v;
    while (w + 1 <= modelled && ((w + 1) & mask) == comp) ++w;
    for (Block b : PacketSetAccess::boxes(tcp)) {
      at(b, Field::TcpFlags) = {v, w};
      boxes.push_back(b);
    }
    v = w;
  }
  return PacketSetAccess::from_disjoint(std::move(boxes));
}

PacketSet PacketSet::src_mac(std::uint64_t lo, std::uint64_t hi) {
  return restricted({{Field::SrcMac, lo, hi}});
}

PacketSet PacketSet::field(Field f, u128 lo, u128 hi) { return restricted({{f, lo, hi}}); }

PacketSet PacketSet::of(const Packet& p) {
  return restricted({{Field::Src, p.src, p.src},
                     {Field::Dst, p.dst, p.dst},
                     {Field::Proto, p.proto, p.proto},
                     {Field::Sport, p.sport, p.sport},
                     {Field::Dport, p.dport, p.dport},
                     {Field::IcmpType, p.icmp_type, p.icmp_type},
                     {Field::IcmpCode, p.icmp_code, p.icmp_code},
                     {Field::TcpFlags, p.tcp_flags, p.tcp_flags},
                     {Field::SrcMac, p.src_mac, p.src_mac}},
                    {p.family});
}

PacketSet PacketSet::connection_opening() {
  // TCP: SYN without ACK or RST (a SYN-ACK answers, a RST aborts).
  PacketSet out = tcp_flags(kTcpSyn | kTcpAck | kTcpRst, kTcpSyn);
  auto append = [&out](const PacketSet& s) {
    for (const Block& b : PacketSetAccess::boxes(s)) PacketSetAccess::boxes(out).push_back(b);
  };
  append(proto(kProtoUdp));
  // ICMP replies and errors (RFC 792/950): echo-reply, unreachable, source quench, redirect,
  // time exceeded, parameter problem, timestamp/info/mask replies.
  append(byte_field_except(Field::IcmpType, {0, 3, 4, 5, 11, 12, 14, 16, 18},
                           {{Field::Proto, kProtoIcmp, kProtoIcmp}}));
  // ICMPv6 (RFC 4443/4861): errors 1-4, echo reply, router and neighbor advertisements.
  append(byte_field_except(Field::IcmpType, {1, 2, 3, 4, 129, 134, 136},
                           {{Field::Proto, kProtoIcmpv6, kProtoIcmpv6}}));
  // Every other protocol opens whatever it carries.
  append(byte_field_except(Field::Proto, {kProtoIcmp, kProtoTcp, kProtoUdp, kProtoIcmpv6}, {}));
  return out;
}

PacketSet PacketSet::operator|(const PacketSet& o) const {
  PacketSet r = *this;
  r |= o;
  return r;
}

PacketSet PacketSet::operator&(const PacketSet& o) const {
  PacketSet r = *this;
  r &= o;
  return r;
}

PacketSet PacketSet::operator-(const PacketSet& o) const {
  PacketSet r = *this;
  r -= o;
  return r;
}

PacketSet& PacketSet::operator|=(const PacketSet& o) {
  if (o.boxes_.empty()) return *this;
  if (boxes_.empty()) return *this = o;
  // this ∪ (o − this): o's boxes are disjoint among themselves, so their pieces are too.
  std::vector<Block> added;
  detail::subtract_set(o.boxes_, boxes_, added);
  // A few new boxes (the common `set |= rule` in a loop) are merged locally; many are merged by
  // the sort-based pass.
  if (added.size() <= 4) {
    for (const Block& b : added) detail::absorb(boxes_, b);
  } else {
    boxes_.insert(boxes_.end(), added.begin(), added.end());
    detail::coalesce(boxes_);
  }
  return *this;
}

PacketSet& PacketSet::operator&=(const PacketSet& o) {
  std::vector<Block> out;
  const std::vector<Block>& small = boxes_.size() <= o.boxes_.size() ? boxes_ : o.boxes_;
  const std::vector<Block>& large = boxes_.size() <= o.boxes_.size() ? o.boxes_ : boxes_;
  if (small.size() < 8 || large.size() < 32) {
    for (const Block& a : small) {
      for (const Block& b : large) {
        if (detail::overlaps(a, b)) out.push_back(detail::intersect(a, b));
      }
    }
  } else {
    std::vector<detail::BoxIndex::Item> items;
    items.reserve(large.size());
    for (const Block& b : large) items.push_back({&b, 0});
    const detail::BoxIndex index(items);
    for (const Block& a : small) {
      index.for_each_overlap(
          a, [&](const detail::BoxIndex::Item& it) { out.push_back(detail::intersect(a, *it.box)); });
    }
  }
  detail::coalesce(out);
  boxes_ = std::move(out);
  return *this;
}

PacketSet& PacketSet::operator-=(const PacketSet& o) {
  if (boxes_.empty() || o.boxes_.empty()) return *this;
  std::vector<Block> out;
  if (detail::subtract_set(boxes_, o.boxes_, out)) detail::coalesce(out);
  boxes_ = std::move(out);
  return *this;
}

bool PacketSet::contains(const Packet& p) const {
  const u128 v[kFieldCount] = {static_cast<u128>(p.family), p.src, p.dst, p.proto,
                               p.sport, p.dport, p.icmp_type, p.icmp_code,
                               p.tcp_flags, p.src_mac};
  for (const Block& b : boxes_) {
    bool in = true;
    for (std::size_t i = 0; i < kFieldCount && in; ++i) {
      in = b.field[i].lo <= v[i] && v[i] <= b.field[i].hi;
    }
    if (in) return true;
  }
  return false;
}

bool PacketSet::intersects(const PacketSet& o) const {
  // Presence only: reuse &'s indexing rather than a second copy of it.
  if (boxes_.empty() || o.boxes_.empty()) return false;
  if (boxes_.size() * o.boxes_.size() <= 4096) {
    for (const Block& a : boxes_) {
      for (const Block& b : o.boxes_) {
        if (detail::overlaps(a, b)) return true;
      }
    }
    return false;
  }
  return !(*this & o).empty();
}

std::vector<Block> PacketSet::blocks() const { return boxes_; }

}  // namespace sanso::model
