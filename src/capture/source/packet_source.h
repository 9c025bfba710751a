#pragma once
// Where packets come from: pcap and pcapng files (several of them merged into one stream in time
// order), directories (read once, or followed for rotated files), globs, standard input, or a live
// interface. Everything libpcap-specific stays behind this interface; the monitor sees RawPackets.
//
// Errors are values. open() fails only when the user named something that cannot be read; a file
// that turns out to be unreadable later (found in a directory, broken in the middle) becomes a
// SourceError in stats().read_errors and the stream goes on with the next file.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/packet.h"

namespace sanso::capture {

struct SourceOptions {
  /// Files (pcap, pcapng), directories (every regular file inside, sorted by name, dot-files
  /// skipped), globs ("caps/*.pcap", expanded with glob(3)), "-" = standard input.
  std::vector<std::string> inputs;
  std::optional<std::string> interface;  ///< live capture instead of inputs
  bool follow = false;                   ///< directories: keep watching for new (rotated) files
  int snaplen = 262144;
  bool promiscuous = true;
  bool immediate = true;
  int buffer_mb = 32;
  int timeout_ms = 100;  ///< live read timeout and follow-mode wait; directories are polled every 10 × this
  std::string bpf;       ///< applies to files too (pcap_setfilter)
  std::optional<std::uint64_t> count;  ///< stop after N packets
  /// Stop after N seconds: live capture by the wall clock, files by capture time since the first
  /// packet (packets with ts < first + duration are delivered).
  std::optional<double> duration_s;
};

struct SourceError {
  std::string input;    ///< file path, "-", interface name, or "filter" for the BPF expression
  std::string message;  ///< lower-case, no final period
  std::string render() const { return input + ": " + message; }
};

struct SourceStats {
  std::uint64_t packets = 0;  ///< delivered by next()
  std::uint64_t bytes = 0;    ///< wire length of the delivered packets
  std::uint64_t files_read = 0;  ///< files opened and read to their end or to a read error
  std::uint64_t kernel_received = 0, kernel_dropped = 0, interface_dropped = 0;  ///< live: pcap_stats
  /// Capture files open right now, and the most ever open at once (the merge opens a file only when
  /// the stream reaches its first timestamp, so rotated files keep this small).
  std::uint64_t files_open = 0, max_files_open = 0;
  /// Non-fatal problems: unreadable files found in directories or by globs, read errors in the
  /// middle of a file (with the packets read before it), live activation warnings ("warning: ...").
  std::vector<SourceError> read_errors;
};

class PacketSource {
 public:
  enum class Next { Packet, Idle, End };  ///< Idle: live timeout or follow-mode wait, no packet now

  virtual ~PacketSource() = default;

  /// nullptr + `errors` when something named cannot be opened: a missing file, a file that is not
  /// pcap/pcapng, an interface that cannot be opened, an invalid BPF expression, contradictory
  /// options. On success `errors` is left untouched (non-fatal problems go to stats().read_errors).
  static std::unique_ptr<PacketSource> open(const SourceOptions& options,
                                            std::vector<SourceError>& errors);

  /// One already-open stream (standard input, or a FILE* in tests), named `name` in errors. The
  /// source owns `stream` and closes it, except stdin. `options.inputs`, `interface` and `follow`
  /// are ignored; bpf, count and duration apply.
  static std::unique_ptr<PacketSource> open_stream(std::FILE* stream, const std::string& name,
                                                   const SourceOptions& options,
                                                   std::vector<SourceError>& errors);

  /// `out.data` stays valid until the next call; `out.link` is set per packet (files may differ).
  virtual Next next(RawPacket& out) = 0;
  /// Request to end soon: async-signal-safe and thread-safe (pcap_breakloop for live capture).
  /// next() returns End from then on.
  virtual void stop() = 0;
  /// Counters so far; live capture refreshes the kernel counters (pcap_stats).
  virtual SourceStats stats() = 0;
  /// The file (or "-", or the interface) the last packet came from.
  virtual std::string current_input() const = 0;
};

}  // namespace sanso::capture
