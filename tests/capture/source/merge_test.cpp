// Several capture files as one stream in time order: interleaving, ties, many rotated files with
// few handles open, nanosecond timestamps, per-file link types, BPF on files, count and duration.
#include <doctest/doctest.h>

#include <algorithm>

#include "pcap_writer.h"

namespace {

using namespace sanso::capture;
using namespace sanso::capture::test;

std::unique_ptr<PacketSource> open_inputs(std::vector<std::string> inputs, std::vector<SourceError>& errors,
                                          SourceOptions o = {}) {
  o.inputs = std::move(inputs);
  return PacketSource::open(o, errors);
}

}  // namespace

TEST_CASE("overlapping files are merged in time order") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1 * kSec, 3 * kSec, 5 * kSec}));
  write_pcap(dir / "b.pcap", at({2 * kSec, 4 * kSec, 6 * kSec}));
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "b.pcap", dir / "a.pcap"}, errors);
  REQUIRE_MESSAGE(source, render(errors));
  auto got = read_all(*source);
  CHECK(times(got) == std::vector<Nanos>{1 * kSec, 2 * kSec, 3 * kSec, 4 * kSec, 5 * kSec, 6 * kSec});
  CHECK(got[0].input == dir / "a.pcap");
  CHECK(got[1].input == dir / "b.pcap");
  SourceStats s = source->stats();
  CHECK(s.packets == 6);
  CHECK(s.bytes == 6 * udp_frame().size());
  CHECK(s.files_read == 2);
  CHECK(s.files_open == 0);
  CHECK(s.read_errors.empty());
}

TEST_CASE("equal timestamps go to the earlier input") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({10, 20, 20}));
  write_pcap(dir / "b.pcap", at({10, 20}));
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "b.pcap", dir / "a.pcap"}, errors);
  REQUIRE(source);
  auto got = read_all(*source);
  REQUIRE(got.size() == 5);
  std::vector<std::string> order;
  for (const auto& d : got) order.push_back(std::filesystem::path(d.input).filename().string());
  CHECK(order == std::vector<std::string>{"b.pcap", "a.pcap", "b.pcap", "a.pcap", "a.pcap"});
}

TEST_CASE("many rotated files are read in time order with few handles open") {
  TempDir dir;
  // Names run against time (z-000 is the latest), so only the timestamps give the order.
  const int kFiles = 300;
  for (int i = 0; i < kFiles; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "z-%03d.pcap", kFiles - 1 - i);
    Nanos base = (1'700'000'000 + i * 60) * kSec;
    write_pcap(dir / name, at({base, base + 1, base + 59 * kSec}));
  }
  std::vector<SourceError> errors;
  auto source = open_inputs({dir.path()}, errors);
  REQUIRE_MESSAGE(source, render(errors));
  auto got = read_all(*source);
  REQUIRE(got.size() == 3 * kFiles);
  CHECK(std::is_sorted(got.begin(), got.end(), [](auto& a, auto& b) { return a.ts < b.ts; }));
  SourceStats s = source->stats();
  CHECK(s.files_read == kFiles);
  CHECK(s.max_files_open <= 2);
  CHECK(s.files_open == 0);
}

TEST_CASE("nanosecond timestamps survive; microsecond files are scaled") {
  TempDir dir;
  const Nanos t = 1'700'000'000 * kSec + 123'456'789;
  write_pcap(dir / "ns.pcap", {{t, udp_frame()}});
  write_pcap(dir / "us.pcap", {{t + 1000, udp_frame()}}, DLT_EN10MB, /*nano=*/false);
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "us.pcap", dir / "ns.pcap"}, errors);
  REQUIRE(source);
  CHECK(times(read_all(*source)) == std::vector<Nanos>{t, t - 789 + 1000});
}

TEST_CASE("the link type is set per packet from its file") {
  TempDir dir;
  const std::vector<std::uint8_t> eth = udp_frame();
  const std::vector<std::uint8_t> raw(eth.begin() + 14, eth.end());
  write_pcap(dir / "eth.pcap", at({1, 3}));
  write_pcap(dir / "raw.pcap", {{2, raw}}, DLT_RAW);
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "eth.pcap", dir / "raw.pcap"}, errors);
  REQUIRE(source);
  auto got = read_all(*source);
  REQUIRE(got.size() == 3);
  CHECK(got[0].link == LinkType::Ethernet);
  CHECK(got[1].link == LinkType::RawIp);
  CHECK(got[1].caplen == raw.size());
  CHECK(got[2].link == LinkType::Ethernet);
}

TEST_CASE("a BPF filter applies to files") {
  TempDir dir;
  write_pcap(dir / "a.pcap", {{1, udp_frame()}, {2, tcp_frame()}, {3, udp_frame()}, {4, tcp_frame()}});
  SourceOptions o;
  o.bpf = "tcp";
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "a.pcap"}, errors, o);
  REQUIRE(source);
  CHECK(times(read_all(*source)) == std::vector<Nanos>{2, 4});
}

TEST_CASE("a BPF syntax error names the expression") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1}));
  SourceOptions o;
  o.bpf = "tcp prot 80";
  std::vector<SourceError> errors;
  CHECK_FALSE(open_inputs({dir / "a.pcap"}, errors, o));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].render() == "filter: invalid expression 'tcp prot 80': syntax error");
}

TEST_CASE("count stops after N packets across files") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1, 3, 5}));
  write_pcap(dir / "b.pcap", at({2, 4, 6}));
  SourceOptions o;
  o.count = 4;
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "a.pcap", dir / "b.pcap"}, errors, o);
  REQUIRE(source);
  CHECK(times(read_all(*source)) == std::vector<Nanos>{1, 2, 3, 4});
  CHECK(source->stats().packets == 4);
  RawPacket p;
  CHECK(source->next(p) == PacketSource::Next::End);  // stays ended

  o.count = 0;
  source = open_inputs({dir / "a.pcap"}, errors, o);
  REQUIRE(source);
  CHECK(read_all(*source).empty());
}

TEST_CASE("duration on files counts capture time from the first packet") {
  TempDir dir;
  const Nanos t0 = 1'700'000'000 * kSec;
  write_pcap(dir / "a.pcap", at({t0, t0 + kSec / 2, t0 + kSec, t0 + 3 * kSec / 2, t0 + 2 * kSec}));
  SourceOptions o;
  o.duration_s = 1.5;
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "a.pcap"}, errors, o);
  REQUIRE(source);
  CHECK(times(read_all(*source)) == std::vector<Nanos>{t0, t0 + kSec / 2, t0 + kSec});
  CHECK(source->stats().packets == 3);
}

TEST_CASE("stop() ends a file stream") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1, 2, 3}));
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "a.pcap"}, errors);
  REQUIRE(source);
  RawPacket p;
  CHECK(source->next(p) == PacketSource::Next::Packet);
  source->stop();
  CHECK(source->next(p) == PacketSource::Next::End);
}
