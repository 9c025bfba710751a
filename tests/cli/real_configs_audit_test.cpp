// Whole audits over real public iptables dumps (../shared/configs/real/iptables, read at test time
// under the licence rule, never copied): the pipeline must finish, find crossings, and keep what it
// cannot model visible as unproven — never crash, never exit 2.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/common.h"
#include "policy/audit.h"
#include "topology/load.h"

namespace {

namespace fs = std::filesystem;

const std::string kReal = std::string(SANSO_SHARED_DIR) + "/configs/real/iptables/";

struct RealAudit {
  bool skipped = false;
  sanso::policy::AuditResult result;
};

/// Audits `config` (a real dump) as the one gateway of a two-segment town described by
/// `segments` and `interfaces` (YAML flow mappings).
RealAudit audit_real(const std::string& config, const std::string& segments,
                     const std::string& interfaces) {
  RealAudit out;
  if (!fs::exists(kReal + config)) {
    MESSAGE("skipped: " << kReal << config << " is absent (../shared not mounted)");
    out.skipped = true;
    return out;
  }
  const fs::path dir = fs::temp_directory_path() / ("sanso-real-" + config);
  fs::create_directories(dir);
  std::ofstream(dir / "network.yaml") << "sanso: 1\nname: Real " << config
                                      << "\nzones:\n  the-internet: {tier: internet, external: true}\n"
                                      << "segments:\n" << segments << "devices:\n  gw: {vendor: iptables, config: "
                                      << kReal + config << ", interfaces: " << interfaces << "}\n";
  auto loaded = sanso::topology::load_topology((dir / "network.yaml").string());
  for (const auto& e : loaded.errors) MESSAGE(e.render());
  REQUIRE(loaded.topology);
  auto pack = sanso::cli::load_rules(&*loaded.topology, std::string(SANSO_SOURCE_DIR) + "/rules/three-tier.yaml");
  REQUIRE(pack);
  auto devices = sanso::cli::load_devices(*loaded.topology);
  for (const auto& e : devices.errors) MESSAGE(e);
  REQUIRE(devices.errors.empty());
  sanso::policy::AuditOptions options;
  options.today = "2026-11-22";
  options.threads = 2;
  out.result = sanso::policy::run_audit(*loaded.topology, *pack, devices.devices, options);
  fs::remove_all(dir);
  return out;
}

bool any_unproven(const sanso::policy::AuditResult& r) {
  for (const auto& f : r.findings) {
    if (f.status == sanso::policy::Status::Unproven) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("real dump: medium_sized_company (LAN behind ppp0)") {
  const auto a = audit_real("medium_sized_company.iptables-save",
                            "  lan: {zone: lgwan, cidr: 172.16.0.0/12}\n"
                            "  world: {zone: the-internet, cidr: 0.0.0.0/0}\n",
                            "{eth0: lan, ppp0: world}");
  if (a.skipped) return;
  CHECK(a.result.exit_code() == 1);
  CHECK(!a.result.matrix.empty());
  REQUIRE(a.result.coverage.size() == 1);
  CHECK(a.result.coverage.front().coverage.lines == 639);
  CHECK(a.result.coverage.front().coverage.understood() == 632);
  // Its `-m recent` lines cannot be proven either way.
  CHECK(any_unproven(a.result));
}

TEST_CASE("real dump: typical_home_user (VLANs on eth0, tun0 attached nowhere)") {
  const auto a = audit_real("typical_home_user.iptables-save",
                            "  vlans: {zone: lgwan, cidr: 192.168.0.0/16}\n"
                            "  world: {zone: the-internet, cidr: 0.0.0.0/0}\n",
                            "{\"eth0+\": vlans, eth1: world}");
  if (a.skipped) return;
  CHECK(a.result.exit_code() == 1);
  CHECK(!a.result.matrix.empty());
  REQUIRE(a.result.coverage.size() == 1);
  CHECK(a.result.coverage.front().coverage.lines == 276);
  CHECK(any_unproven(a.result));
}
