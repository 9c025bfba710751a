#pragma once
// Where an address belongs (TOPOLOGY.md "Where an address belongs"): the most specific segment
// CIDR decides; a catch-all (0.0.0.0/0, ::/0) never claims special-purpose addresses nor private
// space that no other segment declares. Computed once by sorted interval sweeps.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "model/address.h"
#include "topology/topology.h"

namespace sanso::topology {

class AddressPlan {
 public:
  /// `topology` must outlive the plan (segment_of returns pointers into it).
  explicit AddressPlan(const Topology& topology);

  /// Most specific CIDR decides; nullptr when no segment holds it, or when only a catch-all
  /// covers a special-purpose address (0.0.0.0/8, 127/8, 169.254/16, 224/4, 255.255.255.255,
  /// ::/128, ::1/128, fe80::/10, ff00::/8) or undeclared private space (10/8, 172.16/12,
  /// 192.168/16, fc00::/7).
  const Segment* segment_of(const model::IpAddress& a) const;
  /// Disjoint sorted ranges (IPv4 first) of the addresses whose segment_of() is this segment.
  std::vector<model::IpRange> space_of_segment(const std::string& segment) const;
  /// The same for every segment of a zone.
  std::vector<model::IpRange> space_of_zone(const std::string& zone) const;
  /// Private (RFC 1918, fc00::/7) addresses covered by no segment other than a catch-all.
  std::vector<model::IpRange> undeclared_private_space() const { return undeclared_private_; }
  bool is_undeclared_private(const model::IpAddress& a) const;

  /// The special-purpose ranges of one family, sorted and disjoint.
  static std::vector<model::IpRange> special_purpose(model::Family f);
  /// The private ranges of one family, sorted and disjoint.
  static std::vector<model::IpRange> private_space(model::Family f);

 private:
  struct Piece {
    model::IpRange range;
    std::size_t segment = 0;  ///< index into topology.segments
  };

  const Topology* topology_;
  std::vector<Piece> pieces_;  ///< disjoint, sorted by (family, lo)
  std::vector<model::IpRange> undeclared_private_;
  std::map<std::string, std::vector<model::IpRange>> by_segment_;
};

/// Sorted disjoint ranges minus sorted disjoint ranges (both of any families, sorted by
/// (family, lo)).
std::vector<model::IpRange> subtract_ranges(const std::vector<model::IpRange>& a,
                                            const std::vector<model::IpRange>& b);
/// Sorts and merges overlapping or adjacent ranges of the same family.
std::vector<model::IpRange> merge_ranges(std::vector<model::IpRange> ranges);

}  // namespace sanso::topology
