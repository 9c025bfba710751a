// The trace engine: its verdict agrees with the reachability walk for random packets (Example City
// and a small synthetic town with every kind of doubt), and each hop names the deciding entry.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "analysis/trace.h"
#include "cli/common.h"
#include "topology/load.h"

namespace {

using namespace sanso;
using analysis::Verdict;
using model::PacketSet;

model::IpAddress ip(const char* s) { return *model::parse_ip(s); }

/// Example City as `sanso trace` loads it.
struct City {
  topology::Topology topo;
  std::map<std::string, model::Device> devices;
};

const City& city() {
  static const City c = [] {
    auto loaded = topology::load_topology(SANSO_SOURCE_DIR "/topology/example-city");
    REQUIRE(loaded.topology);
    City out{std::move(*loaded.topology), {}};
    auto devices = cli::load_devices(out.topo);
    REQUIRE(devices.errors.empty());
    out.devices = std::move(devices.devices);
    return out;
  }();
  return c;
}

analysis::FlowQuery query(const char* src, const char* dst, std::uint8_t proto,
                          std::optional<std::uint16_t> dport) {
  analysis::FlowQuery q;
  q.src = ip(src).value;
  q.dst = ip(dst).value;
  q.proto = proto;
  q.dport = dport;
  return q;
}

analysis::FlowQuery of_packet(const model::Packet& p) {
  analysis::FlowQuery q;
  q.family = p.family;
  q.src = p.src;
  q.dst = p.dst;
  q.proto = p.proto;
  q.dport = p.dport;
  q.sport = p.sport;
  q.icmp_type = p.icmp_type;
  q.src_mac = p.src_mac;
  return q;
}

/// Random packets drawn where the topology's rules and hosts are, plus anywhere.
struct PacketDraw {
  std::mt19937_64 rng{20261201};
  std::vector<model::IpAddress> addresses;  // hosts and random members of each segment
  std::vector<std::uint64_t> macs;
  std::vector<std::uint16_t> ports;

  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  }

  void add_space(const analysis::Network& net) {
    for (std::size_t s = 0; s < net.segment_count(); ++s) {
      for (const auto& r : net.plan().space_of_segment(net.segment(s).name)) {
        if (r.family != model::Family::V4) continue;
        for (int i = 0; i < 4; ++i) {
          const auto span = static_cast<std::uint64_t>(r.hi - r.lo);
          const auto off = std::uniform_int_distribution<std::uint64_t>(0, span)(rng);
          addresses.push_back({model::Family::V4, r.lo + off});
        }
      }
    }
  }

  model::Packet next() {
    model::Packet p;
    p.src = pick(addresses).value;
    p.dst = pick(addresses).value;
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    p.proto = kind < 6 ? model::kProtoTcp : kind < 9 ? model::kProtoUdp : model::kProtoIcmp;
    if (p.proto == model::kProtoIcmp) {
      p.icmp_type = std::uniform_int_distribution<int>(0, 1)(rng) ? 8 : 0;  // a request, a reply
    } else {
      p.dport = pick(ports);
      p.sport = std::uniform_int_distribution<int>(0, 1)(rng) ? 49152 : 1000;
    }
    if (p.proto == model::kProtoTcp) p.tcp_flags = model::kTcpSyn;
    p.src_mac = pick(macs);
    return p;
  }
};

/// The property: trace's verdict for one packet is its membership in the walk's sets.
void check_agreement(analysis::Network& net, PacketDraw& draw, int n, int* allowed_seen,
                     int* unproven_seen) {
  const auto flows = analysis::compute_reachability(net);
  int same_segment = 0;
  for (int i = 0; i < n; ++i) {
    const model::Packet p = draw.next();
    const PacketSet one = PacketSet::of(p);
    bool direct = false;
    for (std::size_t s = 0; s < net.segment_count(); ++s) {
      direct = direct || (net.source_space(s).intersects(one) && net.destination_space(s).intersects(one));
    }
    const auto t = analysis::trace(net, of_packet(p));
    INFO(model::describe(p));
    if (direct) {  // both ends on one segment: no device decides, the walk has no path
      ++same_segment;
      CHECK(t.verdict == (PacketSet::connection_opening().contains(p) ? Verdict::Allowed : Verdict::Denied));
      continue;
    }
    const bool may = std::any_of(flows.begin(), flows.end(), [&](const auto& f) { return f.may.contains(p); });
    const bool must = std::any_of(flows.begin(), flows.end(), [&](const auto& f) { return f.must.contains(p); });
    CHECK(t.allowed() == may);
    CHECK((t.verdict == Verdict::Unproven) == (may && !must));
    CHECK((t.verdict == Verdict::Allowed) == must);
    *allowed_seen += must ? 1 : 0;
    *unproven_seen += may && !must ? 1 : 0;
    // Every delivering path of the trace holds the packet; every other path ends where it drops.
    for (const auto& path : t.paths) {
      if (path.verdict == Verdict::Denied) {
        REQUIRE_FALSE(path.hops.empty());
        CHECK_FALSE(path.hops.back().forwards);
      } else {
        CHECK(path.may.contains(p));
      }
    }
  }
  CHECK(same_segment < n);
}

