// ClassicPcapReader against libpcap itself: every real capture and a set of hand-made edge cases
// are read both ways and must give the same packets, the same end and the same error.
#include <doctest/doctest.h>
#include <pcap/pcap.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capture/source/pcap_file.h"
#include "pcap_writer.h"

namespace sanso::capture {
namespace {

using source_detail::PcapFile;

struct Record {
  Nanos ts = 0;
  std::uint32_t caplen = 0, wirelen = 0;
  std::vector<std::uint8_t> bytes;
  bool operator==(const Record&) const = default;
};

struct Reading {
  std::vector<Record> packets;
  std::string error;  // empty: the file ended cleanly
  std::string open_error;
};

// libpcap alone, as PcapFile read every file before ClassicPcapReader existed.
Reading read_with_libpcap(const std::string& path, const std::string& bpf = {}) {
  Reading r;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (p == nullptr) {
    r.open_error = errbuf;
    return r;
  }
  if (!bpf.empty()) {
    bpf_program prog{};
    REQUIRE(pcap_compile(p, &prog, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0);
    REQUIRE(pcap_setfilter(p, &prog) == 0);
    pcap_freecode(&prog);
  }
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  int rc;
  while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
    r.packets.push_back({static_cast<Nanos>(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec, h->caplen, h->len,
                         std::vector<std::uint8_t>(d, d + h->caplen)});
  }
  if (rc == PCAP_ERROR) r.error = "read error after " + std::to_string(r.packets.size()) + " packets: " + pcap_geterr(p);
  pcap_close(p);
  return r;
}

Reading read_with_pcap_file(const std::string& path, bool& classic, const std::string& bpf = {}) {
  Reading r;
  PcapFile::Opened opened = PcapFile::open(path, bpf);
  if (!opened.file) {
    r.open_error = opened.error;
    return r;
  }
  classic = opened.file->reads_classic();
  RawPacket raw;
  PcapFile::Read rc;
  while ((rc = opened.file->read(raw)) == PcapFile::Read::Packet) {
    r.packets.push_back({raw.ts, raw.caplen, raw.wirelen, std::vector<std::uint8_t>(raw.data, raw.data + raw.caplen)});
  }
  if (rc == PcapFile::Read::Error) r.error = opened.file->error();
  return r;
}

void check_same(const std::string& path, bool expect_classic, const std::string& bpf = {}) {
  CAPTURE(path);
  bool classic = false;
  Reading ours = read_with_pcap_file(path, classic, bpf);
  Reading theirs = read_with_libpcap(path, bpf);
  CHECK(classic == expect_classic);
  REQUIRE(ours.packets.size() == theirs.packets.size());
  for (std::size_t i = 0; i < ours.packets.size(); ++i) {
    CAPTURE(i);
    CHECK(ours.packets[i].ts == theirs.packets[i].ts);
    CHECK(ours.packets[i].caplen == theirs.packets[i].caplen);
    CHECK(ours.packets[i].wirelen == theirs.packets[i].wirelen);
  }
  CHECK(ours.open_error.empty() == theirs.open_error.empty());
  CHECK(ours.packets.size() == theirs.packets.size());
  CHECK((ours.packets == theirs.packets));
  // PcapFile adds an explanation to libpcap's pcapng link-type error, nothing else.
  CHECK(ours.error.starts_with(theirs.error));
  CHECK(ours.error.empty() == theirs.error.empty());
  if (classic) CHECK(ours.error == theirs.error);
}

// A classic pcap file built byte by byte, for what libpcap's dumper never writes.
struct RawFile {
  bool swapped = false;
  std::uint32_t magic = 0xa1b2c3d4;
  std::uint16_t major = 2, minor = 4;
  std::uint32_t snaplen = 65535, linktype = 1;
  std::vector<std::uint8_t> bytes;

  void u16(std::uint16_t v) {
    if (swapped) v = __builtin_bswap16(v);
    bytes.insert(bytes.end(), reinterpret_cast<std::uint8_t*>(&v), reinterpret_cast<std::uint8_t*>(&v) + 2);
  }
  void u32(std::uint32_t v) {
    if (swapped) v = __builtin_bswap32(v);
    bytes.insert(bytes.end(), reinterpret_cast<std::uint8_t*>(&v), reinterpret_cast<std::uint8_t*>(&v) + 4);
  }
  RawFile& header() {
    u32(magic); u16(major); u16(minor); u32(0); u32(0); u32(snaplen); u32(linktype);
    return *this;
  }
  RawFile& record(std::uint32_t sec, std::uint32_t frac, std::uint32_t caplen, std::uint32_t wirelen,
                  std::size_t data_bytes, std::uint8_t fill = 0x5a) {
    u32(sec); u32(frac); u32(caplen); u32(wirelen);
    std::vector<std::uint8_t> data = test::udp_frame(static_cast<std::uint16_t>(bytes.size()));
    data.resize(data_bytes, fill);
    bytes.insert(bytes.end(), data.begin(), data.end());
    return *this;
  }
  std::string write(const test::TempDir& dir, const std::string& name) const {
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                      static_cast<std::streamsize>(bytes.size()));
    return dir / name;
  }
};

TEST_CASE("every real capture reads the same through ClassicPcapReader as through libpcap") {
  const std::filesystem::path real = std::filesystem::path(SANSO_SHARED_DIR) / "captures" / "real";
  if (!std::filesystem::is_directory(real)) {
    MESSAGE("skipped: no real captures at " << real.string());
    return;
  }
  int files = 0, classic_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(real)) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file() || path.ends_with(".md")) continue;
    ++files;
    bool classic = false;
    Reading ours = read_with_pcap_file(path, classic);
    if (classic) ++classic_files;
    check_same(path, classic);
  }
  MESSAGE(classic_files << " of " << files << " real captures read by ClassicPcapReader");
  // Most real captures are classic pcap: the comparison above must have exercised the reader.
  CHECK(classic_files >= 50);
  CHECK(files - classic_files >= 8);  // pcapng, invalid versions, unsupported link types
}

