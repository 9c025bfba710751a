#pragma once
// FortiOS configuration (`show`, `show full-configuration`, backup file) -> model::Device, the
// vendor table's entry for "fortigate". One device per VDOM: DeviceInput::context names it
// (network.yaml `context:`); a file without VDOMs is the VDOM "root".
#include "vendor/vendor.h"

namespace sanso::vendor::fortigate {

LoadResult load(const DeviceInput& input);

}  // namespace sanso::vendor::fortigate
