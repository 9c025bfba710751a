// Ethernet II / IEEE 802.3 and 802.1Q / 802.1ad VLAN tags.
//
//   0                   6                   12      14
//   +-------------------+-------------------+-------+----------
//   | destination MAC   | source MAC        | type  | payload     type < 0x0600: 802.3 length
//   +-------------------+-------------------+-------+----------
//   A tag (0x8100 802.1Q, 0x88a8 802.1ad S-tag, 0x9100 pre-standard QinQ) inserts
//   | TCI: PCP(3) DEI(1) VID(12) | next type | before the payload.
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

constexpr std::uint16_t kIpv4 = 0x0800, kArp = 0x0806, kIpv6 = 0x86dd, kPppoeDiscovery = 0x8863,
                        kPppoeSession = 0x8864;

bool is_vlan_tag(std::uint16_t type) { return type == 0x8100 || type == 0x88a8 || type == 0x9100; }

bool other_l3(std::uint16_t type, Decoded& d) {
  d.l3 = Decoded::L3::Other;
  d.ethertype = type;
  return false;
}

}  // namespace

bool decode_ethernet(Reader& r, Decoded& d, DecodeState& s) {
  std::uint16_t type = 0;
  if (!(r.read_u48be(d.dst_mac) && r.read_u48be(d.src_mac) && r.read_u16be(type))) {
    raise(d, Anomaly::TruncatedLinkHeader);
    return false;
  }
  d.has_mac = true;
  // IEEE 802.3 frames carry a length here (LLC: STP, CDP, NetBIOS over LLC...): not IP.
  if (type < 0x0600) return other_l3(0, d);
  return decode_ethertype(type, r, d, s);
}

bool decode_ethertype(std::uint16_t type, Reader& r, Decoded& d, DecodeState& s) {
  // Tags are bounded by the captured bytes (4 each); past two, only the outer two are kept.
  while (is_vlan_tag(type)) {
    std::uint16_t tci = 0;
    if (!(r.read_u16be(tci) && r.read_u16be(type))) {
      raise(d, Anomaly::TruncatedVlan);
      return false;
    }
    const std::uint16_t vid = tci & 0x0fff;
    if (d.vlan_depth == 0) {
      d.vlan = vid;
      d.vlan_depth = 1;
    } else if (d.vlan_depth == 1) {
      d.inner_vlan = vid;
      d.vlan_depth = 2;
    } else {
      raise(d, Anomaly::VlanTooDeep);
    }
  }
  switch (type) {
    case kIpv4: return decode_ipv4(r, d, s);
    case kIpv6: return decode_ipv6(r, d, s);
    case kArp: return decode_arp(r, d, s);
    case kPppoeSession: return decode_pppoe_session(r, d, s);
    case kPppoeDiscovery: d.pppoe = true; return other_l3(type, d);
    default: return other_l3(type, d);
  }
}

}  // namespace sanso::capture
