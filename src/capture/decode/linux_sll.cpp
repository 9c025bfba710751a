// Linux cooked captures ("tcpdump -i any"), https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html
//
//   SLL  (16 bytes): packet type(2) ARPHRD type(2) addr len(2) addr(8) protocol(2)
//   SLL2 (20 bytes): protocol(2) reserved(2) ifindex(4) ARPHRD type(2) packet type(1)
//                    addr len(1) addr(8)
// Only the sender's link-layer address is present, so `has_mac` stays false (no destination);
// the protocol is an ethertype for every hardware type sanso meets, except netlink.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

constexpr std::uint16_t kArphrdNetlink = 824;

bool payload(std::uint16_t hatype, std::uint16_t protocol, Reader& r, Decoded& d, DecodeState& s) {
  // Protocol values below 0x0600 are Linux's pseudo types (ETH_P_802_2, ETH_P_802_3...): not IP.
  if (hatype == kArphrdNetlink || protocol < 0x0600) {
    d.l3 = Decoded::L3::Other;
    d.ethertype = protocol;
    return false;
  }
  return decode_ethertype(protocol, r, d, s);
}

}  // namespace

bool decode_linux_sll(Reader& r, Decoded& d, DecodeState& s) {
  std::uint16_t pkttype = 0, hatype = 0, addrlen = 0, protocol = 0;
  if (!(r.read_u16be(pkttype) && r.read_u16be(hatype) && r.read_u16be(addrlen) && r.skip(8) &&
        r.read_u16be(protocol))) {
    raise(d, Anomaly::TruncatedLinkHeader);
    return false;
  }
  return payload(hatype, protocol, r, d, s);
}

bool decode_linux_sll2(Reader& r, Decoded& d, DecodeState& s) {
  std::uint16_t protocol = 0, hatype = 0;
  if (!(r.read_u16be(protocol) && r.skip(2 + 4) && r.read_u16be(hatype) && r.skip(1 + 1 + 8))) {
    raise(d, Anomaly::TruncatedLinkHeader);
    return false;
  }
  return payload(hatype, protocol, r, d, s);
}

}  // namespace sanso::capture
