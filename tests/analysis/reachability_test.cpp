// Network, device behaviour and reachability on small hand-built models: the two bounds of a
// device (may / must), interface classes, multi-hop paths, ends and `reaches:`.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "analysis/network.h"
#include "analysis/ports.h"
#include "analysis/reachability.h"
#include "topology/load.h"

namespace {

using namespace sanso;
using model::PacketSet;

const char* kYaml = R"(sanso: 1
name: Reach Town
zones:
  the-internet: {tier: internet, external: true}
  security-cloud: {tier: internet, external: true, role: egress}
segments:
  mn: {zone: mynumber, cidr: 10.1.0.0/24}
  lg: {zone: lgwan, cidr: 10.2.0.0/24}
  inet: {zone: internet, cidr: 172.16.0.0/24}
  sc: {zone: security-cloud, cidr: 198.51.100.0/30, reaches: [the-internet]}
  world: {zone: the-internet, cidr: 0.0.0.0/0}
devices:
  gw1: {vendor: iptables, config: gw1.rules, interfaces: {eth0: mn, "eth1+": lg}}
  gw2: {vendor: iptables, config: gw2.rules, interfaces: {eth0: lg, eth1: inet}}
  gw3: {interfaces: {a: inet, b: sc}}
)";

topology::Topology load() {
  auto r = topology::load_topology_text(kYaml, "/nonexistent/network.yaml");
  for (const auto& e : r.errors) MESSAGE(e.render());
  REQUIRE(r.topology);
  return *r.topology;
}

model::IpAddress ip(const char* s) { return *model::parse_ip(s); }

model::Packet tcp(const char* src, const char* dst, std::uint16_t dport) {
  model::Packet p;
  p.src = ip(src).value;
  p.dst = ip(dst).value;
  p.proto = model::kProtoTcp;
  p.sport = 49152;
  p.dport = dport;
  p.tcp_flags = model::kTcpSyn;
  return p;
}

model::FilterEntry entry(PacketSet match, model::Action a, const char* in = nullptr,
                         const char* out = nullptr, bool uncertain = false) {
  model::FilterEntry e;
  e.match = std::move(match);
  e.action = a;
  if (in != nullptr) e.in = model::InterfaceMatch{in, false};
  if (out != nullptr) e.out = model::InterfaceMatch{out, false};
  e.uncertain = uncertain;
  e.normalized_text = "test";
  return e;
}

/// A device whose one stage permits `permits` in order, then denies everything.
model::Device device(std::vector<model::FilterEntry> entries) {
  model::Device d;
  d.vendor = "iptables";
  d.families = {model::Family::V4};
  model::Filter f;
  f.name = "filter FORWARD";
  f.entries = std::move(entries);
  f.default_action = model::Action::Deny;
  d.transit.push_back(std::move(f));
  return d;
}

PacketSet to_port(const char* dst_cidr, std::uint16_t port) {
  return PacketSet::dst(*model::parse_cidr(dst_cidr)) & PacketSet::dport(model::kProtoTcp, port, port);
}

bool flows_between(const std::vector<analysis::PathFlow>& flows, const analysis::Network& net,
                   const char* from, const char* to, const model::Packet& p, bool must = false) {
  return std::any_of(flows.begin(), flows.end(), [&](const analysis::PathFlow& f) {
    return net.segment(f.from).name == from && net.segment(f.to).name == to &&
           (must ? f.must : f.may).contains(p);
  });
}

}  // namespace

TEST_CASE("ports: prefix keys are split by the names the config uses") {
  const auto topo = load();
  auto gw1 = device({entry(PacketSet::all(), model::Action::Permit, "eth0", "eth1.5"),
                     entry(PacketSet::all(), model::Action::Permit, "tun0", "eth0")});
  const auto ports = analysis::device_ports(*topo.find_device("gw1"), &gw1);
  std::map<std::string, std::string> by_name;
  for (const auto& p : ports) by_name[analysis::display_name(p)] = p.segment;
  CHECK(by_name.at("eth0") == "mn");
  CHECK(by_name.at("eth1.5") == "lg");
  CHECK(by_name.at("eth1<other>") == "lg");
  CHECK(by_name.at("tun0").empty());  // named by the config, attached nowhere
  CHECK(by_name.size() == 4);
}

