// `sanso monitor [--topology PATH] [SOURCE...]`: capture monitoring over pcap/pcapng files or a
// live span port, with the audit's topology and rules (issue 3, DESIGN §5 "Monitor alerts").
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "capture/alert_format.h"
#include "capture/monitor.h"
#include "capture/source/packet_source.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/monitor_sinks.h"
#include "cli/monitor_metrics.h"
#include "service/metrics_server.h"
#include "service/signal_watcher.h"
#include "topology/load.h"

namespace sanso::cli {
namespace {

namespace fs = std::filesystem;

struct MonitorArgs {
  std::vector<std::string> sources;
  std::string topology;
  std::string interface;
  std::string capture_point;
  bool follow = false;
  std::string alerts;
  std::string alert_key;
  std::uint64_t alert_rotate_mb = 0;
  std::string syslog;
  std::string metrics;
  std::string format = "text";
  std::string lang;
  std::string rules;
  std::string bpf;
  int snaplen = 262144;
  bool no_promisc = false;
  int buffer_mb = 32;
  std::uint64_t count = 0;
  double duration = 0;
  std::size_t max_flows = 1'000'000;
  std::uint32_t max_alerts_per_minute = 20;
  bool quiet = false;
  bool no_summary = false;
};

std::string resolve_topology_path(const MonitorArgs& a) {
  if (!a.topology.empty()) return a.topology;
  return fs::exists("network.yaml") ? "network.yaml" : std::string();
}

/// The capture point: --capture-point, else the monitor entry of --interface, else the only
/// monitor entry, else the entry named like every input file ("span-core.pcap" -> span-core).
std::string choose_capture_point(const topology::Topology& t, const MonitorArgs& a,
                                 std::string& error) {
  if (!a.capture_point.empty()) return a.capture_point;
  if (!a.interface.empty()) {
    for (const auto& m : t.monitor) {
      if (m.interface == a.interface) return m.name;
    }
    error = "no monitor: entry in " + t.path + " has interface " + a.interface +
            " (add one, or name it with --capture-point)";
    return {};
  }
  if (t.monitor.size() == 1) return t.monitor.front().name;
  std::string common;
  for (const auto& s : a.sources) {
    const std::string stem = fs::path(s).stem().string();
    if (!common.empty() && stem != common) return {};
    common = stem;
  }
  for (const auto& m : t.monitor) {
    if (m.name == common) return m.name;
  }
  return {};
}

/// Loads topology and rules and compiles the classifier; errors go to stderr. Used at start and
/// on every SIGHUP (a bad new topology leaves the running one in place).
std::shared_ptr<const capture::Classifier> build_classifier(const MonitorArgs& a,
                                                            const std::string& path,
                                                            std::string& capture_point) {
  auto loaded = topology::load_topology(path);
  if (!loaded.topology) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
    return nullptr;
  }
  auto pack = load_rules(&*loaded.topology, a.rules);
  if (!pack) return nullptr;
  std::string error;
  if (capture_point.empty()) {
    capture_point = choose_capture_point(*loaded.topology, a, error);
    if (!error.empty()) {
      std::fprintf(stderr, "sanso: %s\n", error.c_str());
      return nullptr;
    }
  }
  auto c = capture::Classifier::build(std::make_unique<topology::Topology>(std::move(*loaded.topology)),
                                      std::move(*pack), capture_point, error);
  if (!c) {
    std::fprintf(stderr, "sanso: %s\n", error.c_str());
    return nullptr;
  }
  return c;
}

capture::Nanos wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_monitor(const MonitorArgs& a) {
  const std::string path = resolve_topology_path(a);
  if (path.empty()) {
    std::fputs(
        "sanso: no network.yaml in the current directory\n"
        "  give a topology: sanso monitor --topology PATH SOURCE...\n"
        "  try the bundled example: sanso monitor --topology topology/example-city "
        "--capture-point span-mn-core captures/example-city/span-mn-core.pcap\n",
        stderr);
    return kInputError;
  }
  if (a.sources.empty() && a.interface.empty()) {
    std::fputs("sanso: nothing to monitor: give capture files, a directory, '-' or --interface NAME\n",
               stderr);
    return kInputError;
  }
  if (!a.sources.empty() && !a.interface.empty()) {
    std::fputs("sanso: give capture files or --interface, not both\n", stderr);
    return kInputError;
  }
  std::string capture_point;
  auto classifier = build_classifier(a, path, capture_point);
  if (!classifier) return kInputError;
  if (capture_point.empty()) {
    std::fputs("sanso: note: no capture point chosen (--capture-point NAME): MAC binding and "
               "unregistered-device checks are off\n", stderr);
  }

  MonitorOutputs outputs;
  outputs.quiet = a.quiet;
  outputs.json = a.format == "json";
  outputs.ja = choose_lang(a.lang) == report::Lang::Ja;
  if (!a.alerts.empty()) {
    std::string error;
    service::AlertLogOptions lo;
    lo.max_bytes = a.alert_rotate_mb * 1024 * 1024;
    const std::string key = a.alert_key.empty() ? service::default_key_path(a.alerts) : a.alert_key;
    outputs.log = service::AlertLogWriter::open(a.alerts, key, error, lo);
    if (!outputs.log) {
      std::fprintf(stderr, "sanso: %s\n", error.c_str());
      return kInputError;
    }
    for (const auto& n : outputs.log->take_notes()) std::fprintf(stderr, "sanso: %s\n", n.c_str());
  }
  if (!a.syslog.empty()) {
    std::string error;
    auto target = service::parse_syslog_target(a.syslog, error);
    if (!target) {
      std::fprintf(stderr, "sanso: --syslog %s: %s\n", a.syslog.c_str(), error.c_str());
      return kInputError;
    }
    outputs.syslog = std::make_unique<service::SyslogSender>(*target);
    if (!outputs.syslog->start(error)) {
      std::fprintf(stderr, "sanso: --syslog %s: %s\n", a.syslog.c_str(), error.c_str());
      return kInputError;
    }
  }

  capture::SourceOptions so;
  so.inputs = a.sources;
  if (!a.interface.empty()) so.interface = a.interface;
  so.follow = a.follow;
  so.snaplen = a.snaplen;
  so.promiscuous = !a.no_promisc;
  so.buffer_mb = a.buffer_mb;
  so.bpf = a.bpf;
  if (a.count > 0) so.count = a.count;
  if (a.duration > 0) so.duration_s = a.duration;
  std::vector<capture::SourceError> errors;
  auto source = capture::PacketSource::open(so, errors);
  if (!source) {
    for (const auto& e : errors) std::fprintf(stderr, "sanso: %s\n", e.render().c_str());
    return kInputError;
  }

  MonitorSink sink(outputs);
  capture::MonitorOptions mo;
  mo.max_flows = a.max_flows;
  mo.gate.max_per_rule = a.max_alerts_per_minute;
  mo.lookahead = 8;  // decode ahead and prefetch the flow table (the packet loop's cache misses)
  capture::Monitor monitor(classifier, mo, sink);

  service::SignalWatcher signals([&source] { source->stop(); });
  std::string error;
  if (!signals.start(error)) {
    std::fprintf(stderr, "sanso: %s\n", error.c_str());
    return kInternalError;
  }
  MetricsPublisher metrics;
  std::unique_ptr<service::MetricsServer> server;
  if (!a.metrics.empty()) {
    auto listen = service::parse_metrics_listen(a.metrics, error);
    if (!listen) {
      std::fprintf(stderr, "sanso: --metrics %s: %s\n", a.metrics.c_str(), error.c_str());
      return kInputError;
    }
    server = std::make_unique<service::MetricsServer>(*listen, [&metrics] { return metrics.text(); });
    if (!server->start(error)) {
      std::fprintf(stderr, "sanso: %s\n", error.c_str());
      return kInputError;
    }
  }

  const bool live = !a.interface.empty();
  capture::RawPacket raw;
  capture::Nanos next_tick = 0;
  auto last_publish = std::chrono::steady_clock::now();
  auto last_head = last_publish;
  std::uint64_t since_poll = 0;
  auto housekeeping = [&](bool force) {
    if (signals.take_reload()) {
      std::string cp = capture_point;
      if (auto fresh = build_classifier(a, path, cp)) {
        monitor.reload(std::move(fresh));
        std::fprintf(stderr, "sanso: reloaded %s\n", path.c_str());
      } else {
        std::fprintf(stderr, "sanso: reload failed; the previous topology and rules stay in use\n");
      }
    }
    if (signals.take_summary()) {
      const auto text = capture::summary_text(monitor.counters(), source->stats(), outputs.ja);
      std::fwrite(text.data(), 1, text.size(), stderr);
    }
    const auto now = std::chrono::steady_clock::now();
    if (force || now - last_publish >= std::chrono::seconds(1)) {
      last_publish = now;
      if (server) metrics.publish(monitor.counters(), source->stats(), outputs.syslog.get());
    }
    if (outputs.log && outputs.syslog && now - last_head >= std::chrono::seconds(60)) {
      last_head = now;
      outputs.syslog->send("info", "CHAIN", outputs.log->head_message());
    }
  };
  for (;;) {
    const auto r = source->next(raw);
    if (r == capture::PacketSource::Next::End) break;
    if (r == capture::PacketSource::Next::Idle) {
      if (live) monitor.tick(wall_now());
      housekeeping(false);
      if (signals.stop_requested()) break;
      continue;
    }
    monitor.packet(raw);
    if (raw.ts >= next_tick) {
      monitor.tick(raw.ts);
      next_tick = raw.ts + capture::kSecond;
    }
    if (++since_poll >= 4096) {
      since_poll = 0;
      housekeeping(false);
      if (!sink.log_error().empty() || signals.stop_requested()) break;
    }
  }
  housekeeping(true);
  monitor.finish();
  signals.stop();
  int code = kClean;
  if (!sink.log_error().empty()) {
    std::fprintf(stderr, "sanso: alert log %s: %s\n", a.alerts.c_str(), sink.log_error().c_str());
    code = kInternalError;
  }
  const auto counters = monitor.counters();
  const auto stats = source->stats();
  if (!a.no_summary) {
    if (outputs.json) {
      std::printf("%s\n", capture::summary_json(counters, stats).dump().c_str());
    } else {
      const auto text = capture::summary_text(counters, stats, outputs.ja);
      std::fwrite(text.data(), 1, text.size(), a.quiet ? stderr : stdout);
    }
  }
  for (const auto& e : stats.read_errors) std::fprintf(stderr, "sanso: %s\n", e.render().c_str());
  if (outputs.log) {
    std::string err;
    if (!outputs.log->close(err)) {
      std::fprintf(stderr, "sanso: alert log %s: %s\n", a.alerts.c_str(), err.c_str());
      code = kInternalError;
    }
  }
  if (outputs.syslog) {
    if (outputs.log) outputs.syslog->send("info", "CHAIN", outputs.log->head_message());
    outputs.syslog->flush(std::chrono::milliseconds(2000));
    outputs.syslog->stop();
  }
  if (server) server->stop();
  if (code != kClean) return code;
  return counters.alerts > 0 || counters.aggregates > 0 ? kFindings : kClean;
}

}  // namespace

