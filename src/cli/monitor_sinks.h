#pragma once
// Where `sanso monitor` sends alerts: standard output (text or JSON lines), the tamper-evident
// alert log, and syslog — all fed by one AlertSink.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "capture/alert.h"
#include "service/alert_log.h"
#include "service/syslog.h"

namespace sanso::cli {

struct MonitorOutputs {
  bool quiet = false;  ///< nothing on stdout
  bool json = false;
  bool ja = false;
  std::optional<service::AlertLogWriter> log;
  std::unique_ptr<service::SyslogSender> syslog;
};

class MonitorSink final : public capture::AlertSink {
 public:
  explicit MonitorSink(MonitorOutputs& out) : out_(out) {}
  void alert(const capture::Alert& a) override;
  void aggregate(const capture::AlertAggregate& a) override;
  /// The first alert-log write error (the log is the durable sink: the monitor stops on it).
  const std::string& log_error() const { return log_error_; }

 private:
  void to_log(const std::string& json_line);
  MonitorOutputs& out_;
  std::string log_error_;
};

}  // namespace sanso::cli
