// Link layers: Ethernet, 802.3, VLAN tags, Linux cooked v1/v2, BSD loopback, raw IP, PPPoE.
#include <doctest/doctest.h>

#include "capture/decode/decoder.h"
#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

namespace {
Bytes tcp_v4() { return ipv4(6, tcp(40000, 443)); }
}  // namespace

TEST_CASE("ethernet: IPv4/TCP, MACs, ports, flags") {
  const Bytes p = ethernet(0x0800).append(tcp_v4());
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.has_mac);
  CHECK(d.src_mac == kMacA);
  CHECK(d.dst_mac == kMacB);
  CHECK(d.vlan_depth == 0);
  CHECK(d.l3 == Decoded::L3::Ipv4);
  CHECK(d.src == v4(kIpA));
  CHECK(d.dst == v4(kIpB));
  CHECK(d.proto == 6);
  CHECK(d.ttl == 64);
  CHECK(d.has_ports);
  CHECK(d.sport == 40000);
  CHECK(d.dport == 443);
  CHECK(d.tcp_flags == kSyn);
  CHECK(d.anomalies == 0);
  CHECK(d.wirelen == p.size());
  CHECK(dec.stats().packets == 1);
  CHECK(dec.stats().ipv4 == 1);
  CHECK(dec.stats().bytes == p.size());
  CHECK(dec.anomalies().total() == 0);
}

TEST_CASE("ethernet: every truncation point names the layer that was cut") {
  const Bytes p = ethernet(0x0800).append(tcp_v4());
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4},
                     {54, Anomaly::TruncatedTcp}});
}

TEST_CASE("ethernet: 802.3 length frames and unknown ethertypes are other L3, not tracked") {
  Decoder dec;
  Decoded d;
  Bytes llc = ethernet(0x0026);  // 802.3 length 38 (STP over LLC)
  llc.zeros(38);
  CHECK_FALSE(dec.decode(raw(llc), d));
  CHECK(d.l3 == Decoded::L3::Other);
  Bytes lldp = ethernet(0x88cc);
  lldp.zeros(30);
  CHECK_FALSE(dec.decode(raw(lldp), d));
  CHECK(d.l3 == Decoded::L3::Other);
  CHECK(d.ethertype == 0x88cc);
  CHECK(dec.stats().other_l3 == 2);
  CHECK(dec.anomalies().total() == 0);
}

TEST_CASE("vlan: 802.1Q, QinQ (802.1ad and 0x9100), and a third tag") {
  Decoder dec;
  Decoded d;
  const Bytes one = ethernet(0x8100).append(vlan_tag(0x0800, 0x2000 | 10)).append(tcp_v4());
  REQUIRE(dec.decode(raw(one), d));
  CHECK(d.vlan_depth == 1);
  CHECK(d.vlan == 10);  // PCP bits are not the VLAN id
  CHECK(d.dport == 443);

  for (std::uint16_t outer : {0x88a8, 0x9100}) {
    const Bytes qinq = ethernet(outer).append(vlan_tag(0x8100, 100)).append(vlan_tag(0x0800, 200)).append(tcp_v4());
    REQUIRE(dec.decode(raw(qinq), d));
    CHECK(d.vlan_depth == 2);
    CHECK(d.vlan == 100);
    CHECK(d.inner_vlan == 200);
    CHECK(d.dport == 443);
    CHECK(d.anomalies == 0);
  }

  const Bytes three = ethernet(0x88a8)
                          .append(vlan_tag(0x8100, 100))
                          .append(vlan_tag(0x8100, 200))
                          .append(vlan_tag(0x0800, 300))
                          .append(tcp_v4());
  REQUIRE(dec.decode(raw(three), d));
  CHECK(d.vlan_depth == 2);
  CHECK(d.vlan == 100);
  CHECK(d.inner_vlan == 200);
  CHECK(d.has(Anomaly::VlanTooDeep));
  CHECK(d.dport == 443);  // still decoded past the tags
  CHECK(dec.stats().vlan_tagged == 4);
  CHECK(dec.anomalies()[Anomaly::VlanTooDeep] == 1);

  const Bytes qinq = ethernet(0x88a8).append(vlan_tag(0x8100, 100)).append(vlan_tag(0x0800, 200)).append(tcp_v4());
  check_prefixes(qinq, {{14, Anomaly::TruncatedLinkHeader}, {22, Anomaly::TruncatedVlan},
                        {42, Anomaly::TruncatedIpv4}, {62, Anomaly::TruncatedTcp}});
}

