#pragma once
// One offline capture (pcap or pcapng) with nanosecond timestamps: opening with a clear message for
// what cannot be read (missing, compressed, not a capture, BPF that does not fit the link type), and
// reading packet by packet with the error kept as a value. Classic pcap files go through
// ClassicPcapReader (twice as fast, same packets), everything else through libpcap.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "capture/source/classic_pcap_reader.h"

#include "capture/packet.h"

struct pcap;
struct bpf_program;

namespace sanso::capture::source_detail {

class PcapFile {
 public:
  struct Opened {
    std::unique_ptr<PcapFile> file;  ///< null on failure
    std::string error;               ///< why, without the path (lower-case)
  };
  /// Opens `path` and installs `bpf` (empty: no filter).
  static Opened open(const std::string& path, const std::string& bpf);
  /// Takes ownership of `stream` (closed by libpcap, except stdin); `name` labels errors.
  static Opened open_stream(std::FILE* stream, const std::string& name, const std::string& bpf);

  ~PcapFile();
  PcapFile(const PcapFile&) = delete;
  PcapFile& operator=(const PcapFile&) = delete;

  enum class Read { Packet, End, Error };
  /// Reads the next packet that passes the filter into `out` (data valid until the next read). On
  /// Error, error() says what went wrong (libpcap's words), with the number of packets read before it.
  Read read(RawPacket& out);
  const std::string& error() const { return error_; }
  const std::string& name() const { return name_; }
  std::uint64_t packets_read() const { return packets_; }
  /// Read by ClassicPcapReader rather than libpcap.
  bool reads_classic() const { return classic_ != nullptr; }

 private:
  PcapFile(pcap* handle, std::string name);
  static Opened finish_open(pcap* handle, const std::string& name, const std::string& bpf);
  static Opened open_classic(int fd, const ClassicPcapHeader& header, const std::string& name,
                             const std::string& bpf);
  Read read_classic(RawPacket& out);
  Read failed(const std::string& what);

  pcap* handle_;  // libpcap reads the file; for a classic file, a dead handle for the filter only
  std::unique_ptr<ClassicPcapReader> classic_;
  std::unique_ptr<bpf_program> program_;  // classic files with a filter: applied per packet
  std::string name_;
  LinkType link_;
  bool nano_;  // what tv_usec holds (offline handles are opened with nanosecond precision)
  std::uint64_t packets_ = 0;
  std::string error_;
};

/// "compressed capture: decompress first (gzip)" when the first bytes are a compressor's magic
/// number, else empty. libpcap 1.10 reads no compressed format.
std::string compressed_format_message(const unsigned char* head, std::size_t n);

/// Checks the BPF expression once, before any file is opened, so a typo is one clear error and not
/// one per file. Empty result: valid (or empty expression).
std::string check_filter_syntax(const std::string& bpf, int snaplen);

/// pcap_compile's message without the "can't parse filter expression: " that libpcap puts in
/// front of syntax errors on some handles, so files and live capture word it alike.
std::string filter_error(const std::string& pcap_message);

}  // namespace sanso::capture::source_detail
