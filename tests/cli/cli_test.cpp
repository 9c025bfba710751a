// The built `sanso` binary on good and bad input: exit codes (DESIGN §5) and the messages a user
// sees. Runs the real executable (SANSO_BINARY) with stdout and stderr captured in a temp dir.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

#include "run_sanso.h"

#ifdef SANSO_BINARY

using namespace sanso::test_cli;

namespace {

const std::string kData = SANSO_SOURCE_DIR "/tests/data/cli/";

}  // namespace

TEST_CASE("sanso audit without network.yaml hints at the example") {
  Scratch empty;
  const auto r = run_sanso("audit", empty.path().string());
  CHECK(r.code == 2);
  CHECK(has(r.err, "no network.yaml"));
  CHECK(has(r.err, "topology/example-city"));
}

TEST_CASE("sanso audit on invalid topologies exits 2 and names the place") {
  struct Case {
    const char* folder;
    const char* message;
  };
  for (const auto& c : {Case{"broken-yaml", "network.yaml:7:1: invalid YAML"},
                        Case{"unknown-key", "network.yaml:4:25: unknown key 'cidrs'"},
                        Case{"dangling", "network.yaml:6:20: unknown segment 'lg-srvv'"},
                        Case{"unknown-vendor", "network.yaml:7:16: unknown vendor 'cisco'"},
                        Case{"missing-config", "configs/absent.rules"}}) {
    CAPTURE(c.folder);
    const auto r = run_sanso("audit " + quoted(kData + c.folder));
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, c.message), r.err);
    CHECK(r.out.empty());
  }
}

TEST_CASE("sanso audit with a binary file as config exits 2 and names the file") {
  Scratch town;
  fs::copy_file(kData + "binary-config/network.yaml", town.path() / "network.yaml");
  fs::create_directories(town.path() / "configs");
  {
    std::ofstream blob(town.path() / "configs/blob.rules", std::ios::binary);
    const unsigned char bytes[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0xff, 0xfe, 0x00, 0x13, 0x80};
    for (int i = 0; i < 64; ++i) blob.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  const auto r = run_sanso("audit " + quoted(town.path().string()));
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r.err, "configs/blob.rules"), r.err);
}

TEST_CASE("sanso audit on the example towns") {
  SUBCASE("the clean town exits 0") {
    const auto r = run_sanso("audit topology/example-city-clean");
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(has(r.out, "CLEAN"));
  }
  SUBCASE("the town with planted mistakes exits 1") {
    const auto r = run_sanso("audit topology/example-city");
    CHECK_MESSAGE(r.code == 1, r.err);
    CHECK(has(r.out, "MN-ISOLATE"));
    CHECK(has(r.out, "configs/gw-mn.rules:17"));
  }
}

TEST_CASE("sanso audit --format json has the contract's keys") {
  const auto r = run_sanso("audit topology/example-city --format json");
  CHECK(r.code == 1);
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
  for (const char* key : {"sanso", "network", "verdict", "policy", "zones", "matrix", "coverage",
                          "findings", "not_evaluated", "checklist"}) {
    CAPTURE(key);
    CHECK(j.contains(key));
  }
  CHECK(j["sanso"] == 1);
  CHECK(j["network"] == "Example City");
  CHECK(j["verdict"] == "violations");
  REQUIRE(j["findings"].is_array());
  CHECK(!j["findings"].empty());
}

TEST_CASE("sanso audit --lang ja prints Japanese") {
  const auto r = run_sanso("audit topology/example-city --lang ja");
  CHECK(r.code == 1);
  CHECK(has(r.out, "指摘事項"));
  const auto en = run_sanso("audit topology/example-city --lang en");
  CHECK(!has(en.out, "指摘事項"));
}

TEST_CASE("--help exits 0") {
  for (const char* args : {"--help", "audit --help", "parse --help"}) {
    CAPTURE(args);
    const auto r = run_sanso(args);
    CHECK(r.code == 0);
    CHECK(has(r.out, "Usage"));
  }
  CHECK(run_sanso("").code == 2);  // no subcommand is a usage error
}

TEST_CASE("sanso parse") {
  SUBCASE("a fully understood file exits 0") {
    const auto r = run_sanso("parse --vendor iptables " + quoted(kData + "parse/ok.rules"));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(has(r.out, "9 of 9 lines understood"));
  }
  SUBCASE("a file with an unknown module exits 1 and lists the line") {
    const auto r = run_sanso("parse --vendor iptables " + quoted(kData + "parse/unknown-module.rules"));
    CHECK(r.code == 1);
    CHECK(has(r.out, "unknown-module.rules:7:"));
    CHECK(has(r.out, "-m recent"));
  }
  SUBCASE("an unknown vendor exits 2") {
    const auto r = run_sanso("parse --vendor cisco " + quoted(kData + "parse/ok.rules"));
    CHECK(r.code == 2);
    CHECK(has(r.err, "unknown vendor 'cisco'"));
  }
  SUBCASE("a binary file exits 2 and names it") {
    Scratch dir;
    const fs::path blob = dir.path() / "blob.rules";
    {
      std::ofstream out(blob, std::ios::binary);
      for (int i = 0; i < 256; ++i) out.put(static_cast<char>(i));
    }
    const auto r = run_sanso("parse --vendor iptables " + quoted(blob.string()));
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, "blob.rules"), r.err);
  }
  SUBCASE("a missing file exits 2") {
    const auto r = run_sanso("parse --vendor iptables " + quoted(kData + "parse/absent.rules"));
    CHECK(r.code == 2);
    CHECK(has(r.err, "no such file"));
  }
}

#else

TEST_CASE("cli tests need the sanso binary") {
  MESSAGE("SANSO_BINARY is not defined (built with SANSO_TEST_DIRS): cli tests skipped");
}

#endif
