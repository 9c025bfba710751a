#include "packet.h"

#include <cassert>

namespace sanso::gen {

ByteWriter& ByteWriter::u8(std::uint8_t v) {
  out_.push_back(v);
  return *this;
}

ByteWriter& ByteWriter::be16(std::uint16_t v) {
  return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v));
}

ByteWriter& ByteWriter::be24(std::uint32_t v) {
  return u8(static_cast<std::uint8_t>(v >> 16)).be16(static_cast<std::uint16_t>(v));
}

ByteWriter& ByteWriter::be32(std::uint32_t v) {
  return be16(static_cast<std::uint16_t>(v >> 16)).be16(static_cast<std::uint16_t>(v));
}

ByteWriter& ByteWriter::le16(std::uint16_t v) {
  return u8(static_cast<std::uint8_t>(v)).u8(static_cast<std::uint8_t>(v >> 8));
}

ByteWriter& ByteWriter::le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v)).le16(static_cast<std::uint16_t>(v >> 16));
}

ByteWriter& ByteWriter::le64(std::uint64_t v) {
  return le32(static_cast<std::uint32_t>(v)).le32(static_cast<std::uint32_t>(v >> 32));
}

ByteWriter& ByteWriter::mac(const Mac& m) { return bytes(m.octets); }

ByteWriter& ByteWriter::ip(Ipv4 a) { return be32(a.value); }

ByteWriter& ByteWriter::bytes(ByteView b) {
  out_.insert(out_.end(), b.begin(), b.end());
  return *this;
}

ByteWriter& ByteWriter::text(std::string_view s) {
  for (char c : s) u8(static_cast<std::uint8_t>(c));
  return *this;
}

ByteWriter& ByteWriter::zeros(std::size_t n) {
  out_.insert(out_.end(), n, 0);
  return *this;
}

void ByteWriter::patch_be16(std::size_t at, std::uint16_t v) {
  assert(at + 2 <= out_.size());
  out_[at] = static_cast<std::uint8_t>(v >> 8);
  out_[at + 1] = static_cast<std::uint8_t>(v);
}

std::uint16_t internet_checksum(ByteView data, std::uint32_t initial) {
  std::uint64_t sum = initial;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += std::uint32_t{data[i]} << 8 | data[i + 1];
  if (i < data.size()) sum += std::uint32_t{data[i]} << 8;  // odd length: pad with a zero byte
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

Bytes ethernet_vlan(const Mac& dst, const Mac& src, std::uint16_t vlan, std::uint16_t ethertype,
                    ByteView payload) {
  constexpr std::size_t kMinFrame = 60;  // 64 on the wire minus the FCS, which pcap omits
  ByteWriter w;
  w.mac(dst).mac(src);
  w.be16(kEtherVlan).be16(vlan & 0x0fff);  // priority 0, DEI 0
  w.be16(ethertype).bytes(payload);
  if (w.size() < kMinFrame) w.zeros(kMinFrame - w.size());
  return w.take();
}

Bytes arp(std::uint16_t op, const Mac& sender_mac, Ipv4 sender_ip, const Mac& target_mac,
          Ipv4 target_ip) {
  ByteWriter w;
  w.be16(1).be16(kEtherIpv4).u8(6).u8(4).be16(op);  // htype Ethernet, ptype IPv4, hlen, plen
  w.mac(sender_mac).ip(sender_ip).mac(target_mac).ip(target_ip);
  return w.take();
}

Bytes ipv4(const Ipv4Header& h, ByteView payload) {
  constexpr std::size_t kHeader = 20;
  assert(h.fragment_offset < 0x2000);
  std::uint16_t flags_offset = h.fragment_offset;
  if (h.dont_fragment) flags_offset |= 0x4000;
  if (h.more_fragments) flags_offset |= 0x2000;
  ByteWriter w;
  w.u8(0x45).u8(0);  // version 4, IHL 5; DSCP/ECN 0
  w.be16(static_cast<std::uint16_t>(kHeader + payload.size()));
  w.be16(h.id).be16(flags_offset);
  w.u8(h.ttl).u8(h.proto).be16(0);  // checksum patched below
  w.ip(h.src).ip(h.dst);
  w.patch_be16(10, internet_checksum(w.view()));
  w.bytes(payload);
  return w.take();
}

Bytes ipv4_fragment(Ipv4Header h, ByteView whole, std::size_t first, std::size_t count, bool more) {
  assert(first % 8 == 0 && first + count <= whole.size());
  assert(!more || count % 8 == 0);
  h.dont_fragment = false;
  h.more_fragments = more;
  h.fragment_offset = static_cast<std::uint16_t>(first / 8);
  return ipv4(h, whole.subspan(first, count));
}

namespace {

/// Sum of the RFC 9293 §3.1 / RFC 768 pseudo-header, fed to internet_checksum as its start.
std::uint32_t pseudo_header_sum(Ipv4 src, Ipv4 dst, std::uint8_t proto, std::size_t length) {
  return (src.value >> 16) + (src.value & 0xffff) + (dst.value >> 16) + (dst.value & 0xffff) +
         proto + static_cast<std::uint32_t>(length);
}

}  // namespace

Bytes tcp(Ipv4 src, Ipv4 dst, const TcpHeader& h, ByteView payload) {
  const std::size_t header = h.mss != 0 ? 24 : 20;
  ByteWriter w;
  w.be16(h.sport).be16(h.dport).be32(h.seq).be32(h.ack);
  w.u8(static_cast<std::uint8_t>(header / 4 << 4)).u8(h.flags);
  w.be16(h.window).be16(0).be16(0);  // checksum patched below; urgent pointer 0
  if (h.mss != 0) w.u8(2).u8(4).be16(h.mss);  // option kind 2 (MSS), length 4
  w.bytes(payload);
  w.patch_be16(16, internet_checksum(w.view(), pseudo_header_sum(src, dst, kProtoTcp, w.size())));
  return w.take();
}

Bytes udp(Ipv4 src, Ipv4 dst, std::uint16_t sport, std::uint16_t dport, ByteView payload) {
  ByteWriter w;
  w.be16(sport).be16(dport).be16(static_cast<std::uint16_t>(8 + payload.size())).be16(0);
  w.bytes(payload);
  std::uint16_t sum = internet_checksum(w.view(), pseudo_header_sum(src, dst, kProtoUdp, w.size()));
  if (sum == 0) sum = 0xffff;  // RFC 768: a computed zero is sent as all ones (0 = no checksum)
  w.patch_be16(6, sum);
  return w.take();
}

}  // namespace sanso::gen
