// What sanso cannot prove stays visible: an interface the topology attaches nowhere, NAT it does
// not model, a family without a ruleset; and a relay host on the way to the Internet.
#include <doctest/doctest.h>

#include "audit_fixture.h"

using namespace sanso::policy;
using namespace sanso::policy::testing;

namespace {

// mn-srv -[gw]- lg-cli; `v6` adds an IPv6 prefix to both segments.
std::string town_yaml(bool v6 = false) {
  const std::string mn = v6 ? "[10.1.20.0/24, \"2001:db8:1::/64\"]" : "10.1.20.0/24";
  const std::string lg = v6 ? "[10.2.10.0/24, \"2001:db8:2::/64\"]" : "10.2.10.0/24";
  return std::string(kHeader) + "segments:\n  mn-srv: {zone: mynumber, cidr: " + mn +
         "}\n  lg-cli: {zone: lgwan, cidr: " + lg + "}\n" + R"(hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, role: server}
devices:
  gw: {vendor: iptables, config: configs/gw.rules, interfaces: {eth0: mn-srv, eth1: lg-cli}}
)";
}

}  // namespace

TEST_CASE("a rule on an interface the topology attaches nowhere is unproven") {
  SUBCASE("from tun0 into mynumber") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules",
                                            iptables_save({"-i tun0 -o eth0 -j ACCEPT"})}}});
    INFO(summary(r));
    const auto found = findings_of(r, "MN-ISOLATE");
    REQUIRE(!found.empty());
    CHECK(found.front().status == Status::Unproven);
    CHECK(found.front().to_zone == "mynumber");
    const auto& note = found.front().evidence.front();
    CHECK(note.device == "gw");
    CHECK(note.ref.text.find("not attached to any segment") != std::string::npos);
    CHECK(r.exit_code() == 1);
  }
  SUBCASE("control: the same rule on attached interfaces is a violation") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules",
                                            iptables_save({"-i eth1 -o eth0 -j ACCEPT"})}}});
    const auto found = findings_of(r, "MN-ISOLATE");
    REQUIRE(found.size() == 1);
    CHECK(found.front().status == Status::Violation);
    CHECK(where(found.front().evidence.front()) == "configs/gw.rules:5");
  }
  SUBCASE("control: an unattached interface in a rule that admits nothing across is harmless") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules",
                                            iptables_save({"-i tun0 -o eth0 -j DROP"})}}});
    INFO(summary(r));
    CHECK(r.findings.empty());
    CHECK(r.exit_code() == 0);
  }
}

TEST_CASE("destination NAT sanso does not apply makes the device's crossings unproven") {
  const std::string dump =
      "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
      "-A PREROUTING -i eth1 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128\n"
      "COMMIT\n" + iptables_save({"-s 10.2.10.0/24 -d 10.1.20.10/32 -i eth1 -o eth0 -p tcp -m tcp --dport 443 -j ACCEPT"});
  const auto r = audit_ok({town_yaml(), {{"configs/gw.rules", dump}}});
  INFO(summary(r));
  const auto found = findings_of(r, "MN-ISOLATE");
  REQUIRE(found.size() == 1);
  CHECK(found.front().status == Status::Unproven);
  bool nat_cited = false;
  for (const auto& e : found.front().evidence) nat_cited = nat_cited || e.ref.line == 4;
  CHECK(nat_cited);
  REQUIRE(r.coverage.size() == 1);
  CHECK(r.coverage.front().coverage.unparsed.size() == 1);
}

