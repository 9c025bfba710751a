// Which inputs become which files, and what happens to the ones libpcap cannot read: missing,
// not a capture, compressed, found in a directory, standard input.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "capture/source/inputs.h"
#include "pcap_writer.h"

namespace {

using namespace sanso::capture;
using namespace sanso::capture::test;

std::unique_ptr<PacketSource> open_inputs(std::vector<std::string> inputs, std::vector<SourceError>& errors) {
  SourceOptions o;
  o.inputs = std::move(inputs);
  return PacketSource::open(o, errors);
}

std::vector<std::string> paths(const source_detail::ExpandedInputs& e) {
  std::vector<std::string> out;
  for (const auto& f : e.files) out.push_back(f.path);
  return out;
}

}  // namespace

TEST_CASE("directories give their regular files sorted; globs expand; duplicates are read once") {
  TempDir dir;
  write_pcap(dir / "b.pcap", at({1}));
  write_pcap(dir / "a.pcap", at({2}));
  write_pcap(dir / "c.pcapng.txt", at({3}));
  write_pcap(dir / ".partial.pcap", at({4}));  // a writer's temporary name: skipped
  std::filesystem::create_directory(dir / "sub");
  write_pcap(dir / "sub/d.pcap", at({5}));  // not recursive

  std::vector<SourceError> errors;
  auto e = source_detail::expand_inputs({dir.path()}, errors);
  CHECK(errors.empty());
  CHECK(paths(e) == std::vector<std::string>{dir / "a.pcap", dir / "b.pcap", dir / "c.pcapng.txt"});
  CHECK(e.directories == std::vector<std::string>{dir.path()});
  CHECK_FALSE(e.files[0].named);
  CHECK(e.files[0].directory == dir.path());

  e = source_detail::expand_inputs({dir / "*.pcap"}, errors);
  CHECK(paths(e) == std::vector<std::string>{dir / "a.pcap", dir / "b.pcap"});
  CHECK(e.directories.empty());

  e = source_detail::expand_inputs({dir / "b.pcap", dir / "*.pcap", dir.path()}, errors);
  CHECK(paths(e) == std::vector<std::string>{dir / "b.pcap", dir / "a.pcap", dir / "c.pcapng.txt"});
  CHECK(e.files[0].named);
  CHECK(errors.empty());

  auto source = open_inputs({dir / "?.pcap"}, errors);
  REQUIRE(source);
  CHECK(times(read_all(*source)) == std::vector<Nanos>{1, 2});
}

TEST_CASE("a glob without matches and stdin named twice are errors") {
  TempDir dir;
  std::vector<SourceError> errors;
  CHECK_FALSE(open_inputs({dir / "*.pcap", "-", "-"}, errors));
  CHECK(render(errors) == dir / "*.pcap" + ": no capture file matches the pattern\n" +
                              "-: standard input named more than once\n");
}

