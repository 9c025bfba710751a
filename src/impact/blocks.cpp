#include "impact/blocks.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace sanso::impact {
namespace {

using model::Block;
using model::Field;
using model::Interval;
using model::PacketSet;
using model::u128;

constexpr Field kServiceFields[] = {Field::Proto,    Field::Sport,    Field::Dport, Field::IcmpType,
                                    Field::IcmpCode, Field::TcpFlags, Field::SrcMac};

std::size_t idx(Field f) { return static_cast<std::size_t>(f); }

bool interval_less(const Interval& a, const Interval& b) {
  return a.lo != b.lo ? a.lo < b.lo : a.hi < b.hi;
}

bool block_less(const Block& a, const Block& b) {
  return std::lexicographical_compare(a.field.begin(), a.field.end(), b.field.begin(),
                                      b.field.end(), interval_less);
}

/// Flattened intervals: a map key for lists of intervals or of blocks.
using Key = std::vector<u128>;

Key key_of(const std::vector<Interval>& ivs) {
  Key k;
  for (const auto& iv : ivs) {
    k.push_back(iv.lo);
    k.push_back(iv.hi);
  }
  return k;
}

Key key_of(const std::vector<Block>& blocks) {
  Key k;
  for (const auto& b : blocks) {
    for (const auto& iv : b.field) {
      k.push_back(iv.lo);
      k.push_back(iv.hi);
    }
  }
  return k;
}

/// Sorted, with touching intervals joined (the input intervals are disjoint).
std::vector<Interval> merged(std::vector<Interval> ivs) {
  std::sort(ivs.begin(), ivs.end(), interval_less);
  std::vector<Interval> out;
  for (const auto& iv : ivs) {
    if (!out.empty() && out.back().hi != ~u128{0} && out.back().hi + 1 >= iv.lo) {
      out.back().hi = std::max(out.back().hi, iv.hi);
    } else {
      out.push_back(iv);
    }
  }
  return out;
}

/// Joins disjoint service boxes that differ in one field and touch there, until none do; sorted.
void merge_services(std::vector<Block>& boxes) {
  bool changed = true;
  while (changed && boxes.size() > 1) {
    changed = false;
    for (Field f : kServiceFields) {
      const std::size_t fi = idx(f);
      // Order by every other field, then by f: boxes that may join are neighbours.
      auto less = [fi](const Block& a, const Block& b) {
        for (std::size_t i = 0; i < model::kFieldCount; ++i) {
          if (i == fi || a.field[i] == b.field[i]) continue;
          return interval_less(a.field[i], b.field[i]);
        }
        return a.field[fi].lo < b.field[fi].lo;
      };
      std::sort(boxes.begin(), boxes.end(), less);
      std::vector<Block> out;
      for (const auto& b : boxes) {
        if (!out.empty()) {
          Block& last = out.back();
          bool same = last.field[fi].hi != ~u128{0} && last.field[fi].hi + 1 == b.field[fi].lo;
          for (std::size_t i = 0; i < model::kFieldCount && same; ++i) {
            same = i == fi || last.field[i] == b.field[i];
          }
          if (same) {
            last.field[fi].hi = b.field[fi].hi;
            changed = true;
            continue;
          }
        }
        out.push_back(b);
      }
      boxes.swap(out);
    }
  }
  std::sort(boxes.begin(), boxes.end(), block_less);
}

Block service_part(const Block& b) {
  Block s = b;
  for (Field f : {Field::Family, Field::Src, Field::Dst}) s.field[idx(f)] = {0, 0};
  return s;
}

}  // namespace

