#include "pcap_file.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace sanso::gen {

void PcapFile::CloseDead::operator()(pcap* p) const { pcap_close(p); }
void PcapFile::CloseDumper::operator()(pcap_dumper* d) const { pcap_dump_close(d); }

PcapFile::PcapFile(std::unique_ptr<pcap, CloseDead> dead,
                   std::unique_ptr<pcap_dumper, CloseDumper> dumper, std::string path)
    : dead_(std::move(dead)), dumper_(std::move(dumper)), path_(std::move(path)) {}

std::optional<PcapFile> PcapFile::create(const std::string& path, std::string& error) {
  constexpr int kSnaplen = 262144;  // libpcap's default snapshot length
  std::unique_ptr<pcap, CloseDead> dead(pcap_open_dead(DLT_EN10MB, kSnaplen));
  if (!dead) {
    error = "pcap_open_dead failed";
    return std::nullopt;
  }
  std::unique_ptr<pcap_dumper, CloseDumper> dumper(pcap_dump_open(dead.get(), path.c_str()));
  if (!dumper) {
    error = path + ": " + pcap_geterr(dead.get());
    return std::nullopt;
  }
  return PcapFile(std::move(dead), std::move(dumper), path);
}

void PcapFile::write(std::int64_t usec, ByteView frame) {
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(usec / 1'000'000);
  header.ts.tv_usec = static_cast<suseconds_t>(usec % 1'000'000);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &header, frame.data());
}

std::string PcapFile::close() {
  if (!dumper_) return {};
  // pcap_dump() reports nothing, so a full disk shows up only in the stream's error flag.
  const bool failed = pcap_dump_flush(dumper_.get()) != 0 || std::ferror(pcap_dump_file(dumper_.get()));
  const int saved_errno = errno;
  dumper_.reset();
  if (failed) return path_ + ": write failed: " + std::strerror(saved_errno);
  return {};
}

}  // namespace sanso::gen
