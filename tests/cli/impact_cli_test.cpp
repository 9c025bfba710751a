// `sanso impact` and `sanso audit --baseline` as a user runs them: exit codes (DESIGN §5), the
// example changes of topology/example-city/changes, errors that name what is wrong, stable JSON.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "run_sanso.h"

#ifdef SANSO_BINARY

using namespace sanso::test_cli;

namespace {

const std::string kCity = "topology/example-city";

}  // namespace

TEST_CASE("sanso impact: the example's correct change exits 0, the leaking one exits 1") {
  const auto ok = run_sanso("impact " + kCity + " --change gw-mn=" + kCity +
                            "/changes/gw-mn-remove-temp.rules");
  CHECK_MESSAGE(ok.code == 0, ok.err);
  CHECK(has(ok.out, "PASS"));
  CHECK(has(ok.out, "lgwan -> mynumber"));
  CHECK(has(ok.out, "- removed: 10.2.10.0/24 -> 10.1.20.0/24  tcp/22, tcp/3389, tcp/445"));
  CHECK(has(ok.out, "resolved: MN-ISOLATE"));

  const auto leak = run_sanso("impact " + kCity + " --change gw-lg=" + kCity +
                              "/changes/gw-lg-widen-mail.rules");
  CHECK_MESSAGE(leak.code == 1, leak.err);
  CHECK(has(leak.out, "FAIL"));
  CHECK(has(leak.out, "internet -> lgwan"));
  CHECK(has(leak.out, "changes/gw-lg-widen-mail.rules:17"));
}

TEST_CASE("sanso impact BEFORE AFTER: the same topology twice is an empty impact, exit 0") {
  const auto r = run_sanso("impact " + kCity + " " + kCity + " --format json");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["zones"].empty());
  CHECK(j["findings"]["new"].empty());
  CHECK(j["findings"]["resolved"].empty());
  CHECK_FALSE(j["findings"]["unchanged"].empty());
  CHECK(j["exit"] == 0);
}

TEST_CASE("sanso impact --format json is stable and carries the exact blocks") {
  const std::string args = "impact " + kCity + " --change gw-lg=" + kCity +
                           "/changes/gw-lg-widen-mail.rules --by segment --format json";
  const auto a = run_sanso(args);
  const auto b = run_sanso(args);
  CHECK(a.code == 1);
  CHECK(a.out == b.out);
  const auto j = nlohmann::json::parse(a.out);
  CHECK(j["verdict"] == "fail");
  bool found = false;
  for (const auto& p : j["zones"]) {
    if (p["from"] != "internet" || p["to"] != "lgwan") continue;
    found = true;
    CHECK(p["gates"] == true);
    REQUIRE_FALSE(p["added"].empty());
    const auto& blk = p["added"][0];
    CHECK(blk["services"] == nlohmann::json::array({"tcp/25"}));
    CHECK(blk["dst"] == nlohmann::json::array({"10.2.20.25"}));
    CHECK(blk["witness"]["dport"] == 25);
    CHECK_FALSE(blk["after"].empty());
  }
  CHECK(found);
  CHECK_FALSE(j["segments"].empty());
}

TEST_CASE("sanso impact --intent reports each intent and the collateral") {
  const auto r = run_sanso("impact " + kCity + " --change gw-mn=" + kCity +
                           "/changes/gw-mn-remove-temp.rules --intent " + kCity +
                           "/changes/remove-temp.intent.yaml --format json");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["intents"].size() == 3);
  for (const auto& i : j["intents"]) CHECK(i["met"] == true);
  CHECK(j["zones"][0]["collateral"]["removed"].empty());
}

