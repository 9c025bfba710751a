#pragma once
// FortigateConfig (one VDOM) -> model::Device: the semantic step of the FortiGate pipeline.
#include <string>
#include <string_view>
#include <vector>

#include "model/device.h"
#include "vendor/fortigate/config.h"

namespace sanso::vendor::fortigate {

/// The name of the one filter stage a FortiGate device has.
inline constexpr std::string_view kPolicyStage = "firewall policy";

/// `lines` are the file's physical lines (for evidence and coverage texts).
model::Device to_model(const std::string& device_name, const FortigateConfig& cfg,
                       const std::vector<std::string_view>& lines);

}  // namespace sanso::vendor::fortigate