TEST_CASE("destination NAT is applied before the filters") {
  // lgwan clients reach gw's published port 8443; DNAT sends them to juki-app:443 in mynumber.
  const std::string dnat =
      "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
      "-A PREROUTING -d 10.2.10.1/32 -i eth1 -p tcp -m tcp --dport 8443 -j DNAT "
      "--to-destination 10.1.20.10:443\nCOMMIT\n";
  const std::string to_juki_443 = "-d 10.1.20.10/32 -i eth1 -o eth0 -p tcp -m tcp --dport 443 -j ACCEPT";
  SUBCASE("the translated packets cross: a proven violation citing the DNAT line") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules", dnat + iptables_save({to_juki_443})}}});
    INFO(summary(r));
    const auto found = findings_of(r, "MN-ISOLATE");
    REQUIRE(found.size() == 1);
    const auto& f = found.front();
    CHECK(f.status == Status::Violation);
    CHECK(dst_of(f) == "10.1.20.10");
    CHECK(dport_of(f) == 443);
    CHECK(evidence_lines(f).find("configs/gw.rules:4") != std::string::npos);  // the DNAT line
    CHECK(evidence_lines(f).find("configs/gw.rules:10") != std::string::npos);  // the FORWARD line
    CHECK(r.coverage.front().coverage.unparsed.empty());
  }
  SUBCASE("the filter sees the translated port: a rule for the published port admits nothing") {
    const std::string to_juki_8443 =
        "-d 10.1.20.10/32 -i eth1 -o eth0 -p tcp -m tcp --dport 8443 -j ACCEPT";
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules", dnat + iptables_save({to_juki_8443})}}});
    INFO(summary(r));
    // Packets sent to 10.1.20.10:8443 directly still cross (no DNAT applies to them)...
    const auto found = findings_of(r, "MN-ISOLATE");
    REQUIRE(found.size() == 1);
    CHECK(dport_of(found.front()) == 8443);
    // ...but nothing arrives on 443, which only the translation would produce.
    CHECK(found.front().services == std::vector<std::string>{"tcp/8443"});
  }
  SUBCASE("control: without a FORWARD permit the translated packets are dropped") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules", dnat + iptables_save({})}}});
    INFO(summary(r));
    CHECK(r.findings.empty());
    CHECK(r.exit_code() == 0);
  }
}

TEST_CASE("a family without a ruleset is unproven where segments carry it") {
  SUBCASE("IPv6 segments, IPv4 ruleset only") {
    const auto r = audit_ok({town_yaml(true), {{"configs/gw.rules", iptables_save({})}}});
    INFO(summary(r));
    REQUIRE(!r.findings.empty());
    for (const auto& f : r.findings) {
      CHECK(f.status == Status::Unproven);
      REQUIRE(f.witness);
      CHECK(f.witness->family == sanso::model::Family::V6);
    }
  }
  SUBCASE("control: IPv4 only, nothing to prove about IPv6") {
    const auto r = audit_ok({town_yaml(), {{"configs/gw.rules", iptables_save({})}}});
    CHECK(r.findings.empty());
  }
}

TEST_CASE("MN-NO-INTERNET-PATH through a relay host one hop deep") {
  const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  inet: {zone: internet, cidr: 172.16.1.0/24}
hosts:
  juki-app: {segment: mn-srv, ip: 10.1.20.10, role: server}
  lg-proxy: {segment: lg-srv, ip: 10.2.20.80, role: network}
devices:
  gw-mn: {vendor: iptables, config: configs/gw-mn.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
  gw-lg: {vendor: iptables, config: configs/gw-lg.rules, interfaces: {eth0: lg-srv, eth1: inet}}
)";
  const std::string to_proxy =
      "-s 10.1.20.10/32 -d 10.2.20.80/32 -i eth0 -o eth1 -p tcp -m tcp --dport 3128 -j ACCEPT";
  const std::string proxy_out =
      "-s 10.2.20.80/32 -i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT";
  SUBCASE("the relay can reach the internet tier") {
    const auto r = audit_ok({yaml, {{"configs/gw-mn.rules", iptables_save({to_proxy})},
                                    {"configs/gw-lg.rules", iptables_save({proxy_out})}}});
    INFO(summary(r));
    const auto found = findings_of(r, "MN-NO-INTERNET-PATH");
    REQUIRE(found.size() == 1);
    const auto& f = found.front();
    CHECK(f.status == Status::Violation);
    CHECK(f.device == "gw-mn");
    CHECK(src_of(f) == "10.1.20.10");
    CHECK(dst_of(f) == "10.2.20.80");
    CHECK(dport_of(f) == 3128);
    CHECK(evidence_lines(f).find("configs/gw-lg.rules:5") != std::string::npos);
    CHECK(evidence_lines(f).find("network.yaml:") != std::string::npos);
  }
  SUBCASE("control: the relay cannot") {
    const auto r = audit_ok({yaml, {{"configs/gw-mn.rules", iptables_save({to_proxy})},
                                    {"configs/gw-lg.rules", iptables_save({})}}});
    INFO(summary(r));
    CHECK(findings_of(r, "MN-NO-INTERNET-PATH").empty());
    CHECK(!findings_of(r, "MN-ISOLATE").empty());  // the crossing into lgwan itself remains
  }
}