std::vector<ReadableBlock> readable_blocks(const PacketSet& s) {
  // 1. The services of each (family, source interval, destination interval).
  using Cell = std::tuple<u128, u128, u128, u128, u128>;
  std::map<Cell, std::vector<Block>> by_cell;
  for (const auto& b : s.blocks()) {
    const auto& src = b[Field::Src];
    const auto& dst = b[Field::Dst];
    by_cell[{b[Field::Family].lo, src.lo, src.hi, dst.lo, dst.hi}].push_back(service_part(b));
  }
  // 2. Sources that share a destination interval and the same services.
  struct Part {
    u128 family;
    std::vector<Interval> src, dst;
    std::vector<Block> services;
  };
  std::map<std::tuple<u128, u128, u128, Key>, Part> by_dst;
  for (auto& [cell, services] : by_cell) {
    merge_services(services);
    const auto& [fam, slo, shi, dlo, dhi] = cell;
    auto& p = by_dst[{fam, dlo, dhi, key_of(services)}];
    p.family = fam;
    p.dst = {{dlo, dhi}};
    p.services = services;
    p.src.push_back({slo, shi});
  }
  // 3. Destinations that share the sources and the services.
  std::map<std::tuple<u128, Key, Key>, Part> by_src;
  for (auto& [key, p] : by_dst) {
    p.src = merged(std::move(p.src));
    auto& q = by_src[{p.family, key_of(p.src), key_of(p.services)}];
    q.family = p.family;
    q.src = p.src;
    q.services = p.services;
    q.dst.insert(q.dst.end(), p.dst.begin(), p.dst.end());
  }
  // 4. Blocks with the same sources and destinations: their services are disjoint (the boxes
  // were), so one block holds them all.
  std::map<std::tuple<u128, Key, Key>, Part> by_ends;
  for (auto& [key, q] : by_src) {
    q.dst = merged(std::move(q.dst));
    auto& r = by_ends[{q.family, key_of(q.src), key_of(q.dst)}];
    r.family = q.family;
    r.src = q.src;
    r.dst = q.dst;
    r.services.insert(r.services.end(), q.services.begin(), q.services.end());
  }
  std::vector<ReadableBlock> out;
  for (auto& [key, r] : by_ends) {
    merge_services(r.services);
    ReadableBlock b;
    b.family = r.family == 6 ? model::Family::V6 : model::Family::V4;
    b.src = std::move(r.src);
    b.dst = std::move(r.dst);
    b.services = std::move(r.services);
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), [](const ReadableBlock& a, const ReadableBlock& b) {
    if (a.family != b.family) return a.family < b.family;
    if (!(a.src.front() == b.src.front())) return interval_less(a.src.front(), b.src.front());
    if (!(a.dst.front() == b.dst.front())) return interval_less(a.dst.front(), b.dst.front());
    return key_of(a.services) < key_of(b.services);
  });
  return out;
}

PacketSet readable_set(const ReadableBlock& b) {
  PacketSet src, dst, services;
  for (const auto& iv : b.src) src |= PacketSet::src({b.family, iv.lo, iv.hi});
  for (const auto& iv : b.dst) dst |= PacketSet::dst({b.family, iv.lo, iv.hi});
  for (const auto& box : b.services) {
    PacketSet one = PacketSet::family(b.family);
    for (Field f : kServiceFields) one &= PacketSet::field(f, box[f].lo, box[f].hi);
    services |= one;
  }
  return src & dst & services;
}

std::string ranges_text(model::Family family, const std::vector<Interval>& ranges) {
  std::string out;
  for (const auto& iv : ranges) {
    if (!out.empty()) out += ", ";
    if (iv.lo == 0 && iv.hi == model::family_max(family)) {
      out += family == model::Family::V4 ? "any IPv4" : "any IPv6";
    } else {
      out += model::format_range({family, iv.lo, iv.hi});
    }
  }
  return out;
}

