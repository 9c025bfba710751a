// Status and accounting: unparsed lines and unsupported vendors make crossings unproven,
// uncertain denies hide nothing, waivers (and their expiry), and every rule of the pack is
// accounted for exactly once.
#include <doctest/doctest.h>

#include <set>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

// lg-cli -[gw]- in-cli, with `device` as the gateway's YAML body.
std::string split_town(const std::string& device, const std::string& tail = "") {
  return std::string(kHeader) + R"(segments:
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
  in-cli: {zone: internet, cidr: 172.16.10.0/24}
hosts:
  lg-admin:   {segment: lg-cli, ip: 10.2.10.5, role: terminal}
  inet-admin: {segment: in-cli, ip: 172.16.10.5, role: terminal}
devices:
  gw: )" + device + "\n" + tail;
}
const std::string kIptablesGw =
    "{vendor: iptables, config: configs/gw.rules, interfaces: {eth0: lg-cli, eth1: in-cli}}";

const std::string kSsh =
    "-s 10.2.10.5/32 -d 172.16.10.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j ACCEPT";

Town ssh_town(const std::vector<std::string>& rules, const std::string& tail = "") {
  return {split_town(kIptablesGw, tail), {{"configs/gw.rules", iptables_save(rules)}}};
}

}  // namespace

TEST_CASE("an unparsed line on an ACCEPT across tiers makes the crossing unproven") {
  const auto r = audit_ok(ssh_town({"-s 10.2.10.5/32 -d 172.16.10.5/32 -i eth0 -o eth1 -p tcp -m "
                                    "recent --rcheck --seconds 60 --name knock -m tcp --dport 22 "
                                    "-j ACCEPT"}));
  INFO(summary(r));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings.front();
  CHECK(f.rule == "LG-INET-SPLIT");
  CHECK(f.status == Status::Unproven);
  CHECK(f.device == "gw");
  CHECK(f.from_zone == "lgwan");
  CHECK(f.to_zone == "internet");
  REQUIRE(!f.evidence.empty());
  CHECK(where(f.evidence.front()) == "configs/gw.rules:5");
  CHECK(src_of(f) == "10.2.10.5");
  CHECK(dst_of(f) == "172.16.10.5");
  CHECK(dport_of(f) == 22);
  CHECK(r.exit_code() == 1);
  CHECK(r.verdict == "unproven");
  // The line is listed as unparsed in the coverage.
  REQUIRE(r.coverage.size() == 1);
  REQUIRE(r.coverage.front().coverage.unparsed.size() == 1);
  CHECK(r.coverage.front().coverage.unparsed.front().line == 5);
}

TEST_CASE("an uncertain DENY before a permit does not hide the permit") {
  const std::string uncertain_drop =
      "-s 10.2.10.5/32 -p tcp -m recent --rcheck --seconds 60 --name block -j DROP";
  SUBCASE("uncertain: the permit is reported, unproven") {
    const auto r = audit_ok(ssh_town({uncertain_drop, kSsh}));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    const auto& f = r.findings.front();
    CHECK(f.rule == "LG-INET-SPLIT");
    CHECK(f.status == Status::Unproven);
    CHECK(f.device == "gw");
    REQUIRE(!f.evidence.empty());
    CHECK(where(f.evidence.front()) == "configs/gw.rules:6");  // the permit, not the drop
    CHECK(src_of(f) == "10.2.10.5");
    CHECK(dst_of(f) == "172.16.10.5");
    CHECK(dport_of(f) == 22);
    CHECK(r.exit_code() == 1);
  }
  SUBCASE("control: a certain DROP does hide it") {
    const auto r = audit_ok(ssh_town({"-s 10.2.10.5/32 -p tcp -j DROP", kSsh}));
    INFO(summary(r));
    CHECK(r.findings.empty());
    CHECK(r.exit_code() == 0);
  }
}

namespace {
std::string waiver(const std::string& match, const std::string& expires) {
  return "waivers:\n  - finding: " + match +
         "\n    reason: 保守作業の間のみ\n    owner: 情報政策課\n    expires: " + expires + "\n";
}
}  // namespace

TEST_CASE("waivers") {
  const std::string match = "{rule: LG-INET-SPLIT, device: gw}";
  SUBCASE("a current waiver marks the finding waived and the audit passes") {
    const auto r = audit_ok(ssh_town({kSsh}, waiver(match, "2027-03-31")));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    const auto& f = r.findings.front();
    CHECK(f.rule == "LG-INET-SPLIT");
    CHECK(f.status == Status::Waived);
    REQUIRE(f.waiver_reason);
    CHECK(*f.waiver_reason == "保守作業の間のみ");
    CHECK(evidence_lines(f) == "configs/gw.rules:5");
    CHECK(r.exit_code() == 0);
    CHECK(r.verdict == "clean");
  }
  SUBCASE("an expired waiver does not") {
    const auto r = audit_ok(ssh_town({kSsh}, waiver(match, "2026-01-31")));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings.front().status == Status::Violation);
    CHECK(!r.findings.front().waiver_reason);
    CHECK(r.exit_code() == 1);
  }
  SUBCASE("a waiver for another rule does not") {
    const auto r = audit_ok(ssh_town({kSsh}, waiver("{rule: LG-NO-INTERNET, device: gw}", "2027-03-31")));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings.front().status == Status::Violation);
    CHECK(r.exit_code() == 1);
  }
  SUBCASE("a waiver by zones matches the finding's tiers") {
    const auto r = audit_ok(
        ssh_town({kSsh}, waiver("{rule: LG-INET-SPLIT, from: lgwan, to: internet}", "2027-03-31")));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings.front().status == Status::Waived);
  }
}

