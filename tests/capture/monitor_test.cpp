#include "capture/monitor.h"

#include "capture/alert_format.h"
#include "capture/source/packet_source.h"

#include <doctest/doctest.h>

#include <vector>

#include "example_city.h"
#include "frames.h"

namespace sc = sanso::capture;
namespace tf = sanso::test_frames;

namespace {

struct Collect : sc::AlertSink {
  std::vector<sc::Alert> alerts;
  std::vector<sc::AlertAggregate> aggregates;
  void alert(const sc::Alert& a) override { alerts.push_back(a); }
  void aggregate(const sc::AlertAggregate& a) override { aggregates.push_back(a); }
};

constexpr std::uint64_t kRouterMn = 0x02000a010101;  // gateway MAC on the mn VLANs
const tf::L2 kMnPc01{0x02000a010a15, kRouterMn, 110};
const tf::L2 kMnPc02{0x02000a010a16, kRouterMn, 110};
const tf::L2 kFromRouter110{kRouterMn, 0x02000a010a15, 110};

struct Feed {
  sc::Monitor& m;
  sc::Nanos t = 1'700'000'000 * sc::kSecond;
  void operator()(const tf::Bytes& b) {
    t += sc::kSecond / 100;
    m.packet(tf::raw(b, t));
  }
};

std::vector<std::string> rules(const Collect& c) {
  std::vector<std::string> out;
  for (const auto& a : c.alerts) out.push_back(a.rule->id);
  return out;
}

}  // namespace

TEST_CASE("monitor: flows are oriented and judged once, alerts carry the observed flow") {
  Collect sink;
  sc::Monitor m(sanso::test_city::classifier("span-mn-core"), {}, sink);
  Feed feed{m};
  // 1. SYN from mn-pc-02 to lg-file-01 smb, its SYN-ACK, and a retransmitted SYN (no new alert).
  feed(tf::ipv4(kMnPc02, "10.1.10.22", "10.2.20.30", 6, 50000, 445, 0x02));
  feed(tf::ipv4(kFromRouter110, "10.2.20.30", "10.1.10.22", 6, 445, 50000, 0x12));
  feed(tf::ipv4(kMnPc02, "10.1.10.22", "10.2.20.30", 6, 50001, 445, 0x02));
  REQUIRE(sink.alerts.size() == 1);
  const auto& a = sink.alerts[0];
  CHECK(a.rule->id == "MN-ISOLATE");
  CHECK(a.from_tier == "mynumber");
  CHECK(a.to_tier == "lgwan");
  CHECK(a.observed.capture_point == "span-mn-core");
  CHECK(a.observed.vlan == 110);
  CHECK(a.observed.certainty == sc::Certainty::Syn);
  CHECK(a.observed.initiator.host == "mn-pc-02");
  CHECK(a.observed.initiator.mac == 0x02000a010a16);
  CHECK(a.observed.responder->host == "lg-file-01");
  CHECK(*a.observed.responder->port == 445);
  CHECK(a.message.en.find("10.1.10.22 (mn-pc-02)") != std::string::npos);
  CHECK(a.message.ja.find("マイナンバー利用事務系") != std::string::npos);
  CHECK(a.id == sc::alert_identity("MN-ISOLATE", *sanso::model::parse_ip("10.1.10.22"),
                                   *sanso::model::parse_ip("10.2.20.30"), "tcp", 445));
  CHECK(m.counters().repeats == 1);

  // 2. Only the SYN-ACK is seen: its receiver opened the flow.
  feed(tf::ipv4(kFromRouter110, "10.2.20.30", "10.1.10.21", 6, 445, 50002, 0x12));
  REQUIRE(sink.alerts.size() == 2);
  CHECK(sink.alerts[1].observed.certainty == sc::Certainty::SynAck);
  CHECK(sanso::model::format_ip(sink.alerts[1].observed.initiator.ip) == "10.1.10.21");

  // 3. A flow already open (ACK only): both directions cross mynumber <-> lgwan, so it alerts,
  //    with the direction unknown.
  feed(tf::ipv4(kMnPc01, "10.1.10.21", "10.2.20.30", 6, 50003, 139, 0x10));
  REQUIRE(sink.alerts.size() == 3);
  CHECK(sink.alerts[2].observed.certainty == sc::Certainty::Unknown);

  // 4. An already open flow one of whose directions is the declared specific communication:
  //    no alert (it may be the allowed one).
  const tf::L2 print_reply{kRouterMn, 0x02000a01140a, 120};
  feed(tf::ipv4(print_reply, "10.2.20.35", "10.1.20.10", 6, 9100, 50004, 0x10));
  CHECK(sink.alerts.size() == 3);

  // 5. UDP: the service port orients it. DNS to the Internet.
  feed(tf::ipv4(kMnPc01, "10.1.10.21", "8.8.8.8", 17, 53000, 53));
  REQUIRE(sink.alerts.size() == 4);
  CHECK(sink.alerts[3].rule->id == "MN-NO-INTERNET-PATH");
  CHECK(sink.alerts[3].also_breaks == std::vector<std::string>{"MN-ISOLATE"});
  CHECK(sink.alerts[3].observed.certainty == sc::Certainty::Port);
  const auto c = m.counters();
  CHECK(c.flows_by_tier_pair.at("mynumber>lgwan") == 5);  // incl. the print reply
  CHECK(c.flows_by_tier_pair.at("mynumber>internet") == 1);
  CHECK(c.alerts_by_rule.at("MN-ISOLATE") == 3);
}

