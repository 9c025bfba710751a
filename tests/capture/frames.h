#pragma once
// Builds Ethernet frames byte by byte for the monitor's tests (checksums are not verified by the
// decoders, so they are left zero).
#include <cstdint>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "model/address.h"

namespace sanso::test_frames {

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}
inline void put_mac(Bytes& b, std::uint64_t mac) {
  for (int i = 5; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(mac >> (8 * i)));
}
inline std::uint32_t v4(const char* text) {
  return static_cast<std::uint32_t>(model::parse_ip(text)->value);
}
inline std::uint64_t mac(const char* text) { return *model::parse_mac(text); }

struct L2 {
  std::uint64_t src_mac = 0x020000000001;
  std::uint64_t dst_mac = 0x020000000002;
  int vlan = -1;  ///< -1: untagged
};

inline Bytes ethernet(const L2& l2, unsigned ethertype) {
  Bytes b;
  put_mac(b, l2.dst_mac);
  put_mac(b, l2.src_mac);
  if (l2.vlan >= 0) {
    put16(b, 0x8100);
    put16(b, static_cast<unsigned>(l2.vlan));
  }
  put16(b, ethertype);
  return b;
}

/// IPv4 + TCP (flags as on the wire) or UDP, no payload.
inline Bytes ipv4(const L2& l2, const char* src, const char* dst, std::uint8_t proto,
                  std::uint16_t sport, std::uint16_t dport, std::uint8_t tcp_flags = 0x02) {
  Bytes b = ethernet(l2, 0x0800);
  const unsigned l4 = proto == 6 ? 20 : 8;
  b.push_back(0x45);
  b.push_back(0);
  put16(b, 20 + l4);
  put16(b, 1);
  put16(b, 0);
  b.push_back(64);
  b.push_back(proto);
  put16(b, 0);
  put32(b, v4(src));
  put32(b, v4(dst));
  put16(b, sport);
  put16(b, dport);
  if (proto == 6) {
    put32(b, 1);
    put32(b, 0);
    b.push_back(0x50);
    b.push_back(tcp_flags);
    put16(b, 65535);
    put16(b, 0);
    put16(b, 0);
  } else {
    put16(b, 8);
    put16(b, 0);
  }
  return b;
}

inline Bytes arp_reply(const L2& l2, std::uint64_t sender_mac, const char* sender_ip,
                       const char* target_ip) {
  Bytes b = ethernet(l2, 0x0806);
  put16(b, 1);
  put16(b, 0x0800);
  b.push_back(6);
  b.push_back(4);
  put16(b, 2);
  put_mac(b, sender_mac);
  put32(b, v4(sender_ip));
  put_mac(b, 0x020000000002);
  put32(b, v4(target_ip));
  return b;
}

inline capture::RawPacket raw(const Bytes& b, capture::Nanos ts) {
  capture::RawPacket r;
  r.data = b.data();
  r.caplen = static_cast<std::uint32_t>(b.size());
  r.wirelen = r.caplen;
  r.ts = ts;
  r.link = capture::LinkType::Ethernet;
  return r;
}

}  // namespace sanso::test_frames

namespace sanso::test_frames {

/// An IPv6 neighbor advertisement saying `target` is at `lladdr` (target link-layer option).
inline Bytes neighbor_advertisement(const L2& l2, const char* src, const char* target,
                                    std::uint64_t lladdr) {
  Bytes b = ethernet(l2, 0x86dd);
  const auto put_ip6 = [&b](const char* text) {
    const auto v = model::parse_ip(text)->value;
    for (int i = 15; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  b.push_back(0x60);
  b.push_back(0);
  put16(b, 0);
  put16(b, 32);  // payload: ICMPv6 header 4 + flags 4 + target 16 + option 8
  b.push_back(58);
  b.push_back(255);
  put_ip6(src);
  put_ip6("ff02::1");
  b.push_back(136);
  b.push_back(0);
  put16(b, 0);
  put32(b, 0x20000000);  // override flag
  put_ip6(target);
  b.push_back(2);  // target link-layer address
  b.push_back(1);
  put_mac(b, lladdr);
  return b;
}

}  // namespace sanso::test_frames
