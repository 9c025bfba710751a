// UDP (RFC 768) and SCTP (RFC 9260), the port-carrying datagram protocols.
//
//   UDP:  source port(2) | destination port(2) | length(2) | checksum(2)
//   SCTP: source port(2) | destination port(2) | verification tag(4) | checksum(4) | chunks
// Tunnels over UDP (VXLAN 4789, Geneve 6081, GTP-U 2152, L2TP 1701) are not opened: the flow is
// the outer one, marked tunnel_not_inspected.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

bool is_udp_tunnel_port(std::uint16_t port) {
  return port == 4789 || port == 6081 || port == 2152 || port == 1701;
}

}  // namespace

void decode_udp(Reader& r, Decoded& d, DecodeState&) {
  if (!(r.read_u16be(d.sport) && r.read_u16be(d.dport))) {
    raise(d, Anomaly::TruncatedUdp);
    return;
  }
  d.has_ports = true;
  if (!r.skip(4)) raise(d, Anomaly::TruncatedUdp);
  if (is_udp_tunnel_port(d.dport)) d.tunnel_not_inspected = true;
}

void decode_sctp(Reader& r, Decoded& d, DecodeState& s) {
  if (!(r.read_u16be(d.sport) && r.read_u16be(d.dport))) {
    raise(d, Anomaly::TruncatedSctp);
    return;
  }
  d.has_ports = true;
  s.l4_header_len = 12;
  if (!r.skip(8)) raise(d, Anomaly::TruncatedSctp);
}

}  // namespace sanso::capture