TEST_CASE("device behaviour: an uncertain permit is may, not must; an uncertain deny blocks nothing proven") {
  auto d = device({entry(to_port("10.2.0.0/24", 22), model::Action::Deny, nullptr, nullptr, true),
                   entry(to_port("10.2.0.0/24", 22), model::Action::Permit),
                   entry(to_port("10.2.0.0/24", 80), model::Action::Permit, nullptr, nullptr, true)});
  analysis::DeviceBehavior b("gw", analysis::Knowledge::Modelled, &d);
  const auto& pair = b.between("eth0", "eth1");
  const auto ssh = tcp("10.1.0.5", "10.2.0.7", 22);
  const auto http = tcp("10.1.0.5", "10.2.0.7", 80);
  CHECK(pair.may.contains(ssh));    // the deny may not match
  CHECK_FALSE(pair.must.contains(ssh));  // ... or may
  CHECK(pair.may.contains(http));
  CHECK_FALSE(pair.must.contains(http));
  CHECK_FALSE(pair.may.contains(tcp("10.1.0.5", "10.2.0.7", 443)));
}

TEST_CASE("device behaviour: a family without rules and unmodelled NAT are unproven") {
  auto d = device({entry(to_port("10.2.0.0/24", 22), model::Action::Permit)});
  d.unmodelled_nat.push_back({"gw.rules", 3, std::nullopt, "-A PREROUTING -j DNAT"});
  analysis::DeviceBehavior b("gw", analysis::Knowledge::Modelled, &d);
  const auto& pair = b.between("eth0", "eth1");
  CHECK(pair.may.contains(tcp("10.1.0.5", "10.2.0.7", 22)));
  CHECK(pair.must.empty());
  CHECK(pair.may.intersects(PacketSet::family(model::Family::V6)));
}

TEST_CASE("device behaviour: no config forwards all, unsupported proves nothing") {
  analysis::DeviceBehavior none("sw", analysis::Knowledge::NoConfig, nullptr);
  CHECK(none.between("a", "b").must.same_as(PacketSet::all()));
  analysis::DeviceBehavior unsupported("fw", analysis::Knowledge::Unsupported, nullptr);
  CHECK(unsupported.between("a", "b").may.same_as(PacketSet::all()));
  CHECK(unsupported.between("a", "b").must.empty());
}

TEST_CASE("reachability: one packet through two filtering devices and a switch") {
  const auto topo = load();
  std::map<std::string, model::Device> devices;
  devices["gw1"] = device({entry(to_port("0.0.0.0/0", 8080), model::Action::Permit, "eth0", "eth1+")});
  devices["gw2"] = device({entry(to_port("0.0.0.0/0", 8080), model::Action::Permit, "eth0", "eth1")});
  analysis::Network net(topo, devices);
  const auto flows = analysis::compute_reachability(net);
  const auto p = tcp("10.1.0.5", "203.0.113.9", 8080);
  // mn -> gw1 -> lg -> gw2 -> inet -> gw3 (no config) -> sc, which reaches the Internet.
  CHECK(flows_between(flows, net, "mn", "sc", p, true));
  const auto it = std::find_if(flows.begin(), flows.end(), [&](const analysis::PathFlow& f) {
    return net.segment(f.to).name == "sc" && f.may.contains(p);
  });
  REQUIRE(it != flows.end());
  CHECK(it->hops.size() == 3);
  // The same packet on another port stops at gw1.
  CHECK_FALSE(flows_between(flows, net, "mn", "sc", tcp("10.1.0.5", "203.0.113.9", 8081)));
  // Nothing enters mn: gw1 only permits eth0 -> eth1+.
  CHECK_FALSE(flows_between(flows, net, "lg", "mn", tcp("10.2.0.5", "10.1.0.5", 8080)));
  // Packets from the Internet enter at sc (reaches) and the switch forwards them into inet.
  CHECK(flows_between(flows, net, "sc", "inet", tcp("203.0.113.9", "172.16.0.5", 443), true));
}

