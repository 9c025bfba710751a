// NET-ROUTE-FILTER-CONSISTENCY (filter half), LOG-COLLECT and TIME-SYNC as audit findings: each
// kind produced and absent, the not-evaluated case, identity without line numbers.
#include <doctest/doctest.h>

#include <algorithm>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

constexpr const char* kRfc = "NET-ROUTE-FILTER-CONSISTENCY";

// lg-cli and lg-srv (lgwan) and wan (the LGWAN itself, an external lgwan zone: crossings into it
// are allowed by default, so only the hygiene rules speak) around one iptables gateway.
std::string town_yaml(const std::string& settings, const std::string& tail = "") {
  return std::string(R"(sanso: 1
name: Test Town
policy:
  model: alpha
  ntp_sources: [10.2.20.123]
  log_collectors: [10.2.20.60]
zones:
  lgwan-net: {tier: lgwan, external: true}
segments:
  lg-cli: {zone: lgwan, cidr: 10.2.10.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  wan:    {zone: lgwan-net, cidr: 10.200.16.0/20}
hosts:
  lg-admin: {segment: lg-cli, ip: 10.2.10.5, role: terminal}
  asp:      {segment: wan, ip: 10.200.16.5, role: server}
devices:
  gw:
    vendor: iptables
    config: configs/gw.rules
)") + settings + "    interfaces: {eth0: lg-cli, eth1: wan, eth2: lg-srv}\n" + tail;
}

constexpr const char* kSettings = "    settings: {ntp: [10.2.20.123], syslog: [10.2.20.60]}\n";

// FORWARD rules after a fixed header (first rule at line 5), then a final LOG so that the DROP
// policy logs (LOG-COLLECT stays quiet unless a test wants otherwise).
std::string dump(const std::vector<std::string>& forward, const std::string& chains = "",
                 bool final_log = true) {
  std::string out = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n" + chains;
  for (const auto& r : forward) out += r[0] == '-' && r[1] == 'A' ? r + "\n" : "-A FORWARD " + r + "\n";
  if (final_log) out += "-A FORWARD -j LOG\n";
  return out + "COMMIT\n";
}

Town town(const std::vector<std::string>& forward, const std::string& settings = kSettings,
          const std::string& chains = "", bool final_log = true) {
  Town t{town_yaml(settings), {{"configs/gw.rules", dump(forward, chains, final_log)}}};
  t.hygiene = true;
  return t;
}

// Findings of NET-ROUTE-FILTER-CONSISTENCY whose English message starts its detail with `what`.
std::vector<Finding> consistency(const AuditResult& r, std::string_view what) {
  std::vector<Finding> out;
  for (const auto& f : findings_of(r, kRfc))
    if (f.message.en.find(what) != std::string::npos) out.push_back(f);
  return out;
}

// Logged rules: a LOG with the same match before each ACCEPT.
const std::string kLogSsh = "-s 10.2.10.5/32 -d 10.200.16.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j LOG";
const std::string kSsh = "-s 10.2.10.5/32 -d 10.200.16.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j ACCEPT";
const std::string kDropLg = "-s 10.2.10.0/24 -i eth0 -o eth1 -j DROP";

}  // namespace

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: a shadowed rule is a violation citing its blocker") {
  const auto r = audit_ok(town({kDropLg, kSsh}));
  INFO(summary(r));
  const auto s = consistency(r, "never matches");
  REQUIRE(s.size() == 1);
  CHECK(s[0].status == Status::Violation);
  CHECK(s[0].severity == Severity::Medium);
  CHECK(s[0].device == "gw");
  CHECK(evidence_lines(s[0]) == "configs/gw.rules:6 | configs/gw.rules:5");
  CHECK(src_of(s[0]) == "10.2.10.5");
  CHECK(dport_of(s[0]) == 22);
  CHECK(s[0].message.ja.find("一度も適用されません") != std::string::npos);
  CHECK(s[0].id.size() == 16);
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: absent when the rule comes first") {
  const auto r = audit_ok(town({kLogSsh, kSsh, kDropLg}));
  INFO(summary(r));
  CHECK(consistency(r, "never matches").empty());
  // The deny is a generalization of the ssh exception, and redundant before the DROP policy:
  // both info, so they do not fail the run on their own.
  const auto g = consistency(r, "contains the earlier rule");
  REQUIRE(g.size() == 1);
  CHECK(g[0].status == Status::Info);
  CHECK(evidence_lines(g[0]) == "configs/gw.rules:7 | configs/gw.rules:6");
  const auto red = consistency(r, "is redundant");
  REQUIRE(red.size() == 1);
  CHECK(red[0].status == Status::Info);
  // The DROP policy (line 3) decides its packets alike.
  CHECK(evidence_lines(red[0]) == "configs/gw.rules:7 | configs/gw.rules:3");
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: redundant, correlated and generalization absent in a tidy filter") {
  const auto r = audit_ok(town({kLogSsh, kSsh}));
  INFO(summary(r));
  CHECK(findings_of(r, kRfc).empty());
  CHECK(std::find(r.passed.begin(), r.passed.end(), kRfc) != r.passed.end());
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: correlated rules, with a witness in the overlap") {
  const auto r = audit_ok(town({"-s 10.2.10.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 20:30 -j LOG",
                                "-s 10.2.10.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 20:30 -j ACCEPT",
                                "-d 10.200.16.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 25:80 -j DROP",
                                "-d 10.200.16.6/32 -i eth0 -o eth1 -p tcp -m tcp --dport 25:80 -j DROP",
                                "-d 10.200.16.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 25:80 -j LOG",
                                "-d 10.200.16.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 25:80 -j ACCEPT"}));
  INFO(summary(r));
  // Both denies overlap the earlier tcp/20-30 permit in tcp/25-30.
  const auto c = consistency(r, "overlap with different actions");
  REQUIRE(c.size() == 2);
  CHECK(evidence_lines(c[1]) == "configs/gw.rules:8 | configs/gw.rules:6");
  CHECK(c[0].status == Status::Info);
  CHECK(evidence_lines(c[0]) == "configs/gw.rules:7 | configs/gw.rules:6");
  REQUIRE(c[0].witness);
  CHECK(c[0].witness->dport >= 25);
  CHECK(c[0].witness->dport <= 30);
  CHECK(dst_of(c[0]) == "10.200.16.5");
  // The /24 permit after the two denies generalizes them (they are its exceptions).
  CHECK(consistency(r, "contains the earlier rule").size() == 2);
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: rules on different interfaces do not overlap") {
  const auto r = audit_ok(town({"-s 10.2.20.0/24 -i eth2 -o eth1 -j DROP", kLogSsh, kSsh,
                                "-s 10.2.10.0/24 -d 10.200.16.0/24 -i eth2 -o eth1 -j LOG",
                                "-s 10.2.10.0/24 -d 10.200.16.0/24 -i eth2 -o eth1 -j ACCEPT"}));
  INFO(summary(r));
  CHECK(consistency(r, "never matches").empty());
  CHECK(consistency(r, "overlap with different actions").empty());
  CHECK(consistency(r, "contains the earlier rule").empty());
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: unused and undefined objects") {
  SUBCASE("a user chain no rule jumps to: info") {
    const auto r = audit_ok(town({kLogSsh, kSsh}, kSettings, ":SPARE - [0:0]\n"));
    INFO(summary(r));
    const auto u = consistency(r, "never used");
    REQUIRE(u.size() == 1);
    CHECK(u[0].status == Status::Info);
    CHECK(evidence_lines(u[0]) == "configs/gw.rules:5");
    CHECK(u[0].message.en.find("chain SPARE") != std::string::npos);
  }
  SUBCASE("absent when a rule jumps to it") {
    const auto r = audit_ok(town({kLogSsh, "-s 10.2.10.5/32 -j SPARE", "-A SPARE " + kSsh.substr(0)},
                                 kSettings, ":SPARE - [0:0]\n"));
    INFO(summary(r));
    CHECK(consistency(r, "never used").empty());
  }
  SUBCASE("an ipset the rules name but the ipset file lacks: a violation; an unnamed one: info") {
    Town t = town({"-i eth0 -o eth1 -m set --match-set admins src -j DROP"});
    t.yaml = town_yaml(kSettings + std::string("    ipsets: configs/gw.ipset\n"));
    t.files["configs/gw.ipset"] = "create others hash:ip family inet\nadd others 10.2.10.9\n";
    const auto r = audit_ok(t);
    INFO(summary(r));
    const auto u = consistency(r, "never defined");
    REQUIRE(u.size() == 1);
    CHECK(u[0].status == Status::Violation);
    CHECK(u[0].message.en.find("ipset admins") != std::string::npos);
    CHECK(evidence_lines(u[0]) == "configs/gw.rules:5");
    const auto unused = consistency(r, "never used");
    REQUIRE(unused.size() == 1);
    CHECK(evidence_lines(unused[0]) == "configs/gw.ipset:1");
  }
  SUBCASE("absent when the ipset file defines the set") {
    Town t = town({"-i eth0 -o eth1 -m set --match-set admins src -j DROP"});
    t.yaml = town_yaml(kSettings + std::string("    ipsets: configs/gw.ipset\n"));
    t.files["configs/gw.ipset"] = "create admins hash:ip family inet\nadd admins 10.2.10.9\n";
    const auto r = audit_ok(t);
    INFO(summary(r));
    CHECK(consistency(r, "never defined").empty());
    CHECK(consistency(r, "never used").empty());
  }
}

