// IP fragments: later fragments join their first's ports through the bounded fragment table;
// tiny and overlapping fragments (RFC 1858, RFC 3128) are alerted anomalies.
#include <doctest/doctest.h>

#include "capture/decode/decoder.h"
#include "capture/decode/fragment_table.h"
#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

namespace {

constexpr std::uint16_t kMore = 0x2000;
constexpr Nanos kSecond = 1'000'000'000;

// An IPv4 fragment of datagram `id` at `offset` bytes carrying `payload`.
Bytes frag4(std::uint16_t id, std::uint32_t offset, bool more, const Bytes& payload,
            std::uint8_t proto = 6) {
  return ethernet(0x0800).append(ipv4(proto, payload, (more ? kMore : 0) | (offset / 8), id));
}
Bytes filler(std::size_t n) { Bytes b; return b.zeros(n); }
// A first fragment: the TCP header and 4 bytes of data.
Bytes first4(std::uint16_t id, std::uint16_t sport = 40000) {
  return frag4(id, 0, true, tcp(sport, 22, kPsh | kAck).zeros(4));
}

}  // namespace

TEST_CASE("fragments: a later fragment joins its first's ports and flags") {
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(first4(7)), d));
  CHECK(d.fragment);
  CHECK(d.first_fragment);
  CHECK(d.frag_id == 7);
  CHECK(d.has_ports);
  CHECK_FALSE(d.ports_from_fragment_table);
  CHECK(d.anomalies == 0);
  CHECK(dec.fragments_tracked() == 1);

  REQUIRE(dec.decode(raw(frag4(7, 24, false, filler(100))), d));
  CHECK(d.fragment);
  CHECK_FALSE(d.first_fragment);
  CHECK(d.has_ports);
  CHECK(d.ports_from_fragment_table);
  CHECK(d.sport == 40000);
  CHECK(d.dport == 22);
  CHECK(d.tcp_flags == (kPsh | kAck));
  CHECK(d.proto == 6);
  CHECK(d.anomalies == 0);

  // Another datagram (other id) does not match.
  REQUIRE(dec.decode(raw(frag4(8, 24, false, filler(100))), d));
  CHECK_FALSE(d.has_ports);
  CHECK_FALSE(d.ports_from_fragment_table);
  CHECK(dec.stats().fragments == 3);
  dec.finish();
  CHECK(dec.anomalies()[Anomaly::FragmentWithoutFirst] == 1);
  CHECK(dec.fragments_tracked() == 0);
}

TEST_CASE("fragments: a first fragment may end inside the L4 header without being cut") {
  Decoder dec;
  Decoded d;
  // 16 bytes of TCP header: ports and flags are there, the rest follows at offset 16.
  Bytes head = tcp(40000, 22, kSyn);
  head.b.resize(16);
  REQUIRE(dec.decode(raw(frag4(3, 0, true, head)), d));
  CHECK(d.has_ports);
  CHECK(d.tcp_flags == kSyn);
  CHECK(d.anomalies == 0);  // neither truncated nor tiny (RFC 3128's 16 bytes)
  REQUIRE(dec.decode(raw(frag4(3, 16, false, filler(40))), d));
  CHECK(d.ports_from_fragment_table);
  CHECK(d.anomalies == 0);
  // A snaplen cut inside the same header is a truncated capture.
  Bytes whole = frag4(4, 0, true, tcp(1, 2).zeros(100));
  REQUIRE(dec.decode(cut(whole, 14 + 20 + 10), d));
  CHECK(d.has(Anomaly::TruncatedTcp));
  CHECK_FALSE(d.has(Anomaly::TinyFragment));
}

TEST_CASE("fragments: tiny first fragments (RFC 1858) are alerted") {
  Decoder dec;
  Decoded d;
  Bytes eight = tcp(40000, 22, kSyn);
  eight.b.resize(8);  // ports, no flags
  REQUIRE(dec.decode(raw(frag4(1, 0, true, eight)), d));
  CHECK(d.has(Anomaly::TinyFragment));
  CHECK(is_alerted(Anomaly::TinyFragment));
  CHECK(d.has_ports);
  CHECK_FALSE(d.has(Anomaly::TruncatedTcp));

  Bytes udp4 = udp(5000, 53);
  udp4.b.resize(4);
  REQUIRE(dec.decode(raw(frag4(2, 0, true, udp4, 17)), d));
  CHECK(d.has(Anomaly::TinyFragment));

  REQUIRE(dec.decode(raw(frag4(3, 0, true, udp(5000, 53), 17)), d));  // 8 bytes: enough
  CHECK_FALSE(d.has(Anomaly::TinyFragment));
  CHECK(dec.anomalies()[Anomaly::TinyFragment] == 2);
}