TEST_CASE("reachability: external segments are ends, not transit") {
  const auto topo = load();
  std::map<std::string, model::Device> devices;
  devices["gw1"] = device({});
  devices["gw2"] = device({});
  analysis::Network net(topo, devices);
  const auto flows = analysis::compute_reachability(net);
  for (const auto& f : flows) {
    for (std::size_t h = 0; h + 1 < f.hops.size(); ++h) {
      CHECK_FALSE(net.is_end(f.hops[h].out_segment));
    }
  }
  // Only gw3 (no config) forwards: inet <-> sc.
  CHECK(flows_between(flows, net, "inet", "sc", tcp("172.16.0.5", "198.51.100.1", 25), true));
  CHECK_FALSE(flows_between(flows, net, "mn", "lg", tcp("10.1.0.5", "10.2.0.5", 25)));
}

TEST_CASE("reachability through changed devices: resuming from the walk record = walking again") {
  const auto topo = load();
  std::map<std::string, model::Device> devices;
  devices["gw1"] = device({entry(to_port("0.0.0.0/0", 8080), model::Action::Permit, "eth0", "eth1+"),
                           entry(to_port("10.1.0.0/24", 22), model::Action::Permit, "eth1+", "eth0")});
  devices["gw2"] = device({entry(to_port("0.0.0.0/0", 8080), model::Action::Permit),
                           entry(to_port("172.16.0.0/24", 443), model::Action::Permit)});
  analysis::Network net(topo, devices);
  analysis::WalkRecord record;
  const auto all = analysis::compute_reachability(net, record);
  REQUIRE(all.size() == analysis::compute_reachability(net).size());
  CHECK_FALSE(record.entries.empty());
  for (const std::vector<std::size_t>& through :
       std::vector<std::vector<std::size_t>>{{0}, {1}, {2}, {0, 2}, {0, 1, 2}}) {
    const auto walked = analysis::compute_reachability_through(net, through);
    const auto resumed = analysis::compute_reachability_through(net, through, record);
    REQUIRE(resumed.size() == walked.size());
    CHECK_FALSE(walked.empty());
    for (std::size_t i = 0; i < walked.size(); ++i) {
      CHECK(resumed[i].from == walked[i].from);
      CHECK(resumed[i].to == walked[i].to);
      REQUIRE(resumed[i].hops.size() == walked[i].hops.size());
      for (std::size_t h = 0; h < walked[i].hops.size(); ++h) {
        CHECK(resumed[i].hops[h].device == walked[i].hops[h].device);
        CHECK(resumed[i].hops[h].out_port == walked[i].hops[h].out_port);
      }
      CHECK(resumed[i].may.same_as(walked[i].may));
      CHECK(resumed[i].must.same_as(walked[i].must));
    }
  }
  // After a change of gw1 (its 8080 permit gone), the resumed walk sees the new behaviour.
  auto changed = devices;
  changed["gw1"] = device({entry(to_port("10.1.0.0/24", 22), model::Action::Permit, "eth1+", "eth0")});
  analysis::Network after(topo, changed);
  const auto resumed = analysis::compute_reachability_through(after, {0}, record);
  const auto walked = analysis::compute_reachability_through(after, {0});
  REQUIRE(resumed.size() == walked.size());
  for (std::size_t i = 0; i < walked.size(); ++i) CHECK(resumed[i].may.same_as(walked[i].may));
  CHECK_FALSE(flows_between(resumed, after, "mn", "sc", tcp("10.1.0.5", "203.0.113.9", 8080)));
}
