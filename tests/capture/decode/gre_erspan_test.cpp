// GRE: ERSPAN types I, II and III are decapsulated (inner addresses win), other GRE is a tunnel
// not inspected.
#include <doctest/doctest.h>

#include "capture/decode/decoder.h"
#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

namespace {

constexpr std::uint64_t kMacC = 0x020000000003, kMacD = 0x020000000004;
constexpr std::uint32_t kInnerA = 0xc0a80101, kInnerB = 0xc0a80102;  // 192.168.1.1, .2

// The mirrored frame: tagged VLAN 42, TCP 51000 -> 445.
Bytes mirrored() {
  return ethernet(0x8100, kMacD, kMacC)
      .append(vlan_tag(0x0800, 42))
      .append(ipv4(6, tcp(51000, 445, kAck), 0, 9, 0, kInnerA, kInnerB));
}

Bytes erspan_type1(const Bytes& inner) {
  Bytes g;
  g.u16(0x0000).u16(0x88be);
  return g.append(inner);
}
Bytes erspan_type2(const Bytes& inner, unsigned version = 1) {
  Bytes g;
  g.u16(0x1000).u16(0x88be).u32(77);                      // GRE with sequence number
  g.u16((version << 12) | 42).u16(0x0000 | 5).u32(0);     // ver, VLAN, session 5, index
  return g.append(inner);
}
Bytes erspan_type3(const Bytes& inner, bool platform) {
  Bytes g;
  g.u16(0x1000).u16(0x22eb).u32(78);
  g.u16((2u << 12) | 42).u16(5).u32(0x12345678).u16(0).u16(platform ? 1 : 0);
  if (platform) g.u32(0xaaaaaaaa).u32(0xbbbbbbbb);
  return g.append(inner);
}
Bytes outer_v4(const Bytes& gre) { return ethernet(0x0800).append(ipv4(47, gre)); }

void check_inner(const Decoded& d) {
  CHECK(d.erspan);
  CHECK(d.src_mac == kMacC);
  CHECK(d.dst_mac == kMacD);
  CHECK(d.vlan_depth == 1);
  CHECK(d.vlan == 42);
  CHECK(d.src == v4(kInnerA));
  CHECK(d.dst == v4(kInnerB));
  CHECK(d.sport == 51000);
  CHECK(d.dport == 445);
  CHECK_FALSE(d.tunnel_not_inspected);
  CHECK(d.anomalies == 0);
}

}  // namespace

TEST_CASE("erspan type I, II and III with an inner VLAN are decapsulated") {
  Decoder dec;
  Decoded d;
  const Bytes p1 = outer_v4(erspan_type1(mirrored()));
  REQUIRE(dec.decode(raw(p1), d));
  check_inner(d);
  CHECK(d.wirelen == mirrored().size());  // the mirrored frame's length, not the transport's
  REQUIRE(dec.decode(raw(outer_v4(erspan_type2(mirrored()))), d));
  check_inner(d);
  REQUIRE(dec.decode(raw(outer_v4(erspan_type3(mirrored(), false))), d));
  check_inner(d);
  REQUIRE(dec.decode(raw(outer_v4(erspan_type3(mirrored(), true))), d));
  check_inner(d);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(47, erspan_type2(mirrored())))), d));
  check_inner(d);
  CHECK(dec.stats().erspan == 5);
  CHECK(dec.stats().vlan_tagged == 5);
  CHECK(dec.stats().ipv4 == 5);
  CHECK(dec.stats().ipv6 == 0);
}

TEST_CASE("erspan: every truncation point, unknown versions") {
  const Bytes p = outer_v4(erspan_type3(mirrored(), true));
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4},
                     {62, Anomaly::TruncatedGre}, {76, Anomaly::TruncatedLinkHeader},
                     {80, Anomaly::TruncatedVlan}, {100, Anomaly::TruncatedIpv4},
                     {120, Anomaly::TruncatedTcp}});
  check_prefixes(outer_v4(erspan_type2(mirrored())),
                 {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4}, {50, Anomaly::TruncatedGre},
                  {64, Anomaly::TruncatedLinkHeader}});

  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(outer_v4(erspan_type2(mirrored(), 2))), d));
  CHECK(d.has(Anomaly::UnknownErspanVersion));
  CHECK_FALSE(d.erspan);
  CHECK(d.src == v4(kIpA));  // the outer packet stays
  CHECK(d.tunnel_not_inspected);
}

TEST_CASE("gre other than erspan: not inspected, classified by the outer header") {
  Decoder dec;
  Decoded d;
  for (std::uint16_t proto : {0x0800, 0x6558, 0x8909}) {
    Bytes g;
    g.u16(0x2000).u16(proto).u32(1234);  // with a key
    g.append(proto == 0x0800 ? ipv4(6, tcp(1, 2), 0, 1, 0, kInnerA, kInnerB) : mirrored());
    REQUIRE(dec.decode(raw(outer_v4(g)), d));
    CHECK(d.tunnel_not_inspected);
    CHECK_FALSE(d.erspan);
    CHECK(d.src == v4(kIpA));
    CHECK(d.proto == 47);
    CHECK_FALSE(d.has_ports);
  }
  Bytes pptp;  // enhanced GRE (version 1)
  pptp.u16(0x3001).u16(0x880b).u16(0).u16(1).u32(1);
  REQUIRE(dec.decode(raw(outer_v4(pptp)), d));
  CHECK(d.tunnel_not_inspected);
  CHECK(dec.stats().tunnels_not_inspected == 4);
  CHECK(dec.stats().erspan == 0);
}

TEST_CASE("erspan in erspan: two levels decapsulated, the third is not inspected") {
  const Bytes two = outer_v4(erspan_type1(outer_v4(erspan_type1(mirrored()))));
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(two), d));
  check_inner(d);
  const Bytes three = outer_v4(erspan_type1(outer_v4(erspan_type1(outer_v4(erspan_type1(mirrored()))))));
  REQUIRE(dec.decode(raw(three), d));
  CHECK(d.erspan);
  CHECK(d.tunnel_not_inspected);
  CHECK(d.proto == 47);
  CHECK(d.src == v4(kIpA));
}
