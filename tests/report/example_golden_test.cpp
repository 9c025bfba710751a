// Golden tests of whole audits: the bundled example towns, audited as `sanso audit` does, must
// produce exactly the JSON under tests/data/golden/. Refresh after a deliberate change with
//   UPDATE_GOLDEN=1 build/test/sanso_tests -tc='golden*'
// and review the diff.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/common.h"
#include "policy/audit.h"
#include "report/json.h"
#include "topology/load.h"

namespace {

const std::string kRoot = SANSO_SOURCE_DIR;

struct Audited {
  sanso::policy::AuditResult result;
  std::string json;
};

Audited audit_example(const std::string& name) {
  auto loaded = sanso::topology::load_topology(kRoot + "/topology/" + name);
  REQUIRE(loaded.errors.empty());
  auto pack = sanso::cli::load_rules(&*loaded.topology, kRoot + "/rules/three-tier.yaml");
  REQUIRE(pack);
  auto devices = sanso::cli::load_devices(*loaded.topology);
  REQUIRE(devices.errors.empty());
  sanso::policy::AuditOptions options;
  options.today = "2026-11-22";  // fixed, so waiver expiry does not depend on the clock
  options.unsupported_devices = devices.unsupported;
  Audited a;
  a.result = sanso::policy::run_audit(*loaded.topology, *pack, devices.devices, options);
  a.json = sanso::report::audit_json(*loaded.topology, a.result).dump(2) + "\n";
  return a;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kRoot + "/tests/data/golden/" + name + ".json";
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path);
    return;
  }
  const std::string expected = read_text(path);
  REQUIRE_MESSAGE(!expected.empty(), "missing golden file " << path);
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("golden: example-city audit JSON") {
  const auto a = audit_example("example-city");
  CHECK(a.result.exit_code() == 1);
  CHECK(a.result.verdict == "violations");
  check_golden("example-city", a.json);
}

TEST_CASE("golden: example-city-clean audits clean") {
  const auto a = audit_example("example-city-clean");
  CHECK(a.result.findings.empty());
  CHECK(a.result.exit_code() == 0);
  CHECK(a.result.verdict == "clean");
  check_golden("example-city-clean", a.json);
}
