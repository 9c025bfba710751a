// Golden counts on real public captures (../shared/captures/real, see its README for origins and
// licences). Every number here was checked independently of sanso: with tshark field and expert
// queries (fragments per datagram, expert "IPv4 total length exceeds packet length", ethertype
// breakdowns) or, where noted, by reasoning from the README table and the capture timestamps.
#include <pcap/pcap.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "capture/decode/decoder.h"
#include "model/address.h"

using namespace sanso::capture;
namespace fs = std::filesystem;

namespace {

const fs::path kReal = fs::path(SANSO_SHARED_DIR) / "captures" / "real";

struct Run {
  bool opened = false;
  DecodeStats stats;
  AnomalyCounters anomalies;
  std::vector<Decoded> packets;  // kept only when asked
};

// Reads a capture with libpcap and decodes every packet; read errors end the file quietly
// (several files here are deliberately corrupt).
Run decode_file(const fs::path& path, bool keep = false) {
  Run run;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (p == nullptr) return run;
  run.opened = true;
  const LinkType link = link_type_of_dlt(pcap_datalink(p));
  Decoder dec;
  Decoded d;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &h, &data) == 1) {
    const RawPacket raw{data, h->caplen, h->len,
                        Nanos{h->ts.tv_sec} * 1'000'000'000 + Nanos{h->ts.tv_usec} * 1000, link};
    dec.decode(raw, d);
    if (keep) run.packets.push_back(d);
  }
  pcap_close(p);
  dec.finish();
  run.stats = dec.stats();
  run.anomalies = dec.anomalies();
  return run;
}

bool have_captures() {
  if (fs::is_directory(kReal)) return true;
  MESSAGE("skipped: no real captures in " << kReal.string());
  return false;
}

std::uint64_t mac(const char* text) { return *sanso::model::parse_mac(text); }
sanso::model::IpAddress ip(const char* text) { return *sanso::model::parse_ip(text); }

}  // namespace

TEST_CASE("golden: every real capture decodes without a crash") {
  if (!have_captures()) return;
  int files = 0;
  for (const char* dir : {"vlan", "ipv6", "frag", "pcapng", "truncated", "malformed", "linktypes"}) {
    for (const auto& entry : fs::directory_iterator(kReal / dir)) {
      CAPTURE(entry.path().string());
      const Run run = decode_file(entry.path());
      if (run.opened) CHECK(run.stats.packets >= run.stats.ipv4 + run.stats.ipv6 + run.stats.arp);
      ++files;
    }
  }
  CHECK(files >= 55);
}

