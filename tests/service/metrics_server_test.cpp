// The metrics endpoint: /metrics, /healthz, 404, limits, and a port already in use; and the
// Prometheus text it serves.
#include "service/metrics_server.h"

#include <doctest/doctest.h>

#include <utility>  // Boost 1.74 Asio uses std::exchange without including it

#include <boost/asio.hpp>

#include "service/prometheus.h"

namespace sanso::service {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// Sends `request` and reads the whole response (the server closes after it).
std::string http(std::uint16_t port, const std::string& request) {
  asio::io_context io;
  tcp::socket s(io);
  boost::system::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return "connect failed: " + ec.message();
  if (!request.empty()) asio::write(s, asio::buffer(request), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    const std::size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

std::string body_of(const std::string& response) {
  const std::size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : response.substr(at + 4);
}

}  // namespace

TEST_CASE("prometheus text: families, labels, escaping") {
  MetricsText m;
  m.declare("sanso_alerts_total", MetricType::Counter, "Alerts raised.\nBy rule");
  m.add("sanso_alerts_total", {{"rule", "MN-ISOLATE"}, {"from", "my\"num\\ber\n"}}, std::uint64_t{3});
  m.declare("sanso_flows", MetricType::Gauge, "Live flows");
  m.add("sanso_flows", {}, 12.5);
  m.add("sanso_flows", {{"bad-label", "x"}}, std::numeric_limits<double>::infinity());
  CHECK(m.text() ==
        "# HELP sanso_alerts_total Alerts raised.\\nBy rule\n"
        "# TYPE sanso_alerts_total counter\n"
        "sanso_alerts_total{rule=\"MN-ISOLATE\",from=\"my\\\"num\\\\ber\\n\"} 3\n"
        "# HELP sanso_flows Live flows\n"
        "# TYPE sanso_flows gauge\n"
        "sanso_flows 12.5\n"
        "sanso_flows{bad_label=\"x\"} +Inf\n");
  CHECK(sanitize_name("9lives") == "_lives");
  CHECK(format_value(std::nan("")) == "NaN");
}

TEST_CASE("metrics listen address: default host is loopback") {
  std::string error;
  auto hp = parse_metrics_listen("9100", error);
  REQUIRE(hp);
  CHECK(hp->host == "127.0.0.1");
  CHECK(hp->port == 9100);
  hp = parse_metrics_listen(":9100", error);
  REQUIRE(hp);
  CHECK(hp->host == "127.0.0.1");
  hp = parse_metrics_listen("0.0.0.0:9100", error);
  REQUIRE(hp);
  CHECK(hp->host == "0.0.0.0");
  hp = parse_metrics_listen("[::1]:9100", error);
  REQUIRE(hp);
  CHECK(hp->host == "::1");
  CHECK_FALSE(parse_metrics_listen("localhost:http", error));
}

TEST_CASE("metrics server: /metrics, /healthz, 404, limits, port in use") {
  int scrapes = 0;
  MetricsServerOptions options;
  options.max_request_bytes = 1024;
  options.read_timeout = std::chrono::milliseconds(100);
  MetricsServer server({"127.0.0.1", 0}, [&] {
    ++scrapes;
    return std::string("sanso_packets_total 42\n");
  }, options);
  std::string error;
  REQUIRE_MESSAGE(server.start(error), error);
  const std::uint16_t port = server.port();
  REQUIRE(port != 0);

  auto r = http(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
  CHECK(r ==
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 23\r\n"
        "Connection: close\r\n\r\nsanso_packets_total 42\n");
  CHECK(scrapes == 1);
  r = http(port, "GET /healthz\n\n");  // bare LF, as typed into nc
  CHECK(r.starts_with("HTTP/1.0 200 OK\r\n"));
  CHECK(body_of(r) == "ok\n");
  r = http(port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n");
  CHECK(body_of(r) == "sanso_packets_total 42\n");
  r = http(port, "HEAD /metrics HTTP/1.0\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.0 200 OK\r\n"));
  CHECK(body_of(r).empty());
  r = http(port, "GET /admin HTTP/1.0\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.0 404 Not Found\r\n"));
  r = http(port, "POST /metrics HTTP/1.0\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.0 405 Method Not Allowed\r\n"));
  r = http(port, "GET /" + std::string(2000, 'a') + " HTTP/1.0\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.0 431 "));
  // A client that sends nothing is cut off at the read timeout, with no response.
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(http(port, "").empty());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));

  MetricsServer second({"127.0.0.1", port}, [] { return std::string(); });
  CHECK_FALSE(second.start(error));
  CHECK(error == "cannot listen on 127.0.0.1:" + std::to_string(port) + ": Address already in use");

  server.stop();
  server.stop();  // idempotent
  CHECK(http(port, "GET /healthz HTTP/1.0\r\n\r\n").starts_with("connect failed"));
}

}  // namespace sanso::service