TEST_CASE("a device of an unsupported vendor makes crossings through it unproven") {
  const std::string nec_ix =
      "{vendor: nec-ix, config: configs/fw.conf, interfaces: {port1: lg-cli, port2: in-cli}}";
  const auto r = audit_ok({split_town(nec_ix),
                           {{"configs/fw.conf", "ip access-list a permit ip src any dest any\n"}}});
  INFO(summary(r));
  REQUIRE(!r.findings.empty());
  std::string rules;  // "RULE from->to" in the findings' sort order
  for (const auto& f : r.findings) {
    CHECK(f.status == Status::Unproven);
    CHECK(f.device == "gw");
    REQUIRE(!f.evidence.empty());
    CHECK(f.evidence.front().device == "gw");
    CHECK(!f.evidence.front().ref.line);
    CHECK(f.evidence.front().ref.text.find("nec-ix") != std::string::npos);
    CHECK(f.witness);
    rules += f.rule + " " + f.from_zone + "->" + f.to_zone + "; ";
  }
  CHECK(rules == "LG-IMPORT-SANITIZED internet->lgwan; LG-INET-SPLIT lgwan->internet; ");
  CHECK(r.exit_code() == 1);
  CHECK(r.verdict == "unproven");
}

namespace {

/// Every rule of the pack is in exactly one of: the findings' rules (with also_breaks),
/// not_evaluated, checklist, passed (DESIGN §5). Returns the problems found ("" if none).
std::string accounting_problems(const AuditResult& r) {
  const auto& pack = builtin_pack();
  REQUIRE(pack.pack);
  std::map<std::string, std::vector<std::string>> lists_of;
  std::set<std::string> found;
  for (const auto& f : r.findings) {
    found.insert(f.rule);
    found.insert(f.also_breaks.begin(), f.also_breaks.end());
  }
  for (const auto& id : found) lists_of[id].push_back("findings");
  std::set<std::string> ne;
  for (const auto& n : r.not_evaluated) ne.insert(n.rule);
  for (const auto& id : ne) lists_of[id].push_back("not_evaluated");
  for (const auto& c : r.checklist) lists_of[c.rule].push_back("checklist");
  for (const auto& p : r.passed) lists_of[p].push_back("passed");
  std::vector<std::string> problems;
  std::set<std::string> pack_ids;
  for (const auto& rule : pack.pack->rules) {
    pack_ids.insert(rule.id);
    const auto& w = lists_of[rule.id];
    if (w.size() != 1) {
      std::string lists;
      for (const auto& l : w) lists += " " + l;
      problems.push_back(rule.id + " in" + (lists.empty() ? " nothing" : lists));
    }
  }
  for (const auto& [id, lists] : lists_of) {
    if (pack_ids.count(id) == 0) problems.push_back(id + " is not a rule of the pack");
  }
  return joined(problems);
}

}  // namespace

TEST_CASE("every rule of the pack is accounted for exactly once") {
  SUBCASE("a clean town") {
    const auto r = audit_ok(ssh_town({}));
    CHECK(r.findings.empty());
    CHECK(accounting_problems(r) == "");
    CHECK(!r.passed.empty());
    CHECK(!r.checklist.empty());
    CHECK(!r.not_evaluated.empty());
  }
  SUBCASE("a finding whose also_breaks names another rule") {
    const auto r = audit_ok(ssh_town({"-i eth0 -o eth1 -j ACCEPT"}));
    INFO(summary(r));
    REQUIRE(r.findings.size() == 1);
    CHECK(joined(r.findings.front().also_breaks) == "ZONE-DEFAULT-DENY");
    CHECK(accounting_problems(r) == "");
  }
  SUBCASE("an invalid mn-screen entry (a finding of a not-implemented rule)") {
    const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, mac: "02:00:0a:01:14:0a", role: server}
allow:
  - {id: screen-in, kind: mn-screen, from: lg-cli, to: mn-srv, service: rdp}
)";
    const auto r = audit_ok({yaml, {}});
    INFO(summary(r));
    CHECK(!findings_of(r, "MN-SCREEN-XFER").empty());
    CHECK(accounting_problems(r) == "");
  }
  SUBCASE("the example town with planted mistakes") {
    auto run = audit_path(SANSO_SOURCE_DIR "/topology/example-city", "2026-06-01");
    const auto r = ok_result(run);
    CHECK(r.exit_code() == 1);
    CHECK(accounting_problems(r) == "");
  }
}
