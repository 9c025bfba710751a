// Writes Ethernet frames to a classic pcap file through libpcap's dump API (DLT_EN10MB, snaplen
// 262144, microsecond timestamps): the format every tool reads, written by the library that
// `sanso monitor` reads it with.
#pragma once

#include "packet.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct pcap;
struct pcap_dumper;

namespace sanso::gen {

class PcapFile {
 public:
  /// Creates (truncates) `path`; nullopt with `error` set when libpcap cannot.
  static std::optional<PcapFile> create(const std::string& path, std::string& error);

  /// Appends one frame, captured whole, at `usec` microseconds since the Unix epoch.
  void write(std::int64_t usec, ByteView frame);

  /// Flushes and closes; an empty string when every byte reached the file, else the error.
  std::string close();

 private:
  struct CloseDead {
    void operator()(pcap* p) const;
  };
  struct CloseDumper {
    void operator()(pcap_dumper* d) const;
  };
  PcapFile(std::unique_ptr<pcap, CloseDead> dead, std::unique_ptr<pcap_dumper, CloseDumper> dumper,
           std::string path);

  std::unique_ptr<pcap, CloseDead> dead_;
  std::unique_ptr<pcap_dumper, CloseDumper> dumper_;
  std::string path_;
};

}  // namespace sanso::gen
