// L3 and L4: ARP, IPv4 (options, lengths), IPv6 (extension headers), TCP, UDP, SCTP, ICMP, ND.
#include <doctest/doctest.h>

#include "capture/decode/decoder.h"
#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

TEST_CASE("arp: request and reply, truncation, non-IPv4 ARP") {
  Bytes p = ethernet(0x0806, 0xffffffffffff);
  p.u16(1).u16(0x0800).u8(6).u8(4).u16(2).mac(kMacA).u32(kIpA).mac(kMacB).u32(kIpB);
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.l3 == Decoded::L3::Arp);
  CHECK(d.arp_op == 2);
  CHECK(d.arp_sender_mac == kMacA);
  CHECK(d.arp_sender_ip == v4(kIpA));
  CHECK(d.arp_target_ip == v4(kIpB));
  CHECK(dec.stats().arp == 1);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {42, Anomaly::TruncatedArp}});

  Bytes firewire = ethernet(0x0806);
  firewire.u16(24).u16(0x0800).u8(16).u8(4).u16(1).zeros(40);
  CHECK_FALSE(dec.decode(raw(firewire), d));
  CHECK(d.l3 == Decoded::L3::Other);
}

TEST_CASE("ipv4: options are skipped, padding is not payload") {
  Bytes p = ethernet(0x0800).append(ipv4(17, udp(5000, 53), 0, 1, 12));
  p.zeros(10);  // trailing Ethernet padding / FCS
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.dport == 53);
  CHECK(d.anomalies == 0);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {46, Anomaly::TruncatedIpv4},
                     {54, Anomaly::TruncatedUdp}});
}

TEST_CASE("ipv4: bad version, header length and total length") {
  Decoder dec;
  Decoded d;
  Bytes p = ethernet(0x0800).append(ipv4(6, tcp(1, 2)));
  p.b[14] = 0x55;  // version 5
  CHECK_FALSE(dec.decode(raw(p), d));
  CHECK(d.has(Anomaly::Ipv4BadVersion));
  p.b[14] = 0x44;  // IHL 4
  CHECK_FALSE(dec.decode(raw(p), d));
  CHECK(d.has(Anomaly::Ipv4BadHeaderLength));
  p.b[14] = 0x45;
  p.b[16] = 0;
  p.b[17] = 10;  // total length 10 < 20
  CHECK(dec.decode(raw(p), d));
  CHECK(d.has(Anomaly::Ipv4BadTotalLength));
  CHECK_FALSE(d.has_ports);
  p.b[16] = 0x05;  // total length 1290 > the 40 bytes on the wire
  CHECK(dec.decode(raw(p), d));
  CHECK(d.has(Anomaly::Ipv4BadTotalLength));
  CHECK(d.dport == 2);  // what was captured is still decoded
  // The same length with a snaplen cut: the bytes exist on the wire, nothing is wrong.
  Bytes big = ethernet(0x0800).append(ipv4(6, tcp(1, 2).zeros(1250)));
  CHECK(dec.decode(cut(big, 60), d));
  CHECK(d.anomalies == 0);
  CHECK(d.dport == 2);
  // Total length 0: a capture of TCP segmentation offload.
  p.b[16] = 0;
  p.b[17] = 0;
  CHECK(dec.decode(raw(p), d));
  CHECK(d.anomalies == 0);
  CHECK(d.dport == 2);
  CHECK(dec.anomalies()[Anomaly::Ipv4BadTotalLength] == 2);
}

