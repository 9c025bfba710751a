#include "service/syslog.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it

#include <boost/asio.hpp>
#include <fmt/format.h>

namespace sanso::service {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

/// RFC 5424 §6: PRINTUSASCII (33..126) only, at most `max` characters, "-" for nothing.
std::string header_field(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() == max) break;
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 33 && u <= 126) ? c : '_';
  }
  return out.empty() ? "-" : out;
}

/// Cuts at most `max` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string local_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "-";
  return buf;
}

}  // namespace

std::optional<SyslogTarget> parse_syslog_target(std::string_view text, std::string& error) {
  SyslogTarget t;
  std::string_view rest = text;
  if (rest.starts_with("udp://")) {
    rest.remove_prefix(6);
  } else if (rest.starts_with("tcp://")) {
    t.transport = SyslogTransport::Tcp;
    rest.remove_prefix(6);
  } else if (rest.find("://") != std::string_view::npos) {
    error = fmt::format("syslog target '{}': only udp:// and tcp:// are supported", text);
    return std::nullopt;
  }
  auto hp = parse_host_port(rest, "", error);
  if (!hp) {
    error = "syslog target " + error;
    return std::nullopt;
  }
  t.address = std::move(*hp);
  return t;
}

int syslog_severity(std::string_view alert_severity) {
  if (alert_severity == "critical") return 2;
  if (alert_severity == "high") return 3;
  if (alert_severity == "medium") return 4;
  if (alert_severity == "low") return 5;
  if (alert_severity == "info") return 6;
  return 5;
}

std::string format_rfc5424(const SyslogHeader& h, std::string_view msg, std::size_t max_bytes) {
  const int pri = std::clamp(h.facility, 0, 23) * 8 + std::clamp(h.severity, 0, 7);
  std::string out = fmt::format("<{}>1 {} {} {} {} {} -", pri, header_field(h.timestamp, 64),
                                header_field(h.hostname, 255), header_field(h.app_name, 48),
                                header_field(h.procid, 128), header_field(h.msgid, 32));
  if (msg.empty()) return out;
  out += ' ';
  // §6.4: a MSG known to be UTF-8 starts with a BOM. Plain ASCII goes without, as most senders do.
  const bool ascii = std::all_of(msg.begin(), msg.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) out += "\xEF\xBB\xBF";
  if (out.size() >= max_bytes) return out;
  out += cut_utf8(msg, max_bytes - out.size());
  return out;
}

std::string frame_octet_counted(std::string_view message) {
  return fmt::format("{} {}", message.size(), message);
}

/// Everything below runs on the sender's own thread, except send(), flush(), stop() and stats(),
/// which only touch the mutex-guarded queue and the atomics.
struct SyslogSender::Impl {
  enum class Link { Down, Connecting, Up, Waiting };

  Impl(SyslogTarget t, SyslogOptions o) : target(std::move(t)), options(std::move(o)) {}

  SyslogTarget target;
  SyslogOptions options;
  std::string hostname;
  std::string procid;

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
  udp::socket udp_socket{io};
  tcp::socket tcp_socket{io};
  asio::steady_timer retry{io};
  std::vector<tcp::endpoint> tcp_endpoints;
  udp::endpoint udp_endpoint;
  char read_sink[64];

  // io thread only
  Link link = Link::Down;
  bool writing = false;
  std::string current;

  std::mutex mu;
  std::condition_variable idle;
  std::deque<std::string> queue;  // guarded by mu
  bool in_flight = false;         // guarded by mu: `current` not yet handed to the kernel

  std::atomic<std::uint64_t> sent{0}, dropped{0}, errors{0};
  std::atomic<bool> stopping{false};

  void pump();
  void connect();
  void watch_for_close();
  void finished_one(bool delivered);
  void requeue_current();
};

void SyslogSender::Impl::finished_one(bool delivered) {
  writing = false;
  current.clear();
  if (delivered) ++sent;
  {
    std::lock_guard lock(mu);
    in_flight = false;
  }
  idle.notify_all();
  pump();
}

void SyslogSender::Impl::requeue_current() {
  writing = false;
  {
    std::lock_guard lock(mu);
    in_flight = false;
    // The oldest message is the one to lose when the queue is full, and `current` is older than
    // everything queued.
    if (queue.size() >= options.queue_limit) {
      ++dropped;
    } else {
      queue.push_front(std::move(current));
    }
  }
  current.clear();
}

void SyslogSender::Impl::connect() {
  link = Link::Connecting;
  asio::async_connect(tcp_socket, tcp_endpoints, [this](const boost::system::error_code& ec, const tcp::endpoint&) {
    if (ec) {
      ++errors;
      boost::system::error_code ignored;
      tcp_socket.close(ignored);
      link = Link::Waiting;
      retry.expires_after(options.reconnect_delay);
      retry.async_wait([this](const boost::system::error_code& wait_ec) {
        if (wait_ec) return;
        link = Link::Down;
        pump();
      });
      return;
    }
    link = Link::Up;
    watch_for_close();
    pump();
  });
}

void SyslogSender::Impl::watch_for_close() {
  // A collector never sends; a completed read means it closed or reset the connection. Noticing
  // that now, rather than at the next write, saves one message from going into a dead socket.
  tcp_socket.async_read_some(asio::buffer(read_sink), [this](const boost::system::error_code& ec, std::size_t) {
    if (!ec) {
      watch_for_close();
      return;
    }
    if (ec == asio::error::operation_aborted || link != Link::Up) return;
    ++errors;
    boost::system::error_code ignored;
    tcp_socket.close(ignored);  // a pending write completes with operation_aborted and requeues
    link = Link::Down;
    if (!writing) pump();
  });
}