TEST_CASE("linux cooked v1 and v2") {
  Bytes sll;
  sll.u16(0).u16(1).u16(6).mac(kMacA).u16(0).u16(0x0800).append(tcp_v4());
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(sll, LinkType::LinuxSll), d));
  CHECK_FALSE(d.has_mac);
  CHECK(d.src == v4(kIpA));
  CHECK(d.dport == 443);
  check_prefixes(sll, {{16, Anomaly::TruncatedLinkHeader}, {36, Anomaly::TruncatedIpv4}},
                 LinkType::LinuxSll);

  Bytes sll2;
  sll2.u16(0x86dd).u16(0).u32(3).u16(1).u8(0).u8(6).mac(kMacA).u16(0)
      .append(ipv6(17, udp(5353, 53)));
  REQUIRE(dec.decode(raw(sll2, LinkType::LinuxSll2), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  CHECK(d.dport == 53);
  check_prefixes(sll2, {{20, Anomaly::TruncatedLinkHeader}, {60, Anomaly::TruncatedIpv6},
                        {68, Anomaly::TruncatedUdp}}, LinkType::LinuxSll2);

  Bytes netlink;
  netlink.u16(4).u16(824).u16(0).zeros(8).u16(0x0010).zeros(20);
  CHECK_FALSE(dec.decode(raw(netlink, LinkType::LinuxSll), d));
  CHECK(d.l3 == Decoded::L3::Other);
}

TEST_CASE("null (host order family) and loop (network order family), raw IP") {
  Decoder dec;
  Decoded d;
  Bytes le;  // AF_INET written by a little-endian host
  le.u8(2).u8(0).u8(0).u8(0).append(tcp_v4());
  REQUIRE(dec.decode(raw(le, LinkType::Null), d));
  CHECK(d.l3 == Decoded::L3::Ipv4);
  Bytes be;  // AF_INET6 of macOS (30) from a big-endian host
  be.u32(30).append(ipv6(6, tcp(1, 2)));
  REQUIRE(dec.decode(raw(be, LinkType::Null), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  Bytes loop;
  loop.u32(24).append(ipv6(6, tcp(1, 2)));
  REQUIRE(dec.decode(raw(loop, LinkType::Loop), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  Bytes other;
  other.u32(7).zeros(20);
  CHECK_FALSE(dec.decode(raw(other, LinkType::Loop), d));
  check_prefixes(le, {{4, Anomaly::TruncatedLinkHeader}, {24, Anomaly::TruncatedIpv4}}, LinkType::Null);

  REQUIRE(dec.decode(raw(tcp_v4(), LinkType::RawIp), d));
  CHECK(d.l3 == Decoded::L3::Ipv4);
  REQUIRE(dec.decode(raw(ipv6(17, udp(1, 2)), LinkType::RawIp), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  REQUIRE(dec.decode(raw(tcp_v4(), LinkType::RawIpv4), d));
  REQUIRE(dec.decode(raw(ipv6(17, udp(1, 2)), LinkType::RawIpv6), d));
  CHECK_FALSE(dec.decode(raw(ipv6(17, udp(1, 2)), LinkType::RawIpv4), d));
  CHECK(d.has(Anomaly::Ipv4BadVersion));
}

TEST_CASE("unsupported link type: counted, not decoded") {
  Decoder dec;
  Decoded d;
  CHECK_FALSE(dec.decode(raw(tcp_v4(), LinkType::Unsupported), d));
  CHECK(d.has(Anomaly::UnsupportedLinkType));
  CHECK(dec.stats().unsupported_link == 1);
  CHECK(dec.anomalies()[Anomaly::UnsupportedLinkType] == 1);
}

TEST_CASE("pppoe: session IPv4 and IPv6 (over QinQ), LCP and discovery are other") {
  const Bytes inner = tcp_v4();
  Bytes p = ethernet(0x88a8).append(vlan_tag(0x8100, 7)).append(vlan_tag(0x8864, 8));
  p.u8(0x11).u8(0).u16(0x1234).u16(inner.size() + 2).u16(0x0021).append(inner);
  p.zeros(6);  // Ethernet padding after the PPPoE payload
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.pppoe);
  CHECK(d.vlan_depth == 2);
  CHECK(d.dport == 443);
  CHECK(d.anomalies == 0);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {22, Anomaly::TruncatedVlan}, {30, Anomaly::TruncatedPppoe},
                     {50, Anomaly::TruncatedIpv4}, {70, Anomaly::TruncatedTcp}});

  const Bytes inner6 = ipv6(17, udp(1, 53));
  Bytes p6 = ethernet(0x8864);
  p6.u8(0x11).u8(0).u16(1).u16(inner6.size() + 2).u16(0x0057).append(inner6);
  REQUIRE(dec.decode(raw(p6), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  CHECK(d.dport == 53);

  Bytes lcp = ethernet(0x8864);
  lcp.u8(0x11).u8(0).u16(1).u16(6).u16(0xc021).zeros(4);
  CHECK_FALSE(dec.decode(raw(lcp), d));
  CHECK(d.l3 == Decoded::L3::Other);
  Bytes discovery = ethernet(0x8863);
  discovery.u8(0x11).u8(0x09).u16(0).u16(0);
  CHECK_FALSE(dec.decode(raw(discovery), d));
  CHECK(d.l3 == Decoded::L3::Other);
  CHECK(dec.stats().pppoe == 4);
  CHECK(dec.stats().other_l3 == 2);
}
