#include "cli/monitor_metrics.h"

#include "service/prometheus.h"

namespace sanso::cli {

std::string metrics_text(const capture::MonitorCounters& c, const capture::SourceStats& s,
                         const service::SyslogStats* syslog) {
  using service::MetricType;
  service::MetricsText m;
  m.declare("sanso_packets_total", MetricType::Counter, "Packets read");
  m.add("sanso_packets_total", {}, c.packets);
  m.declare("sanso_bytes_total", MetricType::Counter, "Bytes on the wire of the packets read");
  m.add("sanso_bytes_total", {}, c.bytes);
  m.declare("sanso_packets_not_tracked_total", MetricType::Counter,
            "Packets without an L3 sanso tracks (non-IP, unsupported link types, broken headers)");
  m.add("sanso_packets_not_tracked_total", {}, c.not_tracked);
  m.declare("sanso_anomalies_total", MetricType::Counter, "Malformed or suspicious packets by anomaly");
  for (std::size_t i = 0; i < c.anomalies.count.size(); ++i) {
    m.add("sanso_anomalies_total",
          {{"anomaly", std::string(capture::to_string(static_cast<capture::Anomaly>(i)))}},
          c.anomalies.count[i]);
  }
  m.declare("sanso_flows", MetricType::Gauge, "Flows held now");
  m.add("sanso_flows", {}, static_cast<std::uint64_t>(c.flows.live));
  m.declare("sanso_flows_created_total", MetricType::Counter, "Flows created");
  m.add("sanso_flows_created_total", {}, c.flows.created);
  m.declare("sanso_flows_evicted_total", MetricType::Counter,
            "Flows evicted to keep the --max-flows bound");
  m.add("sanso_flows_evicted_total", {}, c.flows.evicted);
  m.declare("sanso_flows_expired_total", MetricType::Counter, "Flows ended by their idle timeout");
  m.add("sanso_flows_expired_total", {}, c.flows.expired);
  m.declare("sanso_flow_memory_bytes", MetricType::Gauge, "Memory held by the flow table");
  m.add("sanso_flow_memory_bytes", {}, static_cast<std::uint64_t>(c.flow_memory_bytes));
  m.declare("sanso_flows_by_tier_pair_total", MetricType::Counter, "Classified flows by tier pair");
  for (const auto& [pair, n] : c.flows_by_tier_pair) {
    m.add("sanso_flows_by_tier_pair_total", {{"pair", pair}}, n);
  }
  m.declare("sanso_alerts_total", MetricType::Counter, "Alerts emitted by rule");
  for (const auto& [rule, n] : c.alerts_by_rule) m.add("sanso_alerts_total", {{"rule", rule}}, n);
  m.declare("sanso_alerts_suppressed_total", MetricType::Counter,
            "Alerts held back by the per-rule rate limit (reported as aggregates)");
  m.add("sanso_alerts_suppressed_total", {}, c.suppressed);
  m.declare("sanso_alert_repeats_total", MetricType::Counter,
            "Sightings of an alert identity already reported within the window");
  m.add("sanso_alert_repeats_total", {}, c.repeats);
  m.declare("sanso_reloads_total", MetricType::Counter, "Topology and rule reloads (SIGHUP)");
  m.add("sanso_reloads_total", {}, c.reloads);
  m.declare("sanso_capture_kernel_received_total", MetricType::Counter, "pcap_stats ps_recv");
  m.add("sanso_capture_kernel_received_total", {}, s.kernel_received);
  m.declare("sanso_capture_kernel_dropped_total", MetricType::Counter, "pcap_stats ps_drop");
  m.add("sanso_capture_kernel_dropped_total", {}, s.kernel_dropped);
  m.declare("sanso_capture_interface_dropped_total", MetricType::Counter, "pcap_stats ps_ifdrop");
  m.add("sanso_capture_interface_dropped_total", {}, s.interface_dropped);
  m.declare("sanso_capture_read_errors_total", MetricType::Counter, "Capture files that could not be read to the end");
  m.add("sanso_capture_read_errors_total", {}, static_cast<std::uint64_t>(s.read_errors.size()));
  if (syslog != nullptr) {
    m.declare("sanso_syslog_sent_total", MetricType::Counter, "Syslog messages sent");
    m.add("sanso_syslog_sent_total", {}, syslog->sent);
    m.declare("sanso_syslog_dropped_total", MetricType::Counter, "Syslog messages dropped");
    m.add("sanso_syslog_dropped_total", {}, syslog->dropped);
  }
  return m.text();
}

void MetricsPublisher::publish(const capture::MonitorCounters& c, const capture::SourceStats& s,
                               service::SyslogSender* syslog) {
  std::optional<service::SyslogStats> ss;
  if (syslog != nullptr) ss = syslog->stats();
  std::string t = metrics_text(c, s, ss ? &*ss : nullptr);
  std::lock_guard lock(mutex_);
  text_ = std::move(t);
}

std::string MetricsPublisher::text() const {
  std::lock_guard lock(mutex_);
  return text_;
}

}  // namespace sanso::cli
