#pragma once
// The packet decoder of `sanso monitor`: raw captured bytes -> `Decoded` (packet.h), with named
// anomaly counters and a bounded fragment table. One Decoder per capture point; not thread-safe.
#include <cstddef>
#include <cstdint>

#include "capture/decode/fragment_table.h"
#include "capture/packet.h"

namespace sanso::capture {

struct DecoderLimits {
  std::size_t max_fragments = 65536;          ///< datagrams tracked by the fragment table
  Nanos fragment_timeout = 30'000'000'000;    ///< capture time a fragment entry lives
  int max_ipv6_ext_headers = 16;              ///< extension headers followed (DoS guard)
};

/// Packet counters by what the packet was (a packet counts once per line; anomalies apart).
struct DecodeStats {
  std::uint64_t packets = 0, bytes = 0;       ///< every packet, wire bytes
  std::uint64_t ipv4 = 0, ipv6 = 0, arp = 0;  ///< decode() returned true with that L3
  std::uint64_t other_l3 = 0;                 ///< a non-IP ethertype, 802.3 frames, PPPoE discovery
  std::uint64_t vlan_tagged = 0;              ///< at least one 802.1Q/802.1ad tag (innermost frame)
  std::uint64_t fragments = 0;                ///< IPv4/IPv6 fragments (atomic IPv6 fragments not)
  std::uint64_t tunnels_not_inspected = 0;
  std::uint64_t erspan = 0;
  std::uint64_t pppoe = 0;
  std::uint64_t unsupported_link = 0;
};

class Decoder {
 public:
  explicit Decoder(DecoderLimits limits = {});

  /// Decodes one packet into `out` (reset first). Returns true iff the packet has an L3 worth
  /// tracking (ARP, IPv4, IPv6); false for non-IP, unsupported or broken-before-L3 packets.
  /// Never fails otherwise: malformed input raises named anomalies, counted here and in `out`.
  bool decode(const RawPacket& raw, Decoded& out);

  /// Expires fragment entries older than the timeout at capture time `now` (decode() does this
  /// on every fragment; a caller may also call it from a timer so idle entries get counted).
  void expire_fragments(Nanos now);
  /// End of capture: every pending fragment entry counts as FragmentWithoutFirst.
  void finish();

  const AnomalyCounters& anomalies() const { return anomalies_; }
  const DecodeStats& stats() const { return stats_; }
  std::size_t fragments_tracked() const { return fragments_.size(); }

 private:
  void count(const RawPacket& raw, const Decoded& out, bool tracked);
  void collect_fragment_anomalies();

  DecoderLimits limits_;
  FragmentTable fragments_;
  AnomalyCounters anomalies_;
  DecodeStats stats_;
};

}  // namespace sanso::capture
