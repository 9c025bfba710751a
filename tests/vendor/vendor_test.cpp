// The vendor table: known and supported vendors, dispatch, and the error for the rest.
#include <doctest/doctest.h>

#include "vendor/vendor.h"

namespace sanso::test {
namespace {

TEST_CASE("vendor table: every TOPOLOGY.md vendor is known; iptables, nftables, fortigate, asa, yamaha-rtx are supported") {
  for (const char* v : {"iptables", "nftables", "fortigate", "asa", "ios", "panos", "srx",
                        "yamaha-rtx", "nec-ix"})
    CHECK_MESSAGE(vendor::is_known_vendor(v), v);
  CHECK_FALSE(vendor::is_known_vendor("juniper"));
  CHECK(vendor::is_supported_vendor("iptables"));
  CHECK(vendor::is_supported_vendor("fortigate"));
  CHECK(vendor::is_supported_vendor("yamaha-rtx"));
  CHECK(vendor::is_supported_vendor("asa"));
  CHECK(vendor::is_supported_vendor("nftables"));
  CHECK_FALSE(vendor::is_supported_vendor("nec-ix"));
  CHECK(vendor::supported_vendors() == std::vector<std::string_view>{"iptables", "nftables", "fortigate", "asa", "yamaha-rtx"});
}

TEST_CASE("vendor table: load_device dispatches, or says why it cannot") {
  vendor::DeviceInput in;
  in.device_name = "fw";
  in.configs.push_back({"fw.v4", "*filter\n:FORWARD DROP [0:0]\nCOMMIT\n"});
  const auto ok = vendor::load_device("iptables", in);
  REQUIRE(ok.device);
  CHECK(ok.device->vendor == "iptables");
  CHECK(ok.device->name == "fw");

  const auto unsupported = vendor::load_device("nec-ix", in);
  CHECK_FALSE(unsupported.device);
  REQUIRE(unsupported.error);
  CHECK(unsupported.error->message == "vendor 'nec-ix' is not supported by this build");
  // A supported vendor handed another vendor's text says so, naming the file.
  const auto wrong = vendor::load_device("fortigate", in);
  CHECK_FALSE(wrong.device);
  REQUIRE(wrong.error);
  CHECK(wrong.error->file == "fw.v4");
  const auto unknown = vendor::load_device("junos", in);
  REQUIRE(unknown.error);
  CHECK(unknown.error->message == "unknown vendor 'junos'");
}

}  // namespace
}  // namespace sanso::test
