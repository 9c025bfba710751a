#pragma once
// The monitor's Prometheus exposition: built on the packet thread about once a second and handed
// to the metrics server's thread under a mutex, so a scrape never touches live counters.
#include <mutex>
#include <string>

#include "capture/monitor.h"
#include "capture/source/packet_source.h"
#include "service/syslog.h"

namespace sanso::cli {

class MetricsPublisher {
 public:
  void publish(const capture::MonitorCounters& c, const capture::SourceStats& s,
               service::SyslogSender* syslog);
  std::string text() const;

 private:
  mutable std::mutex mutex_;
  std::string text_ = "# no data yet\n";
};

/// The exposition text itself (tests read it).
std::string metrics_text(const capture::MonitorCounters& c, const capture::SourceStats& s,
                         const service::SyslogStats* syslog);

}  // namespace sanso::cli
