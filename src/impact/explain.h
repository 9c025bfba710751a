#pragma once
// The deciding rules along one path for one packet, on either side of a change.
#include <functional>
#include <string>
#include <vector>

#include "analysis/device_behavior.h"
#include "impact/impact.h"

namespace sanso::impact {

/// One device of a path, by name so that it can be looked up in the other snapshot.
struct HopRef {
  std::string device;
  std::string in_port;
  std::string out_port;
};

/// The behaviour of a device by name on one side; null when the side has no such device.
using BehaviorLookup = std::function<const analysis::DeviceBehavior*(const std::string&)>;

/// For every device of the path, each filter stage's deciding entry (or default) for `p`.
std::vector<RuleDecision> explain_path(const std::vector<HopRef>& path, const model::Packet& p,
                                       const BehaviorLookup& lookup);

}  // namespace sanso::impact
