#include "topology/address_plan.h"

#include <algorithm>
#include <tuple>

namespace sanso::topology {

using model::Family;
using model::IpRange;
using model::u128;

namespace {

IpRange cidr(const char* text) {
  // Constant inputs: parse_cidr cannot fail on them.
  return model::parse_cidr(text).value_or(IpRange{});
}

bool range_less(const IpRange& a, const IpRange& b) {
  return std::tie(a.family, a.lo, a.hi) < std::tie(b.family, b.lo, b.hi);
}

struct Item {
  IpRange range;
  std::size_t segment = 0;
  bool catch_all = false;
};

struct RawPiece {
  IpRange range;
  std::size_t segment = 0;
  bool catch_all = false;
};

/// CIDRs nest or are disjoint, so one stack sweep over (lo asc, hi desc) cuts them into disjoint
/// pieces, each owned by the innermost CIDR covering it.
std::vector<RawPiece> sweep(std::vector<Item> items) {
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::make_tuple(a.range.family, a.range.lo, b.range.hi, a.segment) <
           std::make_tuple(b.range.family, b.range.lo, a.range.hi, b.segment);
  });
  std::vector<RawPiece> out;
  std::vector<Item> stack;
  u128 cursor = 0;
  bool cursor_valid = false;  // false once the family's last address was handed out
  auto emit = [&](u128 lo, u128 hi, const Item& owner) {
    out.push_back({IpRange{owner.range.family, lo, hi}, owner.segment, owner.catch_all});
  };
  auto pop = [&] {
    const Item top = stack.back();
    stack.pop_back();
    if (cursor_valid && cursor <= top.range.hi) emit(cursor, top.range.hi, top);
    if (top.range.hi == model::family_max(top.range.family))
      cursor_valid = false;
    else if (!cursor_valid || cursor <= top.range.hi + 1)
      cursor = top.range.hi + 1, cursor_valid = true;
  };
  for (const Item& item : items) {
    if (!stack.empty() && stack.back().range.family != item.range.family)
      while (!stack.empty()) pop();
    while (!stack.empty() && stack.back().range.hi < item.range.lo) pop();
    if (!stack.empty() && stack.back().range == item.range) continue;  // duplicate: first wins
    if (!stack.empty() && cursor_valid && cursor < item.range.lo)
      emit(cursor, item.range.lo - 1, stack.back());
    cursor = item.range.lo;
    cursor_valid = true;
    stack.push_back(item);
  }
  while (!stack.empty()) pop();
  return out;
}

bool holds(const IpRange& r, const model::IpAddress& a) {
  return r.family == a.family && r.lo <= a.value && a.value <= r.hi;
}

}  // namespace

std::vector<IpRange> AddressPlan::special_purpose(Family f) {
  if (f == Family::V4)
    return {cidr("0.0.0.0/8"), cidr("127.0.0.0/8"), cidr("169.254.0.0/16"), cidr("224.0.0.0/4"),
            cidr("255.255.255.255/32")};
  return {cidr("::/128"), cidr("::1/128"), cidr("fe80::/10"), cidr("ff00::/8")};
}

std::vector<IpRange> AddressPlan::private_space(Family f) {
  if (f == Family::V4) return {cidr("10.0.0.0/8"), cidr("172.16.0.0/12"), cidr("192.168.0.0/16")};
  return {cidr("fc00::/7")};
}

