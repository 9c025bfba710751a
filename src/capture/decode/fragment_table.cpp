#include "capture/decode/fragment_table.h"

#include <bit>

namespace sanso::capture {
namespace {

std::uint64_t mix(std::uint64_t h) {  // splitmix64's finaliser: cheap and well spread
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

std::uint32_t hash_of(const FragmentKey& k) {
  const auto lo = [](model::u128 v) { return static_cast<std::uint64_t>(v); };
  const auto hi = [](model::u128 v) { return static_cast<std::uint64_t>(v >> 64); };
  std::uint64_t h = mix(lo(k.src) ^ (std::uint64_t{k.id} << 8) ^ k.proto);
  h = mix(h ^ lo(k.dst));
  h = mix(h ^ hi(k.src) ^ (hi(k.dst) * 31) ^ static_cast<std::uint64_t>(k.family));
  return static_cast<std::uint32_t>(h);
}

}  // namespace

FragmentTable::FragmentTable(std::size_t capacity, Nanos timeout)
    : capacity_(capacity < 1 ? 1 : capacity), timeout_(timeout) {
  // Load factor at most 1/2 keeps linear probes short; ring slots are reserved, not touched,
  // so a table that never sees a fragment costs only its index.
  const std::size_t buckets = std::bit_ceil(capacity_ * 2);
  index_.assign(buckets, kEmpty);
  mask_ = buckets - 1;
  ring_.reserve(capacity_);
}

FragmentTable::Entry* FragmentTable::find(const FragmentKey& key, std::uint32_t hash) {
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const std::uint32_t slot = index_[i];
    if (slot == kEmpty) return nullptr;
    Entry& e = ring_[slot];
    if (e.hash == hash && e.key == key) return &e;
  }
}

void FragmentTable::unindex(const Entry& e) {
  std::size_t i = e.hash & mask_;
  const auto slot = static_cast<std::uint32_t>(&e - ring_.data());
  while (index_[i] != slot) i = (i + 1) & mask_;
  // Backward-shift deletion: pull later members of the probe run into the hole when their home
  // bucket does not lie cyclically between the hole and their position.
  for (std::size_t j = i;;) {
    j = (j + 1) & mask_;
    if (index_[j] == kEmpty) break;
    const std::size_t home = ring_[index_[j]].hash & mask_;
    if (((j - home) & mask_) >= ((j - i) & mask_)) {
      index_[i] = index_[j];
      i = j;
    }
  }
  index_[i] = kEmpty;
}

void FragmentTable::drop_oldest(bool evicting, FragmentEvents* events) {
  const std::size_t tail = (head_ + ring_.size() - live_) % ring_.size();
  Entry& e = ring_[tail];
  unindex(e);
  e.live = false;
  --live_;
  if (!e.has_first) without_first_ += e.pending;
  // Evicting a datagram whose fragments all arrived loses nothing; only an unfinished one is
  // state the table failed to keep.
  const bool complete = e.has_first && e.total != 0 && e.bytes >= e.total;
  if (evicting && !complete && events != nullptr) events->table_full = true;
}

void FragmentTable::expire(Nanos now) {
  while (live_ > 0) {
    const std::size_t tail = (head_ + ring_.size() - live_) % ring_.size();
    if (now - ring_[tail].created < timeout_) return;
    drop_oldest(false, nullptr);
  }
}

void FragmentTable::clear() {
  while (live_ > 0) drop_oldest(false, nullptr);
}

std::uint64_t FragmentTable::take_without_first() {
  const std::uint64_t n = without_first_;
  without_first_ = 0;
  return n;
}

FragmentTable::Entry& FragmentTable::insert(const FragmentKey& key, std::uint32_t hash, Nanos now,
                                            FragmentEvents& events) {
  if (live_ == capacity_) drop_oldest(true, &events);
  if (ring_.size() < capacity_) ring_.emplace_back();
  const std::size_t slot = head_;
  head_ = (head_ + 1) % capacity_;
  ++live_;
  Entry& e = ring_[slot];
  e = Entry{};
  e.key = key;
  e.hash = hash;
  e.created = now;
  e.live = true;
  std::size_t i = hash & mask_;
  while (index_[i] != kEmpty) i = (i + 1) & mask_;
  index_[i] = static_cast<std::uint32_t>(slot);
  return e;
}

FragmentEvents FragmentTable::add_first(const FragmentKey& key, const FirstFragment& first,
                                        std::uint32_t payload, Nanos now) {
  FragmentEvents events{};
  expire(now);
  const std::uint32_t hash = hash_of(key);
  Entry* e = find(key, hash);
  if (e == nullptr) e = &insert(key, hash, now, events);
  if (e->has_first) {
    // A second first fragment: a duplicate is harmless, other ports rewrite the header.
    if (e->first.has_ports != first.has_ports || e->first.sport != first.sport ||
        e->first.dport != first.dport) {
      events.overlapping = true;
    }
  } else {
    e->has_first = true;
    e->first = first;
    e->pending = 0;  // the later fragments seen so far did find their first
    if (e->min_later_offset < first.l4_header_len) events.overlapping = true;
  }
  e->bytes += payload;
  return events;
}

const FirstFragment* FragmentTable::add_later(const FragmentKey& key, std::uint32_t offset,
                                              std::uint32_t payload, bool last, Nanos now,
                                              FragmentEvents& events) {
  expire(now);
  const std::uint32_t hash = hash_of(key);
  Entry* e = find(key, hash);
  if (e == nullptr) e = &insert(key, hash, now, events);
  if (offset < e->min_later_offset) e->min_later_offset = offset;
  e->bytes += payload;
  if (last) e->total = offset + payload;
  if (!e->has_first) {
    ++e->pending;
    return nullptr;
  }
  if (offset < e->first.l4_header_len) events.overlapping = true;
  return &e->first;
}

}  // namespace sanso::capture
