#pragma once
// YamahaConfig -> model::Device: the semantic step of the YAMAHA RTX pipeline.
#include <string>

#include "model/device.h"
#include "vendor/yamaha/config.h"

namespace sanso::vendor::yamaha {

/// Stage names of Device::transit, in the order a forwarded packet meets them.
inline constexpr const char* kStageEthernetIn = "ethernet filter in";
inline constexpr const char* kStageIpIn = "ip secure filter in";
inline constexpr const char* kStageIpv6In = "ipv6 secure filter in";
inline constexpr const char* kStageIpOut = "ip secure filter out";
inline constexpr const char* kStageIpv6Out = "ipv6 secure filter out";
inline constexpr const char* kStageEthernetOut = "ethernet filter out";
inline constexpr const char* kStagePolicy = "ip policy filter";

model::Device to_model(const std::string& device_name, const YamahaConfig& cfg);

}  // namespace sanso::vendor::yamaha
