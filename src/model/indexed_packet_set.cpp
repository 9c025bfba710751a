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

}  // namespace sanso::model
