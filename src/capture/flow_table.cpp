#include "capture/flow_table.h"

namespace sanso::capture {

std::string_view to_string(Certainty c) {
  switch (c) {
    case Certainty::Syn: return "syn";
    case Certainty::SynAck: return "syn-ack";
    case Certainty::IcmpType: return "icmp-type";
    case Certainty::Port: return "service-port";
    case Certainty::Unknown: return "unknown";
  }
  return "unknown";
}

FlowTable::FlowTable(std::size_t max_flows, FlowTimeouts timeouts)
    : max_flows_(max_flows == 0 ? 1 : max_flows), timeouts_(timeouts) {
  index_.assign(1024, 0);
  mask_ = index_.size() - 1;
}

std::uint32_t FlowTable::probe(const FlowKey& key, std::uint64_t hash) const {
  const std::uint64_t tag = hash & 0xffffffffu;
  for (std::uint64_t pos = hash & mask_;; pos = (pos + 1) & mask_) {
    const std::uint64_t e = index_[pos];
    if (e == 0) return kNone;
    if ((e >> 32) == tag) {
      const auto i = static_cast<std::uint32_t>(e & 0xffffffffu) - 1;
      if (flows_[i].key == key) return i;
    }
  }
}

std::uint32_t FlowTable::allocate() {
  if (!free_.empty()) {
    const std::uint32_t i = free_.back();
    free_.pop_back();
    return i;
  }
  macs_.grow();
  return flows_.grow();
}

void FlowTable::insert_index(std::uint32_t index, std::uint64_t hash) {
  // Load factor at most 1/2 keeps linear probing short.
  if ((stats_.live + 1) * 2 > index_.size()) grow_index();
  std::uint64_t pos = hash & mask_;
  while (index_[pos] != 0) pos = (pos + 1) & mask_;
  index_[pos] = ((hash & 0xffffffffu) << 32) | (static_cast<std::uint64_t>(index) + 1);
}

void FlowTable::grow_index() {
  std::vector<std::uint64_t> old;
  old.swap(index_);
  index_.assign(old.size() * 2, 0);
  mask_ = index_.size() - 1;
  for (const std::uint64_t e : old) {
    if (e == 0) continue;
    // The tag is the hash's low 32 bits, which hold every home position: no flow is touched.
    std::uint64_t pos = (e >> 32) & mask_;
    while (index_[pos] != 0) pos = (pos + 1) & mask_;
    index_[pos] = e;
  }
}

void FlowTable::erase_index(std::uint32_t index) {
  const std::uint64_t h = hash_flow_key(flows_[index].key);
  std::uint64_t pos = h & mask_;
  while ((index_[pos] & 0xffffffffu) != static_cast<std::uint64_t>(index) + 1) pos = (pos + 1) & mask_;
  // Backward-shift deletion: move later entries of the probe run into the hole, so that lookups
  // never need tombstones.
  std::uint64_t hole = pos;
  for (std::uint64_t next = (hole + 1) & mask_; index_[next] != 0; next = (next + 1) & mask_) {
    const std::uint64_t home = (index_[next] >> 32) & mask_;
    // Move when the entry's home is not in (hole, next] (cyclically).
    const bool home_in_between =
        hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
    if (!home_in_between) {
      index_[hole] = index_[next];
      hole = next;
    }
  }
  index_[hole] = 0;
}

void FlowTable::link_tail(std::uint32_t index) {
  Flow& f = flows_[index];
  List& l = lists_[f.timeout_class];
  f.lru_next = 0;
  f.lru_prev = l.tail;
  if (l.tail != 0) flows_[l.tail - 1].lru_next = index + 1;
  l.tail = index + 1;
  if (l.head == 0) l.head = index + 1;
}

void FlowTable::unlink(std::uint32_t index) {
  Flow& f = flows_[index];
  List& l = lists_[f.timeout_class];
  if (f.lru_prev != 0) flows_[f.lru_prev - 1].lru_next = f.lru_next; else l.head = f.lru_next;
  if (f.lru_next != 0) flows_[f.lru_next - 1].lru_prev = f.lru_prev; else l.tail = f.lru_prev;
  f.lru_prev = f.lru_next = 0;
}

void FlowTable::touch(std::uint32_t index, Nanos now, TimeoutClass cls) {
  Flow& f = flows_[index];
  if (now > f.last_seen) f.last_seen = now;
  const auto c = static_cast<std::uint8_t>(cls);
  if (c == f.timeout_class && now - f.lru_stamp < kRelinkGranularity) return;
  unlink(index);
  f.timeout_class = c;
  f.lru_stamp = f.last_seen;
  link_tail(index);
}

void FlowTable::release(std::uint32_t index) {
  unlink(index);
  erase_index(index);
  flows_[index].in_use = false;
  free_.push_back(index);
  --stats_.live;
}

std::uint32_t FlowTable::oldest() const {
  std::uint32_t best = 0;
  for (const List& l : lists_) {
    if (l.head == 0) continue;
    if (best == 0 || flows_[l.head - 1].lru_stamp < flows_[best - 1].lru_stamp) best = l.head;
  }
  return best;
}

std::size_t FlowTable::memory_bytes() const {
  return flows_.capacity() * sizeof(Flow) + macs_.capacity() * sizeof(FlowMacs) +
         index_.capacity() * sizeof(std::uint64_t) +
         free_.capacity() * sizeof(std::uint32_t);
}

}  // namespace sanso::capture
