// ARP for IPv4 over Ethernet (RFC 826).
//
//   htype(2)=1 ptype(2)=0x0800 hlen(1)=6 plen(1)=4 op(2)
//   sender MAC(6) sender IP(4) target MAC(6) target IP(4)          = 28 bytes
#include "capture/decode/decoders.h"

namespace sanso::capture {

bool decode_arp(Reader& r, Decoded& d, DecodeState&) {
  std::uint16_t htype = 0, ptype = 0;
  std::uint8_t hlen = 0, plen = 0;
  if (!(r.read_u16be(htype) && r.read_u16be(ptype) && r.read_u8(hlen) && r.read_u8(plen))) {
    raise(d, Anomaly::TruncatedArp);
    return false;
  }
  if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
    // Another hardware or protocol (e.g. ARP over IEEE 1394): nothing sanso checks.
    d.l3 = Decoded::L3::Other;
    d.ethertype = 0x0806;
    return false;
  }
  std::uint32_t sip = 0, tip = 0;
  std::uint64_t tmac = 0;
  if (!(r.read_u16be(d.arp_op) && r.read_u48be(d.arp_sender_mac) && r.read_u32be(sip) &&
        r.read_u48be(tmac) && r.read_u32be(tip))) {
    raise(d, Anomaly::TruncatedArp);
    return false;
  }
  d.arp_sender_ip = {model::Family::V4, sip};
  d.arp_target_ip = {model::Family::V4, tip};
  d.l3 = Decoded::L3::Arp;
  return true;
}

}  // namespace sanso::capture
