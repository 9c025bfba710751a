// Bad input gives exact error text with file:line:column, and never a crash.
#include <doctest/doctest.h>

#include <random>

#include "topology/load.h"
#include "topology_test_support.h"

using namespace sanso::topology;
using sanso::topology::testing::errors_of;
using sanso::topology::testing::kBase;
using Lines = std::vector<std::string>;

TEST_CASE("the minimal base loads") { CHECK(errors_of(kBase).empty()); }

TEST_CASE("broken YAML names the position yaml-cpp found") {
  CHECK(errors_of("sanso: 1\nfoo: [") ==
        Lines{"network.yaml:2:1: invalid YAML: end of sequence flow not found"});
}

TEST_CASE("unknown keys list what was expected") {
  CHECK(errors_of(std::string(kBase) + "bogus: 1") ==
        Lines{"network.yaml:9:1: unknown key 'bogus' at top level (expected one of: sanso, name, "
              "policy, zones, segments, hosts, inventory_files, devices, allow, monitor, waivers)"});
  CHECK(errors_of(std::string(kBase) + "  x: {zone: lgwan, cidrs: 10.3.0.0/24}") ==
        Lines{"network.yaml:9:6: missing key 'cidr' in segment 'x'",
              "network.yaml:9:20: unknown key 'cidrs' in segment 'x' (expected one of: zone, cidr, "
              "vlan, inventory, medium, reaches)"});
}

TEST_CASE("dangling references") {
  CHECK(errors_of(std::string(kBase) + "  x: {zone: lgwann, cidr: 10.3.0.0/24}") ==
        Lines{"network.yaml:9:13: unknown zone 'lgwann' in 'zone' of segment 'x'"});
  CHECK(errors_of(std::string(kBase) +
                  "hosts:\n  h: {segment: lg-a}\nallow:\n"
                  "  - {id: a, kind: specific, from: h, to: zzz, service: tcp/1}") ==
        Lines{"network.yaml:12:42: unknown host, segment or zone 'zzz' in 'to' of allow entry 'a'"});
}

TEST_CASE("one namespace across kinds") {
  CHECK(errors_of(std::string(kBase) + "hosts:\n  lg-a: {segment: lg-a, ip: 10.2.0.5}") ==
        Lines{"network.yaml:10:3: duplicate name 'lg-a': this host has the name of the segment at "
              "network.yaml:6"});
  CHECK(errors_of(std::string(kBase) + "devices:\n  mn-a: {interfaces: {e0: lg-a}}") ==
        Lines{"network.yaml:10:3: duplicate name 'mn-a': this device has the name of the segment "
              "at network.yaml:5"});
  CHECK(errors_of(std::string(kBase) + "zones:\n  lgwan: {tier: lgwan}").size() >= 1);
}

TEST_CASE("a tier cannot be declared again") {
  CHECK(errors_of("sanso: 1\nzones:\n  lgwan: {tier: lgwan}") ==
        Lines{"network.yaml:3:3: zone 'lgwan' is a built-in tier and cannot be declared again"});
}

TEST_CASE("unknown vendor") {
  CHECK(errors_of(std::string(kBase) + "devices:\n  fw: {vendor: cisco, config: a.cfg}") ==
        Lines{"network.yaml:10:16: unknown vendor 'cisco' in device 'fw' (expected one of: "
              "iptables, nftables, fortigate, asa, ios, panos, srx, yamaha-rtx, nec-ix)"});
}

TEST_CASE("unknown service") {
  CHECK(errors_of(std::string(kBase) +
                  "hosts:\n  h: {segment: lg-a, ip: 10.2.0.5}\nallow:\n"
                  "  - {id: a, kind: specific, from: h, to: h, service: smpt}") ==
        Lines{"network.yaml:12:54: unknown service 'smpt' in allow entry 'a' (expected tcp/N, "
              "udp/N, tcp/N-M, udp/N-M, icmp, icmp/TYPE, ip/PROTO or a named service of "
              "docs/services.md)"});
}

