#pragma once
// PacketSet: an exact set of packet headers, the one algebra every analysis in sanso uses.
//
// A header has ten fields (Field below). Fields that do not apply to a packet (ports of an ICMP
// packet, ICMP type of a TCP packet, TCP flags of a UDP packet) are "don't care": builders never
// constrain them for such packets, so sets stay exact over the fields that matter.
//
// The representation is hidden: no code outside packet_set.cpp knows it. Today it is a union of
// pairwise-disjoint boxes (one inclusive interval per field), chosen by measurement against BuDDy
// (bench/packet_set_bench.cpp). IPv4 addresses occupy [0, 2^32) of the address fields, IPv6
// addresses [0, 2^128); the Family field tells them apart and every box holds one family.
#include <array>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/address.h"

namespace sanso::model {

enum class Field : std::uint8_t {
  Family,    ///< 4 or 6
  Src,       ///< source address
  Dst,       ///< destination address
  Proto,     ///< IP protocol number (IPv6: the upper-layer protocol)
  Sport,     ///< TCP/UDP/SCTP source port
  Dport,     ///< TCP/UDP/SCTP destination port
  IcmpType,  ///< ICMP / ICMPv6 type
  IcmpCode,  ///< ICMP / ICMPv6 code
  TcpFlags,  ///< bit set of kTcpSyn | kTcpAck | kTcpRst (FIN, PSH, URG are not modelled)
  SrcMac,    ///< 48-bit source MAC address
};
inline constexpr std::size_t kFieldCount = 10;

inline constexpr std::uint8_t kTcpSyn = 1;
inline constexpr std::uint8_t kTcpAck = 2;
inline constexpr std::uint8_t kTcpRst = 4;

inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoSctp = 132;
inline constexpr std::uint8_t kProtoIcmpv6 = 58;

/// Largest value of a field (for Src/Dst: of the IPv6 space; IPv4 boxes stop at 2^32-1).
u128 field_max(Field f);

/// One concrete packet header.
struct Packet {
  Family family = Family::V4;
  u128 src = 0;
  u128 dst = 0;
  std::uint8_t proto = 0;
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
  std::uint8_t tcp_flags = 0;
  std::uint64_t src_mac = 0;
  friend bool operator==(const Packet&, const Packet&) = default;
};

/// Inclusive interval of field values.
struct Interval {
  u128 lo = 0;
  u128 hi = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// A product of one interval per field: the readable unit reports print.
struct Block {
  std::array<Interval, kFieldCount> field;
  const Interval& operator[](Field f) const { return field[static_cast<std::size_t>(f)]; }
};

/// How the canonical witness is chosen (DESIGN §5): it is the least packet of the set under a
/// fixed order, so it does not depend on the representation. Fields are compared in the order
/// family (4 first), src, dst, proto (tcp, udp, icmp, icmpv6, then ascending), dport (ascending),
/// sport (49152 first, then ascending), tcp_flags (SYN alone first, then ascending), icmp type,
/// icmp code, src_mac (preferred MACs first, then ascending). Within src and dst, preferred
/// addresses (declared hosts) come first, in ascending order, then every other address.
struct WitnessPreference {
  std::vector<IpAddress> preferred_addresses;
  std::vector<std::uint64_t> preferred_macs;
};

namespace detail {
struct PacketSetAccess;  // packet_set_boxes.h: the model's own .cpp files reach the boxes
class BoxIndex;
}

class PacketSet {
 public:
  PacketSet() = default;  ///< the empty set

  static PacketSet none() { return {}; }
  /// Every header of both families.
  static PacketSet all();
  static PacketSet family(Family f);
  /// Packets whose source (destination) address lies in the range; the family follows the range.
  static PacketSet src(const IpRange& r);
  static PacketSet dst(const IpRange& r);
  static PacketSet proto(std::uint8_t p);
  static PacketSet proto_range(std::uint8_t lo, std::uint8_t hi);
  /// Packets of protocol `p` (tcp, udp or sctp) with a source (destination) port in [lo, hi].
  static PacketSet sport(std::uint8_t p, std::uint16_t lo, std::uint16_t hi);
  static PacketSet dport(std::uint8_t p, std::uint16_t lo, std::uint16_t hi);
  /// ICMP (`p` = 1) or ICMPv6 (`p` = 58) packets with type in [lo, hi] and, if given, code in
  /// [code_lo, code_hi].
  static PacketSet icmp(std::uint8_t p, std::uint8_t type_lo, std::uint8_t type_hi,
                        std::uint8_t code_lo = 0, std::uint8_t code_hi = 255);
  /// TCP packets whose flags f satisfy (f & mask) == comp (iptables --tcp-flags semantics over
  /// the modelled flags; bits of unmodelled flags in mask and comp are ignored, so the caller
  /// decides whether such a rule is uncertain).
  static PacketSet tcp_flags(std::uint8_t mask, std::uint8_t comp);
  static PacketSet src_mac(std::uint64_t lo, std::uint64_t hi);
  /// Packets whose field `f` lies in [lo, hi], every other field free. For Src/Dst the values
  /// are taken in each family's space: [lo, hi] clipped to [0, 2^32-1] for IPv4 and as is for
  /// IPv6 (use src()/dst() for one family).
  static PacketSet field(Field f, u128 lo, u128 hi);
  /// The one packet; empty if it cannot exist (an IPv4 address above 2^32-1, flags above 7, a MAC
  /// above 48 bits).
  static PacketSet of(const Packet& p);
  /// The packets that can open a connection (TOPOLOGY.md "What crosses"): TCP with SYN and
  /// without ACK or RST, UDP, and ICMP/ICMPv6 that are not replies or errors, and every other
  /// protocol.
  static PacketSet connection_opening();

