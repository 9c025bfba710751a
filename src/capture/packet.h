#pragma once
// One captured packet as the decoders see it (the raw bytes and their capture metadata) and what
// decoding makes of it: the few header fields a segmentation monitor needs. Plain values, no
// allocation: the decoder fills one `Decoded` per packet on the hot path.
#include <array>
#include <cstdint>
#include <string_view>

#include "model/address.h"

namespace sanso::capture {

/// Nanoseconds since the Unix epoch (capture time), or a fake clock in tests.
using Nanos = std::int64_t;

/// The link types sanso decodes (libpcap DLT_* values are mapped by link_type_of_dlt()).
enum class LinkType : std::uint8_t { Ethernet, LinuxSll, LinuxSll2, RawIp, RawIpv4, RawIpv6, Null, Loop, Unsupported };
/// pcap's DLT/LINKTYPE number -> LinkType (Unsupported when sanso cannot decode it).
LinkType link_type_of_dlt(int dlt);
std::string_view to_string(LinkType t);

struct RawPacket {
  const std::uint8_t* data = nullptr;
  std::uint32_t caplen = 0;  ///< bytes present in `data`
  std::uint32_t wirelen = 0; ///< bytes on the wire (>= caplen when the snaplen cut the packet)
  Nanos ts = 0;
  LinkType link = LinkType::Ethernet;
};

/// Named anomalies (Zeek-style "weird" names): a malformed or suspicious packet is counted under
/// one of these and skipped or decoded as far as it is sound, never fatal. `kAnomalyCount` last.
enum class Anomaly : std::uint8_t {
  TruncatedLinkHeader,      ///< shorter than its Ethernet / SLL / SLL2 / Null header
  TruncatedVlan,            ///< 802.1Q/802.1ad tag cut off
  VlanTooDeep,              ///< more than two VLAN tags (outer two kept)
  TruncatedPppoe,
  TruncatedGre,             ///< GRE / ERSPAN header cut off
  UnknownErspanVersion,
  TruncatedArp,
  TruncatedIpv4,            ///< fewer than 20 bytes, or fewer than its IHL says
  Ipv4BadVersion,           ///< ethertype IPv4 but version != 4
  Ipv4BadHeaderLength,      ///< IHL < 5
  Ipv4BadTotalLength,       ///< total length < header length, or > the bytes on the wire
  TruncatedIpv6,
  Ipv6BadVersion,
  Ipv6BadPayloadLength,     ///< payload length > the bytes on the wire (jumbograms included)
  Ipv6ExtHeaderTruncated,   ///< an extension header runs past the captured bytes
  Ipv6TooManyExtHeaders,    ///< more extension headers than the decoder follows (DoS guard)
  TruncatedTcp,             ///< TCP header (20 bytes, or its data offset) cut off
  TcpBadDataOffset,         ///< data offset < 5
  TruncatedUdp,
  TruncatedSctp,            ///< SCTP common header (12 bytes) cut off
  TruncatedIcmp,
  TinyFragment,             ///< a first fragment too short to hold the L4 ports (and TCP flags)
  OverlappingFragment,      ///< a later fragment that would rewrite the L4 header (RFC 1858)
  FragmentTableFull,        ///< fragment state dropped to keep the table's bound
  FragmentWithoutFirst,     ///< a later fragment whose first fragment was never seen (timed out)
  UnsupportedLinkType,
  kAnomalyCount
};
std::string_view to_string(Anomaly a);  ///< snake_case name, e.g. "truncated_tcp"
/// Anomalies that are evasion attempts rather than broken packets: the monitor alerts on them.
bool is_alerted(Anomaly a);

struct AnomalyCounters {
  std::array<std::uint64_t, static_cast<std::size_t>(Anomaly::kAnomalyCount)> count{};
  void add(Anomaly a) { ++count[static_cast<std::size_t>(a)]; }
  std::uint64_t operator[](Anomaly a) const { return count[static_cast<std::size_t>(a)]; }
  std::uint64_t total() const;
};

/// TCP flag bits as on the wire (byte 13 of the TCP header).
enum TcpFlag : std::uint8_t { kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10 };

/// What the decoders found in one packet. Fields past `l3` are meaningful only when the flags
/// before them say so.
struct Decoded {
  // L2
  bool has_mac = false;                    ///< an Ethernet header was there (not SLL, raw IP, loopback)
  std::uint64_t src_mac = 0, dst_mac = 0;  ///< 48-bit values (the innermost Ethernet header)
  std::uint8_t vlan_depth = 0;             ///< 0, 1 or 2 tags kept
  std::uint16_t vlan = 0;                  ///< outer VLAN id (0: untagged)
  std::uint16_t inner_vlan = 0;            ///< QinQ inner VLAN id
  bool erspan = false;                     ///< decapsulated from ERSPAN (addresses are the inner packet's)
  bool pppoe = false;

  // ARP (l3 == L3::Arp). IPv6 neighbour discovery reuses two of these fields (l3 == L3::Ipv6,
  // has_icmp, icmp_type 135 solicitation / 136 advertisement): arp_target_ip is the ND target
  // address, and arp_sender_mac the source (NS) or target (NA) link-layer address option when the
  // message carries one (has_nd_mac), i.e. the MAC claimed for that address.
  std::uint16_t arp_op = 0;                ///< 1 request, 2 reply
  std::uint64_t arp_sender_mac = 0;
  model::IpAddress arp_sender_ip{}, arp_target_ip{};
  bool has_nd_mac = false;                 ///< ND: arp_sender_mac holds a link-layer address option

  enum class L3 : std::uint8_t { None, Arp, Ipv4, Ipv6, Other } l3 = L3::None;
  std::uint16_t ethertype = 0;             ///< for L3::Other
  model::IpAddress src{}, dst{};
  std::uint8_t proto = 0;                  ///< upper-layer protocol after IPv6 extension headers
  std::uint8_t ttl = 0;
  /// A tunnel sanso does not look into (GRE other than ERSPAN, IP-in-IP, VXLAN, ...): classified
  /// by the outer header and counted as not inspected.
  bool tunnel_not_inspected = false;

  // Fragments
  bool fragment = false;                   ///< part of a fragmented datagram (IPv6 atomic fragments are not)
  bool first_fragment = false;             ///< offset 0 (carries the L4 header when not tiny)
  std::uint32_t frag_id = 0;

  // L4 (has_ports: TCP, UDP, SCTP ports are valid; ICMP type/code in icmp_*)
  bool has_ports = false;
  std::uint16_t sport = 0, dport = 0;
  std::uint8_t tcp_flags = 0;
  bool has_icmp = false;
  std::uint8_t icmp_type = 0, icmp_code = 0;
  /// Ports of a later fragment come from its first fragment through the fragment table; this says
  /// the ports are known (false: the first fragment was not seen). tcp_flags and proto then are
  /// the first fragment's too (for IPv6, the upper layer after the extension headers).
  bool ports_from_fragment_table = false;

  std::uint32_t wirelen = 0;               ///< after ERSPAN: the mirrored frame's length
  Nanos ts = 0;
  /// Bit (1u << Anomaly) for every anomaly this packet raised (is_alerted() ones make alerts).
  std::uint32_t anomalies = 0;
  bool has(Anomaly a) const { return (anomalies >> static_cast<unsigned>(a)) & 1u; }
};

}  // namespace sanso::capture
