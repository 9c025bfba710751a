// The one table of vendors (STYLE §7.4: an explicit table, no self-registration). A vendor is
// known when TOPOLOGY.md names it; supported when this build has its loader.
#include "vendor/vendor.h"

#include <array>

#include "vendor/asa/load.h"
#include "vendor/fortigate/load.h"
#include "vendor/iptables/load.h"
#include "vendor/nftables/load.h"
#include "vendor/yamaha/load.h"

namespace sanso::vendor {
namespace {

using Loader = LoadResult (*)(const DeviceInput&);

struct VendorEntry {
  std::string_view name;
  Loader load;  ///< nullptr: known, not supported by this build
};

constexpr std::array<VendorEntry, 9> kVendors{{
    {"iptables", &iptables::load},
    {"nftables", &nftables::load},
    {"fortigate", &fortigate::load},
    {"asa", &asa::load},
    {"ios", nullptr},
    {"panos", nullptr},
    {"srx", nullptr},
    {"yamaha-rtx", &yamaha::load},
    {"nec-ix", nullptr},
}};

const VendorEntry* find(std::string_view vendor) {
  for (const VendorEntry& v : kVendors)
    if (v.name == vendor) return &v;
  return nullptr;
}

}  // namespace

bool is_known_vendor(std::string_view vendor) { return find(vendor) != nullptr; }

bool is_supported_vendor(std::string_view vendor) {
  const VendorEntry* v = find(vendor);
  return v != nullptr && v->load != nullptr;
}

std::vector<std::string_view> supported_vendors() {
  std::vector<std::string_view> out;
  for (const VendorEntry& v : kVendors)
    if (v.load != nullptr) out.push_back(v.name);
  return out;
}

LoadResult load_device(std::string_view vendor, const DeviceInput& input) {
  const VendorEntry* v = find(vendor);
  LoadResult result;
  if (v == nullptr) {
    result.error = FormatError{"", 0, "unknown vendor '" + std::string(vendor) + "'"};
    return result;
  }
  if (v->load == nullptr) {
    result.error = FormatError{"", 0, "vendor '" + std::string(vendor) +
                                          "' is not supported by this build"};
    return result;
  }
  return v->load(input);
}

}  // namespace sanso::vendor