TEST_CASE("a missing file, a text file and a compressed file named explicitly are fatal") {
  TempDir dir;
  write_pcap(dir / "good.pcap", at({1}));
  write_text(dir / "notes.txt", "this is not a capture\n");
  write_text(dir / "trace.pcap.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8));
  write_text(dir / "trace.pcap.zst", std::string("\x28\xb5\x2f\xfd\x00", 5));
  write_text(dir / "empty.pcap", "");
  std::vector<SourceError> errors;
  CHECK_FALSE(open_inputs({dir / "good.pcap", dir / "missing.pcap", dir / "notes.txt",
                           dir / "trace.pcap.gz", dir / "trace.pcap.zst", dir / "empty.pcap"},
                          errors));
  CHECK(render(errors) == dir / "missing.pcap" + ": no such file or directory\n" +
                              dir / "notes.txt" + ": unknown file format\n" +
                              dir / "trace.pcap.gz" + ": compressed capture: decompress first (gzip)\n" +
                              dir / "trace.pcap.zst" + ": compressed capture: decompress first (zstd)\n" +
                              dir / "empty.pcap" + ": empty file, not a capture\n");
}

TEST_CASE("unreadable files inside a directory are recorded and skipped") {
  // Choice: a directory is "whatever is in there"; one stray file must not stop the monitor.
  TempDir dir;
  write_pcap(dir / "1.pcap", at({1}));
  write_text(dir / "2.txt", "README\n");
  write_text(dir / "3.pcap.gz", std::string("\x1f\x8b\x08\x00", 4));
  write_pcap(dir / "4.pcap", at({2}));
  std::vector<SourceError> errors;
  auto source = open_inputs({dir.path()}, errors);
  REQUIRE_MESSAGE(source, render(errors));
  CHECK(times(read_all(*source)) == std::vector<Nanos>{1, 2});
  SourceStats s = source->stats();
  CHECK(render(s.read_errors) == dir / "2.txt" + ": unknown file format\n" + dir / "3.pcap.gz" +
                                     ": compressed capture: decompress first (gzip)\n");
  CHECK(s.files_read == 2);
}

TEST_CASE("open_stream reads an already open FILE and owns it") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({7, 8}));
  std::FILE* f = std::fopen((dir / "a.pcap").c_str(), "rb");
  REQUIRE(f);
  std::vector<SourceError> errors;
  auto source = PacketSource::open_stream(f, "-", {}, errors);
  REQUIRE(source);
  auto got = read_all(*source);
  CHECK(times(got) == std::vector<Nanos>{7, 8});
  CHECK(got[0].input == "-");

  // A compressed stream that cannot be rewound is recognised by its first byte.
  write_text(dir / "b.gz", std::string("\x1f\x8b\x08\x00", 4));
  f = std::fopen((dir / "b.gz").c_str(), "rb");
  REQUIRE(f);
  CHECK_FALSE(PacketSource::open_stream(f, "-", {}, errors));
  CHECK(render(errors) == "-: compressed capture: decompress first (gzip)\n");
}

TEST_CASE("\"-\" reads standard input, merged with files") {
  TempDir dir;
  write_pcap(dir / "in.pcap", at({2, 4}));
  write_pcap(dir / "file.pcap", at({1, 3}));
  // Put the capture on file descriptor 0 for the duration of the test, then restore it.
  std::fflush(stdin);
  int saved = ::dup(0);
  std::FILE* in = std::fopen((dir / "in.pcap").c_str(), "rb");
  REQUIRE(in);
  REQUIRE(::dup2(::fileno(in), 0) == 0);
  std::fclose(in);
  std::clearerr(stdin);
  std::vector<Delivered> got;
  {
    std::vector<SourceError> errors;
    auto source = open_inputs({"-", dir / "file.pcap"}, errors);
    if (source) got = read_all(*source);
    CHECK_MESSAGE(errors.empty(), render(errors));
  }
  ::dup2(saved, 0);
  ::close(saved);
  std::clearerr(stdin);
  CHECK(times(got) == std::vector<Nanos>{1, 2, 3, 4});
  REQUIRE(got.size() == 4);
  CHECK(got[1].input == "-");
}

TEST_CASE("a named pipe is read once, kept open like standard input") {
  TempDir dir;
  write_pcap(dir / "a.pcap", at({1, 3}));
  write_pcap(dir / "b.pcap", at({2}));
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  // The writer waits (at most 2 s, so a failure cannot hang the test) for the source to open the
  // pipe for reading, then writes the capture into it.
  std::thread writer([&] {
    std::ifstream in(dir / "a.pcap", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    int fd = -1;
    for (int i = 0; i < 400 && fd < 0; ++i) {
      fd = ::open((dir / "fifo").c_str(), O_WRONLY | O_NONBLOCK);
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (fd < 0) return;
    ::fcntl(fd, F_SETFL, 0);
    [[maybe_unused]] ssize_t n = ::write(fd, bytes.data(), bytes.size());
    ::close(fd);
  });
  std::vector<SourceError> errors;
  auto source = open_inputs({dir / "fifo", dir / "b.pcap"}, errors);
  std::vector<Delivered> got;
  if (source) got = read_all(*source);
  writer.join();
  REQUIRE_MESSAGE(source, render(errors));
  CHECK(times(got) == std::vector<Nanos>{1, 2, 3});
}