TEST_CASE("host addresses must lie in their segment") {
  CHECK(errors_of(std::string(kBase) + "hosts:\n  h: {segment: lg-a, ip: 10.2.1.5}") ==
        Lines{"network.yaml:10:26: ip 10.2.1.5 of host 'h' is outside its segment 'lg-a' "
              "(10.2.0.0/24)"});
  CHECK(errors_of(std::string(kBase) +
                  "  inner: {zone: lgwan, cidr: 10.2.0.0/28}\nhosts:\n"
                  "  h: {segment: lg-a, ip: 10.2.0.5}") ==
        Lines{"network.yaml:11:26: ip 10.2.0.5 of host 'h' lies in segment 'inner' (10.2.0.0/28), "
              "which is more specific than its segment 'lg-a'"});
  // Undeclared private space under a catch-all is a ZONE-ASSIGN finding later, not an error.
  CHECK(errors_of(std::string(kBase) + "hosts:\n  h: {segment: world, ip: 10.9.0.5}").empty());
}

TEST_CASE("segments of different tiers must not overlap") {
  CHECK(errors_of(std::string(kBase) + "  lg-x: {zone: lgwan, cidr: 10.1.0.0/25}") ==
        Lines{"network.yaml:9:29: cidr 10.1.0.0/25 of segment 'lg-x' (tier lgwan) overlaps cidr "
              "10.1.0.0/24 of segment 'mn-a' (tier mynumber, network.yaml:5); segments of "
              "different tiers must not overlap"});
  // Same tier nests; a catch-all overlaps everything.
  CHECK(errors_of(std::string(kBase) + "  mn-x: {zone: mynumber, cidr: 10.1.0.0/25}").empty());
  CHECK(errors_of(std::string(kBase) + "  lg-x: {zone: lgwan, cidr: 0.0.0.0/0}") ==
        Lines{"network.yaml:9:29: catch-all cidr 0.0.0.0/0 in segment 'lg-x' needs an external "
              "zone, but zone 'lgwan' is not external",
              "network.yaml:9:29: cidr 0.0.0.0/0 of segment 'lg-x' is already declared by segment "
              "'world' at network.yaml:8"});
}

TEST_CASE("bad enum values and wrong types") {
  CHECK(errors_of(std::string(kBase) + "policy: {model: gamma}") ==
        Lines{"network.yaml:9:17: invalid value 'gamma' for 'model' in policy (expected one of: "
              "alpha, alpha-prime, beta, beta-prime)"});
  CHECK(errors_of("sanso: 2") ==
        Lines{"network.yaml:1:8: unsupported format version '2' (expected sanso: 1)"});
  CHECK(errors_of("") == Lines{"network.yaml: expected a mapping for the whole file, got nothing"});
  CHECK(errors_of("sanso: 1\nzones: [1, 2]\nsegments: 3\npolicy: {mn_screen_transfer: maybe}") ==
        Lines{"network.yaml:2:8: expected a mapping of zone names for 'zones', got a list",
              "network.yaml:3:11: expected a mapping of segment names for 'segments', got '3'",
              "network.yaml:4:30: expected true or false for 'mn_screen_transfer' in policy, got "
              "'maybe'"});
}

TEST_CASE("forms of hosts, devices, allow entries and waivers") {
  const std::string yaml = std::string(kBase) + R"(hosts:
  s: {segment: in-a, ip: 172.16.0.5, role: sanitizer}
  t: {segment: in-a, ip: 172.16.0.6, method: mail-text}
devices:
  d1: {config: x.cfg, interfaces: {eth0: lg-a}}
  d2: {vendor: iptables, config: a}
allow:
  - {id: a1, kind: sanitized, from: s, to: t, service: smtp}
  - {id: a2, kind: specific, from: d1, to: t, service: [tcp/0, ip/gre]}
waivers:
  - {finding: {rule: X, device: nodev}, reason: r, expires: 2027-02-30}
)";
  CHECK(errors_of(yaml) ==
        Lines{"network.yaml:10:6: missing key 'method' in host 's' (required for role sanitizer)",
              "network.yaml:11:38: key 'method' in host 't' is only for role sanitizer",
              "network.yaml:13:8: key 'config' in device 'd1' needs 'vendor' (a device without "
              "vendor forwards everything)",
              "network.yaml:14:7: missing key 'interfaces' in device 'd2' (required for vendor "
              "iptables: its ruleset holds no addresses)",
              "network.yaml:16:5: missing key 'method' in allow entry 'a1' (required for kind "
              "sanitized)",
              "network.yaml:17:36: 'd1' in 'from' of allow entry 'a2' is a device (expected a "
              "host, segment or zone)",
              "network.yaml:17:57: invalid port '0' in service 'tcp/0' in allow entry 'a2' "
              "(expected a port or a range N-M of ports from 1 to 65535)",
              "network.yaml:19:33: unknown device 'nodev' in 'device' of finding of waiver 1",
              "network.yaml:19:61: invalid date '2027-02-30' for 'expires' in waiver 1 (expected "
              "YYYY-MM-DD, e.g. 2027-03-31)"});
}

