// First-match lowering of ordered rule lists: the hot path of loading a device.
#include <functional>

#include "model/packet_set.h"
#include "model/packet_set_boxes.h"

namespace sanso::model {
namespace {

using detail::BoxIndex;
using detail::PacketSetAccess;

// Calls emit(i, pieces) with sets[i] minus the union of sets[0..i-1], for every i in order. Only
// earlier boxes that overlap are subtracted; they are found through one index over all boxes.
void first_match_pieces(const std::vector<PacketSet>& sets, const std::vector<bool>* wanted,
                        const std::function<void(std::size_t, std::vector<Block>&)>& emit) {
  std::vector<BoxIndex::Item> items;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    for (const Block& b : PacketSetAccess::boxes(sets[i])) {
      items.push_back({&b, static_cast<std::uint32_t>(i)});
    }
  }
  // A handful of boxes: scanning them beats building the index.
  const bool use_index = items.size() >= 64;
  const BoxIndex index(use_index ? items : std::vector<BoxIndex::Item>{});

  detail::Subtractor subtractor;
  std::vector<const Block*> earlier;
  std::vector<Block> pieces;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    // An unwanted set still shadows later ones (it is in the index) but its own pieces are not
    // computed: a deny's hit is what costs most and no permit set needs it.
    if (wanted != nullptr && !(*wanted)[i]) continue;
    pieces.clear();
    for (const Block& a : PacketSetAccess::boxes(sets[i])) {
      earlier.clear();
      if (use_index) {
        index.for_each_overlap(
            a, [&](const BoxIndex::Item& it) { earlier.push_back(it.box); },
            static_cast<std::uint32_t>(i));
      } else {
        for (const auto& it : items) {
          if (it.owner < i && detail::overlaps(*it.box, a)) earlier.push_back(it.box);
        }
      }
      if (earlier.empty()) {
        pieces.push_back(a);
      } else {
        subtractor.subtract(a, earlier, pieces);
      }
    }
    detail::coalesce(pieces);
    emit(i, pieces);
  }
}

}  // namespace

std::vector<PacketSet> first_match_hits(const std::vector<PacketSet>& matches) {
  return first_match_hits(matches, std::vector<bool>(matches.size(), true));
}

std::vector<PacketSet> first_match_hits(const std::vector<PacketSet>& matches,
                                        const std::vector<bool>& wanted) {
  std::vector<PacketSet> hits(matches.size());
  first_match_pieces(matches, &wanted, [&hits](std::size_t i, std::vector<Block>& pieces) {
    PacketSetAccess::boxes(hits[i]).assign(pieces.begin(), pieces.end());
  });
  return hits;
}

PacketSet union_all(const std::vector<PacketSet>& sets) {
  // ∪ sets = the disjoint sum of their first-match hits.
  std::vector<Block> out;
  first_match_pieces(sets, nullptr, [&out](std::size_t, std::vector<Block>& pieces) {
    out.insert(out.end(), pieces.begin(), pieces.end());
  });
  return PacketSetAccess::from_disjoint(std::move(out));
}

PacketSet union_of_disjoint(const std::vector<PacketSet>& sets) {
  std::vector<Block> out;
  for (const auto& s : sets) {
    const auto& boxes = PacketSetAccess::boxes(s);
    out.insert(out.end(), boxes.begin(), boxes.end());
  }
  detail::coalesce(out);
  return PacketSetAccess::from_disjoint(std::move(out));
}

}  // namespace sanso::model