TEST_CASE("sanso impact: bad input exits 2 and names what is wrong") {
  Scratch dir;
  const auto unknown = run_sanso("impact " + kCity + " --change gw-nope=x.rules");
  CHECK(unknown.code == 2);
  CHECK(has(unknown.err, "no device 'gw-nope'"));
  CHECK(has(unknown.err, "gw-mn"));  // the devices that exist are listed

  const auto missing = run_sanso("impact " + kCity + " --change gw-mn=/nonexistent/gw-mn.rules");
  CHECK(missing.code == 2);
  CHECK(has(missing.err, "/nonexistent/gw-mn.rules"));

  const auto neither = run_sanso("impact " + kCity);
  CHECK(neither.code == 2);
  CHECK(has(neither.err, "--change"));

  std::ofstream(dir.path() / "intent.yaml") << "- {from: nowhere-host, to: lg-mail, service: smtp, action: open}\n";
  const auto intent = run_sanso("impact " + kCity + " --change gw-mn=" + kCity +
                                "/configs/gw-mn.rules --intent " + (dir.path() / "intent.yaml").string());
  CHECK(intent.code == 2);
  CHECK(has(intent.err, "intent.yaml:1: 'nowhere-host'"));

  std::ofstream(dir.path() / "bad.yaml") << "- {from: a, to: b, service: smtp, action: maybe}\n";
  const auto bad = run_sanso("impact " + kCity + " " + kCity + " --intent " +
                             (dir.path() / "bad.yaml").string());
  CHECK(bad.code == 2);
  CHECK(has(bad.err, "action 'maybe'"));
}

TEST_CASE("sanso impact --lang ja prints the report in Japanese") {
  const auto r = run_sanso("impact " + kCity + " --change gw-mn=" + kCity +
                           "/changes/gw-mn-remove-temp.rules --lang ja");
  CHECK(r.code == 0);
  CHECK(has(r.out, "判定"));
  CHECK(has(r.out, "解消"));
}

TEST_CASE("sanso audit --baseline: known findings are marked and do not fail; new ones do") {
  Scratch dir;
  const std::string saved = (dir.path() / "baseline.json").string();
  const auto first = run_sanso("audit " + kCity + " --format json -o " + quoted(saved));
  REQUIRE(first.code == 1);

  const auto again = run_sanso("audit " + kCity + " --baseline " + quoted(saved) + " --format json");
  CHECK_MESSAGE(again.code == 0, again.err);
  const auto j = nlohmann::json::parse(again.out);
  bool waived_shown = false;
  for (const auto& f : j["findings"]) {
    if (f["status"] == "waived") waived_shown = true;
    CHECK(f["baseline"] == true);
  }
  CHECK(waived_shown);  // topology waivers still apply and are shown
  const auto text = run_sanso("audit " + kCity + " --baseline " + quoted(saved));
  CHECK(text.code == 0);
  CHECK(has(text.out, "[baseline]"));
  CHECK(has(text.out, "in the baseline"));

  // A baseline missing one finding: that finding fails the run and is not marked.
  auto reduced = nlohmann::json::parse(slurp(saved));
  std::string dropped;
  for (auto it = reduced["findings"].begin(); it != reduced["findings"].end(); ++it) {
    if ((*it)["status"] == "violation") {
      dropped = (*it)["id"];
      reduced["findings"].erase(it);
      break;
    }
  }
  REQUIRE_FALSE(dropped.empty());
  std::ofstream(dir.path() / "reduced.json") << reduced.dump();
  const auto partial = run_sanso("audit " + kCity + " --baseline " +
                                 quoted((dir.path() / "reduced.json").string()) + " --format json");
  CHECK(partial.code == 1);
  const auto partial_json = nlohmann::json::parse(partial.out);
  for (const auto& f : partial_json["findings"]) {
    CHECK((f["id"] == dropped) == !f.contains("baseline"));
  }

  // Without a baseline nothing is marked.
  CHECK_FALSE(has(slurp(saved), "\"baseline\""));

  std::ofstream(dir.path() / "not-audit.json") << "{\"hello\": 1}";
  const auto bad = run_sanso("audit " + kCity + " --baseline " +
                             quoted((dir.path() / "not-audit.json").string()));
  CHECK(bad.code == 2);
  CHECK(has(bad.err, "not a saved audit"));
  const auto absent = run_sanso("audit " + kCity + " --baseline /nonexistent.json");
  CHECK(absent.code == 2);
  CHECK(has(absent.err, "/nonexistent.json"));
}

#endif
