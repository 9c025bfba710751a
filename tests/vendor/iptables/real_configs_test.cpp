// The real dumps of /work/shared/configs/real/iptables (read at test time only, never copied):
// they load, and a few facts about them hold exactly.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

std::string real_dir() { return std::string(SANSO_SHARED_DIR) + "/configs/real/iptables/"; }

std::optional<model::Device> load_real(const std::string& name,
                                       std::optional<std::string> ipsets = std::nullopt) {
  if (!std::filesystem::exists(real_dir() + name)) return std::nullopt;
  vendor::DeviceInput in;
  in.device_name = name;
  in.configs.push_back({name, read_text(real_dir() + name)});
  if (ipsets) in.ipsets = vendor::SourceFile{*ipsets, read_text(real_dir() + *ipsets)};
  auto r = vendor::iptables::load(in);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  return r.device;
}

std::size_t count_reason(const model::Coverage& c, const std::string& fragment) {
  return static_cast<std::size_t>(std::count_if(
      c.unparsed.begin(), c.unparsed.end(),
      [&](const model::UnparsedLine& u) { return u.reason.find(fragment) != std::string::npos; }));
}

#define SKIP_IF_ABSENT(dev)                                             \
  if (!(dev)) {                                                         \
    MESSAGE("skipped: " << real_dir() << " not present");               \
    return;                                                             \
  }

TEST_CASE("real configs: typical_home_user") {
  const auto d = load_real("typical_home_user.iptables-save");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 276);
  // 26: its FORWARD --ctorigdst line is uncertain, since the device also DNATs (the original
  // destination is the one before DNAT; found by the kernel oracle, docs/oracle.md).
  CHECK(c.unparsed.size() == 26);
  CHECK(count_reason(c, "match -m recent is not modelled") == 6);
  CHECK(count_reason(c, "match -m hashlimit is not modelled") == 6);
  // Its 2 DNAT lines are applied (Device::destination_nat), its 6 SNAT/MASQUERADE recorded.
  CHECK(count_reason(c, "NAT not modelled") == 0);
  CHECK(d->unmodelled_nat.empty());
  CHECK(d->source_nat.size() == 6);
  std::size_t translating = 0;
  for (const auto& n : d->destination_nat) translating += n.to ? 1 : 0;
  CHECK(translating >= 2);
  const auto& fwd = stage(*d, "filter FORWARD");
  CHECK(fwd.entries.back().action == model::Action::Deny);  // :FORWARD DROP
}

TEST_CASE("real configs: medium_sized_company") {
  const auto d = load_real("medium_sized_company.iptables-save");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 639);
  CHECK(c.unparsed.size() == 7);  // its MASQUERADE is source NAT, its DNAT is applied
  CHECK(d->source_nat.size() == 1);
  CHECK(count_reason(c, "match -m rpfilter is not modelled") == 1);
  CHECK(d->transit.size() == 6);
}

TEST_CASE("real configs: tum_net, anonymised MACs make the mac rules uncertain") {
  const auto d = load_real("tum_net_2015-05-15.iptables-save");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 4949);
  CHECK(count_reason(c, "MAC address XX:XX:XX:XX:XX:XX is not one sanso can read") == 1641);
  CHECK(c.unparsed.size() == 1651);  // 3 SNAT lines are source NAT
  CHECK(d->source_nat.size() == 3);
  // mac_96 (reached from FORWARD line 161): "-s H -m mac --mac-source XX -j RETURN" then
  // "-s H -j DROP". Whether H's packets return is unknown, so the DROP is not trusted.
  const auto& fwd = stage(*d, "filter FORWARD");
  std::size_t drops = 0;
  for (const auto& e : fwd.entries) {
    if (e.evidence[0].line != 4202) continue;
    ++drops;
    CHECK(e.uncertain);
    CHECK(e.action == model::Action::Deny);
    CHECK(evidence_lines(e) == std::vector<int>{4202, 161});
    CHECK(e.match.contains(tcp("131.159.14.92", "10.0.0.1", 80)));
  }
  CHECK(drops == 1);
}

TEST_CASE("real configs: pays0n with its ipset file resolves allowed_internet") {
  const auto d = load_real("pays0n_home_router_ipset.rules.v4", "pays0n_home_router.ipset.conf");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 80);
  CHECK(count_reason(c, "set ") == 0);
  CHECK(c.unparsed.size() == 4);  // MASQUERADE is source NAT, DNAT applied; line 78: -m mark
  CHECK(d->source_nat.size() == 4);
  const auto& fwd = stage(*d, "filter FORWARD");
  // A host of allowed_internet going out wlan0 -> eth0 is accepted by the -m set rule (line 38);
  // another host of the same subnet is left to the FORWARD DROP policy. (An uncertain
  // "-m mark" ACCEPT of ts-forward comes first: it may match anything.)
  const auto* in_set = first_certain_match(fwd, tcp("192.168.22.52", "93.184.216.34", 443), "wlan0", "eth0");
  REQUIRE(in_set);
  CHECK(in_set->evidence[0].line == 38);
  CHECK(in_set->action == model::Action::Permit);
  CHECK_FALSE(in_set->uncertain);
  const auto* not_in_set =
      first_certain_match(fwd, tcp("192.168.22.99", "93.184.216.34", 443), "wlan0", "eth0");
  REQUIRE(not_in_set);
  CHECK(not_in_set->action == model::Action::Deny);
  CHECK(not_in_set->evidence[0].line == 11);

  const auto bare = load_real("pays0n_home_router_ipset.rules.v4");
  REQUIRE(bare);
  CHECK(count_reason(bare->coverage.at(0), "no ipset file given") == 3);
}

}  // namespace
}  // namespace sanso::test::iptables
