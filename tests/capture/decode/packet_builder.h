#pragma once
// Hand-built packets for the decoder tests: append header fields in wire order, then decode.
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "capture/decode/decoder.h"
#include "capture/packet.h"
#include "model/address.h"

namespace sanso::capture::test {

struct Bytes {
  std::vector<std::uint8_t> b;

  Bytes& u8(unsigned v) { b.push_back(static_cast<std::uint8_t>(v)); return *this; }
  Bytes& u16(unsigned v) { return u8(v >> 8).u8(v); }
  Bytes& u32(std::uint32_t v) { return u16(v >> 16).u16(v & 0xffff); }
  Bytes& mac(std::uint64_t v) { for (int i = 5; i >= 0; --i) u8(static_cast<unsigned>(v >> (8 * i))); return *this; }
  Bytes& ip6(model::u128 v) { for (int i = 15; i >= 0; --i) u8(static_cast<unsigned>(v >> (8 * i))); return *this; }
  Bytes& zeros(std::size_t n) { b.insert(b.end(), n, 0); return *this; }
  // Byte by byte: GCC 12 at -O3 reports a false -Wstringop-overflow on vector::insert here.
  Bytes& append(const Bytes& o) {
    b.reserve(b.size() + o.b.size());
    for (std::uint8_t x : o.b) b.push_back(x);
    return *this;
  }
  std::size_t size() const { return b.size(); }
};

inline constexpr std::uint64_t kMacA = 0x020000000001, kMacB = 0x020000000002;
inline constexpr std::uint32_t kIpA = 0x0a000001, kIpB = 0x0a000002;  // 10.0.0.1, 10.0.0.2
inline const model::u128 kIp6A = (model::u128{0x20010db8} << 96) | 1;
inline const model::u128 kIp6B = (model::u128{0x20010db8} << 96) | 2;

inline Bytes ethernet(std::uint16_t type, std::uint64_t dst = kMacB, std::uint64_t src = kMacA) {
  Bytes e;
  e.mac(dst).mac(src).u16(type);
  return e;
}
/// A VLAN tag: its TCI, then the type that follows it.
inline Bytes vlan_tag(std::uint16_t next, std::uint16_t tci) { Bytes t; t.u16(tci).u16(next); return t; }

inline Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags = kSyn,
                 std::size_t options = 0) {
  Bytes t;
  t.u16(sport).u16(dport).u32(1).u32(0).u8(((20 + options) / 4) << 4).u8(flags).u16(65535).u16(0).u16(0);
  return t.zeros(options);
}
inline Bytes udp(std::uint16_t sport, std::uint16_t dport, std::size_t payload = 0) {
  Bytes u;
  u.u16(sport).u16(dport).u16(8 + payload).u16(0);
  return u.zeros(payload);
}

/// IPv4 header (+ options) followed by `payload`; `frag` is the flags/offset word.
inline Bytes ipv4(std::uint8_t proto, const Bytes& payload, std::uint16_t frag = 0,
                  std::uint16_t id = 1, std::size_t options = 0, std::uint32_t src = kIpA,
                  std::uint32_t dst = kIpB) {
  Bytes h;
  h.u8(0x40 | ((20 + options) / 4)).u8(0).u16(20 + options + payload.size()).u16(id).u16(frag)
      .u8(64).u8(proto).u16(0).u32(src).u32(dst);
  for (std::size_t i = 0; i < options; ++i) h.u8(1);  // NOP options
  return h.append(payload);
}

/// IPv6 header; `payload` holds any extension headers and the upper layer.
inline Bytes ipv6(std::uint8_t next, const Bytes& payload, model::u128 src = kIp6A,
                  model::u128 dst = kIp6B) {
  Bytes h;
  h.u32(0x60000000).u16(payload.size()).u8(next).u8(64).ip6(src).ip6(dst);
  return h.append(payload);
}
/// An 8-byte extension header of the (len+1)*8 kind.
inline Bytes ext8(std::uint8_t next) { Bytes e; e.u8(next).u8(0).zeros(6); return e; }
inline Bytes frag6(std::uint8_t next, std::uint32_t offset_bytes, bool more, std::uint32_t id) {
  Bytes f;
  f.u8(next).u8(0).u16((offset_bytes / 8) << 3 | (more ? 1 : 0)).u32(id);
  return f;
}

inline RawPacket raw(const Bytes& p, LinkType link = LinkType::Ethernet, Nanos ts = 0) {
  const auto n = static_cast<std::uint32_t>(p.size());
  return RawPacket{p.b.data(), n, n, ts, link};
}
/// The first `caplen` bytes of `p` as a snaplen cut would deliver them.
inline RawPacket cut(const Bytes& p, std::size_t caplen, LinkType link = LinkType::Ethernet) {
  return RawPacket{p.b.data(), static_cast<std::uint32_t>(caplen),
                   static_cast<std::uint32_t>(p.size()), 0, link};
}

inline model::IpAddress v4(std::uint32_t a) { return {model::Family::V4, a}; }
inline model::IpAddress v6(model::u128 a) { return {model::Family::V6, a}; }

}  // namespace sanso::capture::test

#include <doctest/doctest.h>

namespace sanso::capture::test {

/// Decodes every prefix of `p` (caplen 0 .. size-1, wirelen the full size): never a crash or an
/// out-of-bounds read (ASan), and a prefix shorter than bounds[i].first raises bounds[i].second
/// (the first bound it falls short of).
inline void check_prefixes(const Bytes& p, std::initializer_list<std::pair<std::size_t, Anomaly>> bounds,
                           LinkType link = LinkType::Ethernet) {
  for (std::size_t n = 0; n < p.size(); ++n) {
    Decoder dec(DecoderLimits{.max_fragments = 4});  // a small table: cheap to build per prefix
    Decoded d;
    // A copy of exactly n bytes, so that ASan sees any read past the cut.
    Bytes prefix;
    prefix.b.assign(p.b.begin(), p.b.begin() + static_cast<std::ptrdiff_t>(n));
    RawPacket r{prefix.b.data(), static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(p.size()), 0, link};
    dec.decode(r, d);
    for (const auto& [end, anomaly] : bounds) {
      if (n < end) {
        CAPTURE(n);
        CHECK_MESSAGE(d.has(anomaly), to_string(anomaly));
        break;
      }
    }
  }
}

}  // namespace sanso::capture::test