TEST_CASE("source NAT: harmless where the packets are delivered, unproven further on") {
  // mn-srv -[gw1: MASQUERADE towards lg-srv]- lg-srv -[gw2]- inet
  const std::string yaml = std::string(kHeader) + R"(segments:
  mn-srv: {zone: mynumber, cidr: 10.1.20.0/24}
  lg-srv: {zone: lgwan, cidr: 10.2.20.0/24}
  inet: {zone: internet, cidr: 172.16.1.0/24}
devices:
  gw1: {vendor: iptables, config: configs/gw1.rules, interfaces: {eth0: mn-srv, eth1: lg-srv}}
  gw2: {vendor: iptables, config: configs/gw2.rules, interfaces: {eth0: lg-srv, eth1: inet}}
)";
  const std::string masquerade =
      "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
      "-A POSTROUTING -o eth1 -j MASQUERADE\nCOMMIT\n";
  const std::string out_443 = "-i eth0 -o eth1 -p tcp -m tcp --dport 443 -j ACCEPT";
  SUBCASE("delivered on the next segment: still a proven violation") {
    const auto r = audit_ok({yaml, {{"configs/gw1.rules", masquerade + iptables_save({out_443})},
                                    {"configs/gw2.rules", iptables_save({})}}});
    INFO(summary(r));
    const auto found = findings_of(r, "MN-ISOLATE");
    REQUIRE(found.size() == 1);
    CHECK(found.front().status == Status::Violation);
    CHECK(r.coverage.front().coverage.unparsed.empty());  // source NAT is understood
  }
  SUBCASE("a later device that admits only the gateway's own address is not trusted to block") {
    // gw2 lets only 10.2.20.1 (gw1's address after MASQUERADE) out: mn packets pass it in reality.
    const auto r = audit_ok(
        {yaml, {{"configs/gw1.rules", masquerade + iptables_save({out_443})},
                {"configs/gw2.rules", iptables_save({"-s 10.2.20.1/32 " + out_443})}}});
    INFO(summary(r));
    const auto path = findings_of(r, "MN-NO-INTERNET-PATH");
    REQUIRE(path.size() == 1);
    CHECK(path.front().status == Status::Unproven);
    CHECK(src_of(path.front()) == "10.1.20.0");
    bool cites_nat = false;
    for (const auto& e : path.front().evidence) {
      cites_nat = cites_nat || e.ref.text == "-A POSTROUTING -o eth1 -j MASQUERADE";
    }
    CHECK(cites_nat);
  }
  SUBCASE("source NAT on another interface does not touch these packets") {
    const std::string elsewhere =
        "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        "-A POSTROUTING -o eth9 -j MASQUERADE\nCOMMIT\n";
    const auto r = audit_ok(
        {yaml, {{"configs/gw1.rules", elsewhere + iptables_save({out_443})},
                {"configs/gw2.rules", iptables_save({"-s 10.2.20.1/32 " + out_443})}}});
    INFO(summary(r));
    CHECK(findings_of(r, "MN-NO-INTERNET-PATH").empty());
  }
  SUBCASE("control: without source NAT the same gw2 blocks the mn packets") {
    const auto r = audit_ok({yaml, {{"configs/gw1.rules", iptables_save({out_443})},
                                    {"configs/gw2.rules", iptables_save({"-s 10.2.20.1/32 " + out_443})}}});
    INFO(summary(r));
    CHECK(findings_of(r, "MN-NO-INTERNET-PATH").empty());
  }
}
