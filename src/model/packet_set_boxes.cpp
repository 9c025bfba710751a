#include "model/packet_set_boxes.h"

#include <algorithm>
#include <array>
#include <optional>
#include <tuple>
#include <utility>

namespace sanso::model::detail {

void Subtractor::subtract(const Block& a, std::span<const Block* const> subs,
                          std::vector<Block>& out) {
  // Divide and conquer (a k-d split): cut the piece around one subtrahend, then hand each outside
  // part only the subtrahends that still overlap it. Subtracting k small holes from one box costs
  // about k log k overlap tests instead of the k^2 of subtracting them one after another.
  list_.assign(subs.begin(), subs.end());
  stack_.clear();
  stack_.push_back({a, 0, static_cast<std::uint32_t>(list_.size())});
  while (!stack_.empty()) {
    const Frame f = stack_.back();
    stack_.pop_back();
    // Everything above f.end belonged to frames already finished (the stack is LIFO).
    list_.resize(f.end);
    const auto begin = static_cast<std::uint32_t>(list_.size());
    bool covered = false;
    for (std::uint32_t k = f.begin; k < f.end; ++k) {
      const Block* b = list_[k];
      if (!overlaps(f.piece, *b)) continue;
      if (covers(*b, f.piece)) {
        covered = true;
        break;
      }
      list_.push_back(b);
    }
    if (covered) continue;
    if (list_.size() == begin) {
      out.push_back(f.piece);
      continue;
    }
    const Block& cut = *list_[begin];
    const auto end = static_cast<std::uint32_t>(list_.size());
    Block rest = f.piece;
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      Interval& r = rest.field[i];
      const Interval& c = cut.field[i];
      if (r.lo < c.lo) {
        Frame below{rest, begin + 1, end};
        below.piece.field[i].hi = c.lo - 1;
        stack_.push_back(below);
        r.lo = c.lo;
      }
      if (c.hi < r.hi) {
        Frame above{rest, begin + 1, end};
        above.piece.field[i].lo = c.hi + 1;
        stack_.push_back(above);
        r.hi = c.hi;
      }
    }
    // `rest` is now the piece inside `cut`: removed.
  }
}

namespace {

// The candidate key fields: Family has two values and the flag/code fields few, so they never
// separate boxes well.
constexpr Field kKeyCandidates[] = {Field::Dst, Field::Src, Field::Dport, Field::Sport,
                                    Field::Proto, Field::IcmpType, Field::SrcMac};

// The two candidate fields that separate the boxes best: for a few sample boxes spread over the
// input, count how many boxes overlap them in each field; fewer is more selective.
std::pair<std::size_t, std::size_t> choose_keys(const std::vector<BoxIndex::Item>& items) {
  constexpr std::size_t kSamples = 16;
  std::pair<std::size_t, std::size_t> best = {static_cast<std::size_t>(Field::Dst),
                                              static_cast<std::size_t>(Field::Src)};
  std::size_t count1 = SIZE_MAX;
  std::size_t count2 = SIZE_MAX;
  const std::size_t step = std::max<std::size_t>(1, items.size() / kSamples);
  for (Field f : kKeyCandidates) {
    const auto fi = static_cast<std::size_t>(f);
    std::size_t count = 0;
    for (std::size_t s = 0; s < items.size() && count < count2; s += step) {
      const Interval& q = items[s].box->field[fi];
      for (const auto& it : items) {
        const Interval& v = it.box->field[fi];
        count += static_cast<std::size_t>(v.lo <= q.hi && q.lo <= v.hi);
      }
    }
    if (count < count1) {
      best.second = best.first;
      count2 = count1;
      best.first = fi;
      count1 = count;
    } else if (count < count2) {
      best.second = fi;
      count2 = count;
    }
  }
  return best;
}

}  // namespace

BoxIndex::BoxIndex(const std::vector<Item>& items) {
  if (items.empty()) return;
  std::tie(key_, key2_) = choose_keys(items);
  entries_.reserve(items.size());
  for (const Item& it : items) {
    entries_.push_back({it.box->field[key_], it.box->field[key2_], it.box, it.owner});
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
    return x.key.lo < y.key.lo || (x.key.lo == y.key.lo && x.owner < y.owner);
  });
  nodes_.assign(4 * (entries_.size() / kLeaf + 1), Node{});
  build(1, 0, entries_.size());
}

BoxIndex::Node BoxIndex::build(std::size_t node, std::size_t l, std::size_t r) {
  if (node >= nodes_.size()) nodes_.resize(node + 1);
  Node n;
  if (r - l <= kLeaf) {
    for (std::size_t i = l; i < r; ++i) {
      n.max_hi = std::max(n.max_hi, entries_[i].key.hi);
      n.min_owner = std::min(n.min_owner, entries_[i].owner);
    }
  } else {
    const std::size_t mid = l + (r - l) / 2;
    const Node a = build(2 * node, l, mid);
    const Node b = build(2 * node + 1, mid, r);
    n.max_hi = std::max(a.max_hi, b.max_hi);
    n.min_owner = std::min(a.min_owner, b.min_owner);
  }
  nodes_[node] = n;
  return n;
}

namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

std::uint64_t hash_field(const Interval& iv, std::size_t i) {
  const auto lo0 = static_cast<std::uint64_t>(iv.lo);
  const auto lo1 = static_cast<std::uint64_t>(iv.lo >> 64);
  const auto hi0 = static_cast<std::uint64_t>(iv.hi);
  const auto hi1 = static_cast<std::uint64_t>(iv.hi >> 64);
  return mix(mix(mix(lo0 + i) ^ lo1) ^ mix(hi0 ^ (hi1 << 1)));
}

