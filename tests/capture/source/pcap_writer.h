#pragma once
// Test helpers for the packet sources: a temporary directory, tiny Ethernet/IPv4 frames, and pcap
// files with known timestamps written through libpcap's own dump API.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "capture/source/packet_source.h"

namespace sanso::capture::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sanso-source-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct TestPacket {
  Nanos ts = 0;
  std::vector<std::uint8_t> bytes;
};

/// Ethernet + IPv4 + UDP or TCP (protocol 17 / 6), 10.0.0.1 -> 10.0.0.2, with `marker` as the
/// IPv4 identification (to tell packets apart).
inline std::vector<std::uint8_t> ipv4_frame(std::uint8_t proto, std::uint16_t dport, std::uint16_t marker = 0) {
  std::vector<std::uint8_t> f = {
      0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,  // Ethernet, type IPv4
      0x45, 0, 0, 40, static_cast<std::uint8_t>(marker >> 8), static_cast<std::uint8_t>(marker),
      0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,  // IPv4, no options
      0x30, 0x39, static_cast<std::uint8_t>(dport >> 8), static_cast<std::uint8_t>(dport),
      0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // ports + 16 bytes
  return f;
}
inline std::vector<std::uint8_t> udp_frame(std::uint16_t marker = 0) { return ipv4_frame(17, 53, marker); }
inline std::vector<std::uint8_t> tcp_frame(std::uint16_t marker = 0) { return ipv4_frame(6, 80, marker); }

inline constexpr Nanos kSec = 1'000'000'000;

/// Writes `packets` to `path` (nanosecond pcap unless `nano` is false).
inline void write_pcap(const std::string& path, const std::vector<TestPacket>& packets,
                       int dlt = DLT_EN10MB, bool nano = true) {
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(
      dlt, 65535, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  for (const TestPacket& p : packets) {
    pcap_pkthdr h{};
    h.ts.tv_sec = p.ts / kSec;
    h.ts.tv_usec = nano ? p.ts % kSec : (p.ts % kSec) / 1000;
    h.caplen = h.len = static_cast<bpf_u_int32>(p.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(d), &h, p.bytes.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
}

/// Packets at the given timestamps (UDP frames whose marker is the index).
inline std::vector<TestPacket> at(std::initializer_list<Nanos> times) {
  std::vector<TestPacket> out;
  std::uint16_t i = 0;
  for (Nanos t : times) out.push_back({t, udp_frame(i++)});
  return out;
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct Delivered {
  Nanos ts;
  std::string input;
  LinkType link;
  std::uint32_t caplen;
};

/// Reads to End (giving up after `limit` calls, so a bug cannot hang the test).
inline std::vector<Delivered> read_all(PacketSource& source, std::size_t limit = 1'000'000) {
  std::vector<Delivered> out;
  RawPacket p;
  for (std::size_t i = 0; i < limit; ++i) {
    PacketSource::Next n = source.next(p);
    if (n == PacketSource::Next::End) break;
    if (n == PacketSource::Next::Packet) out.push_back({p.ts, source.current_input(), p.link, p.caplen});
  }
  return out;
}

inline std::vector<Nanos> times(const std::vector<Delivered>& d) {
  std::vector<Nanos> out;
  for (const Delivered& x : d) out.push_back(x.ts);
  return out;
}

inline std::string render(const std::vector<SourceError>& errors) {
  std::string s;
  for (const SourceError& e : errors) s += e.render() + "\n";
  return s;
}

}  // namespace sanso::capture::test
