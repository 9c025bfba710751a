#pragma once
// Live capture from one interface (a span port): pcap_create + options + pcap_activate, packets
// with nanosecond timestamps where the device supports them, kernel counters from pcap_stats.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "capture/source/packet_source.h"

struct pcap;

namespace sanso::capture::source_detail {

class LiveSource final : public PacketSource {
 public:
  /// nullptr + `errors` when the interface cannot be opened or the filter does not compile;
  /// activation warnings are kept in stats().read_errors.
  static std::unique_ptr<LiveSource> open(const SourceOptions& options,
                                          std::vector<SourceError>& errors);
  ~LiveSource() override;
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  Next next(RawPacket& out) override;
  void stop() override;
  SourceStats stats() override;
  std::string current_input() const override { return name_; }

 private:
  LiveSource(pcap* handle, std::string name, int timeout_ms, int wake_fd);
  bool wait_readable();

  pcap* handle_;
  int timeout_ms_;
  int wake_fd_;  // eventfd: stop() writes it to end a wait at once (write(2) is signal-safe)
  std::string name_;
  LinkType link_;
  bool nano_;
  bool failed_ = false;
  SourceStats stats_;
  std::atomic<bool> stopped_{false};
};

}  // namespace sanso::capture::source_detail
