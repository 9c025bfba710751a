// monitor_bench: `sanso monitor` on a large capture beside a bare libpcap read loop and the peers
// of research/pcap-anchors.md (argus, ndpiReader), interleaved in rounds; and the memory of 1 M
// concurrent flows. Prints numbers; never fails on a slow one (bench/README.md).
//
//   monitor_bench PCAP [--runs 5] [--no-peers]      (PCAP: captures/make-bench-pcap.sh output)
//   monitor_bench --flows 1000000                    (memory of that many live flows)
//
// Each measured run is a child process (fork, then exec for peers or sanso::cli::run in-process
// for sanso), so wall time, CPU time and peak RSS are per run (wait4).
#include <pcap/pcap.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "capture/source/packet_source.h"
#include "cli/main.h"

namespace {

struct Sample {
  double wall = 0, cpu = 0;
  long rss_kb = 0;
  int status = 0;
};

Sample measure(const std::function<int()>& child) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    _exit(child());
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Sample s;
  s.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
          static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  s.rss_kb = ru.ru_maxrss;
  s.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return s;
}

int bare_loop(const char* path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path, err);
  if (p == nullptr) return 2;
  pcap_pkthdr* h;
  const u_char* d;
  unsigned long sum = 0;
  while (pcap_next_ex(p, &h, &d) == 1) sum += h->caplen + d[0];
  pcap_close(p);
  return sum == 42 ? 1 : 0;
}

// sanso's packet source alone (no decoding): the share of reading in sanso's figure.
int reader_loop(const std::string& path) {
  sanso::capture::SourceOptions options;
  options.inputs = {path};
  std::vector<sanso::capture::SourceError> errors;
  auto source = sanso::capture::PacketSource::open(options, errors);
  if (!source) return 2;
  sanso::capture::RawPacket raw;
  unsigned long sum = 0;
  while (source->next(raw) == sanso::capture::PacketSource::Next::Packet) sum += raw.caplen + raw.data[0];
  return sum == 42 ? 1 : 0;
}

int exec_peer(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  _exit(127);
}

int run_sanso(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return sanso::cli::run(static_cast<int>(argv.size()), argv.data());
}