TEST_CASE("edge cases of the format agree with libpcap") {
  test::TempDir dir;
  SUBCASE("microseconds, both byte orders") {
    for (bool swapped : {false, true}) {
      RawFile f;
      f.swapped = swapped;
      f.header().record(1700000000, 999999, 60, 60, 60).record(1700000001, 5, 42, 1514, 42);
      check_same(f.write(dir, "us.pcap"), true);
    }
  }
  SUBCASE("nanoseconds, both byte orders, and a negative 32-bit second") {
    for (bool swapped : {false, true}) {
      RawFile f;
      f.swapped = swapped;
      f.magic = 0xa1b23c4d;
      f.header().record(1700000000, 999999999, 60, 60, 60).record(0x80000001u, 7, 60, 60, 60);
      check_same(f.write(dir, "ns.pcap"), true);
    }
  }
  SUBCASE("a record longer than the snapshot length is cut to it") {
    RawFile f;
    f.snaplen = 50;
    f.header().record(1, 0, 80, 80, 80).record(2, 0, 50, 90, 50);
    const std::string path = f.write(dir, "snap.pcap");
    check_same(path, true);
    bool classic = false;
    Reading r = read_with_pcap_file(path, classic);
    REQUIRE(r.packets.size() == 2);
    CHECK(r.packets[0].caplen == 50);
    CHECK(r.packets[1].ts == 2'000'000'000);
  }
  SUBCASE("a record larger than any snapshot length is an error") {
    RawFile f;
    f.header().record(1, 0, 60, 60, 60).record(2, 0, 262145, 262145, 10);
    const std::string path = f.write(dir, "huge.pcap");
    check_same(path, true);
    bool classic = false;
    CHECK(read_with_pcap_file(path, classic).error.find("invalid packet capture length 262145") != std::string::npos);
  }
  SUBCASE("truncated record header and truncated data") {
    RawFile f;
    f.header().record(1, 0, 60, 60, 60);
    RawFile header_cut = f;
    header_cut.bytes.resize(header_cut.bytes.size() + 7, 0);
    check_same(header_cut.write(dir, "hdr.pcap"), true);
    RawFile data_cut = f;
    data_cut.record(2, 0, 100, 100, 30);
    const std::string path = data_cut.write(dir, "data.pcap");
    check_same(path, true);
    bool classic = false;
    CHECK(read_with_pcap_file(path, classic).error ==
          "read error after 1 packets: truncated dump file; tried to read 100 captured bytes, only got 30");
    RawFile snap_cut;
    snap_cut.snaplen = 40;
    snap_cut.header().record(1, 0, 100, 100, 70);  // cut to 40, but the record itself is short
    check_same(snap_cut.write(dir, "snapcut.pcap"), true);
  }
  SUBCASE("records spanning many buffer refills, up to the largest size") {
    RawFile f;
    f.snaplen = 0;  // zero means the maximum
    for (std::uint32_t i = 0; i < 40; ++i) {
      const std::uint32_t len = i % 4 == 0 ? 262144 : 60 + i * 997;
      f.record(i, i, len, len, len, static_cast<std::uint8_t>(i));
    }
    RawFile whole;
    whole.snaplen = 0;
    whole.header();
    whole.bytes.insert(whole.bytes.end(), f.bytes.begin(), f.bytes.end());
    check_same(whole.write(dir, "big.pcap"), true);
  }
  SUBCASE("a BPF filter keeps the same packets") {
    std::vector<test::TestPacket> packets;
    for (std::uint16_t i = 0; i < 20; ++i) packets.push_back({i * test::kSec, test::ipv4_frame(i % 2 ? 6 : 17, 80, i)});
    test::write_pcap(dir / "mixed.pcap", packets, DLT_EN10MB, false);
    check_same(dir / "mixed.pcap", true, "tcp");
    bool classic = false;
    CHECK(read_with_pcap_file(dir / "mixed.pcap", classic, "tcp").packets.size() == 10);
  }
  SUBCASE("what the reader leaves to libpcap") {
    RawFile old;
    old.minor = 3;  // caplen and len may be swapped: libpcap's guess
    old.header().record(1, 0, 60, 60, 60);
    check_same(old.write(dir, "v23.pcap"), false);
    RawFile other_link;
    other_link.linktype = 239;  // NFLOG
    other_link.header().record(1, 0, 60, 60, 60);
    check_same(other_link.write(dir, "nflog.pcap"), false);
    RawFile modified;
    modified.magic = 0xa1b2cd34;  // the modified-header variant
    modified.header();
    check_same(modified.write(dir, "kuz.pcap"), false);
  }
}

}  // namespace
}  // namespace sanso::capture
