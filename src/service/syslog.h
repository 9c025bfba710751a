#pragma once
// Alerts and the alert log's chain head to a syslog collector: RFC 5424 messages over UDP
// (RFC 5426) or TCP with octet counting (RFC 6587 §3.4.1). Sending never blocks the caller: a
// bounded queue feeds a thread the sender owns; when the collector is away the oldest messages
// are dropped and counted, and TCP reconnects after a delay.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "service/endpoint.h"
#include "service/time_format.h"

namespace sanso::service {

enum class SyslogTransport { Udp, Tcp };

struct SyslogTarget {
  SyslogTransport transport = SyslogTransport::Udp;
  HostPort address;
};

/// HOST:PORT (UDP), udp://HOST:PORT or tcp://HOST:PORT; IPv6 literals in brackets.
std::optional<SyslogTarget> parse_syslog_target(std::string_view text, std::string& error);

/// RFC 5424 severity of an alert severity: critical 2, high 3, medium 4, low 5, info 6; anything
/// else 5 (notice).
int syslog_severity(std::string_view alert_severity);

struct SyslogHeader {
  int facility = 16;  ///< local0
  int severity = 5;
  std::string timestamp;  ///< RFC 3339
  std::string hostname;
  std::string app_name = "sanso";
  std::string procid;
  std::string msgid;
};

/// One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`. Header fields
/// are reduced to printable ASCII without spaces and cut to their RFC lengths ("-" when empty);
/// a MSG with non-ASCII bytes is marked UTF-8 with a BOM as §6.4 asks. The whole message is cut
/// to `max_bytes` at a UTF-8 character boundary.
std::string format_rfc5424(const SyslogHeader& header, std::string_view msg, std::size_t max_bytes = 8192);

/// RFC 6587 octet counting: `LEN SP MSG`.
std::string frame_octet_counted(std::string_view message);

struct SyslogOptions {
  int facility = 16;     ///< local0
  std::string hostname;  ///< empty: gethostname()
  std::string app_name = "sanso";
  std::string procid;    ///< empty: the process id
  std::size_t queue_limit = 1024;
  std::size_t max_message_bytes = 8192;
  std::chrono::milliseconds reconnect_delay{1000};
  WallClock clock;  ///< system_clock::now when empty
};

struct SyslogStats {
  std::uint64_t sent = 0;
  std::uint64_t dropped = 0;  ///< queue overflow, a failed UDP send, or unsent at stop
  std::uint64_t errors = 0;   ///< failed connects, sends and lost connections
  std::size_t queued = 0;
};

class SyslogSender {
 public:
  explicit SyslogSender(SyslogTarget target, SyslogOptions options = {});
  ~SyslogSender();
  SyslogSender(const SyslogSender&) = delete;
  SyslogSender& operator=(const SyslogSender&) = delete;

  /// Resolves the collector's address and starts the sending thread. False (with `error`) only
  /// when the host cannot be resolved; an absent collector is not an error (TCP keeps retrying).
  bool start(std::string& error);

  /// Queues one message; never blocks on the network. Thread-safe.
  void send(std::string_view alert_severity, std::string_view msgid, std::string_view text);

  /// Waits until the queue is empty or `timeout` passes; true when everything was handed to the
  /// kernel. For shutdown, before stop(), so the final chain head leaves.
  bool flush(std::chrono::milliseconds timeout);

  /// Stops the thread; messages still queued are counted as dropped. Idempotent.
  void stop();

  SyslogStats stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanso::service
