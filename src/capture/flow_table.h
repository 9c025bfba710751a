#pragma once
// Bidirectional flows with a hard memory bound. A flat open-addressing index (hash tag + slot)
// over a slab of flow records; idle expiry by protocol through one LRU list per timeout class, so
// that the head of each list is its oldest idle flow and expiry never scans the table.
//
// LRU relinking is coarse: a flow moves to its list's tail at most once per `kRelinkGranularity`
// of capture time, which keeps the per-packet cost to a time comparison for busy flows. Idle and
// eviction order are therefore exact to within that granularity (one second).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "capture/flow_key.h"

namespace sanso::capture {

inline constexpr Nanos kSecond = 1'000'000'000;
inline constexpr Nanos kRelinkGranularity = kSecond;

/// Which end opened the flow, and how sure we are (issue 3 "Flows").
enum class Initiator : std::uint8_t { Unknown, Lo, Hi };
enum class Certainty : std::uint8_t {
  Syn,       ///< the initiator sent a SYN without ACK
  SynAck,    ///< the responder's SYN-ACK was seen
  IcmpType,  ///< an ICMP request/reply type
  Port,      ///< UDP and the like: exactly one end uses a service port
  Unknown    ///< flows already open when the capture began, symmetric ports
};
std::string_view to_string(Certainty c);

enum class TimeoutClass : std::uint8_t { TcpOpening, TcpEstablished, TcpClosing, Udp, Icmp, Other };
inline constexpr std::size_t kTimeoutClasses = 6;

struct FlowTimeouts {
  /// Idle timeouts per class, in the order of TimeoutClass.
  std::array<Nanos, kTimeoutClasses> idle{60 * kSecond, 3600 * kSecond, 120 * kSecond,
                                          300 * kSecond, 60 * kSecond, 300 * kSecond};
  /// A flow older than this ends and starts again as a continuation (keeps its initiator).
  Nanos active = 3600 * kSecond;
};

/// TCP events seen on a flow (bits).
enum TcpSeen : std::uint8_t {
  kSynLo = 1, kSynHi = 2, kSynAck = 4, kFinLo = 8, kFinHi = 16, kRstSeen = 32, kEstablished = 64
};

/// What the monitor decided about a flow.
enum class FlowVerdict : std::uint8_t { Unclassified, Clean, Alerted };

/// 128 bytes on a cache-line boundary: the key and times in the first line, the counters and
/// state in the second, so a packet touches one aligned pair of lines (which the hardware fetches
/// together). The MACs, read only when a direction starts, live apart (FlowTable::macs).
struct alignas(64) Flow {
  FlowKey key;
  Nanos last_seen = 0;
  Nanos first_seen = 0;
  std::uint64_t packets[2] = {0, 0};  ///< [0] lo -> hi, [1] hi -> lo
  std::uint64_t bytes[2] = {0, 0};
  Nanos lru_stamp = 0;
  std::uint32_t lru_prev = 0;         ///< slab index + 1 (0: none)
  std::uint32_t lru_next = 0;
  std::uint32_t index = 0;            ///< its own slab index
  std::uint8_t timeout_class = 0;
  std::uint8_t tcp_seen = 0;
  Initiator initiator = Initiator::Unknown;
  Certainty certainty = Certainty::Unknown;
  FlowVerdict verdict = FlowVerdict::Unclassified;
  std::uint8_t first_icmp_type = 0;
  std::uint8_t first_dir = 0;         ///< direction of the first packet: 0 lo -> hi, 1 hi -> lo
  bool in_use = false;
};
static_assert(sizeof(Flow) == 128);

/// First source MAC seen in each direction of a flow (0: none), [0] lo -> hi.
struct FlowMacs {
  std::uint64_t mac[2] = {0, 0};
};

struct FlowTableStats {
  std::uint64_t created = 0, expired = 0, evicted = 0, active_restarts = 0;
  std::size_t live = 0, peak = 0;
};

/// Flow records in fixed chunks: growing never moves a flow (no doubling copy, whose transient
/// would double peak memory at a million flows), and an index stays valid while the flow lives.
/// Records in fixed chunks: growing never moves one (no doubling copy, whose transient would
/// double peak memory at a million flows), and an index stays valid while its flow lives.
template <class T>
class Slab {
 public:
  static constexpr std::uint32_t kChunkBits = 12;
  static constexpr std::uint32_t kChunk = 1u << kChunkBits;

  T& operator[](std::uint32_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](std::uint32_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  std::uint32_t size() const { return size_; }
  std::size_t capacity() const { return chunks_.size() * kChunk; }
  /// Appends a default record and returns its index.
  std::uint32_t grow() {
    if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<T[]>(kChunk));
    return size_++;
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::uint32_t size_ = 0;
};

class FlowTable {
 public:
  enum class EndReason : std::uint8_t { Idle, Evicted, Shutdown };

  FlowTable(std::size_t max_flows, FlowTimeouts timeouts);

  struct Found {
    std::uint32_t index = 0;  ///< slab index (stable until the flow ends)
    bool created = false;
  };
  /// The flow of `key`, created when absent. When the table is full the oldest idle flow is
  /// evicted first; `ended` receives it (Flow&, EndReason) before its slot is reused.
  template <class OnEnd>
  Found find_or_create(const FlowKey& key, Nanos now, OnEnd&& ended) {
    return find_or_create(key, hash_flow_key(key), now, ended);
  }
  /// The same with the key's hash_flow_key() already computed.
  template <class OnEnd>
  Found find_or_create(const FlowKey& key, std::uint64_t hash, Nanos now, OnEnd&& ended);

