#include "capture/source/merge_source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <tuple>

namespace sanso::capture::source_detail {

namespace {

// std heaps are max-heaps: "a after b" puts the earliest (timestamp, input order) on top.
struct ReaderAfter {
  template <class R>
  bool operator()(const std::unique_ptr<R>& a, const std::unique_ptr<R>& b) const {
    return std::tie(a->current.ts, a->order) > std::tie(b->current.ts, b->order);
  }
};
struct PendingAfter {
  template <class P>
  bool operator()(const P& a, const P& b) const {
    return std::tie(a.first_ts, a.order) > std::tie(b.first_ts, b.order);
  }
};

}  // namespace

void MergeSource::add_files(const std::vector<InputFile>& files, std::vector<SourceError>& fatal) {
  for (const InputFile& f : files) probe(f, fatal);
}

void MergeSource::add_stream(std::FILE* stream, const std::string& name,
                             std::vector<SourceError>& fatal) {
  PcapFile::Opened opened = PcapFile::open_stream(stream, name, bpf_);
  if (!opened.file) {
    fatal.push_back({name, opened.error});
    return;
  }
  auto reader = std::make_unique<Reader>();
  reader->file = std::move(opened.file);
  reader->order = next_order_++;
  note_open();
  queue_open_reader(std::move(reader));
}

void MergeSource::probe(const InputFile& input, std::vector<SourceError>& fatal) {
  if (input.is_stdin()) {
    add_stream(stdin, "-", fatal);
    return;
  }
  PcapFile::Opened opened = PcapFile::open(input.path, bpf_);
  if (!opened.file) {
    (input.named ? fatal : stats_.read_errors).push_back({input.path, opened.error});
    return;
  }
  // A pipe (e.g. bash's <(zcat x.pcap.gz)) cannot be opened a second time: keep it open, like stdin.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(input.path, ec)) {
    auto reader = std::make_unique<Reader>();
    reader->file = std::move(opened.file);
    reader->order = next_order_++;
    note_open();
    queue_open_reader(std::move(reader));
    return;
  }
  RawPacket first;
  PcapFile::Read r = opened.file->read(first);
  if (r != PcapFile::Read::Packet) {
    // Empty (or unreadable from its first packet): done with it already.
    ++stats_.files_read;
    if (r == PcapFile::Read::Error) stats_.read_errors.push_back({input.path, opened.file->error()});
    return;
  }
  pending_.push_back({first.ts, next_order_++, input.path, nullptr});
  std::push_heap(pending_.begin(), pending_.end(), PendingAfter{});
}

// A reader opened during probing (stdin) waits in the pending heap with its first packet read.
void MergeSource::queue_open_reader(std::unique_ptr<Reader> reader) {
  PcapFile::Read r = reader->file->read(reader->current);
  if (r != PcapFile::Read::Packet) {
    finish(*reader, r);
    return;
  }
  Pending p{reader->current.ts, reader->order, reader->file->name(), std::move(reader)};
  pending_.push_back(std::move(p));
  std::push_heap(pending_.begin(), pending_.end(), PendingAfter{});
}

void MergeSource::note_open() {
  ++stats_.files_open;
  stats_.max_files_open = std::max(stats_.max_files_open, stats_.files_open);
}

void MergeSource::finish(Reader& reader, PcapFile::Read how) {
  ++stats_.files_read;
  --stats_.files_open;
  if (how == PcapFile::Read::Error) stats_.read_errors.push_back({reader.file->name(), reader.file->error()});
  reader.file.reset();
}

void MergeSource::push_reader(std::unique_ptr<Reader> reader) {
  heap_.push_back(std::move(reader));
  std::push_heap(heap_.begin(), heap_.end(), ReaderAfter{});
}

// Opens every queued file whose first packet comes before the next packet of the open readers.
void MergeSource::open_due() {
  while (!pending_.empty()) {
    const Pending& next_file = pending_.front();
    if (!heap_.empty()) {
      const Reader& top = *heap_.front();
      if (std::tie(next_file.first_ts, next_file.order) > std::tie(top.current.ts, top.order)) return;
    }
    std::pop_heap(pending_.begin(), pending_.end(), PendingAfter{});
    Pending p = std::move(pending_.back());
    pending_.pop_back();
    if (p.preopened) {
      push_reader(std::move(p.preopened));
      continue;
    }
    PcapFile::Opened opened = PcapFile::open(p.path, bpf_);
    if (!opened.file) {
      // It was readable when probed: removed or replaced since. Not fatal any more.
      stats_.read_errors.push_back({p.path, opened.error});
      continue;
    }
    auto reader = std::make_unique<Reader>();
    reader->file = std::move(opened.file);
    reader->order = p.order;
    note_open();
    PcapFile::Read r = reader->file->read(reader->current);
    if (r != PcapFile::Read::Packet) {
      finish(*reader, r);
      continue;
    }
    push_reader(std::move(reader));
  }
}

PacketSource::Next MergeSource::next(RawPacket& out) {
  if (stopped()) return Next::End;
  if (last_) {
    // Only now may the previous packet's buffer be reused: advance the reader that delivered it.
    PcapFile::Read r = last_->file->read(last_->current);
    if (r == PcapFile::Read::Packet) {
      // Fast path (one file, or rotated files): the same reader is still first, no heap work.
      if (still_first(*last_)) return deliver(out);
      push_reader(std::move(last_));
    } else {
      finish(*last_, r);
      last_.reset();
    }
  }
  open_due();
  if (heap_.empty()) return Next::End;
  std::pop_heap(heap_.begin(), heap_.end(), ReaderAfter{});
  last_ = std::move(heap_.back());
  heap_.pop_back();
  return deliver(out);
}

bool MergeSource::still_first(const Reader& r) const {
  const auto key = std::tie(r.current.ts, r.order);
  if (!heap_.empty() && key > std::tie(heap_.front()->current.ts, heap_.front()->order)) return false;
  if (!pending_.empty() && key > std::tie(pending_.front().first_ts, pending_.front().order)) return false;
  return true;
}

PacketSource::Next MergeSource::deliver(RawPacket& out) {
  out = last_->current;
  ++stats_.packets;
  stats_.bytes += out.wirelen;
  if (last_->order != current_order_) {
    current_order_ = last_->order;
    current_ = last_->file->name();
  }
  return Next::Packet;
}

}  // namespace sanso::capture::source_detail