TEST_CASE("monitor: spoofed MAC, ARP claims and unregistered devices") {
  Collect sink;
  sc::Monitor m(sanso::test_city::classifier("span-mn-core"), {}, sink);
  Feed feed{m};
  // The declared specific communication from its registered MAC: nothing.
  feed(tf::ipv4({0x02000a01140a, kRouterMn, 120}, "10.1.20.10", "10.2.20.35", 6, 40000, 9100));
  CHECK(sink.alerts.empty());
  // The same from mn-pc-02's MAC: MN-SPECIFIC-COMM naming the entry.
  feed(tf::ipv4({0x02000a010a16, kRouterMn, 120}, "10.1.20.10", "10.2.20.35", 6, 40001, 9100));
  REQUIRE(sink.alerts.size() == 1);
  CHECK(sink.alerts[0].rule->id == "MN-SPECIFIC-COMM");
  CHECK(sink.alerts[0].closest_allow == "juki-to-print");
  CHECK(sink.alerts[0].message.en.find("02:00:0a:01:0a:16") != std::string::npos);
  // An ARP reply claiming juki-app's address from zeimu-app's MAC.
  feed(tf::arp_reply({0x02000a011414, 0xffffffffffff, 120}, 0x02000a011414, "10.1.20.10",
                     "10.1.20.1"));
  REQUIRE(sink.alerts.size() == 2);
  CHECK(sink.alerts[1].kind == sc::AlertKind::Arp);
  CHECK(sink.alerts[1].rule->id == "MN-SPECIFIC-COMM");
  // juki-app's own ARP: nothing.
  feed(tf::arp_reply({0x02000a01140a, 0xffffffffffff, 120}, 0x02000a01140a, "10.1.20.10",
                     "10.1.20.1"));
  CHECK(sink.alerts.size() == 2);
  // An unregistered device opening two connections: one alert for the device.
  const tf::L2 rogue{0x0200deadbeef, 0x02000a01140a, 110};
  feed(tf::ipv4(rogue, "10.1.10.99", "10.1.20.10", 6, 40010, 443));
  feed(tf::ipv4(rogue, "10.1.10.99", "10.1.20.10", 6, 40011, 8443));
  REQUIRE(sink.alerts.size() == 3);
  CHECK(sink.alerts[2].rule->id == "NET-NO-UNAUTH-DEVICE");
  CHECK(sink.alerts[2].observed.initiator.segment == "mn-clients");
  CHECK(m.counters().devices_alerted == 1);
}

TEST_CASE("monitor: timeouts and the memory bound on a fake clock") {
  Collect sink;
  sc::MonitorOptions opt;
  opt.max_flows = 2;
  sc::Monitor m(sanso::test_city::classifier("span-lg-core"), opt, sink);
  Feed feed{m};
  const tf::L2 pc{0x02000a020a15, 0x02000a020a01, 210};
  feed(tf::ipv4(pc, "10.2.10.21", "10.2.20.30", 6, 1001, 445));
  feed(tf::ipv4(pc, "10.2.10.21", "10.2.20.30", 6, 1002, 445));
  feed(tf::ipv4(pc, "10.2.10.21", "10.2.20.30", 6, 1003, 445));
  auto c = m.counters();
  CHECK(c.flows.live == 2);
  CHECK(c.flows.evicted == 1);
  CHECK(c.flows.created == 3);
  m.tick(feed.t + 3600 * sc::kSecond);
  c = m.counters();
  CHECK(c.flows.live == 0);
  CHECK(c.flows.expired == 2);
  CHECK(sink.alerts.empty());
}

TEST_CASE("monitor: a reload keeps flows and alerts only the newly violating ones") {
  Collect sink;
  const std::string ntp = "ntp_sources: [10.1.20.123, 10.2.20.123, 172.16.1.53]";
  const std::string wider = "ntp_sources: [10.1.20.123, 10.2.20.123, 172.16.1.53, 10.1.20.20]";
  sc::Monitor m(sanso::test_city::classifier("span-mn-core", ntp, wider), {}, sink);
  Feed feed{m};
  // NTP to zeimu-app is approved under the first topology.
  feed(tf::ipv4(kMnPc01, "10.1.10.21", "10.1.20.20", 17, 40123, 123));
  feed(tf::ipv4(kMnPc02, "10.1.10.22", "10.2.20.30", 6, 50000, 445));  // alerts at once
  REQUIRE(sink.alerts.size() == 1);
  m.reload(sanso::test_city::classifier("span-mn-core"));
  REQUIRE(sink.alerts.size() == 2);
  CHECK(sink.alerts[1].rule->id == "TIME-SYNC");
  CHECK(m.counters().flows.live == 2);
  m.reload(sanso::test_city::classifier("span-mn-core"));
  CHECK(sink.alerts.size() == 2);
  CHECK(m.counters().reloads == 2);
}