std::vector<IpRange> merge_ranges(std::vector<IpRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), range_less);
  std::vector<IpRange> out;
  for (const IpRange& r : ranges) {
    if (!out.empty() && out.back().family == r.family &&
        (r.lo <= out.back().hi || r.lo - 1 == out.back().hi)) {
      out.back().hi = std::max(out.back().hi, r.hi);
      continue;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<IpRange> subtract_ranges(const std::vector<IpRange>& a, const std::vector<IpRange>& b) {
  std::vector<IpRange> out;
  std::size_t j = 0;
  for (const IpRange& r : a) {
    // Skip the cuts that end before r.
    while (j < b.size() &&
           (b[j].family < r.family || (b[j].family == r.family && b[j].hi < r.lo)))
      ++j;
    u128 lo = r.lo;
    bool open = true;  // false once the rest of r is cut away
    for (std::size_t k = j; open && k < b.size() && b[k].family == r.family && b[k].lo <= r.hi;
         ++k) {
      if (b[k].lo > lo) out.push_back({r.family, lo, b[k].lo - 1});
      if (b[k].hi >= r.hi)
        open = false;
      else
        lo = std::max(lo, b[k].hi + 1);
    }
    if (open) out.push_back({r.family, lo, r.hi});
  }
  return out;
}

AddressPlan::AddressPlan(const Topology& topology) : topology_(&topology) {
  std::vector<Item> items;
  for (std::size_t i = 0; i < topology.segments.size(); ++i)
    for (const IpRange& r : topology.segments[i].cidrs)
      items.push_back({r, i, r == model::full_range(r.family)});
  const std::vector<RawPiece> raw = sweep(std::move(items));

  std::vector<IpRange> excluded;  // what a catch-all never claims
  std::vector<IpRange> all_private;
  for (auto f : {Family::V4, Family::V6}) {
    for (const IpRange& r : special_purpose(f)) excluded.push_back(r);
    for (const IpRange& r : private_space(f)) all_private.push_back(r);
  }
  excluded.insert(excluded.end(), all_private.begin(), all_private.end());
  excluded = merge_ranges(std::move(excluded));

  std::vector<IpRange> declared;  // covered by a segment other than a catch-all
  for (const RawPiece& p : raw) {
    if (!p.catch_all) {
      pieces_.push_back({p.range, p.segment});
      declared.push_back(p.range);
      continue;
    }
    for (const IpRange& r : subtract_ranges({p.range}, excluded)) pieces_.push_back({r, p.segment});
  }
  std::sort(pieces_.begin(), pieces_.end(),
            [](const Piece& a, const Piece& b) { return range_less(a.range, b.range); });
  undeclared_private_ = subtract_ranges(all_private, merge_ranges(declared));

  std::map<std::string, std::vector<IpRange>> grouped;
  for (const Piece& p : pieces_) grouped[topology.segments[p.segment].name].push_back(p.range);
  for (auto& [name, ranges] : grouped) by_segment_[name] = merge_ranges(std::move(ranges));
}

const Segment* AddressPlan::segment_of(const model::IpAddress& a) const {
  auto it = std::upper_bound(pieces_.begin(), pieces_.end(), a, [](const auto& addr, const Piece& p) {
    return std::tie(addr.family, addr.value) < std::tie(p.range.family, p.range.lo);
  });
  if (it == pieces_.begin()) return nullptr;
  --it;
  return holds(it->range, a) ? &topology_->segments[it->segment] : nullptr;
}

std::vector<IpRange> AddressPlan::space_of_segment(const std::string& segment) const {
  auto it = by_segment_.find(segment);
  return it == by_segment_.end() ? std::vector<IpRange>{} : it->second;
}

std::vector<IpRange> AddressPlan::space_of_zone(const std::string& zone) const {
  std::vector<IpRange> all;
  for (const Segment& s : topology_->segments) {
    if (s.zone != zone) continue;
    auto part = space_of_segment(s.name);
    all.insert(all.end(), part.begin(), part.end());
  }
  return merge_ranges(std::move(all));
}

bool AddressPlan::is_undeclared_private(const model::IpAddress& a) const {
  auto it = std::upper_bound(undeclared_private_.begin(), undeclared_private_.end(), a,
                             [](const auto& addr, const IpRange& r) {
                               return std::tie(addr.family, addr.value) < std::tie(r.family, r.lo);
                             });
  if (it == undeclared_private_.begin()) return false;
  return holds(*(it - 1), a);
}

}  // namespace sanso::topology
