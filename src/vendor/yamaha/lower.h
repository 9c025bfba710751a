#pragma once
// One filter's written fields -> the PacketSet it matches. The field rules are the RTX command
// reference's (`ip filter`, http://www.rtpro.yamaha.co.jp/RT/manual/rt-common/ip/ip_filter.html);
// where sanso had to choose a reading no vendor document confirms, the lowering says so through
// LoweredMatch::relied (the conversion turns it into a Device::assumptions entry).
#include <string>
#include <vector>

#include "model/packet_set.h"
#include "vendor/yamaha/config.h"

namespace sanso::vendor::yamaha {

/// Readings that are sanso's, not a vendor document's (docs/vendors/yamaha-rtx.md "Assumptions").
enum class Reliance : unsigned {
  None = 0,
  TcpFlagsClear = 1,      ///< tcpfin / tcpflag needing FIN, PSH, URG, ECE or CWR: audited packets have them clear
  IcmpErrorTypes = 2,     ///< icmp-error = types 3, 4, 5, 11, 12 (IPv4)
  PortNames = 4,          ///< a port mnemonic read with sanso's table
  TcpFlagKeywords = 8,    ///< tcpsyn = SYN set, established = ACK set, tcprst = RST set
  Icmp6Alone = 16,        ///< icmp6 alone in an ipv6 filter: ports are ICMPv6 type and code
};
inline unsigned operator|(unsigned a, Reliance b) { return a | static_cast<unsigned>(b); }

/// What a filter's fields mean. Conditions sanso cannot decide offline (an FQDN, a prefix learnt
/// from RA, a field it cannot read) are left out of `match` (it over-approximates: every packet
/// the filter could match is in it) and named in `uncertain`.
struct LoweredMatch {
  model::PacketSet match;
  std::vector<std::string> uncertain;
  unsigned relied = 0;  ///< Reliance bits
};

/// The fields SRC DST PROTO SPORT DPORT of `ip filter` / `ipv6 filter`.
LoweredMatch lower_fields(model::Family family, const std::string& src, const std::string& dst,
                          const std::string& proto, const std::string& sport,
                          const std::string& dport);

inline LoweredMatch lower_filter(const IpFilter& f) {
  return lower_fields(f.family, f.src, f.dst, f.proto, f.sport, f.dport);
}

/// Source/destination address field alone ("*", lists, ranges, prefixes, masks).
LoweredMatch lower_addresses(model::Family family, const std::string& text, bool source);

/// `ethernet filter`: the source MAC condition (exact where the MAC is the frame's as received).
/// `out`: the filter sees frames the router sends, whose source MAC is its own for routed packets.
LoweredMatch lower_ethernet(const EthernetFilter& f, bool out);

}  // namespace sanso::vendor::yamaha