namespace {

bool full(const Block& b, Field f) { return b[f].lo == 0 && b[f].hi == model::field_max(f); }

std::string interval_text(const Interval& iv) {
  if (iv.lo == iv.hi) return fmt::format("{}", static_cast<std::uint64_t>(iv.lo));
  return fmt::format("{}-{}", static_cast<std::uint64_t>(iv.lo), static_cast<std::uint64_t>(iv.hi));
}

std::string flags_text(u128 f) {
  std::string s;
  if (f & model::kTcpSyn) s += 'S';
  if (f & model::kTcpAck) s += 'A';
  if (f & model::kTcpRst) s += 'R';
  return s.empty() ? "-" : s;
}

/// The service boxes as a set over the service fields alone (IPv4, any addresses).
PacketSet service_set(const std::vector<Block>& services) {
  ReadableBlock any;
  any.family = model::Family::V4;
  any.src = {{0, model::family_max(model::Family::V4)}};
  any.dst = any.src;
  any.services = services;
  return readable_set(any);
}

std::string box_text(const Block& b) {
  const auto& proto = b[Field::Proto];
  std::string s;
  if (proto.lo == proto.hi) {
    s = model::proto_name(static_cast<std::uint8_t>(proto.lo));
  } else {
    s = full(b, Field::Proto) ? "ip" : fmt::format("ip/{}", interval_text(proto));
  }
  const bool ports = proto.lo == proto.hi &&
                     (proto.lo == model::kProtoTcp || proto.lo == model::kProtoUdp ||
                      proto.lo == model::kProtoSctp);
  const bool icmp = proto.lo == proto.hi &&
                    (proto.lo == model::kProtoIcmp || proto.lo == model::kProtoIcmpv6);
  if (ports && !full(b, Field::Dport)) s += "/" + interval_text(b[Field::Dport]);
  if (icmp && !full(b, Field::IcmpType)) s += "/" + interval_text(b[Field::IcmpType]);
  if (!full(b, Field::Sport)) s += " sport " + interval_text(b[Field::Sport]);
  if (!ports && !full(b, Field::Dport)) s += " dport " + interval_text(b[Field::Dport]);
  if (!icmp && !full(b, Field::IcmpType)) s += " type " + interval_text(b[Field::IcmpType]);
  if (!full(b, Field::IcmpCode)) s += " code " + interval_text(b[Field::IcmpCode]);
  // A connection-opening TCP packet carries SYN alone: say so only when the block differs.
  const auto& flags = b[Field::TcpFlags];
  const bool syn_only = flags.lo == model::kTcpSyn && flags.hi == model::kTcpSyn;
  if (!full(b, Field::TcpFlags) && !syn_only) {
    s += flags.lo == flags.hi ? fmt::format(" flags [{}]", flags_text(flags.lo))
                              : " flags " + interval_text(flags);
  }
  if (!full(b, Field::SrcMac)) {
    const auto lo = static_cast<std::uint64_t>(b[Field::SrcMac].lo);
    const auto hi = static_cast<std::uint64_t>(b[Field::SrcMac].hi);
    s += " mac " + (lo == hi ? model::format_mac(lo)
                             : fmt::format("{}-{}", model::format_mac(lo), model::format_mac(hi)));
  }
  return s;
}

}  // namespace

std::vector<std::string> services_text(const std::vector<Block>& services) {
  const PacketSet opening = PacketSet::connection_opening() & PacketSet::family(model::Family::V4);
  const PacketSet set = service_set(services);
  if (set.same_as(opening)) return {"any"};
  // Whole protocols ("udp": every UDP packet) read better than their boxes.
  std::vector<std::string> out;
  std::vector<Block> rest;
  std::vector<std::uint8_t> whole;
  for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoIcmp}) {
    const PacketSet of_p = opening & PacketSet::proto(p);
    if ((set & PacketSet::proto(p)).same_as(of_p)) whole.push_back(p);
  }
  for (const auto& b : services) {
    const auto& proto = b[Field::Proto];
    const bool in_whole = proto.lo == proto.hi &&
                          std::find(whole.begin(), whole.end(), proto.lo) != whole.end();
    if (!in_whole) out.push_back(box_text(b));
  }
  for (std::uint8_t p : whole) out.push_back(model::proto_name(p));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace sanso::impact
