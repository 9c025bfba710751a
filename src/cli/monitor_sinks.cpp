#include "cli/monitor_sinks.h"

#include "capture/alert_format.h"

namespace sanso::cli {

void MonitorSink::to_log(const std::string& json_line) {
  if (!out_.log || !log_error_.empty()) return;
  std::string error;
  if (!out_.log->append(json_line, error)) log_error_ = error;
  for (const auto& note : out_.log->take_notes()) std::fprintf(stderr, "sanso: %s\n", note.c_str());
}

void MonitorSink::alert(const capture::Alert& a) {
  const bool wants_json = out_.json || out_.log || out_.syslog;
  const std::string line = wants_json ? capture::alert_json(a).dump() : std::string();
  if (!out_.quiet) {
    const std::string text = out_.json ? line + "\n" : capture::alert_text(a, out_.ja);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  to_log(line);
  if (out_.syslog) out_.syslog->send(policy::to_string(a.rule->severity), a.rule->id, line);
}

void MonitorSink::aggregate(const capture::AlertAggregate& a) {
  const std::string line = capture::aggregate_json(a).dump();
  if (!out_.quiet) {
    const std::string text = out_.json ? line + "\n" : capture::aggregate_text(a, out_.ja);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  to_log(line);
  if (out_.syslog) out_.syslog->send(policy::to_string(a.rule->severity), a.rule->id, line);
}

}  // namespace sanso::cli
