// PPPoE session stage (RFC 2516) carrying PPP (RFC 1661).
//
//   | ver(4)=1 type(4)=1 | code=0 | session id(2) | length(2) | PPP protocol(2) | payload
// PPP protocol 0x0021 is IPv4, 0x0057 IPv6; LCP, IPCP and the rest are link control, not IP.
#include "capture/decode/decoders.h"

namespace sanso::capture {

bool decode_pppoe_session(Reader& r, Decoded& d, DecodeState& s) {
  d.pppoe = true;
  std::uint8_t vertype = 0, code = 0;
  std::uint16_t session = 0, length = 0, protocol = 0;
  if (!(r.read_u8(vertype) && r.read_u8(code) && r.read_u16be(session) && r.read_u16be(length) &&
        r.read_u16be(protocol))) {
    raise(d, Anomaly::TruncatedPppoe);
    return false;
  }
  // The PPPoE length covers the PPP protocol field and payload: strip Ethernet padding.
  if (length >= 2) r.limit(length - 2u);
  switch (protocol) {
    case 0x0021: return decode_ipv4(r, d, s);
    case 0x0057: return decode_ipv6(r, d, s);
    default:
      d.l3 = Decoded::L3::Other;
      d.ethertype = 0x8864;
      return false;
  }
}

}  // namespace sanso::capture
