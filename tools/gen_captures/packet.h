// A small packet builder: Ethernet with an 802.1Q tag, ARP, IPv4 (and its fragments), TCP and
// UDP, each written byte by byte in network order with correct checksums. It builds only what the
// example captures need; every field a decoder reads is set on purpose.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sanso::gen {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

struct Mac {
  std::array<std::uint8_t, 6> octets{};
  friend constexpr bool operator==(const Mac&, const Mac&) = default;
};

/// An IPv4 address in host order (10.1.20.10 is 0x0a01140a).
struct Ipv4 {
  std::uint32_t value = 0;
  friend constexpr bool operator==(const Ipv4&, const Ipv4&) = default;
};

constexpr Ipv4 ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return Ipv4{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
}

/// "02:00:0a:01:14:0a" -> Mac; constexpr so that a typo fails the build instead of a run.
consteval Mac mac(std::string_view text) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    throw "mac(): lower-case hex digits only";  // a compile error in a consteval context
  };
  if (text.size() != 17) throw "mac(): expected xx:xx:xx:xx:xx:xx";
  Mac m;
  for (std::size_t i = 0; i < 6; ++i) {
    m.octets[i] = static_cast<std::uint8_t>(nibble(text[i * 3]) << 4 | nibble(text[i * 3 + 1]));
  }
  return m;
}

inline constexpr Mac kBroadcast = mac("ff:ff:ff:ff:ff:ff");

/// Appends big-endian fields; the only way the builder writes bytes.
class ByteWriter {
 public:
  ByteWriter& u8(std::uint8_t v);
  ByteWriter& be16(std::uint16_t v);
  ByteWriter& be24(std::uint32_t v);
  ByteWriter& be32(std::uint32_t v);
  ByteWriter& le16(std::uint16_t v);  // little-endian: SMB2 and RDP fields
  ByteWriter& le32(std::uint32_t v);
  ByteWriter& le64(std::uint64_t v);
  ByteWriter& mac(const Mac& m);
  ByteWriter& ip(Ipv4 a);
  ByteWriter& bytes(ByteView b);
  ByteWriter& text(std::string_view s);
  ByteWriter& zeros(std::size_t n);
  /// Overwrites two bytes already written (lengths and checksums known only at the end).
  void patch_be16(std::size_t at, std::uint16_t v);
  std::size_t size() const { return out_.size(); }
  const Bytes& view() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

/// RFC 1071 one's-complement sum, folded and complemented. `initial` carries a pseudo-header sum.
std::uint16_t internet_checksum(ByteView data, std::uint32_t initial = 0);

inline constexpr std::uint16_t kEtherIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherArp = 0x0806;
inline constexpr std::uint16_t kEtherVlan = 0x8100;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;

/// An Ethernet II frame with one 802.1Q tag (what a span port of a trunk delivers), padded to the
/// 60-byte minimum as a switch pads short frames, so decoders must trust IP lengths, not frame size.
Bytes ethernet_vlan(const Mac& dst, const Mac& src, std::uint16_t vlan, std::uint16_t ethertype,
                    ByteView payload);

/// RFC 826 ARP for Ethernet/IPv4. op 1 = request, 2 = reply.
Bytes arp(std::uint16_t op, const Mac& sender_mac, Ipv4 sender_ip, const Mac& target_mac,
          Ipv4 target_ip);

struct Ipv4Header {
  Ipv4 src;
  Ipv4 dst;
  std::uint8_t proto = kProtoTcp;
  std::uint16_t id = 0;
  std::uint8_t ttl = 64;
  bool dont_fragment = false;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // in 8-byte units, as on the wire
};

/// RFC 791 header (20 bytes, no options) with its checksum, followed by the payload.
Bytes ipv4(const Ipv4Header& h, ByteView payload);

/// One fragment of a datagram whose transport bytes are `whole`: bytes [first, first + count) at
/// offset first / 8. RFC 791: every fragment but the last carries a multiple of 8 bytes.
Bytes ipv4_fragment(Ipv4Header h, ByteView whole, std::size_t first, std::size_t count, bool more);

enum TcpFlag : std::uint8_t {
  kFin = 0x01,
  kSyn = 0x02,
  kRst = 0x04,
  kPsh = 0x08,
  kAck = 0x10,
};

struct TcpHeader {
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  std::uint16_t mss = 0;  // non-zero: an MSS option (SYN and SYN-ACK), making a 24-byte header
};

/// RFC 9293 segment with its checksum over the IPv4 pseudo-header.
Bytes tcp(Ipv4 src, Ipv4 dst, const TcpHeader& h, ByteView payload);

/// RFC 768 datagram with its checksum over the IPv4 pseudo-header.
Bytes udp(Ipv4 src, Ipv4 dst, std::uint16_t sport, std::uint16_t dport, ByteView payload);

}  // namespace sanso::gen
