#pragma once
// Cisco ASA running configuration (`show running-config`, a saved startup-config) ->
// model::Device, the vendor table's entry for "asa". One file per device; a multiple-context
// ASA gives each context's own configuration file (the system configuration holds no rules).
#include "vendor/vendor.h"

namespace sanso::vendor::asa {

LoadResult load(const DeviceInput& input);

}  // namespace sanso::vendor::asa
