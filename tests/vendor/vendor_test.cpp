// The vendor table: known and supported vendors, dispatch, and the error for the rest.
#include <doctest/doctest.h>

#include "vendor/vendor.h"

namespace sanso::test {
namespace {

TEST_CASE("vendor table: every TOPOLOGY.md vendor is known, iptables is supported") {
  for (const char* v : {"iptables", "nftables", "fortigate", "asa", "ios", "panos", "srx",
                        "yamaha-rtx", "nec-ix"})
    CHECK_MESSAGE(vendor::is_known_vendor(v), v);
  CHECK_FALSE(vendor::is_known_vendor("juniper"));
  CHECK(vendor::is_supported_vendor("iptables"));
  CHECK_FALSE(vendor::is_supported_vendor("fortigate"));
  CHECK(vendor::supported_vendors() == std::vector<std::string_view>{"iptables"});
}

TEST_CASE("vendor table: load_device dispatches, or says why it cannot") {
  vendor::DeviceInput in;
  in.device_name = "fw";
  in.configs.push_back({"fw.v4", "*filter\n:FORWARD DROP [0:0]\nCOMMIT\n"});
  const auto ok = vendor::load_device("iptables", in);
  REQUIRE(ok.device);
  CHECK(ok.device->vendor == "iptables");
  CHECK(ok.device->name == "fw");

  const auto unsupported = vendor::load_device("fortigate", in);
  CHECK_FALSE(unsupported.device);
  REQUIRE(unsupported.error);
  CHECK(unsupported.error->message == "vendor 'fortigate' is not supported by this build");
  const auto unknown = vendor::load_device("junos", in);
  REQUIRE(unknown.error);
  CHECK(unknown.error->message == "unknown vendor 'junos'");
}

}  // namespace
}  // namespace sanso::test
