// Follow mode on a directory of rotated captures, with a short settle time: complete files are
// read once each, the newest file waits until it settles or a newer one appears, and next() says
// Idle while there is nothing to read.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "capture/source/open_detail.h"
#include "pcap_writer.h"

namespace {

using namespace sanso::capture;
using namespace sanso::capture::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Follower {
  std::unique_ptr<PacketSource> source;
  std::vector<Nanos> got;
  int idles = 0;
  /// Calls next() until `want` packets have arrived in total, or `limit` passes.
  void until(std::size_t want, std::chrono::milliseconds limit) {
    RawPacket p;
    auto deadline = Clock::now() + limit;
    while (got.size() < want && Clock::now() < deadline) {
      PacketSource::Next n = source->next(p);
      if (n == PacketSource::Next::Packet) got.push_back(p.ts);
      if (n == PacketSource::Next::Idle) ++idles;
      if (n == PacketSource::Next::End) break;
    }
  }
};

}  // namespace

TEST_CASE("follow mode reads rotated files once each, after they are complete") {
  TempDir dir;
  write_pcap(dir / "cap-001.pcap", at({1, 2}));
  write_pcap(dir / "cap-002.pcap", at({3}));  // newest: read once it has settled

  SourceOptions o;
  o.inputs = {dir.path()};
  o.follow = true;
  o.timeout_ms = 10;  // polls every 100 ms
  std::vector<SourceError> errors;
  Follower f{source_detail::open_source(o, 150ms, errors)};
  REQUIRE_MESSAGE(f.source, render(errors));

  f.until(2, 1000ms);
  CHECK(f.got == std::vector<Nanos>{1, 2});  // cap-001 at once: a later file exists
  f.until(3, 1000ms);
  CHECK(f.got == std::vector<Nanos>{1, 2, 3});  // cap-002 after settling

  // Rotation: cap-003 appears and is still being written; cap-004 makes it complete at once.
  write_pcap(dir / "cap-003.pcap", at({4, 5}));
  write_pcap(dir / "cap-004.pcap", at({6}));
  auto start = Clock::now();
  f.until(5, 1000ms);
  CHECK(f.got == std::vector<Nanos>{1, 2, 3, 4, 5});
  f.until(6, 1000ms);
  CHECK(f.got == std::vector<Nanos>{1, 2, 3, 4, 5, 6});
  CHECK(Clock::now() - start < 900ms);

  // Nothing new: Idle, and no file is read twice.
  f.idles = 0;
  f.until(7, 300ms);
  CHECK(f.got.size() == 6);
  CHECK(f.idles > 0);

  // A stray file in the directory is recorded, not fatal.
  write_text(dir / "cap-005.txt", "not a capture");
  write_pcap(dir / "cap-006.pcap", at({7}));
  f.until(7, 1000ms);
  CHECK(f.got.size() == 7);
  f.until(8, 150ms);  // lets the last reader finish
  SourceStats s = f.source->stats();
  REQUIRE(s.read_errors.size() == 1);
  CHECK(s.read_errors[0].render() == dir / "cap-005.txt" + ": unknown file format");
  CHECK(s.files_read == 5);
  CHECK(s.max_files_open <= 2);

  // stop() from another thread ends a waiting next().
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    f.source->stop();
  });
  RawPacket p;
  PacketSource::Next n = PacketSource::Next::Idle;
  auto deadline = Clock::now() + 1000ms;
  while (n == PacketSource::Next::Idle && Clock::now() < deadline) n = f.source->next(p);
  stopper.join();
  CHECK(n == PacketSource::Next::End);
}

TEST_CASE("follow mode needs a directory") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1}));
  SourceOptions o;
  o.inputs = {dir / "a.pcap"};
  o.follow = true;
  std::vector<SourceError> errors;
  CHECK_FALSE(PacketSource::open(o, errors));
  CHECK(render(errors) == "input: follow mode watches directories, and no input is a directory\n");
}