TEST_CASE("monitor: an alert flood is rate limited into one aggregate") {
  Collect sink;
  sc::MonitorOptions opt;
  opt.gate.max_per_rule = 3;
  sc::Monitor m(sanso::test_city::classifier("span-lg-core"), opt, sink);
  Feed feed{m};
  const tf::L2 pc{0x02000a020a15, 0x02000a020a01, 210};
  for (int i = 0; i < 50; ++i) {
    const std::string dst = "192.168.7." + std::to_string(i + 1);
    feed(tf::ipv4(pc, "10.2.10.21", dst.c_str(), 6, 2000, 443));
  }
  CHECK(rules(sink) == std::vector<std::string>{"ZONE-ASSIGN", "ZONE-ASSIGN", "ZONE-ASSIGN"});
  m.finish();
  REQUIRE(sink.aggregates.size() == 1);
  CHECK(sink.aggregates[0].suppressed == 47);
}

TEST_CASE("monitor: decoding ahead (lookahead) changes nothing but speed") {
  for (const char* cp : {"span-mn-core", "span-lg-core", "span-inet"}) {
    CAPTURE(cp);
    std::vector<std::string> ids[2];
    sc::MonitorCounters counters[2];
    for (int run = 0; run < 2; ++run) {
      Collect sink;
      sc::MonitorOptions opt;
      opt.lookahead = run == 0 ? 0 : 8;
      sc::Monitor m(sanso::test_city::classifier(cp), opt, sink);
      sc::SourceOptions so;
      so.inputs = {std::string(SANSO_SOURCE_DIR "/captures/example-city/") + cp + ".pcap"};
      std::vector<sc::SourceError> errors;
      auto source = sc::PacketSource::open(so, errors);
      REQUIRE(source);
      sc::RawPacket raw;
      while (source->next(raw) == sc::PacketSource::Next::Packet) m.packet(raw);
      m.finish();
      for (const auto& a : sink.alerts) ids[run].push_back(a.id + " " + sc::format_time(a.time));
      counters[run] = m.counters();
    }
    CHECK_FALSE(ids[0].empty());
    CHECK(ids[0] == ids[1]);
    CHECK(counters[0].flows.created == counters[1].flows.created);
    CHECK(counters[0].flows_by_tier_pair == counters[1].flows_by_tier_pair);
  }
}

TEST_CASE("monitor: an IPv6 neighbor advertisement claiming a specific host's address") {
  const char* yaml = R"(sanso: 1
name: v6 town
segments:
  mn6: {zone: mynumber, cidr: "fd00:1::/64"}
  lg6: {zone: lgwan, cidr: "fd00:2::/64"}
hosts:
  mn-srv: {segment: mn6, ip: "fd00:1::10", mac: "02:00:00:00:01:10", role: server}
  lg-prn: {segment: lg6, ip: "fd00:2::35", role: server}
allow:
  - {id: print6, kind: specific, from: mn-srv, to: lg-prn, service: tcp/9100}
monitor:
  - {name: span6, interface: eth0, sees: [mn6]}
)";
  auto load = sanso::topology::load_topology_text(yaml, "/tmp/v6-town/network.yaml");
  REQUIRE(load.topology);
  auto pack = sanso::policy::load_rule_pack(SANSO_SOURCE_DIR "/rules/three-tier.yaml");
  std::string error;
  auto c = sc::Classifier::build(std::make_unique<sanso::topology::Topology>(std::move(*load.topology)),
                                 std::move(*pack.pack), "span6", error);
  REQUIRE(c);
  Collect sink;
  sc::Monitor m(std::move(c), {}, sink);
  Feed feed{m};
  // The host's own advertisement: nothing. Another MAC claiming its address: MN-SPECIFIC-COMM.
  feed(tf::neighbor_advertisement({0x020000000110, 0x333300000001, -1}, "fe80::10", "fd00:1::10",
                                  0x020000000110));
  CHECK(sink.alerts.empty());
  feed(tf::neighbor_advertisement({0x0200000000ee, 0x333300000001, -1}, "fe80::ee", "fd00:1::10",
                                  0x0200000000ee));
  REQUIRE(sink.alerts.size() == 1);
  CHECK(sink.alerts[0].rule->id == "MN-SPECIFIC-COMM");
  CHECK(sink.alerts[0].observed.proto == "nd");
  CHECK(sink.alerts[0].closest_allow == "print6");
  CHECK(sink.alerts[0].message.en.find("neighbor advertisement") != std::string::npos);
}
