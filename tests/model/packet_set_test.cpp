#include "model/packet_set.h"

#include <doctest/doctest.h>

using namespace sanso::model;

namespace {

u128 ip(const char* text) { return parse_ip(text)->value; }
IpRange cidr(const char* text) { return *parse_cidr(text); }

Packet tcp_packet(const char* src, const char* dst, std::uint16_t dport, std::uint8_t flags = kTcpSyn) {
  Packet p;
  p.family = parse_ip(src)->family;
  p.src = ip(src);
  p.dst = ip(dst);
  p.proto = kProtoTcp;
  p.sport = 49152;
  p.dport = dport;
  p.tcp_flags = flags;
  return p;
}

}  // namespace

TEST_CASE("builders: all, none, families and field bounds") {
  CHECK(PacketSet::none().empty());
  CHECK_FALSE(PacketSet::all().empty());
  CHECK(PacketSet::all().same_as(PacketSet::family(Family::V4) | PacketSet::family(Family::V6)));
  CHECK((PacketSet::family(Family::V4) & PacketSet::family(Family::V6)).empty());
  CHECK(PacketSet::all().complement().empty());
  CHECK(PacketSet::none().complement().same_as(PacketSet::all()));
  CHECK(field_max(Field::TcpFlags) == 7);
  CHECK(field_max(Field::Dport) == 65535);
  CHECK(field_max(Field::SrcMac) == (u128{1} << 48) - 1);
  // An IPv4 packet cannot carry a 33-bit address.
  Packet big;
  big.src = u128{1} << 32;
  CHECK_FALSE(PacketSet::all().contains(big));
  CHECK(PacketSet::of(big).empty());
  big.family = Family::V6;
  CHECK(PacketSet::all().contains(big));
  CHECK(PacketSet::field(Field::Src, u128{1} << 32, u128{1} << 33).same_as(
      PacketSet::src({Family::V6, u128{1} << 32, u128{1} << 33})));
  CHECK(PacketSet::field(Field::Family, 6, 6).same_as(PacketSet::family(Family::V6)));
  CHECK(PacketSet::dport(kProtoTcp, 10, 9).empty());
}

TEST_CASE("a typical rule: membership, containment and difference") {
  const PacketSet rule = PacketSet::src(cidr("10.1.20.0/24")) & PacketSet::dst(cidr("10.2.20.35")) &
                         PacketSet::dport(kProtoTcp, 9100, 9100);
  CHECK(rule.contains(tcp_packet("10.1.20.10", "10.2.20.35", 9100)));
  CHECK_FALSE(rule.contains(tcp_packet("10.1.21.10", "10.2.20.35", 9100)));
  CHECK_FALSE(rule.contains(tcp_packet("10.1.20.10", "10.2.20.35", 9101)));
  Packet udp = tcp_packet("10.1.20.10", "10.2.20.35", 9100);
  udp.proto = kProtoUdp;
  CHECK_FALSE(rule.contains(udp));
  // Addresses of the other family are other packets.
  CHECK((rule & PacketSet::family(Family::V6)).empty());

  const PacketSet host = PacketSet::src(cidr("10.1.20.10"));
  const PacketSet rest = rule - host;
  CHECK(rule.contains(rest));
  CHECK_FALSE(rest.contains(rule));
  CHECK_FALSE(rest.contains(tcp_packet("10.1.20.10", "10.2.20.35", 9100)));
  CHECK(rest.contains(tcp_packet("10.1.20.11", "10.2.20.35", 9100)));
  CHECK((rest | (rule & host)).same_as(rule));
  CHECK(rule.intersects(host));
  CHECK_FALSE(rest.intersects(host));
}

TEST_CASE("tcp_flags follows --tcp-flags mask/comp over SYN, ACK, RST") {
  const PacketSet syn = PacketSet::tcp_flags(kTcpSyn | kTcpAck | kTcpRst, kTcpSyn);
  Packet p = tcp_packet("10.0.0.1", "10.0.0.2", 22, kTcpSyn);
  CHECK(syn.contains(p));
  p.tcp_flags = kTcpSyn | kTcpAck;
  CHECK_FALSE(syn.contains(p));
  const PacketSet syn_any = PacketSet::tcp_flags(kTcpSyn, kTcpSyn);
  CHECK(syn_any.contains(p));
  p.tcp_flags = kTcpAck;
  CHECK_FALSE(syn_any.contains(p));
  // comp outside mask can never match.
  CHECK(PacketSet::tcp_flags(kTcpSyn, kTcpAck).empty());
  // mask 0: every TCP packet.
  CHECK(PacketSet::tcp_flags(0, 0).same_as(PacketSet::proto(kProtoTcp)));
  // Not SYN-only: 7 of the 8 flag values.
  const PacketSet others = PacketSet::proto(kProtoTcp) - syn;
  int n = 0;
  for (std::uint8_t f = 0; f < 8; ++f) {
    p.tcp_flags = f;
    n += others.contains(p) ? 1 : 0;
  }
  CHECK(n == 7);
}