TEST_CASE("NET-ROUTE-FILTER-CONSISTENCY: identity survives moved lines") {
  const auto a = audit_ok(town({kDropLg, kSsh}));
  Town moved = town({kDropLg, kSsh});
  moved.files["configs/gw.rules"] = "# a comment\n" + moved.files["configs/gw.rules"];
  const auto b = audit_ok(moved);
  const auto fa = consistency(a, "never matches");
  const auto fb = consistency(b, "never matches");
  REQUIRE(fa.size() == 1);
  REQUIRE(fb.size() == 1);
  CHECK(where(fb[0].evidence.front()) == "configs/gw.rules:7");
  CHECK(fa[0].id == fb[0].id);
}

TEST_CASE("LOG-COLLECT: a boundary rule that does not log") {
  const auto r = audit_ok(town({kSsh}));
  INFO(summary(r));
  const auto l = findings_of(r, "LOG-COLLECT");
  REQUIRE(l.size() == 1);
  CHECK(l[0].status == Status::Violation);
  CHECK(evidence_lines(l[0]) == "configs/gw.rules:5");
  CHECK(dport_of(l[0]) == 22);
  CHECK(l[0].message.ja.find("ログを取得していません") != std::string::npos);
}

TEST_CASE("LOG-COLLECT: absent for logged rules, and for rules within one zone") {
  SUBCASE("a LOG rule with the same match before it") {
    const auto r = audit_ok(town({kLogSsh, kSsh}));
    INFO(summary(r));
    CHECK(findings_of(r, "LOG-COLLECT").empty());
    CHECK(std::find(r.passed.begin(), r.passed.end(), "LOG-COLLECT") != r.passed.end());
  }
  SUBCASE("a LOG_ACCEPT chain") {
    const auto r = audit_ok(town({"-s 10.2.10.5/32 -d 10.200.16.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j LOG_ACCEPT",
                                  "-A LOG_ACCEPT -j LOG", "-A LOG_ACCEPT -j ACCEPT"},
                                 kSettings, ":LOG_ACCEPT - [0:0]\n"));
    INFO(summary(r));
    CHECK(findings_of(r, "LOG-COLLECT").empty());
  }
  SUBCASE("a rule between two lgwan segments is no boundary rule") {
    const auto r = audit_ok(town({"-s 10.2.10.0/24 -d 10.2.20.0/24 -i eth0 -o eth2 -j ACCEPT"}));
    INFO(summary(r));
    CHECK(findings_of(r, "LOG-COLLECT").empty());
  }
  SUBCASE("a LOG rule that covers only part of the match does not count") {
    const auto r = audit_ok(town({"-s 10.2.10.5/32 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j LOG",
                                  "-s 10.2.10.0/24 -i eth0 -o eth1 -p tcp -m tcp --dport 22 -j ACCEPT"}));
    INFO(summary(r));
    CHECK(findings_of(r, "LOG-COLLECT").size() == 1);
  }
}

