// Fragments meet the fragment table here (IPv4 and IPv6 alike).
//
// RFC 1858 / RFC 3128 evasions: a *tiny* first fragment too short to hold the ports (and, for
// TCP, the flags byte) hides the L4 header from a filter; an *overlapping* later fragment
// (offset below the first's L4 header length, e.g. IPv4 offset 1 = 8 bytes) rewrites it after
// the filter looked. Both are alerted anomalies.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

// L4 bytes a first fragment must carry not to be tiny: TCP up to its flags (byte 13) rounded to
// the 16 bytes of RFC 3128's check, UDP's and ICMP's 8-byte headers, SCTP's 12-byte common header.
std::uint32_t min_first_payload(std::uint8_t proto) {
  switch (proto) {
    case ipproto::kTcp: return 16;
    case ipproto::kUdp: case ipproto::kIcmp: case ipproto::kIcmpv6: return 8;
    case ipproto::kSctp: return 12;
    default: return 0;
  }
}

// The header a later fragment must not reach into when the first's was not readable.
std::uint16_t nominal_header_len(std::uint8_t proto) {
  switch (proto) {
    case ipproto::kTcp: return 20;
    case ipproto::kUdp: case ipproto::kIcmp: case ipproto::kIcmpv6: return 8;
    case ipproto::kSctp: return 12;
    default: return 0;
  }
}

constexpr std::uint32_t bit(Anomaly a) { return 1u << static_cast<unsigned>(a); }
constexpr std::uint32_t kTruncatedL4 = bit(Anomaly::TruncatedTcp) | bit(Anomaly::TruncatedUdp) |
                                       bit(Anomaly::TruncatedSctp) | bit(Anomaly::TruncatedIcmp);

bool is_tunnel(std::uint8_t proto) {
  return proto == ipproto::kGre || proto == ipproto::kIpip || proto == ipproto::kIpv6;
}

}  // namespace

void decode_first_fragment(Reader& r, const FragmentKey& key, std::uint32_t l4_declared, Decoded& d,
                           DecodeState& s) {
  const std::uint8_t proto = d.proto;
  if (l4_declared < min_first_payload(proto)) raise(d, Anomaly::TinyFragment);
  FirstFragment first{};
  first.proto = proto;
  FragmentEvents ev{};
  if (is_tunnel(proto)) {
    // Record before decoding: ERSPAN decapsulation replaces `d` with the inner packet, whose
    // headers run on in the later fragments (their lengths are not the capture's fault).
    ev = s.fragments.add_first(key, first, l4_declared, s.now);
    s.wire_extra = 0xffff;
    decode_transport(r, proto, d, s);
  } else {
    const bool whole = r.remaining() >= l4_declared;  // not cut by the snaplen
    s.l4_header_len = nominal_header_len(proto);
    decode_transport(r, proto, d, s);
    // A header that continues in the next fragment is not a truncated capture (TinyFragment
    // says when it is too short).
    if (whole) d.anomalies &= ~kTruncatedL4;
    first.has_ports = d.has_ports;
    first.sport = d.sport;
    first.dport = d.dport;
    first.tcp_flags = d.tcp_flags;
    // Only bytes the first fragment carried can be rewritten by a later one.
    first.l4_header_len = static_cast<std::uint16_t>(
        l4_declared < s.l4_header_len ? l4_declared : s.l4_header_len);
    ev = s.fragments.add_first(key, first, l4_declared, s.now);
  }
  if (ev.overlapping) raise(d, Anomaly::OverlappingFragment);
  if (ev.table_full) raise(d, Anomaly::FragmentTableFull);
}

void decode_later_fragment(const FragmentKey& key, std::uint32_t offset, std::uint32_t payload,
                           bool last, Decoded& d, DecodeState& s) {
  FragmentEvents ev{};
  const FirstFragment* first = s.fragments.add_later(key, offset, payload, last, s.now, ev);
  if (ev.overlapping) raise(d, Anomaly::OverlappingFragment);
  if (ev.table_full) raise(d, Anomaly::FragmentTableFull);
  if (is_tunnel(key.proto)) d.tunnel_not_inspected = true;
  if (first == nullptr) return;
  d.proto = first->proto;
  if (!first->has_ports) return;
  // The flags are the first fragment's: the later ones belong to the same segment.
  d.has_ports = true;
  d.ports_from_fragment_table = true;
  d.sport = first->sport;
  d.dport = first->dport;
  d.tcp_flags = first->tcp_flags;
}

}  // namespace sanso::capture
