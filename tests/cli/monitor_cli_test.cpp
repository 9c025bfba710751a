// `sanso monitor` end to end on Example City's captures: exactly the planted alerts, each once,
// with the exit codes of DESIGN §5; the alert log verifies; bad input exits 2.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <tuple>

#include "run_sanso.h"

#ifdef SANSO_BINARY

using namespace sanso::test_cli;
using nlohmann::json;

namespace {

using AlertKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

std::string text_or_null(const json& j) {
  return j.is_null() ? "null" : j.is_string() ? j.get<std::string>() : j.dump();
}

std::vector<json> lines_of(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) v.push_back(json::parse(line));
  }
  return v;
}

}  // namespace

TEST_CASE("sanso monitor: the example captures raise exactly the planted alerts, each once") {
  const auto expected_json = json::parse(slurp(SANSO_SOURCE_DIR "/captures/example-city/expected-alerts.json"));
  std::multiset<AlertKey> expected, seen;
  for (const auto& e : expected_json) {
    expected.insert({e["capture_point"], e["rule"], e["initiator"], text_or_null(e["responder"]),
                     e["proto"], text_or_null(e["dport"])});
  }
  for (const char* cp : {"span-mn-core", "span-lg-core", "span-inet"}) {
    CAPTURE(cp);
    const auto r = run_sanso(std::string("monitor --topology topology/example-city --format json ") +
                         "captures/example-city/" + cp + ".pcap");
    CHECK_MESSAGE(r.code == 1, r.err);
    bool summary = false;
    for (const auto& j : lines_of(r.out)) {
      if (j["type"] == "summary") {
        summary = true;
        CHECK(j["packets"].get<int>() > 50);
        continue;
      }
      REQUIRE(j["type"] == "alert");
      const auto& o = j["observed"];
      CHECK(o["capture_point"] == cp);  // chosen from the file name
      seen.insert({o["capture_point"], j["rule"], o["initiator"]["ip"],
                   o["responder"].is_null() ? "null" : o["responder"]["ip"].get<std::string>(),
                   o["proto"],
                   o["responder"].is_null() || o["responder"]["port"].is_null()
                       ? "null" : o["responder"]["port"].dump()});
      CHECK(j["message"]["ja"].get<std::string>().size() > 10);
      CHECK(j["id"].get<std::string>().size() == 16);
    }
    CHECK(summary);
  }
  CHECK(seen == expected);
}

TEST_CASE("sanso monitor: normal traffic alone exits 0; bad input exits 2") {
  // The lg capture filtered to the normal mail flow only.
  auto r = run_sanso("monitor --topology topology/example-city --capture-point span-lg-core "
                 "--filter 'host 172.16.1.25 and port 25' captures/example-city/span-lg-core.pcap");
  CHECK_MESSAGE(r.code == 0, (r.err + r.out));
  CHECK(has(r.out, "summary"));
  r = run_sanso("monitor --topology topology/example-city captures/example-city/absent.pcap");
  CHECK(r.code == 2);
  CHECK(has(r.err, "absent.pcap"));
  r = run_sanso("monitor --topology topology/example-city --capture-point nowhere "
            "captures/example-city/span-lg-core.pcap");
  CHECK(r.code == 2);
  CHECK(has(r.err, "capture point 'nowhere'"));
  r = run_sanso("monitor --topology topology/example-city README.md");
  CHECK(r.code == 2);
  r = run_sanso("monitor --topology topology/example-city");
  CHECK(r.code == 2);
  CHECK(has(r.err, "nothing to monitor"));
  r = run_sanso("monitor --help");
  CHECK(r.code == 0);
  CHECK(has(r.out, "--interface"));
}

TEST_CASE("sanso monitor: the alert log is chained and verify-log accepts it, then catches an edit") {
  Scratch dir;
  const std::string log = (dir.path() / "alerts.jsonl").string();
  auto r = run_sanso("monitor -q --topology topology/example-city --alerts " + quoted(log) +
                 " captures/example-city/span-mn-core.pcap");
  CHECK_MESSAGE(r.code == 1, r.err);
  r = run_sanso("verify-log " + quoted(log));
  CHECK_MESSAGE(r.code == 0, (r.out + r.err));
  std::string text = slurp(log);
  const auto at = text.find("MN-ISOLATE");
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "MN-ISOLATX");
  { std::ofstream(log, std::ios::binary) << text; }
  r = run_sanso("verify-log " + quoted(log));
  CHECK(r.code == 1);
}

#endif