TEST_CASE("LOG-COLLECT: the DROP policy without a LOG before it") {
  const auto r = audit_ok(town({kLogSsh, kSsh}, kSettings, "", false));
  INFO(summary(r));
  const auto l = findings_of(r, "LOG-COLLECT");
  REQUIRE(l.size() == 1);
  CHECK(evidence_lines(l[0]) == "configs/gw.rules:3");
  CHECK(l[0].message.en.find("boundary default") != std::string::npos);
}

TEST_CASE("LOG-COLLECT: syslog targets outside policy.log_collectors") {
  const auto r = audit_ok(town({kLogSsh, kSsh}, "    settings: {ntp: [10.2.20.123], syslog: [10.2.20.60, 192.0.2.9]}\n"));
  INFO(summary(r));
  const auto l = findings_of(r, "LOG-COLLECT");
  REQUIRE(l.size() == 1);
  CHECK(l[0].message.en.find("192.0.2.9 is not in policy.log_collectors") != std::string::npos);
  CHECK(evidence_lines(l[0]) == "network.yaml:" + std::to_string(line_of(town_yaml(kSettings), "settings:")));
  CHECK_FALSE(l[0].witness);

  SUBCASE("a waiver on the device marks it waived") {
    Town t = town({kLogSsh, kSsh}, "    settings: {ntp: [10.2.20.123], syslog: [192.0.2.9]}\n");
    t.yaml += "waivers:\n  - finding: {rule: LOG-COLLECT, device: gw}\n    reason: SOC\n    owner: x\n    expires: 2027-03-31\n";
    const auto w = audit_ok(t);
    INFO(summary(w));
    const auto lw = findings_of(w, "LOG-COLLECT");
    REQUIRE(lw.size() == 1);
    CHECK(lw[0].status == Status::Waived);
    CHECK(w.exit_code() == 0);
  }
}

