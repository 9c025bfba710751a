// GRE (RFC 2784, RFC 2890 key and sequence) and the ERSPAN remote-span encapsulations it carries
// (draft-foschiano-erspan). ERSPAN is decapsulated: a remote span port delivers the mirrored
// frames inside GRE, and those are what sanso must see. Every other GRE payload is a tunnel sanso
// does not look into.
//
//   GRE: C R K S s Recur(3) | A flags(4) Ver(3) | protocol(2) | [checksum(2) reserved(2)] if C
//        | [key(4)] if K | [sequence(4)] if S
//   ERSPAN type I:   protocol 0x88be, S clear, no header: the mirrored Ethernet frame follows.
//   ERSPAN type II:  protocol 0x88be, S set, 8 bytes: ver(4)=1 VLAN(12) COS En T session(10) ...
//   ERSPAN type III: protocol 0x22eb, 12 bytes: ver(4)=2 VLAN(12) ... timestamp(4) SGT(2) P FT
//                    HwID D Gra O; O set adds an 8-byte platform-specific subheader.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

constexpr std::uint16_t kErspanI_II = 0x88be, kErspanIII = 0x22eb;
constexpr std::uint16_t kChecksum = 0x8000, kRouting = 0x4000, kKey = 0x2000, kSequence = 0x1000;

// Replaces `d` with the mirrored frame in `r`. Only the anomalies raised so far carry over: the
// inner addresses, VLANs and ports are the ones the monitor classifies.
void decapsulate(Reader& r, Decoded& d, DecodeState& s) {
  if (s.erspan_depth >= kMaxErspanDepth) {
    d.tunnel_not_inspected = true;
    return;
  }
  ++s.erspan_depth;
  const std::uint32_t anomalies = d.anomalies;
  const Nanos ts = d.ts;
  // The mirrored frame's own length (what its flow carried), never more than the packet's.
  const std::size_t inner_wire = r.remaining() + s.wire_extra;
  const std::uint32_t outer_wire = d.wirelen;
  d = Decoded{};
  d.anomalies = anomalies;
  d.ts = ts;
  d.wirelen = inner_wire < outer_wire ? static_cast<std::uint32_t>(inner_wire) : outer_wire;
  d.erspan = true;
  Reader inner = r.rest();
  decode_ethernet(inner, d, s);
}

bool skip_erspan_header(std::uint16_t protocol, bool sequence, Reader& r, Decoded& d) {
  if (protocol == kErspanI_II && !sequence) return true;  // type I
  std::uint8_t first = 0;
  if (!r.peek_u8(0, first)) {
    raise(d, Anomaly::TruncatedGre);
    return false;
  }
  const unsigned version = first >> 4;
  if ((protocol == kErspanI_II && version != 1) || (protocol == kErspanIII && version != 2)) {
    raise(d, Anomaly::UnknownErspanVersion);
    return false;
  }
  std::uint8_t last = 0;
  const bool ok = protocol == kErspanI_II
                      ? r.skip(8)
                      : r.peek_u8(11, last) && r.skip((last & 0x01) ? 20 : 12);
  if (!ok) raise(d, Anomaly::TruncatedGre);
  return ok;
}

}  // namespace

void decode_gre(Reader& r, Decoded& d, DecodeState& s) {
  std::uint16_t flags = 0, protocol = 0;
  if (!(r.read_u16be(flags) && r.read_u16be(protocol))) {
    raise(d, Anomaly::TruncatedGre);
    return;
  }
  // Version 1 is PPTP's enhanced GRE; source routing (R, RFC 1701) is long deprecated.
  const bool erspan = protocol == kErspanI_II || protocol == kErspanIII;
  if ((flags & 0x0007) != 0 || (flags & kRouting) != 0 || !erspan) {
    d.tunnel_not_inspected = true;
    return;
  }
  const std::size_t optional = ((flags & kChecksum) ? 4u : 0u) + ((flags & kKey) ? 4u : 0u) +
                               ((flags & kSequence) ? 4u : 0u);
  if (!r.skip(optional)) {
    raise(d, Anomaly::TruncatedGre);
    return;
  }
  if (!skip_erspan_header(protocol, (flags & kSequence) != 0, r, d)) {
    d.tunnel_not_inspected = true;
    return;
  }
  decapsulate(r, d, s);
}

}  // namespace sanso::capture
