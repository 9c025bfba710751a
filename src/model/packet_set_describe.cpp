// Text for people, tests and golden files. Deterministic: blocks are printed in a sorted order,
// so two constructions that produce the same boxes print the same text. Strings are joined with
// fmt rather than `"x" + str`, which GCC 12 at -O3 flags with a false -Wrestrict.
#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "model/packet_set.h"

namespace sanso::model {
namespace {


std::string flags_text(u128 f) {
  std::string s;
  if (f & kTcpSyn) s += 'S';
  if (f & kTcpAck) s += 'A';
  if (f & kTcpRst) s += 'R';
  return s.empty() ? "-" : s;
}

bool has_ports(u128 proto) {
  return proto == kProtoTcp || proto == kProtoUdp || proto == kProtoSctp;
}

bool is_icmp(u128 proto) { return proto == kProtoIcmp || proto == kProtoIcmpv6; }

std::string address_text(Family fam, u128 v) {
  return fam == Family::V6 ? fmt::format("[{}]", format_ip(fam, v)) : format_ip(fam, v);
}

std::string interval_text(const Interval& iv) {
  if (iv.lo == iv.hi) return fmt::format("{}", static_cast<std::uint64_t>(iv.lo));
  return fmt::format("{}-{}", static_cast<std::uint64_t>(iv.lo), static_cast<std::uint64_t>(iv.hi));
}

bool is_full(Field f, Family fam, const Interval& iv) {
  const u128 max = (f == Field::Src || f == Field::Dst) ? family_max(fam) : field_max(f);
  return iv.lo == 0 && iv.hi == max;
}

std::string describe_block(const Block& b) {
  const Family fam = b[Field::Family].lo == 6 ? Family::V6 : Family::V4;
  std::string s = fam == Family::V6 ? "ip6" : "ip4";
  auto add = [&s](std::string_view what, const std::string& text) {
    s += fmt::format(" {} {}", what, text);
  };
  const Interval& proto = b[Field::Proto];
  if (proto.lo == proto.hi) {
    s += fmt::format(" {}", proto_name(static_cast<std::uint8_t>(proto.lo)));
  } else if (!is_full(Field::Proto, fam, proto)) {
    add("proto", interval_text(proto));
  }
  for (Field f : {Field::Src, Field::Dst}) {
    const Interval& iv = b[f];
    if (is_full(f, fam, iv)) continue;
    add(f == Field::Src ? "src" : "dst", format_range({fam, iv.lo, iv.hi}));
  }
  constexpr std::array<std::pair<Field, std::string_view>, 5> kNumeric = {{
      {Field::Sport, "sport"},
      {Field::Dport, "dport"},
      {Field::IcmpType, "type"},
      {Field::IcmpCode, "code"},
      {Field::TcpFlags, "flags"},
  }};
  for (const auto& [f, name] : kNumeric) {
    const Interval& iv = b[f];
    if (is_full(f, fam, iv)) continue;
    if (f == Field::TcpFlags && iv.lo == iv.hi) {
      add(name, fmt::format("[{}]", flags_text(iv.lo)));
    } else {
      add(name, interval_text(iv));
    }
  }
  const Interval& mac = b[Field::SrcMac];
  if (!is_full(Field::SrcMac, fam, mac)) {
    const auto lo = static_cast<std::uint64_t>(mac.lo);
    const auto hi = static_cast<std::uint64_t>(mac.hi);
    add("mac", lo == hi ? format_mac(lo) : fmt::format("{}-{}", format_mac(lo), format_mac(hi)));
  }
  return s;
}

}  // namespace

std::string describe(const Packet& p) {
  std::string s = proto_name(p.proto);
  if (has_ports(p.proto)) {
    s += fmt::format(" {}:{} -> {}:{}", address_text(p.family, p.src), p.sport,
                     address_text(p.family, p.dst), p.dport);
  } else {
    s += fmt::format(" {} -> {}", format_ip(p.family, p.src), format_ip(p.family, p.dst));
  }
  if (p.proto == kProtoTcp) s += fmt::format(" [{}]", flags_text(p.tcp_flags));
  if (is_icmp(p.proto)) s += fmt::format(" type {} code {}", p.icmp_type, p.icmp_code);
  if (p.src_mac != 0) s += fmt::format(" mac {}", format_mac(p.src_mac));
  return s;
}

std::string describe(const PacketSet& s) {
  constexpr std::size_t kMaxShown = 8;
  if (s.empty()) return "none";
  std::vector<std::string> parts;
  for (const Block& b : s.blocks()) parts.push_back(describe_block(b));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < kMaxShown; ++i) {
    if (i > 0) out += " | ";
    out += parts[i];
  }
  if (parts.size() > kMaxShown) out += fmt::format(" | ... ({} blocks)", parts.size());
  return out;
}

std::string proto_name(std::uint8_t p) {
  switch (p) {
    case kProtoTcp: return "tcp";
    case kProtoUdp: return "udp";
    case kProtoIcmp: return "icmp";
    case kProtoIcmpv6: return "icmpv6";
    case kProtoSctp: return "sctp";
    default: return fmt::format("ip/{}", p);
  }
}

}  // namespace sanso::model
