// Syslog: the exact RFC 5424 frame, over UDP and over TCP with RFC 6587 octet counting, to a local
// Asio receiver on an ephemeral port; reconnection; the bounded queue.
#include "service/syslog.h"

#include <doctest/doctest.h>

#include <thread>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it

#include <boost/asio.hpp>

namespace sanso::service {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

SyslogOptions fixed_options() {
  SyslogOptions o;
  o.hostname = "mon1";
  o.procid = "4242";
  o.reconnect_delay = std::chrono::milliseconds(20);
  o.clock = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789)); };
  return o;
}

constexpr std::string_view kExpected = "<130>1 2024-05-01T12:34:56.789Z mon1 sanso 4242 MN-ISOLATE - flow 10.1.20.5 -> 10.2.20.40";

/// Reads exactly `n` bytes from an accepted connection, giving up after a second.
std::string read_exactly(tcp::socket& s, std::size_t n) {
  std::string out(n, '\0');
  boost::system::error_code ec;
  asio::read(s, asio::buffer(out), ec);
  return ec ? std::string() : out;
}

/// Accepts one connection within a second (the acceptor is non-blocking-polled).
std::optional<tcp::socket> accept_one(asio::io_context& io, tcp::acceptor& acceptor) {
  std::optional<tcp::socket> accepted;
  acceptor.async_accept([&](const boost::system::error_code& ec, tcp::socket s) {
    if (!ec) accepted.emplace(std::move(s));
  });
  io.restart();
  io.run_for(std::chrono::seconds(2));
  return accepted;
}

}  // namespace

TEST_CASE("syslog: targets, severities and the RFC 5424 header") {
  std::string error;
  auto t = parse_syslog_target("logs.example:514", error);
  REQUIRE(t);
  CHECK(t->transport == SyslogTransport::Udp);
  CHECK(t->address.host == "logs.example");
  CHECK(t->address.port == 514);
  t = parse_syslog_target("tcp://[2001:db8::1]:6514", error);
  REQUIRE(t);
  CHECK(t->transport == SyslogTransport::Tcp);
  CHECK(t->address.host == "2001:db8::1");
  CHECK(parse_syslog_target("udp://10.0.0.1:514", error));
  CHECK_FALSE(parse_syslog_target("tls://10.0.0.1:6514", error));
  CHECK_FALSE(parse_syslog_target("10.0.0.1", error));
  CHECK_FALSE(parse_syslog_target("2001:db8::1:514", error));
  CHECK(error.find("brackets") != std::string::npos);
  CHECK_FALSE(parse_syslog_target("host:70000", error));

  CHECK(syslog_severity("critical") == 2);
  CHECK(syslog_severity("high") == 3);
  CHECK(syslog_severity("medium") == 4);
  CHECK(syslog_severity("low") == 5);
  CHECK(syslog_severity("info") == 6);

  SyslogHeader h;
  h.severity = 2;
  h.timestamp = "2024-05-01T12:34:56.789Z";
  h.hostname = "mon 1";
  h.procid = "7";
  h.msgid = "";
  CHECK(format_rfc5424(h, "x") == "<130>1 2024-05-01T12:34:56.789Z mon_1 sanso 7 - - x");
  CHECK(format_rfc5424(h, "") == "<130>1 2024-05-01T12:34:56.789Z mon_1 sanso 7 - -");
  // Non-ASCII text is marked with a BOM and cut on a character boundary.
  const std::string ja = "\xE5\x88\x86\xE9\x9B\xA2";  // 分離
  const std::string prefix = "<130>1 2024-05-01T12:34:56.789Z mon_1 sanso 7 - - \xEF\xBB\xBF";
  CHECK(format_rfc5424(h, ja) == prefix + ja);
  CHECK(format_rfc5424(h, ja, prefix.size() + 4) == prefix + "\xE5\x88\x86");
  CHECK(frame_octet_counted("<130>1 x") == "8 <130>1 x");
}