void SyslogSender::Impl::pump() {
  if (writing || stopping) return;
  if (target.transport == SyslogTransport::Tcp && link != Link::Up) {
    if (link == Link::Down) {
      bool pending = false;
      {
        std::lock_guard lock(mu);
        pending = !queue.empty();
      }
      if (pending) connect();
    }
    return;
  }
  {
    std::lock_guard lock(mu);
    if (queue.empty()) {
      idle.notify_all();
      return;
    }
    current = std::move(queue.front());
    queue.pop_front();
    in_flight = true;
  }
  writing = true;
  if (target.transport == SyslogTransport::Udp) {
    udp_socket.async_send_to(asio::buffer(current), udp_endpoint, [this](const boost::system::error_code& ec, std::size_t) {
      if (ec == asio::error::operation_aborted) return requeue_current();
      if (ec) {
        ++errors;
        ++dropped;  // a datagram is not retried: the collector may never answer
      }
      finished_one(!ec);
    });
    return;
  }
  asio::async_write(tcp_socket, asio::buffer(current), [this](const boost::system::error_code& ec, std::size_t) {
    if (!ec) return finished_one(true);
    if (ec != asio::error::operation_aborted) ++errors;
    requeue_current();
    if (link == Link::Up) {
      boost::system::error_code ignored;
      tcp_socket.close(ignored);
      link = Link::Down;
    }
    pump();
  });
}

SyslogSender::SyslogSender(SyslogTarget target, SyslogOptions options)
    : impl_(std::make_unique<Impl>(std::move(target), std::move(options))) {
  impl_->hostname = impl_->options.hostname.empty() ? local_hostname() : impl_->options.hostname;
  impl_->procid = impl_->options.procid.empty() ? std::to_string(::getpid()) : impl_->options.procid;
}

SyslogSender::~SyslogSender() { stop(); }

bool SyslogSender::start(std::string& error) {
  Impl& s = *impl_;
  if (s.thread.joinable()) return true;
  boost::system::error_code ec;
  const std::string port = std::to_string(s.target.address.port);
  if (s.target.transport == SyslogTransport::Udp) {
    udp::resolver resolver(s.io);
    const auto results = resolver.resolve(s.target.address.host, port, ec);
    if (!ec && results.empty()) ec = asio::error::host_not_found;
    if (!ec) {
      s.udp_endpoint = results.begin()->endpoint();
      s.udp_socket.open(s.udp_endpoint.protocol(), ec);
    }
  } else {
    tcp::resolver resolver(s.io);
    const auto results = resolver.resolve(s.target.address.host, port, ec);
    if (!ec && results.empty()) ec = asio::error::host_not_found;
    for (const auto& r : results) s.tcp_endpoints.push_back(r.endpoint());
  }
  if (ec) {
    error = fmt::format("syslog target {}: {}", format_host_port(s.target.address), ec.message());
    return false;
  }
  s.work.emplace(s.io.get_executor());
  asio::post(s.io, [&s] { s.pump(); });  // messages queued before start()
  s.thread = std::thread([&s] { s.io.run(); });
  return true;
}

void SyslogSender::send(std::string_view alert_severity, std::string_view msgid, std::string_view text) {
  Impl& s = *impl_;
  SyslogHeader h;
  h.facility = s.options.facility;
  h.severity = syslog_severity(alert_severity);
  h.timestamp = rfc3339_utc(s.options.clock ? s.options.clock() : std::chrono::system_clock::now());
  h.hostname = s.hostname;
  h.app_name = s.options.app_name;
  h.procid = s.procid;
  h.msgid = std::string(msgid);
  std::string message = format_rfc5424(h, text, s.options.max_message_bytes);
  if (s.target.transport == SyslogTransport::Tcp) message = frame_octet_counted(message);
  {
    std::lock_guard lock(s.mu);
    if (s.queue.size() >= s.options.queue_limit) {
      s.queue.pop_front();
      ++s.dropped;
    }
    s.queue.push_back(std::move(message));
  }
  if (s.thread.joinable()) asio::post(s.io, [&s] { s.pump(); });
}

bool SyslogSender::flush(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  std::unique_lock lock(s.mu);
  return s.idle.wait_for(lock, timeout, [&s] { return s.queue.empty() && !s.in_flight; });
}

void SyslogSender::stop() {
  Impl& s = *impl_;
  if (s.thread.joinable()) {
    // Cancel everything on the sender's thread, then let run() return once the aborted handlers
    // have put their message back: nothing is left half-sent and the count of drops is exact.
    s.stopping = true;
    asio::post(s.io, [&s] {
      boost::system::error_code ignored;
      s.retry.cancel();
      s.tcp_socket.close(ignored);
      s.udp_socket.close(ignored);
    });
    s.work.reset();
    s.thread.join();
  }
  std::lock_guard lock(s.mu);
  s.dropped += s.queue.size() + (s.in_flight ? 1 : 0);
  s.queue.clear();
  s.in_flight = false;
}

SyslogStats SyslogSender::stats() const {
  const Impl& s = *impl_;
  SyslogStats st;
  st.sent = s.sent;
  st.dropped = s.dropped;
  st.errors = s.errors;
  {
    std::lock_guard lock(impl_->mu);
    st.queued = s.queue.size();
  }
  return st;
}

}  // namespace sanso::service
