#pragma once
// Secure filter lists bound to interfaces -> ordered model::Filter stages.
//
// A forwarded packet from interface A to interface B passes A's `in` list and B's `out` list
// (the vRX/RTX command reference, ip INTERFACE secure filter: filters are applied in the listed
// order, the first that matches decides pass or discard, and "a packet that matches no filter is
// discarded"). Each list becomes the entries of its interface, in list order, each with an
// interface condition (`in` lists: arriving on A; `out` lists: leaving on B), then an explicit
// discard of the list's family: the stage's own default (pass) is what interfaces without a list
// get.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/yamaha/config.h"
#include "vendor/yamaha/lower.h"

namespace sanso::vendor::yamaha {

/// What building the stages found out besides the stages themselves.
struct StageNotes {
  std::map<int, std::vector<std::string>> lines;  ///< coverage reasons by physical line
  std::vector<model::ObjectIssue> issues;
  std::set<std::string> relied;  ///< assumption texts relied on
  /// (family-or-ethernet, number) of every filter some list or dynamic filter uses.
  std::set<std::pair<int, std::uint32_t>> used_filters;
  std::set<std::pair<int, std::uint32_t>> used_dynamic;
};

/// Every bound list of `cfg` as stages (empty stages are left out).
std::vector<model::Filter> build_stages(const YamahaConfig& cfg, StageNotes& notes);

/// Keys of StageNotes::used_*: 4 and 6 for ip/ipv6 filters, 0 for ethernet filters.
int family_key(model::Family f);

}  // namespace sanso::vendor::yamaha
