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

#ifdef SANSO_BINARY

namespace {

const std::string kData = SANSO_SOURCE_DIR "/tests/data/cli/";

/// A directory under temp_directory_path() that removes itself.
class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = fs::temp_directory_path() / ("sanso-cli-" + std::to_string(rd()) + "-" + std::to_string(rd()));
      std::error_code ec;
      if (fs::create_directory(path_, ec)) return;
    }
    FAIL("cannot create a temporary directory");
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `sanso ARGS` in `cwd` (the source tree if empty) with an English locale.
Run sanso(const std::string& args, const std::string& cwd = SANSO_SOURCE_DIR) {
  Scratch io;
  const fs::path out = io.path() / "stdout", err = io.path() / "stderr";
  const std::string cmd = "cd " + quoted(cwd) + " && LC_ALL=C LANG=C " + quoted(SANSO_BINARY) + " " +
                          args + " >" + quoted(out.string()) + " 2>" + quoted(err.string());
  const int status = std::system(cmd.c_str());
  Run r;
  r.code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("sanso audit without network.yaml hints at the example") {
  Scratch empty;
  const auto r = sanso("audit", empty.path().string());
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
    const auto r = sanso("audit " + quoted(kData + c.folder));
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
  const auto r = sanso("audit " + quoted(town.path().string()));
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r.err, "configs/blob.rules"), r.err);
}

TEST_CASE("sanso audit on the example towns") {
  SUBCASE("the clean town exits 0") {
    const auto r = sanso("audit topology/example-city-clean");
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(has(r.out, "CLEAN"));
  }
  SUBCASE("the town with planted mistakes exits 1") {
    const auto r = sanso("audit topology/example-city");
    CHECK_MESSAGE(r.code == 1, r.err);
    CHECK(has(r.out, "MN-ISOLATE"));
    CHECK(has(r.out, "configs/gw-mn.rules:17"));
  }
}

TEST_CASE("sanso audit --format json has the contract's keys") {
  const auto r = sanso("audit topology/example-city --format json");
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
  const auto r = sanso("audit topology/example-city --lang ja");
  CHECK(r.code == 1);
  CHECK(has(r.out, "指摘事項"));
  const auto en = sanso("audit topology/example-city --lang en");
  CHECK(!has(en.out, "指摘事項"));
}

TEST_CASE("--help exits 0") {
  for (const char* args : {"--help", "audit --help", "parse --help"}) {
    CAPTURE(args);
    const auto r = sanso(args);
    CHECK(r.code == 0);
    CHECK(has(r.out, "Usage"));
  }
  CHECK(sanso("").code == 2);  // no subcommand is a usage error
}

TEST_CASE("sanso parse") {
  SUBCASE("a fully understood file exits 0") {
    const auto r = sanso("parse --vendor iptables " + quoted(kData + "parse/ok.rules"));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(has(r.out, "9 of 9 lines understood"));
  }
  SUBCASE("a file with an unknown module exits 1 and lists the line") {
    const auto r = sanso("parse --vendor iptables " + quoted(kData + "parse/unknown-module.rules"));
    CHECK(r.code == 1);
    CHECK(has(r.out, "unknown-module.rules:7:"));
    CHECK(has(r.out, "-m recent"));
  }
  SUBCASE("an unknown vendor exits 2") {
    const auto r = sanso("parse --vendor cisco " + quoted(kData + "parse/ok.rules"));
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
    const auto r = sanso("parse --vendor iptables " + quoted(blob.string()));
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, "blob.rules"), r.err);
  }
  SUBCASE("a missing file exits 2") {
    const auto r = sanso("parse --vendor iptables " + quoted(kData + "parse/absent.rules"));
    CHECK(r.code == 2);
    CHECK(has(r.err, "no such file"));
  }
}

#else

TEST_CASE("cli tests need the sanso binary") {
  MESSAGE("SANSO_BINARY is not defined (built with SANSO_TEST_DIRS): cli tests skipped");
}

#endif