TEST_CASE("ipv4: tunnels are marked not inspected, the outer header classifies") {
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(ethernet(0x0800).append(ipv4(4, ipv4(6, tcp(1, 2))))), d));
  CHECK(d.tunnel_not_inspected);
  CHECK(d.proto == 4);
  CHECK(d.src == v4(kIpA));
  REQUIRE(dec.decode(raw(ethernet(0x0800).append(ipv4(41, ipv6(6, tcp(1, 2))))), d));
  CHECK(d.tunnel_not_inspected);
  REQUIRE(dec.decode(raw(ethernet(0x0800).append(ipv4(17, udp(50000, 4789, 50)))), d));
  CHECK(d.tunnel_not_inspected);
  CHECK(d.dport == 4789);
  REQUIRE(dec.decode(raw(ethernet(0x0800).append(ipv4(17, udp(4789, 53)))), d));
  CHECK_FALSE(d.tunnel_not_inspected);
  CHECK(dec.stats().tunnels_not_inspected == 3);
}

TEST_CASE("tcp: options, bad data offset, a cut header keeps what it holds") {
  Decoder dec;
  Decoded d;
  Bytes p = ethernet(0x0800).append(ipv4(6, tcp(1234, 80, kSyn | kAck, 12)));
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.tcp_flags == (kSyn | kAck));
  CHECK(d.anomalies == 0);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4}, {66, Anomaly::TruncatedTcp}});
  REQUIRE(dec.decode(cut(p, 34 + 14), d));  // flags are byte 13
  CHECK(d.has(Anomaly::TruncatedTcp));
  CHECK(d.has_ports);
  CHECK(d.tcp_flags == (kSyn | kAck));
  REQUIRE(dec.decode(cut(p, 34 + 3), d));
  CHECK_FALSE(d.has_ports);
  p.b[34 + 12] = 0x30;  // data offset 3
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.has(Anomaly::TcpBadDataOffset));
}

TEST_CASE("udp, sctp and icmp") {
  Decoder dec;
  Decoded d;
  Bytes sctp;
  sctp.u16(2905).u16(2905).u32(7).u32(0);
  const Bytes ps = ethernet(0x0800).append(ipv4(132, sctp));
  REQUIRE(dec.decode(raw(ps), d));
  CHECK(d.has_ports);
  CHECK(d.dport == 2905);
  check_prefixes(ps, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4}, {46, Anomaly::TruncatedSctp}});

  Bytes echo;
  echo.u8(8).u8(0).u16(0).u32(0x00010001).zeros(32);
  const Bytes pi = ethernet(0x0800).append(ipv4(1, echo));
  REQUIRE(dec.decode(raw(pi), d));
  CHECK(d.has_icmp);
  CHECK(d.icmp_type == 8);
  CHECK_FALSE(d.has_ports);
  check_prefixes(pi, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4}, {42, Anomaly::TruncatedIcmp}});

  const Bytes pu = ethernet(0x0800).append(ipv4(17, udp(68, 67, 20)));
  check_prefixes(pu, {{14, Anomaly::TruncatedLinkHeader}, {34, Anomaly::TruncatedIpv4}, {42, Anomaly::TruncatedUdp}});
}

TEST_CASE("ipv6: extension header chain up to the upper layer") {
  // hop-by-hop -> routing -> destination options -> AH (len 1: 12 bytes) -> TCP
  Bytes chain = ext8(43);
  chain.u8(60).u8(0).u8(0).u8(0).zeros(4);  // routing type 0, segments left 0
  chain.append(ext8(51));
  chain.u8(6).u8(1).u16(0).u32(0x100).u32(1);  // AH: (1 + 2) * 4 = 12 bytes
  chain.append(tcp(1000, 22));
  const Bytes p = ethernet(0x86dd).append(ipv6(0, chain));
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.l3 == Decoded::L3::Ipv6);
  CHECK(d.src == v6(kIp6A));
  CHECK(d.dst == v6(kIp6B));
  CHECK(d.proto == 6);
  CHECK(d.dport == 22);
  CHECK(d.anomalies == 0);
  CHECK(dec.stats().ipv6 == 1);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {54, Anomaly::TruncatedIpv6},
                     {90, Anomaly::Ipv6ExtHeaderTruncated}, {110, Anomaly::TruncatedTcp}});

  const Bytes none = ethernet(0x86dd).append(ipv6(60, ext8(59)));
  REQUIRE(dec.decode(raw(none), d));
  CHECK(d.proto == 59);
  CHECK_FALSE(d.has_ports);
  CHECK(d.anomalies == 0);
}

