// IPv4 (RFC 791).
//
//   ver(4) IHL(4) | TOS | total length(2) | id(2) | flags(3) fragment offset(13) |
//   TTL | protocol | checksum(2) | source(4) | destination(4) | options (IHL*4 - 20) | payload
//
// The L4 decoders see min(total length - IHL*4, captured bytes): trailing Ethernet padding is
// never read as payload, and a snaplen cut never makes a read go past the capture. Only the first
// fragment (offset 0) carries the L4 header; later ones join it through the fragment table.
#include "capture/decode/decoders.h"

namespace sanso::capture {

bool decode_ipv4(Reader& r, Decoded& d, DecodeState& s) {
  const std::size_t on_wire = r.remaining() + s.wire_extra;
  std::uint8_t vihl = 0, tos = 0, ttl = 0, proto = 0;
  std::uint16_t total = 0, id = 0, frag = 0, checksum = 0;
  std::uint32_t src = 0, dst = 0;
  if (r.peek_u8(0, vihl) && (vihl >> 4) != 4) {
    raise(d, Anomaly::Ipv4BadVersion);
    return false;
  }
  if (!(r.read_u8(vihl) && r.read_u8(tos) && r.read_u16be(total) && r.read_u16be(id) &&
        r.read_u16be(frag) && r.read_u8(ttl) && r.read_u8(proto) && r.read_u16be(checksum) &&
        r.read_u32be(src) && r.read_u32be(dst))) {
    raise(d, Anomaly::TruncatedIpv4);
    return false;
  }
  const std::size_t header_len = (vihl & 0x0fu) * 4u;
  if (header_len < 20) {
    raise(d, Anomaly::Ipv4BadHeaderLength);
    return false;
  }
  d.l3 = Decoded::L3::Ipv4;
  d.src = {model::Family::V4, src};
  d.dst = {model::Family::V4, dst};
  d.proto = proto;
  d.ttl = ttl;
  if (!r.skip(header_len - 20)) {  // options: nothing sanso needs, skipped whole
    raise(d, Anomaly::TruncatedIpv4);
    return true;
  }
  // Total length 0 is what a capture of outgoing TCP segmentation offload shows (the NIC fills it
  // in later): take the captured bytes, as Wireshark does, rather than call it broken.
  std::size_t l4_len = r.remaining();
  if (total != 0) {
    if (total < header_len) {
      raise(d, Anomaly::Ipv4BadTotalLength);
      return true;
    }
    if (total > on_wire) raise(d, Anomaly::Ipv4BadTotalLength);
    l4_len = total - header_len;
    r.limit(l4_len);
  }

  const bool more = (frag & 0x2000) != 0;
  const std::uint32_t offset = (frag & 0x1fffu) * 8u;
  if (!more && offset == 0) {
    decode_transport(r, proto, d, s);
    return true;
  }
  d.fragment = true;
  d.frag_id = id;
  const FragmentKey key{model::Family::V4, proto, id, src, dst};
  if (offset != 0) {
    decode_later_fragment(key, offset, static_cast<std::uint32_t>(l4_len), !more, d, s);
    return true;
  }
  d.first_fragment = true;
  decode_first_fragment(r, key, static_cast<std::uint32_t>(l4_len), d, s);
  return true;
}

}  // namespace sanso::capture