  PacketSet operator|(const PacketSet& o) const;
  PacketSet operator&(const PacketSet& o) const;
  PacketSet operator-(const PacketSet& o) const;
  PacketSet& operator|=(const PacketSet& o);
  PacketSet& operator&=(const PacketSet& o);
  PacketSet& operator-=(const PacketSet& o);
  PacketSet complement() const { return all() - *this; }

  /// The set with field `f` free: every packet that agrees with a member on all other fields
  /// (for Src/Dst: any address of the member's family).
  PacketSet release(Field f) const;

  /// The image of the set when field `f` is overwritten with any value of [lo, hi] (NAT): for
  /// Src/Dst the values are addresses of each member's own family.
  PacketSet rewrite(Field f, u128 lo, u128 hi) const;

  bool empty() const { return boxes_.empty(); }
  bool contains(const Packet& p) const;
  bool contains(const PacketSet& subset) const { return (subset - *this).empty(); }
  bool intersects(const PacketSet& o) const;
  bool same_as(const PacketSet& o) const { return contains(o) && o.contains(*this); }

  /// The canonical witness: the least packet of the set (see WitnessPreference).
  std::optional<Packet> witness(const WitnessPreference& pref = {}) const;

  /// A disjoint decomposition into blocks. Its shape depends on the representation; use it for
  /// presentation only, never for decisions.
  std::vector<Block> blocks() const;
  std::size_t block_count() const { return boxes_.size(); }

 private:
  friend struct detail::PacketSetAccess;
  std::vector<Block> boxes_;  // pairwise disjoint, none empty
};

/// A set prepared for many intersections: its overlap index is built once. Reachability
/// intersects every path's packets with the same few permit sets of thousands of boxes.
class IndexedPacketSet {
 public:
  IndexedPacketSet();
  explicit IndexedPacketSet(PacketSet s);
  IndexedPacketSet(IndexedPacketSet&&) noexcept;
  IndexedPacketSet& operator=(IndexedPacketSet&&) noexcept;
  IndexedPacketSet(const IndexedPacketSet&) = delete;  // the index points into the set
  IndexedPacketSet& operator=(const IndexedPacketSet&) = delete;
  ~IndexedPacketSet();

  const PacketSet& set() const { return set_; }
  /// Equal to set() & o.
  PacketSet intersect(const PacketSet& o) const;
  /// Equal to set().intersects(o).
  bool intersects(const PacketSet& o) const;

 private:
  PacketSet set_;
  std::unique_ptr<const detail::BoxIndex> index_;  // null for small sets
};

/// First-match semantics of an ordered rule list: hits[i] = matches[i] minus the union of every
/// earlier match. The hot path of lowering a device's rules; only earlier matches that overlap
/// matches[i] are subtracted.
std::vector<PacketSet> first_match_hits(const std::vector<PacketSet>& matches);
/// As above, computing hits[i] only where wanted[i] (the others are left empty but still shadow
/// later matches).
std::vector<PacketSet> first_match_hits(const std::vector<PacketSet>& matches,
                                        const std::vector<bool>& wanted);

/// For every i, the indices j < i whose set overlaps sets[i] (ascending, each once): the candidate
/// pairs of a rule-base analysis, found through one index over all boxes instead of n² tests.
std::vector<std::vector<std::uint32_t>> earlier_overlaps(const std::vector<PacketSet>& sets);

/// The union of many sets in one pass (an index over all their boxes), for accumulating e.g. the
/// permitted hits of a long rule list: `|=` in a loop costs quadratic time there.
PacketSet union_all(const std::vector<PacketSet>& sets);
/// The union of sets known to be pairwise disjoint (first-match hits are): no overlap search,
/// one merge of touching boxes. Passing overlapping sets breaks the set's invariant.
PacketSet union_of_disjoint(const std::vector<PacketSet>& sets);

/// "tcp", "udp", "icmp", "icmpv6", "sctp", or "ip/N" for any other protocol.
std::string proto_name(std::uint8_t proto);

/// Text for people and golden files, e.g. "tcp 10.0.0.0/24 -> 10.1.0.5 dport 443".
std::string describe(const Packet& p);
std::string describe(const PacketSet& s);

}  // namespace sanso::model
