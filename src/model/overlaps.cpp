// Overlapping pairs of an ordered list of sets (rule-base analysis): one box index, each set's
// boxes asking for earlier owners only.
#include <algorithm>

#include "model/packet_set.h"
#include "model/packet_set_boxes.h"

namespace sanso::model {

using detail::BoxIndex;
using detail::PacketSetAccess;

std::vector<std::vector<std::uint32_t>> earlier_overlaps(const std::vector<PacketSet>& sets) {
  std::vector<BoxIndex::Item> items;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    for (const Block& b : PacketSetAccess::boxes(sets[i])) {
      items.push_back({&b, static_cast<std::uint32_t>(i)});
    }
  }
  // A handful of boxes: scanning them beats building the index (as first_match_hits).
  const bool use_index = items.size() >= 64;
  const BoxIndex index(use_index ? items : std::vector<BoxIndex::Item>{});
  std::vector<std::vector<std::uint32_t>> out(sets.size());
  for (std::size_t i = 0; i < sets.size(); ++i) {
    auto& found = out[i];
    const auto owner = static_cast<std::uint32_t>(i);
    for (const Block& a : PacketSetAccess::boxes(sets[i])) {
      if (use_index) {
        index.for_each_overlap(a, [&](const BoxIndex::Item& it) { found.push_back(it.owner); },
                               owner);
      } else {
        for (const auto& it : items) {
          if (it.owner < owner && detail::overlaps(*it.box, a)) found.push_back(it.owner);
        }
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
  }
  return out;
}

}  // namespace sanso::model