TEST_CASE("fragments: overlapping fragments that would rewrite the L4 header are alerted") {
  Decoder dec;
  Decoded d;
  REQUIRE(dec.decode(raw(first4(5)), d));
  // IPv4 offset 1 = 8 bytes: rewrites the TCP flags (RFC 1858).
  REQUIRE(dec.decode(raw(frag4(5, 8, true, filler(16))), d));
  CHECK(d.has(Anomaly::OverlappingFragment));
  CHECK(is_alerted(Anomaly::OverlappingFragment));
  CHECK(d.ports_from_fragment_table);  // still the first's ports
  // A duplicate first is harmless; a first with other ports rewrites them.
  REQUIRE(dec.decode(raw(first4(5)), d));
  CHECK_FALSE(d.has(Anomaly::OverlappingFragment));
  REQUIRE(dec.decode(raw(first4(5, 40001)), d));
  CHECK(d.has(Anomaly::OverlappingFragment));
  // The overlap is caught whichever arrives first.
  REQUIRE(dec.decode(raw(frag4(6, 8, false, filler(16))), d));
  CHECK_FALSE(d.has(Anomaly::OverlappingFragment));
  REQUIRE(dec.decode(raw(first4(6)), d));
  CHECK(d.has(Anomaly::OverlappingFragment));
  CHECK(dec.anomalies()[Anomaly::OverlappingFragment] == 3);
}

TEST_CASE("fragments: later before first, pending entries and timeouts (capture time)") {
  Decoder dec(DecoderLimits{.fragment_timeout = 2 * kSecond});
  Decoded d;
  // The later fragment first: no ports yet; the first arrives in time, nothing is counted.
  REQUIRE(dec.decode(raw(frag4(1, 24, false, filler(10)), LinkType::Ethernet, 0), d));
  CHECK_FALSE(d.has_ports);
  REQUIRE(dec.decode(raw(first4(1), LinkType::Ethernet, kSecond), d));
  CHECK(d.has_ports);
  // A first at t=1 s, its later fragment at t=4 s: the entry has expired.
  REQUIRE(dec.decode(raw(first4(2), LinkType::Ethernet, kSecond), d));
  REQUIRE(dec.decode(raw(frag4(2, 24, true, filler(8)), LinkType::Ethernet, 4 * kSecond), d));
  CHECK_FALSE(d.has_ports);
  REQUIRE(dec.decode(raw(frag4(2, 32, false, filler(8)), LinkType::Ethernet, 4 * kSecond), d));
  CHECK(dec.anomalies()[Anomaly::FragmentWithoutFirst] == 0);  // still pending
  CHECK(dec.fragments_tracked() == 1);
  dec.expire_fragments(7 * kSecond);
  CHECK(dec.anomalies()[Anomaly::FragmentWithoutFirst] == 2);
  CHECK(dec.fragments_tracked() == 0);
}

