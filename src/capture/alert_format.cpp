#include "capture/alert_format.h"

#include <fmt/format.h>

#include <ctime>

namespace sanso::capture {
namespace {

using nlohmann::json;

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json end_json(const ObservedEnd& e) {
  json j;
  j["ip"] = model::format_ip(e.ip);
  j["port"] = e.port ? json(*e.port) : json(nullptr);
  j["mac"] = e.mac != 0 ? json(model::format_mac(e.mac)) : json(nullptr);
  j["host"] = or_null(e.host);
  j["segment"] = or_null(e.segment);
  j["packets"] = e.packets;
  j["bytes"] = e.bytes;
  return j;
}

std::string end_text(const ObservedEnd& e) {
  std::string s = model::format_ip(e.ip);
  if (e.port) s = e.ip.family == model::Family::V6 ? fmt::format("[{}]:{}", s, *e.port)
                                                   : fmt::format("{}:{}", s, *e.port);
  if (!e.host.empty()) s += " (" + e.host + ")";
  return s;
}

}  // namespace

std::string format_time(Nanos t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1'000'000'000);
  const long micros = static_cast<long>((t % 1'000'000'000) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

json alert_json(const Alert& a) {
  json j;
  j["sanso"] = 1;
  j["type"] = "alert";
  j["time"] = format_time(a.time);
  j["rule"] = a.rule->id;
  j["also_breaks"] = a.also_breaks;
  j["severity"] = std::string(policy::to_string(a.rule->severity));
  j["status"] = "violation";
  j["kind"] = std::string(to_string(a.kind));
  j["from"] = or_null(a.from_tier);
  j["to"] = or_null(a.to_tier);
  j["from_zone"] = or_null(a.from_zone);
  j["to_zone"] = or_null(a.to_zone);
  j["message"] = {{"en", a.message.en}, {"ja", a.message.ja}};
  json o;
  o["capture_point"] = a.observed.capture_point;
  o["vlan"] = a.observed.vlan != 0 ? json(a.observed.vlan) : json(nullptr);
  if (a.observed.inner_vlan != 0) o["inner_vlan"] = a.observed.inner_vlan;
  o["first_seen"] = format_time(a.observed.first_seen);
  o["last_seen"] = format_time(a.observed.last_seen);
  o["proto"] = a.observed.proto;
  o["initiator"] = end_json(a.observed.initiator);
  o["responder"] = a.observed.responder ? end_json(*a.observed.responder) : json(nullptr);
  if (a.observed.icmp_type) o["icmp_type"] = *a.observed.icmp_type;
  o["initiator_certainty"] = std::string(to_string(a.observed.certainty));
  j["observed"] = o;
  j["closest_allow"] = or_null(a.closest_allow);
  j["id"] = a.id;
  return j;
}

json aggregate_json(const AlertAggregate& a) {
  json j;
  j["sanso"] = 1;
  j["type"] = "aggregate";
  j["time"] = format_time(a.window_end);
  j["rule"] = a.rule->id;
  j["severity"] = std::string(policy::to_string(a.rule->severity));
  j["suppressed"] = a.suppressed;
  j["window_start"] = format_time(a.window_start);
  j["window_end"] = format_time(a.window_end);
  j["message"] = {
      {"en", fmt::format("{} more {} alerts between {} and {} were suppressed by the rate limit",
                         a.suppressed, a.rule->id, format_time(a.window_start),
                         format_time(a.window_end))},
      {"ja", fmt::format("{} から {} の間に {} の警告がさらに {} 件ありました（レート制限により集約）",
                         format_time(a.window_start), format_time(a.window_end), a.rule->id,
                         a.suppressed)}};
  return j;
}

std::string alert_text(const Alert& a, bool ja) {
  const auto& o = a.observed;
  std::string seen = fmt::format("{} {} {} [{}", format_time(a.time),
                                 policy::to_string(a.rule->severity), a.rule->id, o.capture_point);
  if (o.vlan != 0) seen += fmt::format(" vlan {}", o.vlan);
  seen += "] " + end_text(o.initiator);
  if (o.initiator.mac != 0) seen += " mac " + model::format_mac(o.initiator.mac);
  if (o.responder) seen += " -> " + end_text(*o.responder);
  seen += " " + o.proto;
  if (a.kind == AlertKind::Flow) seen += fmt::format(" (initiator: {})", to_string(o.certainty));
  std::string out = seen + "\n    " + (ja ? a.message.ja : a.message.en) + "\n";
  if (!a.also_breaks.empty()) {
    std::string also;
    for (const auto& r : a.also_breaks) also += (also.empty() ? "" : ", ") + r;
    out += (ja ? "    他に違反する規則: " : "    also breaks: ") + also + "\n";
  }
  if (!a.closest_allow.empty()) {
    out += (ja ? "    最も近い許可: " : "    closest allow entry: ") + a.closest_allow + "\n";
  }
  return out;
}

std::string aggregate_text(const AlertAggregate& a, bool ja) {
  const auto j = aggregate_json(a);
  return fmt::format("{} {} {} [aggregate]\n    {}\n", format_time(a.window_end),
                     policy::to_string(a.rule->severity), a.rule->id,
                     j["message"][ja ? "ja" : "en"].get<std::string>());
}

json summary_json(const MonitorCounters& c, const SourceStats& s) {
  json j;
  j["sanso"] = 1;
  j["type"] = "summary";
  j["first_packet"] = c.first_ts != 0 ? json(format_time(c.first_ts)) : json(nullptr);
  j["last_packet"] = c.last_ts != 0 ? json(format_time(c.last_ts)) : json(nullptr);
  j["packets"] = c.packets;
  j["bytes"] = c.bytes;
  j["packets_not_tracked"] = c.not_tracked;
  j["fragments_unattributed"] = c.fragments_unattributed;
  j["decode"] = {{"ipv4", c.decode.ipv4},         {"ipv6", c.decode.ipv6},
                 {"arp", c.decode.arp},           {"other_l3", c.decode.other_l3},
                 {"vlan_tagged", c.decode.vlan_tagged}, {"fragments", c.decode.fragments},
                 {"erspan", c.decode.erspan},     {"pppoe", c.decode.pppoe},
                 {"tunnels_not_inspected", c.decode.tunnels_not_inspected},
                 {"unsupported_link", c.decode.unsupported_link}};
  json anomalies = json::object();
  for (std::size_t i = 0; i < c.anomalies.count.size(); ++i) {
    if (c.anomalies.count[i] != 0) {
      anomalies[std::string(to_string(static_cast<Anomaly>(i)))] = c.anomalies.count[i];
    }
  }
  j["anomalies"] = anomalies;
  j["flows"] = {{"created", c.flows.created},   {"live", c.flows.live},
                {"peak", c.flows.peak},         {"expired", c.flows.expired},
                {"evicted", c.flows.evicted},   {"active_restarts", c.flows.active_restarts},
                {"memory_bytes", c.flow_memory_bytes}};
  j["flows_by_tier_pair"] = c.flows_by_tier_pair;
  j["alerts_by_rule"] = c.alerts_by_rule;
  j["alerts"] = c.alerts;
  j["repeats"] = c.repeats;
  j["suppressed"] = c.suppressed;
  j["aggregates"] = c.aggregates;
  j["devices_alerted"] = c.devices_alerted;
  j["devices_untracked"] = c.devices_untracked;
  j["reloads"] = c.reloads;
  json src;
  src["files_read"] = s.files_read;
  src["kernel_received"] = s.kernel_received;
  src["kernel_dropped"] = s.kernel_dropped;
  src["interface_dropped"] = s.interface_dropped;
  json errors = json::array();
  for (const auto& e : s.read_errors) errors.push_back({{"input", e.input}, {"message", e.message}});
  src["read_errors"] = errors;
  j["source"] = src;
  return j;
}

std::string summary_text(const MonitorCounters& c, const SourceStats& s, bool ja) {
  std::string out = ja ? "== 集計 ==\n" : "== summary ==\n";
  out += fmt::format(fmt::runtime(ja ? "パケット {}（{} バイト）、追跡対象外 {}、フロー {}（最大同時 {}、期限切れ {}、退避 {}）\n"
                        : "packets {} ({} bytes), not tracked {}, flows {} (peak {}, expired {}, evicted {})\n"),
                     c.packets, c.bytes, c.not_tracked, c.flows.created, c.flows.peak,
                     c.flows.expired, c.flows.evicted);
  out += ja ? "系間のフロー:\n" : "flows by tier pair:\n";
  for (const auto& [pair, n] : c.flows_by_tier_pair) out += fmt::format("  {:<24} {}\n", pair, n);
  out += fmt::format(fmt::runtime(ja ? "警告 {}（重複 {}、レート制限 {}、集約 {}）\n"
                        : "alerts {} (repeats {}, rate-limited {}, aggregates {})\n"),
                     c.alerts, c.repeats, c.suppressed, c.aggregates);
  for (const auto& [rule, n] : c.alerts_by_rule) out += fmt::format("  {:<24} {}\n", rule, n);
  if (c.anomalies.total() != 0) {
    out += ja ? "異常パケット:\n" : "anomalies:\n";
    for (std::size_t i = 0; i < c.anomalies.count.size(); ++i) {
      if (c.anomalies.count[i] == 0) continue;
      out += fmt::format("  {:<24} {}\n", to_string(static_cast<Anomaly>(i)), c.anomalies.count[i]);
    }
  }
  if (s.kernel_received != 0 || s.kernel_dropped != 0) {
    out += fmt::format(fmt::runtime(ja ? "カーネル受信 {}、破棄 {}、インタフェース破棄 {}\n"
                          : "kernel received {}, dropped {}, interface dropped {}\n"),
                       s.kernel_received, s.kernel_dropped, s.interface_dropped);
  }
  for (const auto& e : s.read_errors) {
    out += (ja ? "読み込みエラー: " : "read error: ") + e.render() + "\n";
  }
  return out;
}

}  // namespace sanso::capture