TEST_CASE("golden: vlan/ — QinQ, PPPoE, ERSPAN, GRE") {
  if (!have_captures()) return;
  {
    const Run r = decode_file(kReal / "vlan/suri-filecontainer-smb-vlan.pcap");
    CHECK(r.stats.packets == 7276);
    CHECK(r.stats.ipv4 == 7276);
    CHECK(r.stats.vlan_tagged == 7276);
    CHECK(r.anomalies.total() == 0);
  }
  {
    const Run r = decode_file(kReal / "vlan/zeek-vlan-collisions.pcap");
    CHECK(r.stats.packets == 42);
    CHECK(r.stats.vlan_tagged == 28);
  }
  {
    const Run r = decode_file(kReal / "vlan/tcpdump-802.1ad_QinQ.pcap", true);
    CHECK(r.stats.packets == 2);
    CHECK(r.stats.arp == 2);
    CHECK(r.stats.vlan_tagged == 2);
    REQUIRE(r.packets.size() == 2);
    CHECK(r.packets[0].vlan_depth == 2);
    CHECK(r.packets[0].vlan == 200);  // tshark: 802.1ad S-tag 200, 802.1Q C-tag 2001
    CHECK(r.packets[0].inner_vlan == 2001);
  }
  {
    // 6 PPPoE packets whose PPPoE length is too short for the IPv4 total length (tshark:
    // "IPv4 total length exceeds packet length").
    const Run r = decode_file(kReal / "vlan/zeek-pppoe-over-qinq.pcap");
    CHECK(r.stats.packets == 86);
    CHECK(r.stats.ipv4 == 86);
    CHECK(r.stats.vlan_tagged == 86);
    CHECK(r.stats.pppoe == 86);
    CHECK(r.anomalies[Anomaly::Ipv4BadTotalLength] == 6);
    CHECK(r.anomalies.total() == 6);
  }
  {
    // tshark: 80 ERSPAN I + 8 ERSPAN I with inner VLAN 10 (OSPF), 8 GRE-in-IPv4, 16 plain OSPF,
    // 5 LLDP and 2 of ethertype 0x88a7.
    const Run r = decode_file(kReal / "vlan/tcpdump-erspan-type-i-4.pcap", true);
    CHECK(r.stats.packets == 119);
    CHECK(r.stats.erspan == 88);
    CHECK(r.stats.vlan_tagged == 8);
    CHECK(r.stats.tunnels_not_inspected == 8);
    CHECK(r.stats.ipv4 == 112);
    CHECK(r.stats.other_l3 == 7);
    CHECK(r.anomalies.total() == 0);
    const Decoded& first = r.packets.at(0);  // frame 1: the mirrored ICMP echo inside
    CHECK(first.erspan);
    CHECK(first.src == ip("10.1.1.100"));
    CHECK(first.dst == ip("10.1.1.1"));
    CHECK(first.src_mac == mac("00:50:56:84:01:7d"));
    CHECK(first.has_icmp);
    CHECK(first.icmp_type == 8);
  }
  {
    // tshark: 30 GRE packets (key set, protocols 0x8909 / 0x2000 / 0x0000) on VLAN 1213, 21
    // tagged STP, 49 untagged STP / CDP / DTP / loopback frames.
    const Run r = decode_file(kReal / "vlan/tcpdump-various_gre.pcap");
    CHECK(r.stats.packets == 100);
    CHECK(r.stats.ipv4 == 30);
    CHECK(r.stats.tunnels_not_inspected == 30);
    CHECK(r.stats.vlan_tagged == 51);
    CHECK(r.stats.other_l3 == 70);
    CHECK(r.stats.erspan == 0);
  }
  {
    // Despite its name this is GRE transparent Ethernet bridging (0x6558), not ERSPAN: a tunnel
    // not inspected. Its outer IPv4 packets are fragmented (tshark: 55 fragments, 16 datagrams,
    // all with their first).
    const Run r = decode_file(kReal / "vlan/zeek-erspan.pcap");
    CHECK(r.stats.packets == 287);
    CHECK(r.stats.ipv4 == 287);
    CHECK(r.stats.erspan == 0);
    CHECK(r.stats.tunnels_not_inspected == 287);
    CHECK(r.stats.fragments == 55);
    CHECK(r.anomalies.total() == 0);
  }
  {
    const Run r = decode_file(kReal / "vlan/ndpi-vxlan.pcap");
    CHECK(r.stats.packets == 127);
    CHECK(r.stats.tunnels_not_inspected == 127);
  }
}

TEST_CASE("golden: ipv6/ — extension headers, atomic fragments") {
  if (!have_captures()) return;
  {
    // tshark: 68 headers (hop-by-hop, then routing / fragment / destination options repeated).
    const Run r = decode_file(kReal / "ipv6/libpcap-ipv6_ext_headers.pcap");
    CHECK(r.stats.ipv6 == 1);
    CHECK(r.anomalies[Anomaly::Ipv6TooManyExtHeaders] == 1);
  }
  {
    // Atomic fragments (RFC 6946) are whole packets: not counted as fragments.
    const Run r = decode_file(kReal / "ipv6/zeek-ipv6-http-atomic-frag.pcap");
    CHECK(r.stats.ipv6 == 38);
    CHECK(r.stats.fragments == 0);
    CHECK(r.anomalies.total() == 0);
  }
  for (const char* f : {"ipv6/zeek-ipv6-hbh-routing0.pcap", "ipv6/tcpdump-ipv6-routing-header.pcap"}) {
    CAPTURE(f);
    const Run r = decode_file(kReal / f);
    CHECK(r.stats.ipv6 == r.stats.packets);
    CHECK(r.anomalies.total() == 0);
  }
  {
    const Run r = decode_file(kReal / "ipv6/ndpi-reddit.pcap");
    CHECK(r.stats.ipv6 == 1942);
    CHECK(r.anomalies.total() == 0);
  }
}

