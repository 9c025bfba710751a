#pragma once
// The monitor's HTTP endpoint for Prometheus: GET /metrics and GET /healthz on its own thread.
// Deliberately minimal (HTTP/1.0, one request per connection, bounded request size, read
// timeout, bounded connections): it is scraped by one collector, and must never be a way to
// slow the packet path down.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "service/endpoint.h"

namespace sanso::service {

struct MetricsServerOptions {
  std::size_t max_request_bytes = 8192;
  std::chrono::milliseconds read_timeout{5000};
  std::size_t max_connections = 16;
};

/// `--metrics` value: ADDR:PORT, [V6]:PORT, :PORT or PORT (the last two on 127.0.0.1: metrics
/// reveal the network's structure, so listening beyond the host must be asked for).
std::optional<HostPort> parse_metrics_listen(std::string_view text, std::string& error);

class MetricsServer {
 public:
  /// `metrics` is called on the server's thread for each GET /metrics and returns the exposition
  /// text (see MetricsText); it must be safe to call concurrently with the monitor's work.
  MetricsServer(HostPort listen, std::function<std::string()> metrics, MetricsServerOptions options = {});
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Binds and starts serving; false with `error` ("cannot listen on 127.0.0.1:9100: Address
  /// already in use") when the address cannot be bound.
  bool start(std::string& error);
  /// Closes the listener and joins the thread; idempotent.
  void stop();
  /// The bound port (useful with port 0).
  std::uint16_t port() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanso::service
