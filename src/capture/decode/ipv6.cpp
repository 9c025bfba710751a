// IPv6 (RFC 8200) and its extension headers.
//
//   ver(4) class(8) flow(20) | payload length(2) | next header | hop limit | source(16) | dest(16)
//   extension headers: next header(1) length(1) ... ; hop-by-hop 0, routing 43, destination
//   options 60, mobility 135 are (length + 1) * 8 bytes, AH 51 is (length + 2) * 4 bytes, and the
//   fragment header 44 is 8: next header, reserved, offset(13) res(2) M(1), identification(4).
//
// At most DecoderLimits::max_ipv6_ext_headers are followed: long chains are a parser DoS.
// An atomic fragment (offset 0, M clear; RFC 6946) is a whole packet, not a fragment.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

constexpr std::uint8_t kHopByHop = 0, kRouting = 43, kFragment = 44, kAh = 51, kDestOpts = 60,
                       kMobility = 135;

bool is_ext_header(std::uint8_t nh) {
  return nh == kHopByHop || nh == kRouting || nh == kFragment || nh == kAh || nh == kDestOpts ||
         nh == kMobility;
}

// A payload length of 0 with a hop-by-hop header may be a jumbogram (RFC 2675): the real length
// is in the Jumbo Payload option (type 0xC2, 4 bytes). Returns 0 when there is none.
std::uint32_t jumbo_length(Reader hbh) {
  std::uint8_t nh = 0, len = 0;
  if (!(hbh.read_u8(nh) && hbh.read_u8(len))) return 0;
  hbh.limit((len + 1u) * 8u - 2u);
  std::uint8_t type = 0, optlen = 0;
  while (hbh.read_u8(type)) {
    if (type == 0) continue;  // Pad1
    if (!hbh.read_u8(optlen)) return 0;
    std::uint32_t value = 0;
    if (type == 0xc2 && optlen == 4 && hbh.read_u32be(value)) return value;
    if (!hbh.skip(optlen)) return 0;
  }
  return 0;
}

}  // namespace

bool decode_ipv6(Reader& r, Decoded& d, DecodeState& s) {
  const std::size_t on_wire = r.remaining() + s.wire_extra;
  std::uint8_t first = 0, nh = 0, hops = 0;
  std::uint16_t payload = 0;
  model::u128 src = 0, dst = 0;
  if (r.peek_u8(0, first) && (first >> 4) != 6) {
    raise(d, Anomaly::Ipv6BadVersion);
    return false;
  }
  if (!(r.skip(4) && r.read_u16be(payload) && r.read_u8(nh) && r.read_u8(hops) &&
        r.read_u128be(src) && r.read_u128be(dst))) {
    raise(d, Anomaly::TruncatedIpv6);
    return false;
  }
  d.l3 = Decoded::L3::Ipv6;
  d.src = {model::Family::V6, src};
  d.dst = {model::Family::V6, dst};
  d.ttl = hops;
  d.proto = nh;

  std::uint32_t declared = payload;
  if (payload == 0 && nh == kHopByHop) declared = jumbo_length(r.rest());
  if (std::size_t{40} + declared > on_wire) raise(d, Anomaly::Ipv6BadPayloadLength);
  r.limit(declared);
  const std::size_t start = r.offset();

  bool first_fragment = false;
  FragmentKey key{};
  for (int followed = 0; is_ext_header(nh); ++followed) {
    if (followed == s.limits.max_ipv6_ext_headers) {
      raise(d, Anomaly::Ipv6TooManyExtHeaders);
      d.proto = nh;
      return true;
    }
    std::uint8_t next = 0, len = 0;
    if (!(r.peek_u8(0, next) && r.peek_u8(1, len))) {
      raise(d, Anomaly::Ipv6ExtHeaderTruncated);
      return true;
    }
    if (nh == kFragment) {
      std::uint16_t offset_flags = 0;
      std::uint32_t id = 0;
      if (!(r.skip(2) && r.read_u16be(offset_flags) && r.read_u32be(id))) {
        raise(d, Anomaly::Ipv6ExtHeaderTruncated);
        return true;
      }
      const std::uint32_t offset = (offset_flags >> 3) * 8u;
      const bool more = (offset_flags & 1u) != 0;
      nh = next;
      d.proto = nh;
      if (offset == 0 && !more) continue;  // atomic fragment (RFC 6946)
      d.fragment = true;
      d.frag_id = id;
      key = {model::Family::V6, next, id, src, dst};
      const auto rest = static_cast<std::uint32_t>(declared - (r.offset() - start));
      if (offset != 0) {  // what follows is the middle of the datagram, no header
        decode_later_fragment(key, offset, rest, !more, d, s);
        return true;
      }
      first_fragment = true;
      d.first_fragment = true;
      continue;
    }
    const std::size_t bytes = nh == kAh ? (len + 2u) * 4u : (len + 1u) * 8u;
    if (!r.skip(bytes)) {
      raise(d, Anomaly::Ipv6ExtHeaderTruncated);
      return true;
    }
    nh = next;
    d.proto = nh;
  }
  if (first_fragment) {
    decode_first_fragment(r, key, static_cast<std::uint32_t>(declared - (r.offset() - start)), d, s);
  } else if (nh != ipproto::kNoNext) {
    decode_transport(r, nh, d, s);
  }
  return true;
}

}  // namespace sanso::capture