TEST_CASE("connection_opening") {
  const PacketSet open = PacketSet::connection_opening();
  Packet p = tcp_packet("10.0.0.1", "10.0.0.2", 443, kTcpSyn);
  CHECK(open.contains(p));
  for (std::uint8_t f : {0, 2, 3, 4, 5, 6, 7}) {
    p.tcp_flags = f;
    CAPTURE(int{f});
    CHECK_FALSE(open.contains(p));
  }
  p.proto = kProtoUdp;
  p.tcp_flags = 0;
  CHECK(open.contains(p));
  p.proto = kProtoIcmp;
  for (int t = 0; t < 256; ++t) {
    p.icmp_type = static_cast<std::uint8_t>(t);
    const bool reply = t == 0 || t == 3 || t == 4 || t == 5 || t == 11 || t == 12 || t == 14 ||
                       t == 16 || t == 18;
    CAPTURE(t);
    CHECK(open.contains(p) == !reply);
  }
  p.proto = kProtoIcmpv6;
  p.family = Family::V6;
  for (int t : {1, 2, 3, 4, 129, 134, 136}) {
    p.icmp_type = static_cast<std::uint8_t>(t);
    CHECK_FALSE(open.contains(p));
  }
  for (int t : {0, 5, 128, 130, 133, 135, 137, 255}) {
    p.icmp_type = static_cast<std::uint8_t>(t);
    CHECK(open.contains(p));
  }
  p.proto = 47;  // GRE
  CHECK(open.contains(p));
  p.proto = kProtoSctp;
  CHECK(open.contains(p));
}

TEST_CASE("witness: preferences, sport 49152, protocol order") {
  const PacketSet s = PacketSet::src(cidr("10.1.20.0/24")) & PacketSet::dst(cidr("10.2.20.0/24")) &
                      (PacketSet::dport(kProtoTcp, 80, 90) | PacketSet::dport(kProtoUdp, 53, 53));
  auto w = s.witness();
  REQUIRE(w);
  CHECK(describe(*w) == "tcp 10.1.20.0:49152 -> 10.2.20.0:80 [S]");
  WitnessPreference pref;
  pref.preferred_addresses = {*parse_ip("10.2.20.40"), *parse_ip("10.1.20.9"),
                              *parse_ip("10.1.20.5"), *parse_ip("2001:db8::1")};
  w = s.witness(pref);
  REQUIRE(w);
  CHECK(describe(*w) == "tcp 10.1.20.5:49152 -> 10.2.20.40:80 [S]");
  // Without TCP the UDP part answers; without 49152 the lowest source port.
  w = (s - PacketSet::proto(kProtoTcp) - PacketSet::sport(kProtoUdp, 49152, 49152)).witness(pref);
  REQUIRE(w);
  CHECK(describe(*w) == "udp 10.1.20.5:0 -> 10.2.20.40:53");
  CHECK_FALSE(PacketSet::none().witness());
  // IPv4 before IPv6; ICMP printed with type and code.
  const PacketSet v6 = PacketSet::src(cidr("2001:db8::/64")) & PacketSet::icmp(kProtoIcmpv6, 128, 128);
  w = (v6 | PacketSet::proto(kProtoIcmp)).witness();
  REQUIRE(w);
  CHECK(w->family == Family::V4);
  w = v6.witness(pref);
  REQUIRE(w);
  CHECK(describe(*w) == "icmpv6 2001:db8::1 -> 2001:db8::1 type 128 code 0");
}

TEST_CASE("describe") {
  Packet p = tcp_packet("10.1.20.10", "10.2.20.35", 9100);
  CHECK(describe(p) == "tcp 10.1.20.10:49152 -> 10.2.20.35:9100 [S]");
  p.family = Family::V6;
  p.src = 1;
  p.dst = 2;
  p.tcp_flags = kTcpSyn | kTcpAck;
  CHECK(describe(p) == "tcp [::1]:49152 -> [::2]:9100 [SA]");
  CHECK(describe(PacketSet::none()) == "none");
  CHECK(describe(PacketSet::all()) == "ip4 | ip6");
  const PacketSet rule = PacketSet::src(cidr("10.0.0.0/24")) & PacketSet::dst(cidr("10.1.0.5")) &
                         PacketSet::dport(kProtoTcp, 443, 443);
  CHECK(describe(rule) == "ip4 tcp src 10.0.0.0/24 dst 10.1.0.5 dport 443");
  // The same set built in another order prints the same.
  const PacketSet again = PacketSet::dport(kProtoTcp, 443, 443) & PacketSet::dst(cidr("10.1.0.5")) &
                          PacketSet::src(cidr("10.0.0.0/24"));
  CHECK(describe(again) == describe(rule));
  CHECK(describe(PacketSet::tcp_flags(7, kTcpSyn) & PacketSet::family(Family::V4)) ==
        "ip4 tcp flags [S]");
}

TEST_CASE("first_match_hits on a small list") {
  const PacketSet web = PacketSet::dport(kProtoTcp, 80, 80) | PacketSet::dport(kProtoTcp, 443, 443);
  const PacketSet host = PacketSet::src(cidr("10.0.0.5"));
  const std::vector<PacketSet> rules = {host & web, web, PacketSet::proto(kProtoTcp), host,
                                        PacketSet::all()};
  const auto hits = first_match_hits(rules);
  REQUIRE(hits.size() == rules.size());
  CHECK(hits[0].same_as(host & web));
  CHECK(hits[1].same_as(web - host));
  CHECK(hits[2].same_as(PacketSet::proto(kProtoTcp) - web));
  CHECK(hits[3].same_as(host - PacketSet::proto(kProtoTcp)));
  CHECK(hits[4].same_as(PacketSet::all() - host - PacketSet::proto(kProtoTcp)));
  CHECK(union_all(hits).same_as(PacketSet::all()));
  CHECK(union_all(rules).same_as(PacketSet::all()));
  CHECK(first_match_hits({}).empty());
}
