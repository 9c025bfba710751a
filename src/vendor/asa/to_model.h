#pragma once
// AsaConfig -> model::Device: the semantic step of the ASA pipeline.
#include <string>
#include <string_view>
#include <vector>

#include "model/device.h"
#include "vendor/asa/config.h"

namespace sanso::vendor::asa {

/// `lines` are the file's physical lines (for evidence and coverage texts).
model::Device to_model(const std::string& device_name, const AsaConfig& cfg,
                       const std::vector<std::string_view>& lines);

}  // namespace sanso::vendor::asa