const char* kSynthetic = R"(sanso: 1
name: Trace Town
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
  gw1: {vendor: iptables, config: gw1.rules, interfaces: {eth0: mn, eth1: lg}}
  gw2: {vendor: iptables, config: gw2.rules, interfaces: {eth0: lg, eth1: inet}}
  sw3: {interfaces: {a: inet, b: sc}}
  fw4: {vendor: iptables, config: fw4.rules, interfaces: {eth0: inet, eth1: world}}
)";

model::FilterEntry entry(PacketSet match, model::Action a, const char* in = nullptr,
                         const char* out = nullptr, bool uncertain = false, int line = 1) {
  model::FilterEntry e;
  e.match = std::move(match);
  e.action = a;
  if (in != nullptr) e.in = model::InterfaceMatch{in, false};
  if (out != nullptr) e.out = model::InterfaceMatch{out, false};
  e.uncertain = uncertain;
  e.evidence.push_back({"gw.rules", line, std::nullopt, "rule " + std::to_string(line)});
  e.normalized_text = "rule " + std::to_string(line);
  return e;
}

model::Device device(std::vector<model::FilterEntry> entries) {
  model::Device d;
  d.vendor = "iptables";
  d.families = {model::Family::V4};
  model::Filter f;
  f.name = "filter FORWARD";
  f.entries = std::move(entries);
  f.default_action = model::Action::Deny;
  f.default_source = {"gw.rules", 2, std::nullopt, ":FORWARD DROP"};
  d.transit.push_back(std::move(f));
  return d;
}

PacketSet tcp_to(const char* cidr, std::uint16_t port) {
  return PacketSet::dst(*model::parse_cidr(cidr)) & PacketSet::dport(model::kProtoTcp, port, port);
}

/// gw1: an uncertain deny of ssh, permits, an uncertain permit, an interface attached nowhere and
/// source NAT; gw2: a plain filter; sw3: no config; fw4: a vendor this build cannot read.
std::map<std::string, model::Device> synthetic_devices() {
  using model::Action;
  std::map<std::string, model::Device> m;
  auto gw1 = device({entry(tcp_to("10.2.0.0/25", 22), Action::Deny, nullptr, nullptr, true, 3),
                     entry(tcp_to("10.2.0.0/24", 22) | tcp_to("0.0.0.0/0", 80), Action::Permit,
                           "eth0", "eth1", false, 4),
                     entry(tcp_to("10.2.0.0/24", 443), Action::Permit, nullptr, nullptr, true, 5),
                     entry(PacketSet::dport(model::kProtoUdp, 53, 53), Action::Permit, "tun0", nullptr,
                           false, 6),
                     entry(tcp_to("10.1.0.0/24", 3128), Action::Permit, "eth1", "eth0", false, 7)});
  gw1.source_nat.push_back({model::InterfaceMatch{"eth1", false}, tcp_to("0.0.0.0/0", 80), {}});
  m.emplace("gw1", std::move(gw1));
  m.emplace("gw2", device({entry(tcp_to("0.0.0.0/0", 80) | tcp_to("172.16.0.0/24", 22),
                                 Action::Permit, "eth0", "eth1", false, 3),
                           entry(tcp_to("10.2.0.0/24", 3128), Action::Permit, "eth1", "eth0", false, 4)}));
  return m;  // fw4 absent: unsupported
}

}  // namespace

TEST_CASE("trace agrees with reachability on random packets: Example City") {
  analysis::Network net(city().topo, city().devices);
  PacketDraw draw;
  for (const auto& h : city().topo.hosts) {
    for (const auto& i : h.interfaces) {
      if (i.ip) draw.addresses.push_back(*i.ip);
      if (i.mac) draw.macs.push_back(*i.mac);
    }
  }
  draw.add_space(net);
  draw.macs.push_back(0x020000000001);
  draw.ports = {22, 25, 53, 123, 443, 445, 514, 3389, 8080, 9100, 9101, 9111, 1521, 5000};
  int allowed = 0, unproven = 0;
  check_agreement(net, draw, 500, &allowed, &unproven);
  // The draw must exercise both outcomes, or the property says little.
  CHECK(allowed > 10);
  MESSAGE("allowed " << allowed << ", unproven " << unproven << " of 500");
}