struct GroupKey {
  std::uint64_t rest;  // hash of every field but the one being merged
  u128 lo;             // low end in that field
  std::uint32_t box;
};

}  // namespace

void coalesce(std::vector<Block>& boxes) {
  if (boxes.size() < 2) return;
  using Hashes = std::array<std::uint64_t, kFieldCount>;
  auto hashes_of = [](const Block& b) {
    Hashes h;
    for (std::size_t k = 0; k < kFieldCount; ++k) h[k] = hash_field(b.field[k], k);
    return h;
  };
  std::vector<Hashes> hashes;
  hashes.reserve(boxes.size());
  for (const Block& b : boxes) hashes.push_back(hashes_of(b));
  std::vector<GroupKey> keys;
  std::vector<Block> merged;
  std::vector<Hashes> merged_hashes;
  // Each round tries every field once; a merge in one field can enable one in another, but a
  // few rounds catch nearly all of it and bound the cost.
  constexpr int kRounds = 3;
  bool changed = true;
  for (int round = 0; round < kRounds && changed; ++round) {
    changed = false;
    for (std::size_t f = 0; f < kFieldCount && boxes.size() > 1; ++f) {
      // Boxes that all hold the same interval in f cannot meet in f (most fields of rule sets
      // are free everywhere): skip.
      const std::uint64_t first = hashes.front()[f];
      const bool uniform = std::all_of(hashes.begin(), hashes.end(),
                                       [&](const Hashes& h) { return h[f] == first; }) &&
                           std::all_of(boxes.begin(), boxes.end(), [&](const Block& b) {
                             return b.field[f] == boxes.front().field[f];
                           });
      if (uniform) continue;
      // Group boxes by a hash of their other fields, ordered by their low end in f; a hash
      // collision can only hide a merge, never cause a wrong one (equality is checked).
      keys.clear();
      for (std::uint32_t i = 0; i < boxes.size(); ++i) {
        std::uint64_t h = 0;
        for (std::size_t k = 0; k < kFieldCount; ++k) h += k == f ? 0 : hashes[i][k];
        keys.push_back({h, boxes[i].field[f].lo, i});
      }
      std::sort(keys.begin(), keys.end(), [](const GroupKey& x, const GroupKey& y) {
        return x.rest != y.rest ? x.rest < y.rest : x.lo < y.lo;
      });
      merged.clear();
      merged_hashes.clear();
      std::uint64_t last_rest = 0;
      for (const GroupKey& key : keys) {
        const Block& b = boxes[key.box];
        if (!merged.empty() && key.rest == last_rest) {
          Block& last = merged.back();
          bool same = last.field[f].hi != ~u128{0} && last.field[f].hi + 1 == b.field[f].lo;
          for (std::size_t k = 0; k < kFieldCount && same; ++k) {
            same = k == f || last.field[k] == b.field[k];
          }
          if (same) {
            last.field[f].hi = b.field[f].hi;
            merged_hashes.back()[f] = hash_field(last.field[f], f);
            changed = true;
            continue;
          }
        }
        merged.push_back(b);
        merged_hashes.push_back(hashes[key.box]);
        last_rest = key.rest;
      }
      boxes.swap(merged);
      hashes.swap(merged_hashes);
    }
  }
}

namespace {

// The one field in which a and b differ, when they meet there (their union is one box).
std::optional<std::size_t> mergeable(const Block& a, const Block& b) {
  std::optional<std::size_t> diff;
  for (std::size_t i : kOverlapOrder) {
    if (a.field[i] == b.field[i]) continue;
    if (diff) return std::nullopt;
    diff = i;
  }
  if (!diff) return std::nullopt;
  const Interval& x = a.field[*diff];
  const Interval& y = b.field[*diff];
  const bool meet = (x.hi != ~u128{0} && x.hi + 1 == y.lo) || (y.hi != ~u128{0} && y.hi + 1 == x.lo);
  return meet ? diff : std::nullopt;
}

}  // namespace

void absorb(std::vector<Block>& boxes, const Block& a) {
  Block cur = a;
  // Each merge removes a box, so this ends; a merged box may meet another one in turn.
  for (std::size_t i = 0; i < boxes.size();) {
    const auto f = mergeable(boxes[i], cur);
    if (!f) {
      ++i;
      continue;
    }
    cur.field[*f].lo = std::min(cur.field[*f].lo, boxes[i].field[*f].lo);
    cur.field[*f].hi = std::max(cur.field[*f].hi, boxes[i].field[*f].hi);
    boxes[i] = boxes.back();
    boxes.pop_back();
    i = 0;
  }
  boxes.push_back(cur);
}

bool subtract_set(const std::vector<Block>& a, const std::vector<Block>& sub,
                  std::vector<Block>& out) {
  Subtractor subtractor;
  std::vector<const Block*> hits;
  bool cut = false;
  // x minus the boxes in `hits` (those of `sub` that overlap it).
  auto take = [&](const Block& x) {
    if (hits.empty()) {
      out.push_back(x);
      return;
    }
    subtractor.subtract(x, hits, out);
    cut = true;
  };
  // Below these sizes a linear scan beats sorting the subtrahend.
  if (a.size() < 8 || sub.size() < 32) {
    for (const Block& x : a) {
      hits.clear();
      for (const Block& y : sub) {
        if (overlaps(x, y)) hits.push_back(&y);
      }
      take(x);
    }
    return cut;
  }
  std::vector<BoxIndex::Item> items;
  items.reserve(sub.size());
  for (const Block& y : sub) items.push_back({&y, 0});
  const BoxIndex index(items);
  for (const Block& x : a) {
    hits.clear();
    index.for_each_overlap(x, [&](const BoxIndex::Item& it) { hits.push_back(it.box); });
    take(x);
  }
  return cut;
}

}  // namespace sanso::model::detail
