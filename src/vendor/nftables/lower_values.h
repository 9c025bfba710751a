#pragma once
// The values of nft rule items (internal to lower.cpp): which header field a selector names, the
// dependency nft implies for it, one value word as a packet set, vmap verdicts and NAT targets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/packet_set.h"
#include "vendor/nftables/lexer.h"
#include "vendor/nftables/lower.h"
#include "vendor/nftables/rule.h"

namespace sanso::vendor::nftables::lowering {

using model::Family;
using model::PacketSet;

enum class KeyKind {
  Src4, Dst4, Src6, Dst6, Proto, Proto4, Proto6, NfProto, EtherType, Sport, Dport, IcmpType,
  IcmpCode, CtState, CtStatus, CtDirection, InName, OutName, InIndex, OutIndex, EtherSrc,
  TcpFlags, Unknown
};

struct Key {
  KeyKind kind = KeyKind::Unknown;
  std::uint8_t proto = 0;  // ports: 6, 17, 132; 0 = th (any transport header)
  bool v6 = false;         // icmp keys
  std::string text;
  bool iface() const {
    return kind == KeyKind::InName || kind == KeyKind::OutName || kind == KeyKind::InIndex ||
           kind == KeyKind::OutIndex;
  }
  bool out_iface() const { return kind == KeyKind::OutName || kind == KeyKind::OutIndex; }
};

struct Alt {
  PacketSet set = PacketSet::all();
  std::optional<std::string> in, out;
};

struct VerdictSpec {
  Verdict verdict = Verdict::None;
  std::string target;
  NatTarget nat;
  std::string unknown;  // why a verdict was not understood
};

Key classify(const Selector& s);
/// Every protocol with ports (TCP, UDP, SCTP), for `th` keys.
PacketSet port_protocols();
/// What the selector implies, as nft adds it as a dependency.
PacketSet dependency(const Key& k);
/// "N" or "N-M" with `one` reading each end.
std::optional<std::pair<std::uint64_t, std::uint64_t>> number_range(
    const std::string& t, std::optional<std::uint64_t> (*one)(std::string_view));
std::optional<std::uint64_t> port_of(std::string_view s);
std::optional<std::uint64_t> proto_of(std::string_view s);
std::optional<std::uint64_t> icmp4_of(std::string_view s);
std::optional<std::uint64_t> icmp6_of(std::string_view s);
std::optional<std::uint64_t> byte_of(std::string_view s);
std::optional<model::IpRange> address(const std::string& t, Family f);
/// One value word for a (non-interface, non-flag) key, without its dependency.
std::optional<PacketSet> atom_set(const Key& k, const Token& t);
/// Intersects b into a; false when their interface conditions cannot both hold.
bool combine(Alt& a, const Alt& b);
/// A vmap value: accept, drop, continue, return, jump X, goto X, queue.
VerdictSpec verdict_of(const std::vector<Token>& v);
/// "10.0.0.1", "10.0.0.1:80", "10.0.0.1-10.0.0.9:80-90", "[2001:db8::1]:80", "2001:db8::1", or the
/// tokens ADDR . PORT of a map value.
NatTarget nat_target(const std::vector<Token>& v, std::optional<Family> family);

}  // namespace sanso::vendor::nftables::lowering
