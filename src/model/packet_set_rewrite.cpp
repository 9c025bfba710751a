// Field-wise maps of packet sets: projection (release) and overwriting (rewrite), for NAT.
#include "model/packet_set.h"
#include "model/packet_set_boxes.h"

namespace sanso::model {
namespace {

/// Largest value of field `f` for a member of box `b` (addresses depend on its family).
u128 max_in(const Block& b, Field f) {
  if (f != Field::Src && f != Field::Dst) return field_max(f);
  return family_max(static_cast<Family>(static_cast<std::uint8_t>(b[Field::Family].lo)));
}

/// The union of the boxes of `s`, each with field `f` set by `set(box, max)`; boxes for which it
/// returns false are dropped.
template <class Set>
PacketSet map_field(const std::vector<Block>& boxes, Field f, Set set) {
  const auto fi = static_cast<std::size_t>(f);
  std::vector<PacketSet> parts;
  parts.reserve(boxes.size());
  for (Block b : boxes) {
    if (!set(b.field[fi], max_in(b, f))) continue;
    parts.push_back(detail::PacketSetAccess::from_disjoint({b}));
  }
  return union_all(parts);  // the mapped boxes may overlap
}

}  // namespace

PacketSet PacketSet::release(Field f) const {
  return map_field(boxes_, f, [](Interval& iv, u128 max) {
    iv = {0, max};
    return true;
  });
}

PacketSet PacketSet::rewrite(Field f, u128 lo, u128 hi) const {
  return map_field(boxes_, f, [lo, hi](Interval& iv, u128 max) {
    if (lo > max) return false;  // no such value in this member's space
    iv = {lo, hi < max ? hi : max};
    return true;
  });
}

}  // namespace sanso::model