bool have(const char* tool) {
  const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

/// A capture of `n` distinct TCP SYNs (one per flow) to measure the flow table's memory.
std::string write_flow_capture(long n) {
  const std::string path = "/tmp/sanso-bench-flows.pcap";
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 128);
  pcap_dumper_t* out = pcap_dump_open(dead, path.c_str());
  unsigned char pkt[54] = {0};
  pkt[12] = 0x08;
  pkt[14] = 0x45;
  pkt[17] = 40;
  pkt[22] = 64;
  pkt[23] = 6;
  pcap_pkthdr h{};
  h.caplen = h.len = sizeof pkt;
  for (long i = 0; i < n; ++i) {
    const auto src = static_cast<std::uint32_t>(0xc0a80000u + (i >> 16));  // 192.168.x.y: one zone
    const std::uint32_t dst = 0xc0a8ffffu;
    for (int b = 0; b < 4; ++b) {
      pkt[26 + b] = static_cast<unsigned char>(src >> (24 - 8 * b));
      pkt[30 + b] = static_cast<unsigned char>(dst >> (24 - 8 * b));
    }
    pkt[34] = static_cast<unsigned char>(i >> 8);
    pkt[35] = static_cast<unsigned char>(i);
    pkt[36] = 0x01;
    pkt[37] = 0xbb;
    pkt[46] = 0x50;
    pkt[47] = 0x02;
    h.ts.tv_sec = 1700000000 + i / 100000;
    h.ts.tv_usec = static_cast<int>(i % 100000) * 10;
    pcap_dump(reinterpret_cast<u_char*>(out), &h, pkt);
  }
  pcap_dump_close(out);
  pcap_close(dead);
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pcap;
  int runs = 5;
  bool peers = true;
  long flows = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (a == "--no-peers") peers = false;
    else if (a == "--flows" && i + 1 < argc) flows = std::atol(argv[++i]);
    else pcap = a;
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("load average %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  const std::string topo = "bench/monitor-topology";

  if (flows > 0) {
    const std::string path = write_flow_capture(flows);
    // Idle timeouts far beyond the capture's span keep every flow live at the end.
    const auto s = measure([&] {
      return run_sanso({"sanso", "monitor", "-q", "--no-summary", "--topology", topo, "--capture-point",
                        "bench-span", "--max-flows", std::to_string(flows * 2), path});
    });
    const auto base = measure([&] {
      return run_sanso({"sanso", "monitor", "-q", "--no-summary", "--topology", topo, "--count", "1",
                        path});
    });
    std::printf("%ld concurrent flows: peak RSS %.1f MB (baseline %.1f MB: %.0f bytes/flow), %.2f s\n",
                flows, s.rss_kb / 1024.0, base.rss_kb / 1024.0,
                (s.rss_kb - base.rss_kb) * 1024.0 / static_cast<double>(flows), s.wall);
    std::remove(path.c_str());
    return 0;
  }
  if (pcap.empty()) {
    std::fprintf(stderr, "usage: monitor_bench PCAP [--runs N] [--no-peers] | --flows N\n");
    return 2;
  }
  struct Tool {
    const char* name;
    std::function<int()> run;
    std::vector<Sample> samples;
  };
  std::vector<Tool> tools;
  tools.push_back({"bare pcap_next_ex", [&] { return bare_loop(pcap.c_str()); }, {}});
  tools.push_back({"sanso monitor", [&] {
                     return run_sanso({"sanso", "monitor", "-q", "--topology", topo, "--capture-point",
                                       "bench-span", pcap});
                   }, {}});
  tools.push_back({"sanso packet source alone", [&] { return reader_loop(pcap); }, {}});
  if (peers && have("argus")) {
    tools.push_back({"argus -r (flow records)", [&] {
                       return exec_peer({"argus", "-P", "0", "-r", pcap, "-w", "/dev/null"});
                     }, {}});
  }
  if (peers && have("ndpiReader")) {
    tools.push_back({"ndpiReader -i (flows+DPI)", [&] { return exec_peer({"ndpiReader", "-i", pcap}); }, {}});
  }
  bare_loop(pcap.c_str());  // warm the page cache
  for (int r = 0; r < runs; ++r) {
    for (auto& t : tools) t.samples.push_back(measure(t.run));
  }
  const double floor_wall = [&] {
    std::vector<double> w;
    for (const auto& s : tools[0].samples) w.push_back(s.wall);
    return median(w);
  }();
  std::vector<double> ratios;  // sanso / bare per round (interleaved, same load)
  for (int r = 0; r < runs; ++r) ratios.push_back(tools[1].samples[r].wall / tools[0].samples[r].wall);
  std::printf("%-28s %10s %10s %10s %10s %8s\n", "tool", "wall s", "cpu s", "peak MB", "x bare", "exit");
  for (const auto& t : tools) {
    std::vector<double> w, c;
    long rss = 0;
    for (const auto& s : t.samples) {
      w.push_back(s.wall);
      c.push_back(s.cpu);
      rss = std::max(rss, s.rss_kb);
    }
    std::printf("%-28s %10.3f %10.3f %10.1f %10.2f %8d\n", t.name, median(w), median(c), rss / 1024.0,
                median(w) / floor_wall, t.samples.back().status);
  }
  std::printf("sanso / bare loop, median of %d interleaved rounds: %.2fx\n", runs, median(ratios));
  for (const auto& t : tools) {
    if (std::string(t.name).starts_with("ndpiReader")) {
      std::vector<double> faster;  // ndpiReader / sanso per round
      for (int r = 0; r < runs; ++r) faster.push_back(t.samples[r].wall / tools[1].samples[r].wall);
      std::printf("ndpiReader / sanso, median of %d interleaved rounds: %.2fx\n", runs, median(faster));
    }
  }
  return 0;
}
