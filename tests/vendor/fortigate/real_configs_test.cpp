// The real FortiOS configs of /work/shared/configs/real/fortigate (Apache-2.0, from batfish; read
// at test time from the shared folder): each file's understood/total lines is asserted, so a
// coverage regression fails, and a few facts are checked by hand against the file.
#include <doctest/doctest.h>

#include <filesystem>

#include "helpers.h"

namespace sanso::test::fortigate {
namespace {

std::string real_dir() { return std::string(SANSO_SHARED_DIR) + "/configs/real/fortigate/"; }

std::optional<model::Device> load_real(const std::string& name) {
  if (!std::filesystem::exists(real_dir() + name)) return std::nullopt;
  vendor::DeviceInput in;
  in.device_name = name;
  in.configs.push_back({name, read_text(real_dir() + name)});
  auto r = vendor::fortigate::load(in);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  return r.device;
}

#define SKIP_IF_ABSENT(dev)                                     \
  if (!(dev)) {                                                 \
    MESSAGE("skipped: " << real_dir() << " not present");       \
    return;                                                     \
  }

TEST_CASE("fortigate real configs: batfish_firewall_policy") {
  const auto d = load_real("batfish_firewall_policy.conf");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 120);
  CHECK(c.understood() == 120);
  const auto& f = policies(*d);
  // Order of the file, not the ids: 4294967294 (line 75) before 1 (line 86) before 2 and 3;
  // policy 0 (line 65) is disabled and gives no entry.
  std::vector<int> order;
  for (const auto& e : f.entries)
    if (order.empty() || order.back() != line_of(e)) order.push_back(line_of(e));
  CHECK(order == std::vector<int>{75, 86, 101, 109, 0});
  // 4294967294 writes no action: FortiOS's default is deny. dstintf "port1 port2": 2 entries.
  CHECK(f.entries[0].action == model::Action::Deny);
  CHECK(f.entries[0].out->pattern == "port1");
  CHECK(f.entries[1].out->pattern == "port2");
  // custom_tcp_12_from_11 is "tcp-portrange 12:11": destination 12, source 11.
  CHECK(f.entries[0].match.contains(tcp("10.0.1.5", "10.0.2.5", 12, 11)));
  CHECK_FALSE(f.entries[0].match.contains(tcp("10.0.1.5", "10.0.2.5", 12)));
  // Policy 3: srcintf zone1 port2 zone3 + zone2 = ports 3,2,5,4; dstintf (set twice) zone1 +
  // zone3 = ports 3,5: 8 entries, all accept.
  std::size_t p3 = 0;
  for (const auto& e : f.entries) p3 += line_of(e) == 109 ? 1 : 0;
  CHECK(p3 == 8);
  // A packet port1 -> port2 from addr1 to addr2 on tcp/11: disabled policy 0 would deny, policy 1
  // accepts it (line 86).
  const auto hit = deciding(*d, tcp("10.0.1.5", "10.0.2.5", 11), "port1", "port2");
  REQUIRE(hit);
  CHECK(line_of(f.entries[*hit]) == 86);
  CHECK(f.entries[*hit].action == model::Action::Permit);
  CHECK(d->interfaces.size() == 5);
}

TEST_CASE("fortigate real configs: batfish_service_custom") {
  const auto d = load_real("batfish_service_custom.conf");
  SKIP_IF_ABSENT(d);
  CHECK(d->coverage.at(0).lines == 77);
  CHECK(d->coverage.at(0).understood() == 77);
  // No policy: only the implicit deny.
  REQUIRE(policies(*d).entries.size() == 1);
  CHECK_FALSE(policies(*d).entries[0].evidence[0].line);
}

TEST_CASE("fortigate real configs: batfish_zone") {
  const auto d = load_real("batfish_zone.conf");
  SKIP_IF_ABSENT(d);
  CHECK(d->coverage.at(0).lines == 46);
  CHECK(d->coverage.at(0).understood() == 46);
  // "longest possible valid name for zon" (line 42): intrazone allow, port4 + port5: two permits.
  const auto& f = policies(*d);
  REQUIRE(f.entries.size() == 3);
  CHECK(f.entries[0].in->pattern == "port4");
  CHECK(f.entries[0].out->pattern == "port5");
  CHECK(line_of(f.entries[0]) == 43);  // its `set intrazone allow` line
  CHECK(fate(*d, tcp("192.168.40.9", "192.168.50.9", 22), "port4", "port5").must);
  // zone1 (port3 replaced by port2, then port1 appended) has the default intrazone deny.
  CHECK_FALSE(fate(*d, tcp("192.168.20.9", "192.168.10.9", 22), "port2", "port1").may);
  CHECK(d->interfaces.at(0).addresses.at(0) == *model::parse_cidr("192.168.10.0/24"));
}

}  // namespace
}  // namespace sanso::test::fortigate
