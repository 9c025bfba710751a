// The real rulesets of ../shared/configs/real (no licence: read at test time, never copied).
// Their understood/total lines are asserted so that a coverage regression fails.
#include <filesystem>

#include "helpers.h"

namespace sanso::test::nft {
namespace {

std::optional<model::Device> load_real(const std::string& rel) {
  const std::string path = std::string(SANSO_SHARED_DIR) + "/configs/real/" + rel;
  if (!std::filesystem::exists(path)) {
    MESSAGE("skipped: " << path << " not present");
    return std::nullopt;
  }
  auto r = load_text(read_text(path), rel);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  return r.device;
}

TEST_CASE("real nft: martijnvds debian router, source file") {
  const auto d = load_real("nftables/martijnvds_debian_router.nftables.conf");
  if (!d) return;
  CHECK(coverage(*d).lines == 229);
  CHECK(coverage(*d).understood() == 229);
  CHECK(d->destination_nat.size() == 3);
  CHECK(d->source_nat.size() == 1);
  // Trusted may open SSH to management; guest may not.
  CHECK(permits(*d, tcp("10.240.3.5", "10.240.1.1", 22), "vlan_trusted", "vlan_default"));
  CHECK_FALSE(permits(*d, tcp("10.240.6.5", "10.240.1.1", 22), "vlan_guest", "vlan_default"));
  // WAN reaches the web server through the DNAT map; whether `ct status dnat accept` is what
  // admits it cannot be told from the packet (another packet may have that header already), so
  // that crossing is unproven.
  const auto web = forwards(*d, tcp("198.51.100.7", "203.0.113.1", 443), "wan", "vlan_server");
  CHECK(web.may);
  CHECK_FALSE(web.must);
  // A port no DNAT produces is decided exactly: dropped.
  CHECK_FALSE(permits(*d, tcp("198.51.100.7", "10.240.2.100", 22), "wan", "vlan_server"));
}

TEST_CASE("real nft: martijnvds debian router, nft list ruleset") {
  const auto d = load_real("nftables/martijnvds_debian_router.derived-list-ruleset.nft");
  if (!d) return;
  CHECK(coverage(*d).lines == 99);
  CHECK(coverage(*d).understood() == 99);
  CHECK(permits(*d, tcp("10.240.3.5", "10.240.1.1", 443), "vlan_trusted", "vlan_default"));
  CHECK_FALSE(permits(*d, tcp("10.240.3.5", "10.240.1.1", 80), "vlan_trusted", "vlan_default"));
}

TEST_CASE("real nft: iptables-nft listing of the pays0n home router") {
  const auto d = load_real("iptables/pays0n_home_router.derived-nft-list-ruleset.nft");
  if (!d) return;
  CHECK(coverage(*d).lines == 120);
  CHECK(coverage(*d).understood() == 113);
  std::size_t xt = 0;
  for (const auto& u : coverage(*d).unparsed) xt += u.reason.find("xt set is opaque") != std::string::npos;
  CHECK(xt == 3);
}

}  // namespace
}  // namespace sanso::test::nft
