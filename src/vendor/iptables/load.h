#pragma once
// iptables-save / ip6tables-save -> model::Device (the vendor table's entry for "iptables").
#include "vendor/vendor.h"

namespace sanso::vendor::iptables {

LoadResult load(const DeviceInput& input);

}  // namespace sanso::vendor::iptables