TEST_CASE("fragments: the table is bounded, the oldest entry is evicted") {
  Decoder dec(DecoderLimits{.max_fragments = 4});
  Decoded d;
  for (std::uint16_t id = 1; id <= 4; ++id) REQUIRE(dec.decode(raw(first4(id)), d));
  CHECK(dec.fragments_tracked() == 4);
  REQUIRE(dec.decode(raw(first4(5)), d));
  CHECK(d.has(Anomaly::FragmentTableFull));
  CHECK(dec.fragments_tracked() == 4);
  // id 1 was the oldest: its later fragment finds nothing; id 2 is still there.
  REQUIRE(dec.decode(raw(frag4(2, 24, false, filler(8))), d));
  CHECK(d.ports_from_fragment_table);
  REQUIRE(dec.decode(raw(frag4(1, 24, false, filler(8))), d));  // evicts id 2 (complete)
  CHECK_FALSE(d.has_ports);
  CHECK_FALSE(d.has(Anomaly::FragmentTableFull));  // a complete datagram is no loss
  CHECK(dec.anomalies()[Anomaly::FragmentTableFull] == 1);

  // Many datagrams through a small table: memory stays bounded, nothing breaks.
  std::uint32_t joined = 0;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const auto id = static_cast<std::uint16_t>(i);
    dec.decode(raw(first4(id), LinkType::Ethernet, i), d);
    dec.decode(raw(frag4(id, 24, false, filler(8)), LinkType::Ethernet, i), d);
    joined += d.ports_from_fragment_table ? 1 : 0;
  }
  CHECK(joined == 5000);
  CHECK(dec.fragments_tracked() == 4);
}

TEST_CASE("fragment table: hash collisions and deletion keep lookups right") {
  // A 1-entry table forces every insert to evict; a 3-entry table exercises probing.
  FragmentTable table(3, 10);
  FragmentEvents ev{};
  FirstFragment first{true, 1, 2, kSyn, 6, 20};
  for (std::uint32_t id = 0; id < 1000; ++id) {
    const FragmentKey key{sanso::model::Family::V4, 6, id, kIpA, kIpB};
    first.sport = static_cast<std::uint16_t>(id);
    table.add_first(key, first, 100, id / 4);
    const FirstFragment* f = table.add_later(key, 100, 10, true, id / 4, ev);
    REQUIRE(f != nullptr);
    CHECK(f->sport == id);
    CHECK(table.size() <= 3);
    if (id >= 2) {  // the one two before is still there
      const FragmentKey older{sanso::model::Family::V4, 6, id - 2, kIpA, kIpB};
      const FirstFragment* o = table.add_later(older, 100, 10, true, id / 4, ev);
      if (o != nullptr) CHECK(o->sport == id - 2);
    }
  }
}

TEST_CASE("ipv6 fragments: fragment header, later fragment joins, atomic fragments") {
  Decoder dec;
  Decoded d;
  Bytes first = frag6(17, 0, true, 0xabcd);
  first.append(udp(5353, 53, 24));
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, first))), d));
  CHECK(d.fragment);
  CHECK(d.first_fragment);
  CHECK(d.frag_id == 0xabcd);
  CHECK(d.dport == 53);
  Bytes later = frag6(17, 32, false, 0xabcd);
  later.zeros(20);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, later))), d));
  CHECK(d.fragment);
  CHECK(d.ports_from_fragment_table);
  CHECK(d.proto == 17);
  CHECK(d.dport == 53);
  CHECK(d.anomalies == 0);
  // Destination options inside the fragmentable part: the first still carries the ports, and
  // the later fragment learns the upper-layer protocol from it.
  Bytes dfirst = frag6(60, 0, true, 0x1111);
  dfirst.append(ext8(6)).append(tcp(1, 2));
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, dfirst))), d));
  CHECK(d.dport == 2);
  Bytes dlater = frag6(60, 40, false, 0x1111);
  dlater.zeros(8);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, dlater))), d));
  CHECK(d.proto == 6);
  CHECK(d.ports_from_fragment_table);
  // Atomic fragment (offset 0, M clear, RFC 6946): a whole packet.
  Bytes atomic = frag6(6, 0, false, 9);
  atomic.append(tcp(1, 2));
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, atomic))), d));
  CHECK_FALSE(d.fragment);
  CHECK(d.dport == 2);
  CHECK(dec.stats().fragments == 4);
  // Tiny IPv6 first fragment.
  Bytes tiny = frag6(6, 0, true, 10);
  tiny.zeros(8);
  REQUIRE(dec.decode(raw(ethernet(0x86dd).append(ipv6(44, tiny))), d));
  CHECK(d.has(Anomaly::TinyFragment));
  check_prefixes(ethernet(0x86dd).append(ipv6(44, first)),
                 {{14, Anomaly::TruncatedLinkHeader}, {54, Anomaly::TruncatedIpv6},
                  {62, Anomaly::Ipv6ExtHeaderTruncated}, {70, Anomaly::TruncatedUdp}});
}