TEST_CASE("trace agrees with reachability on random packets: uncertain, unattached, NAT, no config, unsupported") {
  auto loaded = topology::load_topology_text(kSynthetic, "/nonexistent/network.yaml");
  REQUIRE(loaded.topology);
  const auto devices = synthetic_devices();
  analysis::Network net(*loaded.topology, devices);
  PacketDraw draw;
  draw.add_space(net);
  for (const char* a : {"10.1.0.5", "10.2.0.5", "10.2.0.200", "172.16.0.9", "198.51.100.2", "203.0.113.1"}) {
    draw.addresses.push_back(ip(a));
  }
  draw.macs = {0x020000000001};
  draw.ports = {22, 53, 80, 443, 3128, 8080};
  int allowed = 0, unproven = 0;
  check_agreement(net, draw, 500, &allowed, &unproven);
  CHECK(allowed > 5);
  CHECK(unproven > 5);
}

TEST_CASE("trace: each hop names the deciding entry, and a dropped path the default that drops it") {
  analysis::Network net(city().topo, city().devices);
  SUBCASE("the declared specific communication passes gw-mn by its rule at line 14") {
    auto q = query("10.1.20.10", "10.2.20.35", model::kProtoTcp, 9100);
    q.src_mac = 0x02000a01140a;  // juki-app's registered MAC, which the rule pins
    const auto t = analysis::trace(net, q);
    CHECK(t.verdict == Verdict::Allowed);
    REQUIRE(t.paths.size() == 1);  // delivered on lg-servers; nothing else leads there
    const auto& hop = t.paths.front().hops.at(0);
    CHECK(hop.device == "gw-mn");
    CHECK(hop.hop.in_port == "eth0");
    CHECK(hop.hop.out_port == "eth1");
    REQUIRE(hop.stages.size() == 1);
    CHECK(hop.stages[0].action == model::Action::Permit);
    CHECK_FALSE(hop.stages[0].is_default);
    CHECK(hop.stages[0].evidence.at(0).file == "configs/gw-mn.rules");
    CHECK(hop.stages[0].evidence.at(0).line == 14);
    // Any source port passes: the allowed sub-range is all of them.
    CHECK(analysis::sport_ranges(t.may) == std::vector<std::pair<std::uint16_t, std::uint16_t>>{{0, 65535}});
  }
  SUBCASE("another MAC is dropped at gw-mn by the chain policy") {
    auto q = query("10.1.20.10", "10.2.20.35", model::kProtoTcp, 9100);
    q.src_mac = 0x020000000099;
    const auto t = analysis::trace(net, q);
    CHECK(t.verdict == Verdict::Denied);
    CHECK(t.may.empty());
    REQUIRE(t.paths.size() == 1);
    const auto& p = t.paths.front();
    CHECK(p.verdict == Verdict::Denied);
    REQUIRE(p.hops.size() == 1);
    const auto& hop = p.hops[0];
    CHECK(hop.device == "gw-mn");
    CHECK_FALSE(hop.forwards);
    REQUIRE(hop.stages.size() == 1);
    CHECK(hop.stages[0].is_default);
    CHECK(hop.stages[0].action == model::Action::Deny);
    CHECK(hop.stages[0].evidence.at(0).line == 4);  // :FORWARD DROP [0:0]
  }
  SUBCASE("the uncertain port-knock rule makes lg-admin -> inet-admin ssh unproven, and says why") {
    const auto t = analysis::trace(net, query("10.2.10.5", "172.16.10.5", model::kProtoTcp, 22));
    CHECK(t.verdict == Verdict::Unproven);
    const auto it = std::find_if(t.paths.begin(), t.paths.end(),
                                 [](const auto& p) { return p.verdict == Verdict::Unproven; });
    REQUIRE(it != t.paths.end());
    const bool cites_line_21 = std::any_of(it->doubts.begin(), it->doubts.end(), [](const auto& d) {
      return d.ref.file == "configs/gw-lg.rules" && d.ref.line == 21;
    });
    CHECK(cites_line_21);
  }
  SUBCASE("a restricted source port range is printed exactly") {
    analysis::FlowQuery q = query("10.1.0.5", "10.2.0.5", model::kProtoTcp, 22);
    auto loaded = topology::load_topology_text(kSynthetic, "/nonexistent/network.yaml");
    REQUIRE(loaded.topology);
    std::map<std::string, model::Device> devices;
    devices.emplace("gw1", device({entry(tcp_to("10.2.0.0/24", 22) &
                                             PacketSet::sport(model::kProtoTcp, 1024, 65535),
                                         model::Action::Permit)}));
    analysis::Network small(*loaded.topology, devices);
    const auto t = analysis::trace(small, q);
    CHECK(t.verdict == Verdict::Allowed);
    CHECK(analysis::sport_ranges(t.may) ==
          std::vector<std::pair<std::uint16_t, std::uint16_t>>{{1024, 65535}});
    CHECK(t.paths.front().packet.sport == 49152);  // the canonical representative
  }
  SUBCASE("both ends on one segment: delivered without a device") {
    const auto t = analysis::trace(net, query("10.1.10.21", "10.1.10.5", model::kProtoUdp, 53));
    CHECK(t.verdict == Verdict::Allowed);
    REQUIRE(t.paths.size() == 1);
    CHECK(t.paths[0].hops.empty());
  }
}
