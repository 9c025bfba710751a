// BSD loopback encapsulations, https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html
//
//   DLT_NULL: a 4-byte address family in the byte order of the host that *captured* (libpcap
//             does not convert it), DLT_LOOP: the same in network byte order; then the IP packet.
// AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 23 (Windows), 24 (NetBSD/OpenBSD),
// 28 (FreeBSD), 30 (macOS).
#include "capture/decode/decoders.h"

namespace sanso::capture {
namespace {

bool by_family(std::uint32_t family, Reader& r, Decoded& d, DecodeState& s) {
  switch (family) {
    case 2: return decode_ipv4(r, d, s);
    case 10: case 23: case 24: case 28: case 30: return decode_ipv6(r, d, s);
    default:
      d.l3 = Decoded::L3::Other;
      return false;
  }
}

std::uint32_t byte_swap(std::uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

}  // namespace

bool decode_null(Reader& r, Decoded& d, DecodeState& s) {
  std::uint32_t family = 0;
  if (!r.read_u32be(family)) {
    raise(d, Anomaly::TruncatedLinkHeader);
    return false;
  }
  // Families are small numbers: a value with only high bits set was written little-endian (as
  // tcpdump's print-null.c decides).
  if ((family & 0xffff) == 0) family = byte_swap(family);
  return by_family(family, r, d, s);
}

bool decode_loop(Reader& r, Decoded& d, DecodeState& s) {
  std::uint32_t family = 0;
  if (!r.read_u32be(family)) {
    raise(d, Anomaly::TruncatedLinkHeader);
    return false;
  }
  return by_family(family, r, d, s);
}

bool decode_raw_ip(Reader& r, Decoded& d, DecodeState& s) {
  std::uint8_t first = 0;
  if (!r.peek_u8(0, first)) {
    raise(d, Anomaly::TruncatedIpv4);
    return false;
  }
  return (first >> 4) == 6 ? decode_ipv6(r, d, s) : decode_ipv4(r, d, s);
}

}  // namespace sanso::capture
