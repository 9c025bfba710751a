// TCP (RFC 9293).
//
//   source port(2) | destination port(2) | sequence(4) | acknowledgment(4) |
//   data offset(4) reserved(4) | flags(8) | window(2) | checksum(2) | urgent(2) | options
// A cut header still yields what it holds: ports from 4 bytes, the flags from 14.
#include "capture/decode/decoders.h"

namespace sanso::capture {

void decode_tcp(Reader& r, Decoded& d, DecodeState& s) {
  if (!(r.read_u16be(d.sport) && r.read_u16be(d.dport))) {
    raise(d, Anomaly::TruncatedTcp);
    return;
  }
  d.has_ports = true;
  std::uint8_t offset = 0;
  if (!(r.skip(8) && r.read_u8(offset) && r.read_u8(d.tcp_flags) && r.skip(6))) {
    raise(d, Anomaly::TruncatedTcp);
    return;
  }
  const std::uint16_t header_len = (offset >> 4) * 4u;
  if (header_len < 20) {
    raise(d, Anomaly::TcpBadDataOffset);
    return;
  }
  s.l4_header_len = header_len;
  if (!r.skip(header_len - 20u)) raise(d, Anomaly::TruncatedTcp);
}

}  // namespace sanso::capture
