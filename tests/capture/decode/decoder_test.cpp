// Decoder: the per-packet reset, the return value, and how stats and anomalies are counted.
#include "capture/decode/decoder.h"

#include <doctest/doctest.h>

#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

TEST_CASE("decoder: each packet starts from a clean Decoded") {
  Decoder dec;
  Decoded d;
  const Bytes full = ethernet(0x8100).append(vlan_tag(0x0800, 9)).append(ipv4(6, tcp(1, 2)));
  REQUIRE(dec.decode(raw(full), d));
  CHECK(d.has_ports);
  CHECK(d.vlan == 9);
  CHECK_FALSE(dec.decode(cut(full, 20), d));  // cut inside the IPv4 header
  CHECK(d.has(Anomaly::TruncatedIpv4));
  CHECK_FALSE(d.has_ports);
  CHECK(d.l3 == Decoded::L3::None);
  CHECK(d.vlan == 9);  // what was decoded before the cut stays
  CHECK(d.wirelen == full.size());
  Bytes arp = ethernet(0x0806);
  arp.u16(1).u16(0x0800).u8(6).u8(4).u16(1).mac(kMacA).u32(kIpA).mac(0).u32(kIpB);
  REQUIRE(dec.decode(raw(arp, LinkType::Ethernet, 77), d));
  CHECK(d.anomalies == 0);
  CHECK(d.vlan == 0);
  CHECK(d.ts == 77);
  CHECK(d.l3 == Decoded::L3::Arp);
}

TEST_CASE("decoder: stats count packets once, anomalies once per packet") {
  Decoder dec;
  Decoded d;
  // Three VLAN tags inside and outside an ERSPAN tunnel: VlanTooDeep raised twice, counted once.
  auto deep = [](std::uint16_t next) {
    return ethernet(0x88a8).append(vlan_tag(0x8100, 1)).append(vlan_tag(0x8100, 2)).append(vlan_tag(next, 3));
  };
  Bytes gre;
  gre.u16(0).u16(0x88be).append(deep(0x0800).append(ipv4(17, udp(1, 2))));
  const Bytes p = deep(0x0800).append(ipv4(47, gre));
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.erspan);
  CHECK(d.has(Anomaly::VlanTooDeep));
  CHECK(dec.anomalies()[Anomaly::VlanTooDeep] == 1);
  CHECK(dec.anomalies().total() == 1);
  CHECK(dec.stats().packets == 1);
  CHECK(dec.stats().bytes == p.size());
  CHECK(dec.stats().ipv4 == 1);
  CHECK(dec.stats().vlan_tagged == 1);
  CHECK(dec.stats().erspan == 1);
  CHECK(dec.stats().other_l3 == 0);
  // An empty packet.
  CHECK_FALSE(dec.decode(RawPacket{}, d));
  CHECK(d.has(Anomaly::TruncatedLinkHeader));
  CHECK(dec.stats().packets == 2);
}