TEST_CASE("TIME-SYNC: a time source outside policy.ntp_sources, and none at all") {
  SUBCASE("unapproved") {
    const auto r = audit_ok(town({kLogSsh, kSsh}, "    settings: {ntp: [192.0.2.123], syslog: [10.2.20.60]}\n"));
    INFO(summary(r));
    const auto t = findings_of(r, "TIME-SYNC");
    REQUIRE(t.size() == 1);
    CHECK(t[0].status == Status::Violation);
    CHECK(t[0].severity == Severity::Low);
    CHECK(t[0].message.en.find("time source 192.0.2.123 is not in policy.ntp_sources") != std::string::npos);
    CHECK(t[0].message.ja.find("192.0.2.123") != std::string::npos);
  }
  SUBCASE("an empty list") {
    const auto r = audit_ok(town({kLogSsh, kSsh}, "    settings: {ntp: [], syslog: [10.2.20.60]}\n"));
    INFO(summary(r));
    const auto t = findings_of(r, "TIME-SYNC");
    REQUIRE(t.size() == 1);
    CHECK(t[0].message.en.find("no time source is set") != std::string::npos);
  }
  SUBCASE("absent when approved: passed") {
    const auto r = audit_ok(town({kLogSsh, kSsh}));
    INFO(summary(r));
    CHECK(findings_of(r, "TIME-SYNC").empty());
    CHECK(std::find(r.passed.begin(), r.passed.end(), "TIME-SYNC") != r.passed.end());
    CHECK(r.findings.empty());
    CHECK(r.exit_code() == 0);
  }
}

TEST_CASE("TIME-SYNC, LOG-COLLECT: not evaluated where neither the config nor settings: say") {
  const auto r = audit_ok(town({kLogSsh, kSsh}, ""));
  INFO(summary(r));
  CHECK(findings_of(r, "TIME-SYNC").empty());
  std::vector<std::string> ne;
  for (const auto& n : r.not_evaluated) {
    if (n.device != "gw") continue;
    ne.push_back(n.rule + ": " + n.why.en);
    CHECK_FALSE(n.why.ja.empty());
  }
  CHECK(joined(ne) ==
        "TIME-SYNC: iptables configs hold no ntp settings and network.yaml gives no settings.ntp "
        "for this device | LOG-COLLECT: iptables configs hold no syslog settings and network.yaml "
        "gives no settings.syslog for this device");
  CHECK(std::find(r.passed.begin(), r.passed.end(), "TIME-SYNC") == r.passed.end());
  CHECK(std::find(r.passed.begin(), r.passed.end(), "LOG-COLLECT") == r.passed.end());
}