  /// Hints for a lookup to come: fetch the key's home slot; then (once that is in cache) the flow
  /// the slot points at. Never change anything.
  void prefetch_slot(std::uint64_t hash) const { __builtin_prefetch(&index_[hash & mask_]); }
  void prefetch_flow(std::uint64_t hash) const {
    const std::uint64_t e = index_[hash & mask_];
    if (e != 0 && (e >> 32) == (hash & 0xffffffffu)) {
      __builtin_prefetch(&flows_[static_cast<std::uint32_t>(e & 0xffffffffu) - 1]);
    }
  }

  Flow& at(std::uint32_t index) { return flows_[index]; }
  const Flow& at(std::uint32_t index) const { return flows_[index]; }
  FlowMacs& macs(std::uint32_t index) { return macs_[index]; }
  const FlowMacs& macs(std::uint32_t index) const { return macs_[index]; }

  /// Records activity: moves the flow to the tail of its class's list (coarsely) and changes its
  /// class when its TCP state says so.
  void touch(std::uint32_t index, Nanos now, TimeoutClass cls);

  /// Ends every flow idle for longer than its class's timeout (within the relink granularity).
  template <class OnEnd>
  void expire(Nanos now, OnEnd&& ended);
  /// Ends every flow (shutdown).
  template <class OnEnd>
  void clear(OnEnd&& ended);
  /// Calls f(Flow&) for every live flow (reload re-evaluation, summaries).
  template <class F>
  void for_each(F&& f);

  const FlowTableStats& stats() const { return stats_; }
  std::size_t size() const { return stats_.live; }
  std::size_t max_flows() const { return max_flows_; }
  const FlowTimeouts& timeouts() const { return timeouts_; }
  /// Bytes held by the table's own structures (slab + index), for the memory bound's report.
  std::size_t memory_bytes() const;

 private:
  struct List {
    std::uint32_t head = 0, tail = 0;  ///< slab index + 1
  };

  /// The slab index of `key`, or kNone.
  std::uint32_t probe(const FlowKey& key, std::uint64_t hash) const;
  static constexpr std::uint32_t kNone = 0xffffffffu;
  std::uint32_t allocate();
  void insert_index(std::uint32_t index, std::uint64_t hash);
  void erase_index(std::uint32_t index);
  void grow_index();
  void link_tail(std::uint32_t index);
  void unlink(std::uint32_t index);
  void release(std::uint32_t index);
  /// The flow with the oldest LRU stamp over every class (0 when empty), as slab index + 1.
  std::uint32_t oldest() const;

  std::size_t max_flows_;
  FlowTimeouts timeouts_;
  Slab<Flow> flows_;
  Slab<FlowMacs> macs_;
  std::vector<std::uint32_t> free_;
  /// Open addressing: tag (the low 32 bits of the hash) << 32 | slab index + 1; 0 = empty. The
  /// tag holds the home position for every table size up to 2^32 slots, so growing and deleting
  /// never read the flows themselves.
  std::vector<std::uint64_t> index_;
  std::uint64_t mask_ = 0;
  std::array<List, kTimeoutClasses> lists_{};
  FlowTableStats stats_;
};

template <class OnEnd>
FlowTable::Found FlowTable::find_or_create(const FlowKey& key, std::uint64_t h, Nanos now,
                                           OnEnd&& ended) {
  if (const std::uint32_t found = probe(key, h); found != kNone) return {found, false};
  if (stats_.live >= max_flows_) {
    const std::uint32_t victim = oldest() - 1;
    ended(flows_[victim], EndReason::Evicted);
    ++stats_.evicted;
    release(victim);
  }
  const std::uint32_t i = allocate();
  Flow& f = flows_[i];
  f = Flow{};
  macs_[i] = FlowMacs{};
  f.index = i;
  f.key = key;
  f.first_seen = f.last_seen = f.lru_stamp = now;
  f.in_use = true;
  f.timeout_class = static_cast<std::uint8_t>(TimeoutClass::Other);
  insert_index(i, h);
  link_tail(i);
  ++stats_.created;
  ++stats_.live;
  if (stats_.live > stats_.peak) stats_.peak = stats_.live;
  return {i, true};
}

template <class OnEnd>
void FlowTable::expire(Nanos now, OnEnd&& ended) {
  for (std::size_t c = 0; c < kTimeoutClasses; ++c) {
    const Nanos limit = timeouts_.idle[c] + kRelinkGranularity;
    while (lists_[c].head != 0) {
      const std::uint32_t i = lists_[c].head - 1;
      if (now - flows_[i].lru_stamp < limit) break;
      ended(flows_[i], EndReason::Idle);
      ++stats_.expired;
      release(i);
    }
  }
}

template <class OnEnd>
void FlowTable::clear(OnEnd&& ended) {
  for (std::size_t c = 0; c < kTimeoutClasses; ++c) {
    while (lists_[c].head != 0) {
      const std::uint32_t i = lists_[c].head - 1;
      ended(flows_[i], EndReason::Shutdown);
      release(i);
    }
  }
}

template <class F>
void FlowTable::for_each(F&& f) {
  for (std::uint32_t i = 0; i < flows_.size(); ++i) {
    if (flows_[i].in_use) f(flows_[i]);
  }
}

}  // namespace sanso::capture