TEST_CASE("golden: frag/ — fragments, later fragments joining, evasions") {
  if (!have_captures()) return;
  {
    // tshark: 1859 fragments in 192 datagrams; one datagram's first fragment is missing.
    const Run r = decode_file(kReal / "frag/ppp-ip-frag.pcap");
    CHECK(r.stats.packets == 3000);
    CHECK(r.stats.ipv4 == 2996);
    CHECK(r.stats.arp == 4);
    CHECK(r.stats.fragments == 1859);
    CHECK(r.anomalies[Anomaly::FragmentWithoutFirst] == 1);
    CHECK(r.anomalies.total() == 1);
  }
  {
    const Run r = decode_file(kReal / "frag/ppp-ip4_fragments.pcap", true);
    CHECK(r.stats.fragments == 50);
    CHECK(r.anomalies.total() == 0);
    const Decoded& second = r.packets.at(1);  // frame 2: offset 1480 of datagram 0x1ea0
    CHECK(second.fragment);
    CHECK(second.ports_from_fragment_table);
    CHECK(second.sport == 789);
    CHECK(second.dport == 2049);
  }
  {
    const Run r = decode_file(kReal / "frag/suri-defrag-af-confusion-spray.pcap");
    CHECK(r.stats.packets == 16384);
    CHECK(r.stats.ipv4 == 8192);
    CHECK(r.stats.ipv6 == 8192);
    CHECK(r.stats.fragments == 16384);
  }
  {
    const Run r = decode_file(kReal / "frag/zeek-ipv6-fragmented-dns.pcap");
    CHECK(r.stats.ipv6 == 8);
    CHECK(r.stats.fragments == 4);
    CHECK(r.anomalies[Anomaly::FragmentWithoutFirst] == 1);
  }
  {
    // Two datagrams whose later fragments trickle in once a second for 45 s: those more than
    // 30 s after their first (the table's life) have lost it — 32 by the capture timestamps.
    const Run r = decode_file(kReal / "frag/zeek-ipv6-reassembly-state-leak.pcap");
    CHECK(r.stats.fragments == 92);
    CHECK(r.anomalies[Anomaly::FragmentWithoutFirst] == 32);
  }
  {
    // One IPv4 id reused: 4 first fragments with 4 different port pairs (tshark), so 3 of them
    // rewrite the ports of the first: overlapping. Their 16 TCP bytes are not tiny.
    const Run r = decode_file(kReal / "frag/ndpi-ip_fragmented_garbage.pcap");
    CHECK(r.stats.fragments == 1252);
    CHECK(r.anomalies[Anomaly::OverlappingFragment] == 3);
    CHECK(r.anomalies[Anomaly::TinyFragment] == 0);
    CHECK(r.anomalies.total() == 3);
  }
  {
    const Run r = decode_file(kReal / "frag/ndpi-dns_fragmented.pcap");
    CHECK(r.stats.ipv4 == 22);
    CHECK(r.stats.ipv6 == 44);
    CHECK(r.stats.fragments == 14);
    CHECK(r.anomalies.total() == 0);
  }
}

