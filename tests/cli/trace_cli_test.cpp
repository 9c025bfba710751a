// `sanso trace` as a user runs it on Example City: text and JSON, exit codes (DESIGN §5), input
// errors, and --batch with a bad line in the middle.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_sanso.h"

#ifdef SANSO_BINARY

namespace {

using namespace sanso::test_cli;
using nlohmann::json;

const std::string kCity = "trace -t topology/example-city ";

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("sanso trace: a planted violation shows the path, the config line and the breaking rule") {
  const auto r = run_sanso(kCity + "juki-app lg-print tcp/9101");
  CHECK(r.code == 1);
  CHECK(has(r.out, "mn-servers -> gw-mn -> lg-servers"));
  CHECK(has(r.out, "configs/gw-mn.rules:14"));
  CHECK(has(r.out, "breaks MN-SPECIFIC-COMM (critical, violation)"));
  CHECK(has(r.out, "also breaks: MN-ISOLATE"));
  CHECK(has(r.out, "src MAC 02:00:0a:01:14:0a (registered)"));
}

TEST_CASE("sanso trace: the declared specific communication matches and exits 0") {
  const auto r = run_sanso(kCity + "juki-app lg-print tcp/9100");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Policy: matches specific communication juki-to-print"));
  CHECK(has(r.out, "Verdict: allowed (source ports 0-65535)"));
}

TEST_CASE("sanso trace: another source MAC is denied at gw-mn by the chain policy, exit 0") {
  const auto r = run_sanso(kCity + "juki-app lg-print tcp/9100 --src-mac 02:00:00:00:00:99");
  CHECK(r.code == 0);
  CHECK(has(r.out, "denied at gw-mn"));
  CHECK(has(r.out, "no rule: default policy (deny)  configs/gw-mn.rules:4  :FORWARD DROP [0:0]"));
  CHECK(has(r.out, "Verdict: denied"));
}

TEST_CASE("sanso trace: unproven exits 1; Japanese text") {
  const auto r = run_sanso(kCity + "lg-admin inet-admin tcp/22 --lang ja");
  CHECK(r.code == 1);
  CHECK(has(r.out, "判定: 未検証"));
  CHECK(has(r.out, "LG-INET-SPLIT"));
  CHECK(has(r.out, "configs/gw-lg.rules:21"));
}

TEST_CASE("sanso trace --format json: the verdict, the rule and each hop's evidence") {
  const auto r = run_sanso(kCity + "10.2.10.5 10.1.20.10 tcp/22 --sport 40000 --format json");
  CHECK(r.code == 1);
  const auto j = json::parse(r.out);
  CHECK(j["allowed"] == true);
  CHECK(j["verdict"] == "allowed");
  CHECK(j["status"] == "violation");
  CHECK(j["rule"] == "MN-ISOLATE");
  CHECK(j["flow"]["src_host"] == "lg-admin");
  CHECK(j["flow"]["sport"] == 40000);
  CHECK(j["sports"].is_null());  // the source port was given
  bool cites = false;
  for (const auto& p : j["paths"]) {
    if (p["verdict"] != "allowed") continue;
    for (const auto& h : p["hops"]) {
      for (const auto& s : h["stages"]) {
        for (const auto& e : s["evidence"]) {
          cites = cites || (e["file"] == "configs/gw-mn.rules" && e["line"] == 17);
        }
      }
    }
  }
  CHECK(cites);
}

TEST_CASE("sanso trace: bad input exits 2 with a message") {
  auto r = run_sanso(kCity + "no-such-host lg-print tcp/9100");
  CHECK(r.code == 2);
  CHECK(has(r.err, "'no-such-host' is neither a host of the topology nor an IPv4/IPv6 address"));
  r = run_sanso(kCity + "juki-app lg-print tcp");
  CHECK(r.code == 2);
  CHECK(has(r.err, "tcp needs a destination port"));
  r = run_sanso(kCity + "10.9.9.9 lg-print tcp/9100");
  CHECK(r.code == 2);
  CHECK(has(r.err, "belongs to no segment"));
  r = run_sanso("trace -t /nonexistent juki-app lg-print tcp/9100");
  CHECK(r.code == 2);
}

TEST_CASE("sanso trace --help lists the options and the exit status") {
  const auto r = run_sanso("trace --help");
  CHECK(r.code == 0);
  CHECK(has(r.out, "--batch"));
  CHECK(has(r.out, "--src-mac"));
  CHECK(has(r.out, "Exit status"));
}

TEST_CASE("sanso trace --batch: one JSON line per input line, a bad line named and skipped, exit 2") {
  Scratch dir;
  const std::string file = dir.file("flows.jsonl");
  {
    std::ofstream out(file);
    out << R"({"src": "juki-app", "dst": "lg-print", "proto": "tcp", "sport": 49152, "dport": 9100})" << "\n"
        << R"({"src": "juki-app", "dst": "lg-print", "proto": "tcp", "dport": 9101, "src_mac": "02:00:0a:01:14:0a"})" << "\n"
        << "not json\n"
        << "\n"
        << R"({"src": "mn-pc-01", "dst": "nobody", "proto": "udp", "dport": 53})" << "\n"
        << R"({"src": "mn-pc-01", "dst": "lg-print", "proto": "tcp", "dport": 9100})" << "\n"
        << R"({"src": "mn-pc-01", "dst": "10.2.20.35", "proto": "icmp", "icmp_type": 8})" << "\n";
  }
  const auto r = run_sanso(kCity + "--batch " + quoted(file));
  CHECK(r.code == 2);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 6);  // the blank line is no input
  CHECK(lines[0]["line"] == 1);
  CHECK(lines[0]["allowed"] == true);
  CHECK(lines[0]["status"] == "allowed");
  CHECK(lines[0]["rule"].is_null());
  CHECK(lines[0]["entry"] == "juki-to-print");
  CHECK(lines[1]["status"] == "violation");
  CHECK(lines[1]["rule"] == "MN-SPECIFIC-COMM");
  CHECK(lines[2]["line"] == 3);
  CHECK(lines[2].contains("error"));
  CHECK(lines[3]["line"] == 5);
  CHECK(has(lines[3]["error"].get<std::string>(), "nobody"));
  CHECK(lines[4]["allowed"] == false);
  CHECK(lines[4]["status"] == "denied");
  CHECK(lines[5]["flow"]["proto"] == "icmp");
  CHECK(lines[5]["allowed"] == false);
}

TEST_CASE("sanso trace --batch -: reads standard input; a clean batch exits with its worst status") {
  Scratch dir;
  const std::string file = dir.file("in.jsonl");
  {
    std::ofstream out(file);
    out << R"({"src": "juki-app", "dst": "lg-print", "proto": "tcp", "dport": 9100})" << "\n";
  }
  auto r = run_sanso(kCity + "--batch - < " + quoted(file));
  CHECK(r.code == 0);
  REQUIRE(json_lines(r.out).size() == 1);
  {
    std::ofstream out(file, std::ios::app);
    out << R"({"src": "lg-admin", "dst": "juki-app", "proto": "tcp", "dport": 22})" << "\n";
  }
  r = run_sanso(kCity + "--batch - < " + quoted(file));
  CHECK(r.code == 1);
  CHECK(json_lines(r.out).size() == 2);
}

#endif
