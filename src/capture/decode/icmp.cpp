// ICMP (RFC 792) and ICMPv6 (RFC 4443), with IPv6 neighbour discovery (RFC 4861).
//
//   type | code | checksum(2) | 4 type-specific bytes      (8 bytes in every message)
//   NS (135) / NA (136): ... | target address(16) | options: type(1) length(1, in 8 bytes) ...
//   option 1: source link-layer address, option 2: target link-layer address (6 bytes on
//   Ethernet). The target goes to Decoded::arp_target_ip and the link-layer address to
//   arp_sender_mac (packet.h): the IPv6 counterpart of an ARP claim.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

constexpr std::uint8_t kNeighborSolicitation = 135, kNeighborAdvertisement = 136;
constexpr int kMaxNdOptions = 16;  // a bound on the walk; real messages carry one or two

bool decode_type_code(Reader& r, Decoded& d) {
  if (!(r.read_u8(d.icmp_type) && r.read_u8(d.icmp_code))) {
    raise(d, Anomaly::TruncatedIcmp);
    return false;
  }
  d.has_icmp = true;
  if (!r.skip(6)) {
    raise(d, Anomaly::TruncatedIcmp);
    return false;
  }
  return true;
}

void decode_nd(Reader& r, Decoded& d) {
  model::u128 target = 0;
  if (!r.read_u128be(target)) {
    raise(d, Anomaly::TruncatedIcmp);
    return;
  }
  d.arp_target_ip = {model::Family::V6, target};
  const std::uint8_t wanted = d.icmp_type == kNeighborSolicitation ? 1 : 2;
  for (int i = 0; i < kMaxNdOptions; ++i) {
    std::uint8_t type = 0, len = 0;
    if (!(r.read_u8(type) && r.read_u8(len)) || len == 0) return;  // len 0 is invalid: stop
    std::uint64_t mac = 0;
    if (type == wanted && len == 1 && r.read_u48be(mac)) {
      d.arp_sender_mac = mac;
      d.has_nd_mac = true;
      return;
    }
    if (!r.skip(len * 8u - 2u)) return;
  }
}

}  // namespace

void decode_icmp(Reader& r, Decoded& d, DecodeState& s) {
  s.l4_header_len = 8;
  decode_type_code(r, d);
}

void decode_icmpv6(Reader& r, Decoded& d, DecodeState& s) {
  s.l4_header_len = 8;
  if (!decode_type_code(r, d)) return;
  if (d.icmp_type == kNeighborSolicitation || d.icmp_type == kNeighborAdvertisement) decode_nd(r, d);
}

}  // namespace sanso::capture
