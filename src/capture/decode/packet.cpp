// Names and small helpers of capture/packet.h.
#include "capture/packet.h"

namespace sanso::capture {

LinkType link_type_of_dlt(int dlt) {
  // DLT numbers as libpcap's pcap_datalink() reports them (pcap/dlt.h): a file's LINKTYPE_RAW
  // (101) comes back as DLT_RAW (12 on Linux, 14 on some BSDs), but accept all three.
  switch (dlt) {
    case 0: return LinkType::Null;         // DLT_NULL: BSD loopback, host byte order family
    case 1: return LinkType::Ethernet;     // DLT_EN10MB
    case 12: case 14: case 101: return LinkType::RawIp;
    case 108: return LinkType::Loop;       // DLT_LOOP: network byte order family
    case 113: return LinkType::LinuxSll;   // DLT_LINUX_SLL
    case 228: return LinkType::RawIpv4;    // DLT_IPV4
    case 229: return LinkType::RawIpv6;    // DLT_IPV6
    case 276: return LinkType::LinuxSll2;  // DLT_LINUX_SLL2
    default: return LinkType::Unsupported;
  }
}

std::string_view to_string(LinkType t) {
  switch (t) {
    case LinkType::Ethernet: return "ethernet";
    case LinkType::LinuxSll: return "linux_sll";
    case LinkType::LinuxSll2: return "linux_sll2";
    case LinkType::RawIp: return "raw_ip";
    case LinkType::RawIpv4: return "raw_ipv4";
    case LinkType::RawIpv6: return "raw_ipv6";
    case LinkType::Null: return "null";
    case LinkType::Loop: return "loop";
    case LinkType::Unsupported: return "unsupported";
  }
  return "unsupported";
}

std::string_view to_string(Anomaly a) {
  switch (a) {
    case Anomaly::TruncatedLinkHeader: return "truncated_link_header";
    case Anomaly::TruncatedVlan: return "truncated_vlan";
    case Anomaly::VlanTooDeep: return "vlan_too_deep";
    case Anomaly::TruncatedPppoe: return "truncated_pppoe";
    case Anomaly::TruncatedGre: return "truncated_gre";
    case Anomaly::UnknownErspanVersion: return "unknown_erspan_version";
    case Anomaly::TruncatedArp: return "truncated_arp";
    case Anomaly::TruncatedIpv4: return "truncated_ipv4";
    case Anomaly::Ipv4BadVersion: return "ipv4_bad_version";
    case Anomaly::Ipv4BadHeaderLength: return "ipv4_bad_header_length";
    case Anomaly::Ipv4BadTotalLength: return "ipv4_bad_total_length";
    case Anomaly::TruncatedIpv6: return "truncated_ipv6";
    case Anomaly::Ipv6BadVersion: return "ipv6_bad_version";
    case Anomaly::Ipv6BadPayloadLength: return "ipv6_bad_payload_length";
    case Anomaly::Ipv6ExtHeaderTruncated: return "ipv6_ext_header_truncated";
    case Anomaly::Ipv6TooManyExtHeaders: return "ipv6_too_many_ext_headers";
    case Anomaly::TruncatedTcp: return "truncated_tcp";
    case Anomaly::TcpBadDataOffset: return "tcp_bad_data_offset";
    case Anomaly::TruncatedUdp: return "truncated_udp";
    case Anomaly::TruncatedSctp: return "truncated_sctp";
    case Anomaly::TruncatedIcmp: return "truncated_icmp";
    case Anomaly::TinyFragment: return "tiny_fragment";
    case Anomaly::OverlappingFragment: return "overlapping_fragment";
    case Anomaly::FragmentTableFull: return "fragment_table_full";
    case Anomaly::FragmentWithoutFirst: return "fragment_without_first";
    case Anomaly::UnsupportedLinkType: return "unsupported_link_type";
    case Anomaly::kAnomalyCount: break;
  }
  return "unknown";
}

bool is_alerted(Anomaly a) {
  // Fragments crafted to hide or rewrite the L4 header from a filter (RFC 1858, RFC 3128); the
  // other anomalies are broken or cut packets, counted but not alerted.
  return a == Anomaly::TinyFragment || a == Anomaly::OverlappingFragment;
}

std::uint64_t AnomalyCounters::total() const {
  std::uint64_t sum = 0;
  for (std::uint64_t c : count) sum += c;
  return sum;
}

}  // namespace sanso::capture