TEST_CASE("golden: truncated/ and malformed/ — named anomalies") {
  if (!have_captures()) return;
  struct Case {
    const char* file;
    Anomaly anomaly;
    std::uint64_t count;
  };
  for (const Case& c : {
           Case{"truncated/zeek-trunc-ip4-trunc.pcap", Anomaly::TruncatedIpv4, 1},
           Case{"truncated/zeek-trunc-ip6-trunc.pcap", Anomaly::TruncatedIpv6, 1},
           Case{"truncated/zeek-trunc-trunc-hdr.pcap", Anomaly::TruncatedLinkHeader, 1},
           Case{"truncated/tcpdump-babel_update_oobr.pcap", Anomaly::FragmentWithoutFirst, 2},
           Case{"malformed/zeek-trunc-ipv4-truncated-broken-header.pcap", Anomaly::TruncatedIpv4, 1},
           Case{"malformed/zeek-trunc-ip6-ext-trunc.pcap", Anomaly::Ipv6ExtHeaderTruncated, 1},
           Case{"malformed/tcpdump-ipv6-bad-version.pcap", Anomaly::Ipv6BadVersion, 2},
           Case{"malformed/tcpdump-ipv6_jumbogram_invalid_length.pcap", Anomaly::Ipv6BadPayloadLength, 1},
           Case{"malformed/ndpi-badpackets.pcap", Anomaly::Ipv4BadTotalLength, 93},
           Case{"malformed/ndpi-fuzz-2006-06-26-2594.pcap", Anomaly::FragmentWithoutFirst, 28},
           Case{"malformed/ndpi-fuzz-2020-02-16-11740.pcap", Anomaly::FragmentWithoutFirst, 22},
           Case{"malformed/tcpdump-kday6.pcap", Anomaly::UnsupportedLinkType, 1},
       }) {
    CAPTURE(c.file);
    CHECK(decode_file(kReal / c.file).anomalies[c.anomaly] == c.count);
  }
  {
    // snaplen 80 keeps the ICMP header: only the payload is cut, which is no anomaly.
    const Run r = decode_file(kReal / "truncated/zeek-trunc-icmp-payload-trunc.pcap");
    CHECK(r.stats.ipv4 == 4);
    CHECK(r.anomalies.total() == 0);
  }
  {
    const Run r = decode_file(kReal / "malformed/tcpdump-ipv6-bad-version.pcap");
    CHECK(r.stats.packets == 4);
    CHECK(r.stats.ipv6 == 2);
  }
  {
    // Neighbour solicitations among 35k IPv6 packets; frame 1: target 2001:db8:1::1 and a
    // source link-layer address option (tshark).
    const Run r = decode_file(kReal / "malformed/suri-ipv6-dos-ext-headers-5.pcap", true);
    CHECK(r.stats.ipv6 == 35720);
    CHECK(r.anomalies.total() == 0);
    const Decoded& ns = r.packets.at(0);
    CHECK(ns.icmp_type == 135);
    CHECK(ns.arp_target_ip == ip("2001:db8:1::1"));
    CHECK(ns.has_nd_mac);
    CHECK(ns.arp_sender_mac == mac("00:50:b6:19:e6:50"));
  }
  for (const char* f : {"malformed/libpcap-pcap-invalid-version-1.pcap",
                        "malformed/libpcap-pcapng-invalid-vers-1.pcapng"}) {
    CAPTURE(f);
    CHECK_FALSE(decode_file(kReal / f).opened);
  }
}

TEST_CASE("golden: linktypes/ and pcapng/") {
  if (!have_captures()) return;
  {
    const Run r = decode_file(kReal / "linktypes/ppp-sll.pcap");
    CHECK(r.stats.packets == 518);
    CHECK(r.stats.ipv4 == 510);
    CHECK(r.stats.ipv6 == 1);
    CHECK(r.stats.arp == 7);
  }
  {
    // tshark: ethertypes 0x0800 x2, 0x86dd x2, ARP, RARP.
    const Run r = decode_file(kReal / "linktypes/zeek-linux_dlt_sll2.pcap");
    CHECK(r.stats.ipv4 == 2);
    CHECK(r.stats.ipv6 == 2);
    CHECK(r.stats.arp == 1);
    CHECK(r.stats.other_l3 == 1);
  }
  {
    const Run r = decode_file(kReal / "linktypes/ppp-raw_ip.pcap");
    CHECK(r.stats.ipv4 == 50);
    CHECK(r.stats.ipv6 == 50);
  }
  {
    const Run r = decode_file(kReal / "linktypes/ndpi-rdp-null.pcap");
    CHECK(r.stats.ipv4 == 20);
  }
  {
    const Run r = decode_file(kReal / "linktypes/tcpdump-nflog.pcap");
    CHECK(r.stats.unsupported_link == 4);
  }
  {
    // libpcap 1.10 stops at the first Linux SLL packet of this mixed-link pcapng (README).
    const Run r = decode_file(kReal / "pcapng/ppp-pcapng-example.pcapng");
    CHECK(r.stats.packets == 59);
    CHECK(r.stats.ipv4 == 59);
  }
  {
    const Run r = decode_file(kReal / "pcapng/ndpi-alexa-app.pcapng");
    CHECK(r.stats.packets == 3103);
    CHECK(r.stats.ipv6 == 12);
  }
}
