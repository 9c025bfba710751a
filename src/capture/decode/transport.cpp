// The IP payload switch: one decoder per upper-layer protocol; tunnels sanso does not open are
// marked, and the packet is classified by its outer header.
#include "capture/decode/decoders.h"

namespace sanso::capture {

void decode_transport(Reader& r, std::uint8_t proto, Decoded& d, DecodeState& s) {
  switch (proto) {
    case ipproto::kTcp: decode_tcp(r, d, s); return;
    case ipproto::kUdp: decode_udp(r, d, s); return;
    case ipproto::kSctp: decode_sctp(r, d, s); return;
    case ipproto::kIcmp: decode_icmp(r, d, s); return;
    case ipproto::kIcmpv6: decode_icmpv6(r, d, s); return;
    case ipproto::kGre: decode_gre(r, d, s); return;
    case ipproto::kIpip:
    case ipproto::kIpv6: d.tunnel_not_inspected = true; return;
    default: return;  // ESP, OSPF, VRRP, ...: addresses and protocol are all there is
  }
}

}  // namespace sanso::capture