Runner add_monitor(CLI::App& app) {
  auto a = std::make_shared<MonitorArgs>();
  app.footer(
      "Watch traffic for crossings of the three tiers: pcap/pcapng files (read in time order), "
      "directories, globs, '-' for standard input, or a live span/mirror port with --interface. "
      "Alerts carry the audit's rule ids and messages. Exit status: 0 no alert, 1 alerts raised, "
      "2 bad input (topology, files, options), 3 internal error. Signals: SIGHUP reloads the "
      "topology and rules keeping every flow, SIGUSR1 prints a summary, SIGTERM/SIGINT flush and "
      "exit.\n監視: キャプチャ（ファイルまたはミラーポート）から三層の分離に反する通信を検知します。");
  app.add_option("sources", a->sources, "capture files, directories, globs, or - (stdin)");
  app.add_option("--topology,-t", a->topology,
                 "network.yaml or its directory (default: ./network.yaml)");
  app.add_option("--interface,-i", a->interface,
                 "live capture on this interface (selects the monitor: entry with it)");
  app.add_option("--capture-point", a->capture_point,
                 "the monitor: entry the files were captured at (default: the interface's entry, "
                 "the only entry, or the one named like the files)");
  app.add_flag("--follow", a->follow, "keep watching directories for new (rotated) capture files");
  app.add_option("--alerts", a->alerts, "append alerts to this tamper-evident log (JSON lines)");
  app.add_option("--alert-key", a->alert_key,
                 "HMAC key file of the alert log (default: beside it, created 0600 when absent)");
  app.add_option("--alert-rotate-mb", a->alert_rotate_mb, "rotate the alert log at this size (MB)");
  app.add_option("--syslog", a->syslog, "send alerts to syslog: HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT");
  app.add_option("--metrics", a->metrics,
                 "serve Prometheus /metrics and /healthz on ADDR:PORT (PORT alone: 127.0.0.1)");
  app.add_option("--format", a->format, "text or json (JSON lines)")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--lang", a->lang, "ja or en (default: from the locale)")
      ->check(CLI::IsMember({"ja", "en"}));
  app.add_option("--rules", a->rules, "the rule pack (default: the built-in rules/three-tier.yaml)");
  app.add_option("--filter", a->bpf, "BPF filter expression (files and live)");
  app.add_option("--snaplen", a->snaplen, "live: bytes captured per packet")->check(CLI::Range(64, 262144));
  app.add_flag("--no-promisc", a->no_promisc, "live: do not put the interface in promiscuous mode");
  app.add_option("--buffer-mb", a->buffer_mb, "live: kernel capture buffer (MB)")->check(CLI::Range(1, 4096));
  app.add_option("--count", a->count, "stop after this many packets");
  app.add_option("--duration", a->duration,
                 "stop after this many seconds (live: wall clock; files: capture time)");
  app.add_option("--max-flows", a->max_flows, "hard bound on flows held (oldest idle evicted)")
      ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(100'000'000)));
  app.add_option("--max-alerts-per-minute", a->max_alerts_per_minute,
                 "per rule; the rest of a flood becomes one aggregate alert");
  app.add_flag("--quiet,-q", a->quiet, "no alerts on standard output (the log and syslog still get them)");
  app.add_flag("--no-summary", a->no_summary, "no summary at the end");
  return [a] { return run_monitor(*a); };
}

}  // namespace sanso::cli