TEST_CASE("syslog over UDP: one datagram per message") {
  asio::io_context io;
  udp::socket receiver(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  SyslogTarget target;
  target.address = {"127.0.0.1", receiver.local_endpoint().port()};
  SyslogSender sender(target, fixed_options());
  std::string error;
  REQUIRE_MESSAGE(sender.start(error), error);
  sender.send("critical", "MN-ISOLATE", "flow 10.1.20.5 -> 10.2.20.40");
  CHECK(sender.flush(std::chrono::seconds(2)));

  std::string got(2048, '\0');
  std::size_t n = 0;
  receiver.async_receive(asio::buffer(got), [&](const boost::system::error_code& ec, std::size_t size) {
    if (!ec) n = size;
  });
  io.run_for(std::chrono::seconds(2));
  got.resize(n);
  CHECK(got == kExpected);
  sender.stop();
  CHECK(sender.stats().sent == 1);
  CHECK(sender.stats().dropped == 0);
}

TEST_CASE("syslog over TCP: octet counting, and reconnection after the collector drops") {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  SyslogTarget target;
  target.transport = SyslogTransport::Tcp;
  target.address = {"127.0.0.1", acceptor.local_endpoint().port()};
  SyslogSender sender(target, fixed_options());
  std::string error;
  REQUIRE_MESSAGE(sender.start(error), error);

  sender.send("critical", "MN-ISOLATE", "flow 10.1.20.5 -> 10.2.20.40");
  sender.send("info", "CHAIN", "alert log a.jsonl seq=1 head=00");
  auto conn = accept_one(io, acceptor);
  REQUIRE(conn);
  const std::string first = std::to_string(kExpected.size()) + " " + std::string(kExpected);
  CHECK(read_exactly(*conn, first.size()) == first);
  const std::string second_msg = "<134>1 2024-05-01T12:34:56.789Z mon1 sanso 4242 CHAIN - alert log a.jsonl seq=1 head=00";
  const std::string second = std::to_string(second_msg.size()) + " " + second_msg;
  CHECK(read_exactly(*conn, second.size()) == second);
  CHECK(sender.flush(std::chrono::seconds(2)));

  // The collector goes away; once the sender has noticed (a message written into the dying
  // connection before that is lost: syslog over TCP has no acknowledgements), the next message
  // arrives on a new connection.
  conn->close();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  sender.send("high", "LG-INET-SPLIT", "again");
  auto again = accept_one(io, acceptor);
  REQUIRE(again);
  const std::string third_msg = "<131>1 2024-05-01T12:34:56.789Z mon1 sanso 4242 LG-INET-SPLIT - again";
  CHECK(read_exactly(*again, std::to_string(third_msg.size()).size() + 1 + third_msg.size()) ==
        std::to_string(third_msg.size()) + " " + third_msg);
  CHECK(sender.flush(std::chrono::seconds(2)));
  sender.stop();
  const auto st = sender.stats();
  CHECK(st.sent == 3);
  CHECK(st.dropped == 0);
  CHECK(st.errors >= 1);  // the lost connection
}

TEST_CASE("syslog: a full queue drops the oldest and counts it, never blocks") {
  // A TCP port nobody listens on: connections fail, messages wait, the queue overflows.
  asio::io_context io;
  std::uint16_t port = 0;
  {
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  SyslogTarget target;
  target.transport = SyslogTransport::Tcp;
  target.address = {"127.0.0.1", port};
  auto options = fixed_options();
  options.queue_limit = 3;
  options.reconnect_delay = std::chrono::seconds(10);
  SyslogSender sender(target, options);
  std::string error;
  REQUIRE(sender.start(error));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) sender.send("low", "X", "m");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200));
  CHECK_FALSE(sender.flush(std::chrono::milliseconds(50)));
  sender.stop();
  const auto st = sender.stats();
  CHECK(st.sent == 0);
  CHECK(st.dropped == 10);  // 7 on overflow, 3 unsent at stop
  CHECK(st.errors >= 1);
}

}  // namespace sanso::service
