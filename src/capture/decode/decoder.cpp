#include "capture/decode/decoder.h"

#include <bit>

#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

// Resetting from a constant in read-only memory: `out = Decoded{}` builds the temporary on the
// stack byte by byte and reads it back in 16-byte words, a store-forwarding stall that cost
// about a third of the decode time of a plain TCP packet.
constexpr Decoded kEmpty{};

}  // namespace

Decoder::Decoder(DecoderLimits limits)
    : limits_(limits), fragments_(limits.max_fragments, limits.fragment_timeout) {}

bool Decoder::decode(const RawPacket& raw, Decoded& out) {
  out = kEmpty;
  out.wirelen = raw.wirelen;
  out.ts = raw.ts;
  DecodeState s{fragments_, limits_};
  s.now = raw.ts;
  s.wire_extra = raw.wirelen > raw.caplen ? raw.wirelen - raw.caplen : 0;
  Reader r(raw.data, raw.data == nullptr ? 0 : raw.caplen);
  switch (raw.link) {
    case LinkType::Ethernet: decode_ethernet(r, out, s); break;
    case LinkType::LinuxSll: decode_linux_sll(r, out, s); break;
    case LinkType::LinuxSll2: decode_linux_sll2(r, out, s); break;
    case LinkType::RawIp: decode_raw_ip(r, out, s); break;
    case LinkType::RawIpv4: decode_ipv4(r, out, s); break;
    case LinkType::RawIpv6: decode_ipv6(r, out, s); break;
    case LinkType::Null: decode_null(r, out, s); break;
    case LinkType::Loop: decode_loop(r, out, s); break;
    case LinkType::Unsupported:
      raise(out, Anomaly::UnsupportedLinkType);
      ++stats_.unsupported_link;
      break;
  }
  // What the packet reached decides, not the decoders' return values: after ERSPAN the inner
  // frame's L3 is the packet's.
  const bool tracked =
      out.l3 == Decoded::L3::Arp || out.l3 == Decoded::L3::Ipv4 || out.l3 == Decoded::L3::Ipv6;
  count(raw, out, tracked);
  collect_fragment_anomalies();
  return tracked;
}

void Decoder::count(const RawPacket& raw, const Decoded& out, bool tracked) {
  ++stats_.packets;
  stats_.bytes += raw.wirelen;
  if (tracked) {
    switch (out.l3) {
      case Decoded::L3::Arp: ++stats_.arp; break;
      case Decoded::L3::Ipv4: ++stats_.ipv4; break;
      case Decoded::L3::Ipv6: ++stats_.ipv6; break;
      case Decoded::L3::None: case Decoded::L3::Other: break;
    }
  } else if (out.l3 == Decoded::L3::Other) {
    ++stats_.other_l3;
  }
  if (out.vlan_depth > 0) ++stats_.vlan_tagged;
  if (out.fragment) ++stats_.fragments;
  if (out.tunnel_not_inspected) ++stats_.tunnels_not_inspected;
  if (out.erspan) ++stats_.erspan;
  if (out.pppoe) ++stats_.pppoe;
  // Each anomaly counts once per packet, however many layers raised it.
  for (std::uint32_t bits = out.anomalies; bits != 0; bits &= bits - 1) {
    ++anomalies_.count[static_cast<std::size_t>(std::countr_zero(bits))];
  }
}

void Decoder::collect_fragment_anomalies() {
  anomalies_.count[static_cast<std::size_t>(Anomaly::FragmentWithoutFirst)] +=
      fragments_.take_without_first();
}

void Decoder::expire_fragments(Nanos now) {
  fragments_.expire(now);
  collect_fragment_anomalies();
}

void Decoder::finish() {
  fragments_.clear();
  collect_fragment_anomalies();
}

}  // namespace sanso::capture
