#pragma once
// YAMAHA RTX `show config` output or saved .rtfg -> model::Device (the vendor table's entry for
// "yamaha-rtx").
#include "vendor/vendor.h"

namespace sanso::vendor::yamaha {

LoadResult load(const DeviceInput& input);

}  // namespace sanso::vendor::yamaha
