#pragma once
// Internal to the decoders: the per-packet state they share and one entry point per protocol.
// Each decode_* reads its header through `Reader` (bounds-checked), fills `Decoded`, raises named
// anomalies, hands the payload to the next decoder, and returns true iff the packet reached an L3
// worth tracking (ARP, IPv4, IPv6), which is what Decoder::decode() returns.
#include <cstdint>

#include "capture/decode/byte_reader.h"
#include "capture/decode/decoder.h"
#include "capture/decode/fragment_table.h"
#include "capture/packet.h"

namespace sanso::capture {

struct DecodeState {
  FragmentTable& fragments;
  const DecoderLimits& limits;
  Nanos now = 0;
  /// Bytes of this packet on the wire beyond the captured ones (snaplen cut): length fields are
  /// checked against remaining() + wire_extra.
  std::size_t wire_extra = 0;
  int erspan_depth = 0;              ///< ERSPAN decapsulations so far (at most kMaxErspanDepth)
  std::uint16_t l4_header_len = 0;   ///< set by the L4 decoders for the fragment table
};

inline constexpr int kMaxErspanDepth = 2;

inline void raise(Decoded& d, Anomaly a) { d.anomalies |= 1u << static_cast<unsigned>(a); }

// Link layers.
bool decode_ethernet(Reader& r, Decoded& d, DecodeState& s);
/// The payload of an Ethernet-style ethertype (VLAN tags first), shared by Ethernet, SLL, SLL2.
bool decode_ethertype(std::uint16_t type, Reader& r, Decoded& d, DecodeState& s);
bool decode_linux_sll(Reader& r, Decoded& d, DecodeState& s);
bool decode_linux_sll2(Reader& r, Decoded& d, DecodeState& s);
bool decode_null(Reader& r, Decoded& d, DecodeState& s);
bool decode_loop(Reader& r, Decoded& d, DecodeState& s);
/// Raw IP: the version nibble says IPv4 or IPv6.
bool decode_raw_ip(Reader& r, Decoded& d, DecodeState& s);
bool decode_pppoe_session(Reader& r, Decoded& d, DecodeState& s);

// L3.
bool decode_arp(Reader& r, Decoded& d, DecodeState& s);
bool decode_ipv4(Reader& r, Decoded& d, DecodeState& s);
bool decode_ipv6(Reader& r, Decoded& d, DecodeState& s);

// IP payloads. `r` holds the L4 bytes (trailing padding stripped). Fragment glue in
// ip_fragment.cpp, the protocol switch in transport.cpp.
void decode_transport(Reader& r, std::uint8_t proto, Decoded& d, DecodeState& s);
void decode_first_fragment(Reader& r, const FragmentKey& key, std::uint32_t l4_declared, Decoded& d,
                           DecodeState& s);
void decode_later_fragment(const FragmentKey& key, std::uint32_t offset, std::uint32_t payload,
                           bool last, Decoded& d, DecodeState& s);
void decode_tcp(Reader& r, Decoded& d, DecodeState& s);
void decode_udp(Reader& r, Decoded& d, DecodeState& s);
void decode_sctp(Reader& r, Decoded& d, DecodeState& s);
void decode_icmp(Reader& r, Decoded& d, DecodeState& s);
void decode_icmpv6(Reader& r, Decoded& d, DecodeState& s);
/// GRE: ERSPAN I/II/III are decapsulated (the inner frame replaces `d`'s fields), anything else
/// marks the packet tunnel_not_inspected.
void decode_gre(Reader& r, Decoded& d, DecodeState& s);

namespace ipproto {
inline constexpr std::uint8_t kIcmp = 1, kIpip = 4, kTcp = 6, kUdp = 17, kIpv6 = 41, kGre = 47,
                              kIcmpv6 = 58, kNoNext = 59, kSctp = 132;
}  // namespace ipproto

}  // namespace sanso::capture
