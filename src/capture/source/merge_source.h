#pragma once
// Several capture files read as one stream in time order.
//
// Each file's first timestamp is read up front (open, read one packet, close); the merge then keeps
// a min-heap of open readers keyed by (timestamp of their next packet, input order) and opens a
// file only when the merged stream reaches its first timestamp. Rotated, non-overlapping files
// are therefore read one after the other with one or two handles open, however many there are;
// overlapping files are interleaved packet by packet. Ties go to the earlier input.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capture/source/inputs.h"
#include "capture/source/packet_source.h"
#include "capture/source/pcap_file.h"

namespace sanso::capture::source_detail {

class MergeSource final : public PacketSource {
 public:
  explicit MergeSource(std::string bpf) : bpf_(std::move(bpf)) {}

  /// Probes `files` and queues them for the merge (may be called again later: follow mode adds
  /// new files to a running stream). A named file that cannot be opened goes to `fatal`; any other
  /// failure to stats().read_errors. Standard input is opened now and stays open.
  void add_files(const std::vector<InputFile>& files, std::vector<SourceError>& fatal);
  /// Queues an already open stream (owned from now on).
  void add_stream(std::FILE* stream, const std::string& name, std::vector<SourceError>& fatal);

  Next next(RawPacket& out) override;
  void stop() override { stopped_.store(true, std::memory_order_relaxed); }
  SourceStats stats() override { return stats_; }
  std::string current_input() const override { return current_; }

  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }

 private:
  struct Reader {
    std::unique_ptr<PcapFile> file;
    RawPacket current;  // the packet this reader will deliver next
    std::uint64_t order = 0;
  };
  struct Pending {
    Nanos first_ts = 0;
    std::uint64_t order = 0;
    std::string path;
    std::unique_ptr<Reader> preopened;  // standard input: cannot be opened twice
  };

  void probe(const InputFile& input, std::vector<SourceError>& fatal);
  void queue_open_reader(std::unique_ptr<Reader> reader);
  void open_due();
  void push_reader(std::unique_ptr<Reader> reader);
  void finish(Reader& reader, PcapFile::Read how);
  void note_open();
  bool still_first(const Reader& r) const;
  Next deliver(RawPacket& out);  // hands out last_'s packet

  std::string bpf_;
  std::vector<std::unique_ptr<Reader>> heap_;  // min-heap on (current.ts, order)
  std::vector<Pending> pending_;               // min-heap on (first_ts, order)
  std::unique_ptr<Reader> last_;               // delivered its packet; advanced on the next call
  std::uint64_t next_order_ = 0;
  SourceStats stats_;
  std::string current_;
  std::uint64_t current_order_ = UINT64_MAX;  // whose name current_ holds (copied on change only)
  std::atomic<bool> stopped_{false};
};

}  // namespace sanso::capture::source_detail