TEST_CASE("inventory files: hosts with the CSV's file and line") {
  const std::string dir = std::string(SANSO_SOURCE_DIR) + "/tests/data/topology/";
  auto ok = load_topology(dir + "inventory");
  for (const auto& e : ok.errors) MESSAGE(e.render());
  REQUIRE(ok.topology);
  REQUIRE(ok.topology->hosts.size() == 4);
  const Host* h = ok.topology->find_host("10.1.10.22");  // unnamed rows are known by address
  REQUIRE(h);
  CHECK(h->from_inventory_file);
  CHECK(h->file == dir + "inventory/hosts.csv");
  CHECK(h->line == 4);
  CHECK(h->interfaces[0].mac == std::uint64_t{0x02000a010a16});
  CHECK_FALSE(ok.topology->find_host("mn-printer")->interfaces[0].ip.has_value());

  auto bad = load_topology(dir + "bad-inventory/network.yaml");
  Lines got;
  for (const auto& e : bad.errors) got.push_back(e.render());
  const std::string y = dir + "bad-inventory/network.yaml";
  const std::string c = dir + "bad-inventory/hosts.csv";
  CHECK(got ==
        Lines{y + ":6:30: inventory file 'missing.csv' (" + dir +
                  "bad-inventory/missing.csv): cannot read file: no such file",
              c + ":1: duplicate name 'lg-pc-01': this host has the name of the host at " + y + ":5",
              c + ":2: expected 3 or 4 fields (mac,ip,segment,name), got 2",
              c + ":3: invalid MAC address 'xx:00:0a:02:0a:18' (expected six hex bytes such as "
                  "02:00:0a:01:0a:15)",
              c + ":4: unknown segment 'lg-servers' in 'segment' of host '10.2.10.25'",
              c + ":5: ip 10.2.11.26 of host '10.2.11.26' is outside its segment 'lg-clients' "
                  "(10.2.10.0/24)"});
}

TEST_CASE("a missing file") {
  CHECK(errors_of("x", "x") != Lines{});
  auto r = load_topology("/nonexistent/network.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].render() == "/nonexistent/network.yaml: cannot read file: no such file");
}

TEST_CASE("garbage never crashes and always fails") {
  CHECK(errors_of(std::string(100000, '[')) ==
        Lines{"network.yaml:1:1: invalid YAML: nested too deeply"});
  CHECK_FALSE(errors_of("a: &x [*x]").empty());
  CHECK_FALSE(errors_of("sanso: 1\nsegments: &s {a: *s}").empty());
  std::mt19937 rng(20240601);
  for (int i = 0; i < 200; ++i) {
    std::string text(static_cast<std::size_t>(rng() % 400), '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    auto r = load_topology_text(text, "g.yaml");
    CHECK_FALSE(r.topology.has_value());
    CHECK_FALSE(r.errors.empty());
  }
  // Every section given the wrong type at once: one error each, no exception.
  auto r = load_topology_text(
      "sanso: 1\nhosts: {a: 1, c: {segment: []}}\ndevices: {d: {interfaces: 5}}\nallow: {a: 1}\n"
      "monitor: [1, {sees: 3}]\nwaivers: [[], {finding: 1, reason: []}]\n? [x]\n: 1\n"
      "inventory_files: 7\n",
      "network.yaml");
  CHECK(r.errors.size() == 13);
}
