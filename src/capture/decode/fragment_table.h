#pragma once
// The bounded table that lets later IP fragments join the flow of their first fragment (only the
// first carries the L4 ports), and that spots the fragment evasions of RFC 1858 / RFC 3128.
//
// Design: entries live in a ring in creation order, indexed by a flat open-addressing hash table
// (linear probing, backward-shift deletion). The oldest entry is always the ring's tail, so
// capture-time expiry and eviction when full are O(1) amortised, and the memory is fixed by the
// capacity: no allocation per packet once the ring has filled. An entry lives `timeout` from its
// creation (as a kernel's reassembly queue does), not from its last fragment.
//
// A later fragment that arrives before its first creates a *pending* entry that counts it; if the
// first arrives within the entry's life the count is dropped, else, when the entry expires or is
// evicted, its packets are counted as FragmentWithoutFirst (take_without_first()).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "capture/packet.h"
#include "model/address.h"

namespace sanso::capture {

/// One datagram: RFC 791 / RFC 8200 identify fragments by addresses, protocol and id.
struct FragmentKey {
  model::Family family = model::Family::V4;
  std::uint8_t proto = 0;  ///< IPv4 protocol, or the IPv6 fragment header's next header
  std::uint32_t id = 0;
  model::u128 src = 0, dst = 0;
  friend bool operator==(const FragmentKey&, const FragmentKey&) = default;
};

/// What a first fragment told about its L4 header.
struct FirstFragment {
  bool has_ports = false;
  std::uint16_t sport = 0, dport = 0;
  std::uint8_t tcp_flags = 0;
  std::uint8_t proto = 0;           ///< the upper-layer protocol (after IPv6 extension headers)
  std::uint16_t l4_header_len = 0;  ///< a later fragment starting before this rewrites the header
};

/// What one fragment revealed besides its first's data.
struct FragmentEvents {
  bool overlapping = false;  ///< OverlappingFragment
  bool table_full = false;   ///< an unfinished datagram was evicted to make room
};

class FragmentTable {
 public:
  explicit FragmentTable(std::size_t capacity = 65536, Nanos timeout = 30'000'000'000);

  /// Records a first fragment (offset 0, more fragments) carrying `payload` L4 bytes.
  FragmentEvents add_first(const FragmentKey& key, const FirstFragment& first, std::uint32_t payload,
                           Nanos now);
  /// Records a later fragment at `offset` bytes carrying `payload` bytes (`last`: more-fragments
  /// clear). Returns its first fragment, or nullptr when that was not seen (yet).
  const FirstFragment* add_later(const FragmentKey& key, std::uint32_t offset, std::uint32_t payload,
                                 bool last, Nanos now, FragmentEvents& events);

  /// Drops the entries older than the timeout at capture time `now`.
  void expire(Nanos now);
  /// Drops every entry (end of capture): pending ones count as without first.
  void clear();
  /// Packets of later fragments whose first never came, counted since the last call.
  std::uint64_t take_without_first();

  std::size_t size() const { return live_; }
  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    FragmentKey key;
    Nanos created = 0;
    std::uint32_t hash = 0;
    std::uint32_t min_later_offset = UINT32_MAX;  ///< smallest offset of a later fragment so far
    std::uint32_t bytes = 0;                      ///< payload bytes seen (duplicates included)
    std::uint32_t total = 0;                      ///< datagram payload size, once its last is seen
    std::uint32_t pending = 0;                    ///< later fragments seen while the first is not
    bool has_first = false;
    bool live = false;
    FirstFragment first;
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  Entry* find(const FragmentKey& key, std::uint32_t hash);
  Entry& insert(const FragmentKey& key, std::uint32_t hash, Nanos now, FragmentEvents& events);
  void drop_oldest(bool evicting, FragmentEvents* events);
  void unindex(const Entry& e);

  std::size_t capacity_;
  Nanos timeout_;
  std::vector<Entry> ring_;          ///< grows to capacity_, then reused in creation order
  std::size_t head_ = 0;             ///< next ring slot to fill
  std::size_t live_ = 0;             ///< entries from the tail up to head_
  std::vector<std::uint32_t> index_; ///< ring slot per hash bucket, kEmpty when free
  std::size_t mask_ = 0;
  std::uint64_t without_first_ = 0;
};

}  // namespace sanso::capture
