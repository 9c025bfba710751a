// IndexedPacketSet: one overlap index, many intersections.
#include "model/packet_set.h"
#include "model/packet_set_boxes.h"

namespace sanso::model {

namespace {
// Below this many boxes a plain scan is as fast as the index (as in PacketSet::operator&=).
constexpr std::size_t kIndexFrom = 32;
}  // namespace

IndexedPacketSet::IndexedPacketSet(PacketSet s) : set_(std::move(s)) {
  const auto& boxes = detail::PacketSetAccess::boxes(set_);
  if (boxes.size() < kIndexFrom) return;
  std::vector<detail::BoxIndex::Item> items;
  items.reserve(boxes.size());
  for (const Block& b : boxes) items.push_back({&b, 0});
  index_ = std::make_unique<const detail::BoxIndex>(items);
}

IndexedPacketSet::IndexedPacketSet() = default;
IndexedPacketSet::IndexedPacketSet(IndexedPacketSet&&) noexcept = default;
IndexedPacketSet& IndexedPacketSet::operator=(IndexedPacketSet&&) noexcept = default;
IndexedPacketSet::~IndexedPacketSet() = default;

PacketSet IndexedPacketSet::intersect(const PacketSet& o) const {
  if (!index_) return set_ & o;
  std::vector<Block> out;
  for (const Block& a : detail::PacketSetAccess::boxes(o)) {
    index_->for_each_overlap(
        a, [&](const detail::BoxIndex::Item& it) { out.push_back(detail::intersect(a, *it.box)); });
  }
  detail::coalesce(out);
  return detail::PacketSetAccess::from_disjoint(std::move(out));
}

bool IndexedPacketSet::intersects(const PacketSet& o) const {
  if (!index_) return set_.intersects(o);
  bool found = false;
  for (const Block& a : detail::PacketSetAccess::boxes(o)) {
    index_->for_each_overlap(a, [&](const detail::BoxIndex::Item&) { found = true; });
    if (found) return true;
  }
  return false;
}

PacketSet PacketSet::release(Field f) const {
  const auto fi = static_cast<std::size_t>(f);
  std::vector<PacketSet> parts;
  parts.reserve(boxes_.size());
  for (Block b : boxes_) {
    b.field[fi].lo = 0;
    if (f == Field::Src || f == Field::Dst) {
      const auto family = static_cast<Family>(static_cast<std::uint8_t>(b[Field::Family].lo));
      b.field[fi].hi = family_max(family);
    } else {
      b.field[fi].hi = field_max(f);
    }
    parts.push_back(detail::PacketSetAccess::from_disjoint({b}));
  }
  return union_all(parts);
}

PacketSet PacketSet::rewrite(Field f, u128 lo, u128 hi) const {
  const auto fi = static_cast<std::size_t>(f);
  std::vector<PacketSet> parts;
  parts.reserve(boxes_.size());
  for (Block b : boxes_) {
    u128 max = field_max(f);
    if (f == Field::Src || f == Field::Dst) {
      max = family_max(static_cast<Family>(static_cast<std::uint8_t>(b[Field::Family].lo)));
    }
    if (lo > max) continue;  // no such value in this member's space
    b.field[fi] = {lo, hi < max ? hi : max};
    parts.push_back(detail::PacketSetAccess::from_disjoint({b}));
  }
  return union_all(parts);
}

}  // namespace sanso::model
