#pragma once
// Internal to sanso_model (nothing outside src/model/*.cpp includes this): the box algebra behind
// PacketSet. A box is a Block whose intervals are all non-empty and whose Family interval is one
// family; the boxes of a set are pairwise disjoint.
#include <cstdint>
#include <span>
#include <vector>

#include "model/packet_set.h"

namespace sanso::model::detail {

struct PacketSetAccess {
  static std::vector<Block>& boxes(PacketSet& s) { return s.boxes_; }
  static const std::vector<Block>& boxes(const PacketSet& s) { return s.boxes_; }
  static PacketSet from_disjoint(std::vector<Block> boxes) {
    PacketSet s;
    s.boxes_ = std::move(boxes);
    return s;
  }
};

inline Interval& at(Block& b, Field f) { return b.field[static_cast<std::size_t>(f)]; }

// Fields in the order overlap tests try them: the ones rule boxes differ in most come first, so
// a disjoint pair is usually rejected by the first comparison.
inline constexpr std::size_t kOverlapOrder[kFieldCount] = {2, 1, 5, 3, 4, 6, 7, 8, 9, 0};

// Raw pointers rather than std::array::operator[]: these run millions of times and the Debug
// (sanitized) build does not inline.
inline bool overlaps(const Block& a, const Block& b) {
  const Interval* x = a.field.data();
  const Interval* y = b.field.data();
  for (std::size_t i : kOverlapOrder) {
    if (x[i].hi < y[i].lo || y[i].hi < x[i].lo) return false;
  }
  return true;
}

inline bool covers(const Block& outer, const Block& inner) {
  const Interval* o = outer.field.data();
  const Interval* n = inner.field.data();
  for (std::size_t i : kOverlapOrder) {
    if (n[i].lo < o[i].lo || o[i].hi < n[i].hi) return false;
  }
  return true;
}

/// Intersection of two overlapping boxes.
inline Block intersect(const Block& a, const Block& b) {
  Block r;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    r.field[i].lo = a.field[i].lo < b.field[i].lo ? b.field[i].lo : a.field[i].lo;
    r.field[i].hi = a.field[i].hi < b.field[i].hi ? a.field[i].hi : b.field[i].hi;
  }
  return r;
}

/// Subtracts many boxes from one box. Reusable scratch space so that the hot loop of
/// first_match_hits does not allocate per call.
class Subtractor {
 public:
  /// Appends `a` minus the union of `subs` to `out` as disjoint boxes.
  void subtract(const Block& a, std::span<const Block* const> subs, std::vector<Block>& out);

 private:
  struct Frame {
    Block piece;
    std::uint32_t begin;  // candidate subtrahends: list_[begin, end)
    std::uint32_t end;
  };
  std::vector<const Block*> list_;
  std::vector<Frame> stack_;
};

/// A static index answering "which of these boxes overlap this box?" in about log n + k.
/// It sorts the boxes by the low end of one field (the one that separates them best on a sample)
/// and keeps a segment tree of the maximum high end, so whole runs of boxes are skipped. A second
/// field is copied beside the first so that most non-overlapping boxes are rejected without
/// touching the box itself (cache misses dominate this loop).
class BoxIndex {
 public:
  struct Item {
    const Block* box;
    std::uint32_t owner;  // caller's tag, e.g. the rule a box belongs to
  };
  explicit BoxIndex(const std::vector<Item>& items);

  /// Calls f(item) for every indexed box that overlaps q and whose owner is below owner_limit.
  template <class F>
  void for_each_overlap(const Block& q, F&& f, std::uint32_t owner_limit = UINT32_MAX) const {
    if (entries_.empty()) return;
    visit(1, 0, entries_.size(), q, owner_limit, f);
  }

 private:
  struct Entry {
    Interval key;
    Interval key2;
    const Block* box;
    std::uint32_t owner;
  };
  struct Node {
    u128 max_hi = 0;
    std::uint32_t min_owner = UINT32_MAX;
  };

  template <class F>
  void visit(std::size_t node, std::size_t l, std::size_t r, const Block& q,
             std::uint32_t owner_limit, F& f) const {
    const Interval& key = q.field[key_];
    if (nodes_[node].max_hi < key.lo || nodes_[node].min_owner >= owner_limit ||
        entries_[l].key.lo > key.hi) {
      return;
    }
    if (r - l <= kLeaf) {
      const Interval& key2 = q.field[key2_];
      for (std::size_t i = l; i < r; ++i) {
        const Entry& e = entries_[i];
        if (e.key.lo > key.hi) break;  // sorted by key.lo
        if (e.key.hi < key.lo || e.owner >= owner_limit) continue;
        if (e.key2.hi < key2.lo || key2.hi < e.key2.lo) continue;
        if (overlaps(*e.box, q)) f(Item{e.box, e.owner});
      }
      return;
    }
    const std::size_t m = l + (r - l) / 2;
    visit(2 * node, l, m, q, owner_limit, f);
    visit(2 * node + 1, m, r, q, owner_limit, f);
  }
  Node build(std::size_t node, std::size_t l, std::size_t r);

  static constexpr std::size_t kLeaf = 8;
  std::size_t key_ = 2;
  std::size_t key2_ = 1;
  std::vector<Entry> entries_;
  std::vector<Node> nodes_;
};

/// Merges boxes that differ in one field only and meet there, until none do (bounded rounds).
/// Subtraction cuts sets into many slivers; merging them back keeps later operations (pairwise
/// in the worst case) and memory small. The set is unchanged.
void coalesce(std::vector<Block>& boxes);

/// Adds `a` (disjoint from every box) to `boxes`, merged with the boxes it meets in one field:
/// the cheap, local form of coalesce for adding a few boxes to a large set.
void absorb(std::vector<Block>& boxes, const Block& a);

/// Appends `a` minus the boxes of `sub` to out; indexes `sub` when it pays. Returns whether any
/// box of `a` was cut (else `out` got `a` unchanged).
bool subtract_set(const std::vector<Block>& a, const std::vector<Block>& sub,
                  std::vector<Block>& out);

}  // namespace sanso::model::detail
