#include "service/metrics_server.h"

#include <atomic>
#include <exception>
#include <thread>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it

#include <boost/asio.hpp>
#include <fmt/format.h>

namespace sanso::service {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// End of the request head: a blank line, with CRLF or bare LF (curl sends the first, a hand
/// typed `nc` request the second).
std::pair<asio::buffers_iterator<asio::streambuf::const_buffers_type>, bool> end_of_head(
    asio::buffers_iterator<asio::streambuf::const_buffers_type> begin,
    asio::buffers_iterator<asio::streambuf::const_buffers_type> end) {
  char prev1 = 0, prev2 = 0;
  for (auto it = begin; it != end; ++it) {
    const char c = *it;
    if (c == '\n' && (prev1 == '\n' || (prev1 == '\r' && prev2 == '\n'))) return {it + 1, true};
    prev2 = prev1;
    prev1 = c;
  }
  return {end, false};
}

std::string response(int code, std::string_view reason, std::string_view content_type, std::string_view body,
                     bool head_only, std::string_view extra_headers = "") {
  std::string out = fmt::format(
      "HTTP/1.0 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n", code, reason,
      content_type, body.size(), extra_headers);
  if (!head_only) out += body;
  return out;
}

}  // namespace

std::optional<HostPort> parse_metrics_listen(std::string_view text, std::string& error) {
  auto hp = parse_host_port(text, "127.0.0.1", error, /*allow_port_zero=*/true);
  if (!hp) error = "--metrics " + error;
  return hp;
}

struct MetricsServer::Impl {
  Impl(HostPort l, std::function<std::string()> m, MetricsServerOptions o)
      : listen(std::move(l)), metrics(std::move(m)), options(o) {}

  HostPort listen;
  std::function<std::string()> metrics;
  MetricsServerOptions options;
  // Declared before io: connections still pending when io is destroyed decrement it.
  std::atomic<std::size_t> connections{0};
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::uint16_t port = 0;

  void accept();
  std::string answer(std::string_view head);
};

namespace {

/// One request, one response, then close. Owned by its pending handlers.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, MetricsServer::Impl& server)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), buffer_(server.options.max_request_bytes),
        server_(server) {
    ++server_.connections;
  }
  ~Connection() { --server_.connections; }

  void start() {
    auto self = shared_from_this();
    timer_.expires_after(server_.options.read_timeout);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (ec) return;
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
    asio::async_read_until(socket_, buffer_, &end_of_head,
                           [self](const boost::system::error_code& ec, std::size_t n) { self->on_head(ec, n); });
  }

 private:
  void on_head(const boost::system::error_code& ec, std::size_t n) {
    if (ec == asio::error::not_found) {
      // The head outgrew max_request_bytes: answer, then close.
      reply(response(431, "Request Header Fields Too Large", "text/plain; charset=utf-8", "request too large\n",
                     false));
      return;
    }
    if (ec) return;  // timeout (socket closed), reset, or EOF before a full head
    const auto data = buffer_.data();
    const std::string head(asio::buffers_begin(data), asio::buffers_begin(data) + static_cast<std::ptrdiff_t>(n));
    reply(server_.answer(head));
  }

  void reply(std::string text) {
    timer_.cancel();
    out_ = std::move(text);
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self](const boost::system::error_code&, std::size_t) {
      boost::system::error_code ignored;
      self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
      self->socket_.close(ignored);
    });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_;
  std::string out_;
  MetricsServer::Impl& server_;
};

}  // namespace

std::string MetricsServer::Impl::answer(std::string_view head) {
  const std::string_view line = head.substr(0, head.find_first_of("\r\n"));
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos) {
    return response(400, "Bad Request", "text/plain; charset=utf-8", "bad request\n", false);
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  const bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) {
    return response(405, "Method Not Allowed", "text/plain; charset=utf-8", "method not allowed\n", false,
                    "Allow: GET, HEAD\r\n");
  }
  if (target == "/healthz") return response(200, "OK", "text/plain; charset=utf-8", "ok\n", head_only);
  if (target == "/metrics") {
    std::string body;
    try {
      body = metrics ? metrics() : std::string();
    } catch (const std::exception& e) {
      return response(500, "Internal Server Error", "text/plain; charset=utf-8",
                      fmt::format("metrics failed: {}\n", e.what()), head_only);
    }
    return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", body, head_only);
  }
  return response(404, "Not Found", "text/plain; charset=utf-8", "not found\n", head_only);
}

void MetricsServer::Impl::accept() {
  acceptor.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections >= options.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Connection>(std::move(socket), *this)->start();
      }
    }
    accept();
  });
}

MetricsServer::MetricsServer(HostPort listen, std::function<std::string()> metrics, MetricsServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(listen), std::move(metrics), options)) {}

MetricsServer::~MetricsServer() { stop(); }

bool MetricsServer::start(std::string& error) {
  Impl& s = *impl_;
  if (s.thread.joinable()) return true;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(s.listen.host, ec);
  if (ec) {
    error = fmt::format("--metrics {}: '{}' is not an IP address", format_host_port(s.listen), s.listen.host);
    return false;
  }
  const tcp::endpoint endpoint(address, s.listen.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = fmt::format("cannot listen on {}: {}", format_host_port(s.listen), ec.message());
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    return false;
  }
  s.port = s.acceptor.local_endpoint().port();
  s.accept();
  s.thread = std::thread([&s] { s.io.run(); });
  return true;
}

void MetricsServer::stop() {
  Impl& s = *impl_;
  if (!s.thread.joinable()) return;
  // Connections in progress are abandoned (a scrape is retried), not waited for.
  s.io.stop();
  s.thread.join();
  boost::system::error_code ignored;
  s.acceptor.close(ignored);  // the thread is gone: safe to touch from here
}

std::uint16_t MetricsServer::port() const { return impl_->port; }

}  // namespace sanso::service