TEST_CASE("ipv6: too many extension headers, bad version, bad payload length, jumbogram") {
  Bytes chain;
  for (int i = 0; i < 20; ++i) chain.append(ext8(60));
  chain.append(ext8(6)).append(tcp(1, 2));
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(60, chain))), d));
  CHECK(d.has(Anomaly::Ipv6TooManyExtHeaders));
  CHECK_FALSE(d.has_ports);
  Decoder lenient(DecoderLimits{.max_ipv6_ext_headers = 32});
  REQUIRE(lenient.decode(raw(ethernet(0x86dd).append(ipv6(60, chain))), d));
  CHECK(d.anomalies == 0);

  Bytes bad = ethernet(0x86dd).append(ipv6(6, tcp(1, 2)));
  bad.b[14] = 0x40;
  CHECK_FALSE(dec.decode(raw(bad), d));
  CHECK(d.has(Anomaly::Ipv6BadVersion));

  Bytes longer = ethernet(0x86dd).append(ipv6(6, tcp(1, 2)));
  longer.b[18] = 0x10;  // payload length 4096 + 20
  REQUIRE(dec.decode(raw(longer), d));
  CHECK(d.has(Anomaly::Ipv6BadPayloadLength));
  CHECK(d.dport == 2);

  // RFC 2675: payload length 0 and a Jumbo Payload option in the hop-by-hop header.
  Bytes hbh;
  hbh.u8(17).u8(0).u8(0xc2).u8(4).u32(70000);
  Bytes jumbo = ethernet(0x86dd).append(ipv6(0, hbh.append(udp(1, 2))));
  jumbo.b[18] = 0;
  jumbo.b[19] = 0;
  REQUIRE(dec.decode(raw(jumbo), d));
  CHECK(d.has(Anomaly::Ipv6BadPayloadLength));  // 70000 bytes claimed, 16 present
  CHECK(d.dport == 2);
}

TEST_CASE("icmpv6 neighbour discovery: target and link-layer address option") {
  Bytes ns;
  ns.u8(135).u8(0).u16(0).u32(0).ip6(kIp6B).u8(1).u8(1).mac(kMacA);
  const Bytes p = ethernet(0x86dd).append(ipv6(58, ns));
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(p), d));
  CHECK(d.has_icmp);
  CHECK(d.icmp_type == 135);
  CHECK(d.arp_target_ip == v6(kIp6B));
  CHECK(d.has_nd_mac);
  CHECK(d.arp_sender_mac == kMacA);
  check_prefixes(p, {{14, Anomaly::TruncatedLinkHeader}, {54, Anomaly::TruncatedIpv6}, {62, Anomaly::TruncatedIcmp},
                     {78, Anomaly::TruncatedIcmp}});

  Bytes na;  // a nonce option (14, 8 bytes) first, then the target link-layer address (2)
  na.u8(136).u8(0).u16(0).u32(0x60000000).ip6(kIp6A).u8(14).u8(1).zeros(6).u8(2).u8(1).mac(kMacB);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(58, na))), d));
  CHECK(d.icmp_type == 136);
  CHECK(d.arp_target_ip == v6(kIp6A));
  CHECK(d.arp_sender_mac == kMacB);

  Bytes bare;  // no option (a solicitation from the unspecified address)
  bare.u8(135).u8(0).u16(0).u32(0).ip6(kIp6B);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(58, bare))), d));
  CHECK(d.arp_target_ip == v6(kIp6B));
  CHECK_FALSE(d.has_nd_mac);

  Bytes ra;  // router advertisement: just type and code
  ra.u8(134).u8(0).u16(0).u32(0).zeros(8);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(58, ra))), d));
  CHECK(d.icmp_type == 134);
  CHECK_FALSE(d.has_nd_mac);
}
