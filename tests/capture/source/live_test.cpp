// Live capture on the loopback interface (needs root, as in CI): a UDP datagram to 127.0.0.1 is
// seen through a BPF filter on its port; stop() ends a blocked read; kernel counters are read.
// Skipped visibly without the privilege to capture.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "pcap_writer.h"

namespace {

using namespace sanso::capture;
using namespace sanso::capture::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::unique_ptr<PacketSource> open_lo(const std::string& bpf, std::vector<SourceError>& errors) {
  if (::geteuid() != 0) {
    MESSAGE("skipped: live capture needs root");
    return nullptr;
  }
  SourceOptions o;
  o.interface = "lo";
  o.bpf = bpf;
  o.buffer_mb = 2;
  auto source = PacketSource::open(o, errors);
  if (!source) {
    // Root without CAP_NET_RAW (some containers) is a skip; any other failure is a bug.
    std::string text = render(errors);
    bool permission = text.find("ermission") != std::string::npos ||
                      text.find("not permitted") != std::string::npos;
    if (permission) MESSAGE("skipped: cannot capture on lo: " << text);
    else FAIL_CHECK("cannot capture on lo: " << text);
  }
  return source;
}

void send_udp(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const char msg[] = "sanso";
  CHECK(::sendto(fd, msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == sizeof msg);
  ::close(fd);
}

}  // namespace

TEST_CASE("live capture on lo sees a UDP datagram through a BPF filter") {
  const std::uint16_t port = 47000 + static_cast<std::uint16_t>(::getpid() % 1000);
  std::vector<SourceError> errors;
  auto source = open_lo("udp dst port " + std::to_string(port), errors);
  if (!source) return;
  CHECK(source->current_input() == "lo");
  send_udp(port);
  RawPacket p;
  bool seen = false;
  auto deadline = Clock::now() + 2s;
  while (!seen && Clock::now() < deadline) {
    PacketSource::Next n = source->next(p);
    REQUIRE(n != PacketSource::Next::End);
    if (n == PacketSource::Next::Packet) seen = true;
  }
  REQUIRE(seen);
  CHECK(p.link == LinkType::Ethernet);  // Linux lo is DLT_EN10MB
  CHECK(p.caplen == 14 + 20 + 8 + 6);
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(p.ts <= now_ns);
  CHECK(p.ts > now_ns - 5 * kSec);
  SourceStats s = source->stats();
  CHECK(s.packets == 1);
  CHECK(s.kernel_received >= 1);
}

TEST_CASE("live capture: stop() from another thread ends a blocked read; a bad filter is fatal") {
  std::vector<SourceError> errors;
  auto source = open_lo("udp dst port 9", errors);
  if (!source) return;
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    source->stop();
  });
  RawPacket p;
  PacketSource::Next n = PacketSource::Next::Idle;
  auto deadline = Clock::now() + 2s;
  while (n != PacketSource::Next::End && Clock::now() < deadline) n = source->next(p);
  stopper.join();
  CHECK(n == PacketSource::Next::End);

  SourceOptions o;
  o.interface = "lo";
  o.bpf = "tcp prot 80";
  errors.clear();
  CHECK_FALSE(PacketSource::open(o, errors));
  CHECK(render(errors) == "filter: invalid expression 'tcp prot 80': syntax error\n");
}

TEST_CASE("live capture: duration runs on the wall clock; a missing interface is fatal") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: live capture needs root");
    return;
  }
  SourceOptions o;
  o.interface = "lo";
  o.bpf = "udp dst port 9";
  o.buffer_mb = 2;
  o.duration_s = 0.2;
  std::vector<SourceError> errors;
  auto source = open_lo(o.bpf, errors);
  if (!source) return;
  source.reset();
  source = PacketSource::open(o, errors);
  REQUIRE(source);
  auto start = Clock::now();
  read_all(*source, 1000);
  auto took = Clock::now() - start;
  CHECK(took >= 150ms);
  CHECK(took < 1000ms);

  o.interface = "sanso-no-such0";
  o.duration_s.reset();
  errors.clear();
  CHECK_FALSE(PacketSource::open(o, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].input == "sanso-no-such0");
  MESSAGE(errors[0].render());
}
