// trace_bench: `sanso trace` at municipal scale (issue 4: one flow in < 10 ms after the model is
// loaded). Loads the generated 100k-rule network of audit_bench (audit_bench_network.h) once, then
// traces many flows taken from the generated rules (so that some are allowed and cross tiers, and
// the rest are dropped somewhere) and prints the load time and the per-trace time (median, p90,
// max) of what `sanso trace` does per flow: analysis::trace + policy::judge_trace. Numbers only,
// not a test. See bench/README.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "analysis/network.h"
#include "analysis/trace.h"
#include "policy/allowances.h"
#include "policy/flow_verdict.h"
#include "policy/rule_pack.h"
#include "topology/load.h"
#include "vendor/vendor.h"
#include "audit_bench_network.h"

namespace {

using namespace sanso_bench;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }


struct Options {
  int devices = 50;
  int rules = 2000;
  int traces = 2000;
  std::uint64_t seed = 20261118;
  std::string pack = "rules/three-tier.yaml";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool value = i + 1 < argc;
    if (a == "--quick") {
      o.devices = 5;
      o.rules = 200;
      o.traces = 200;
    } else if (a == "--devices" && value) {
      o.devices = std::atoi(argv[++i]);
    } else if (a == "--rules" && value) {
      o.rules = std::atoi(argv[++i]);
    } else if (a == "--traces" && value) {
      o.traces = std::atoi(argv[++i]);
    } else if (a == "--threads" && value) {
      o.threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (a == "--pack" && value) {
      o.pack = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: trace_bench [--quick] [--devices N] [--rules N] [--traces N] [--threads N]\n"
                   "                   [--pack rules/three-tier.yaml]\n");
      return false;
    }
  }
  return o.devices > 0 && o.rules > 0 && o.traces > 0;
}

/// A flow named by a generated rule: an address of its source and destination ranges, its
/// protocol and first port, any source port (as `sanso trace` without --sport).
sanso::analysis::FlowQuery flow_of(const Rule& r, std::mt19937_64& rng) {
  auto within = [&](std::uint32_t lo, std::uint32_t hi) {
    return lo + static_cast<std::uint32_t>(std::uniform_int_distribution<std::uint64_t>(0, hi - lo)(rng));
  };
  sanso::analysis::FlowQuery q;
  q.src = within(r.src_lo, r.src_hi);
  q.dst = within(r.dst_lo, r.dst_hi);
  q.proto = r.proto;
  q.dport = r.port_lo;
  return q;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sanso;
  Options opts;
  if (!parse_args(argc, argv, opts)) return 2;
  std::printf("trace_bench: %d iptables devices x %d rules, %d traces, %u threads, load average %s\n",
              opts.devices, opts.rules, opts.traces, opts.threads, load_average().c_str());
  const GenNetwork gen = Generator(GenSpec{opts.devices, opts.rules, opts.seed}).run();
  const std::string yaml = network_yaml(gen);
  std::vector<vendor::SourceFile> configs;
  for (const auto& d : gen.devices) configs.push_back({"configs/" + d.name + ".rules", iptables_save(d)});

  // Load: what `sanso trace` does before its first flow (reading files aside).
  const auto load_start = Clock::now();
  auto loaded = topology::load_topology_text(yaml, "generated/network.yaml");
  if (!loaded.topology) return 2;
  const topology::Topology& topo = *loaded.topology;
  auto pack = policy::load_rule_pack(opts.pack);
  if (!pack.pack) {
    std::fprintf(stderr, "trace_bench: cannot load %s (run from the repository root)\n", opts.pack.c_str());
    return 2;
  }
  std::vector<vendor::LoadResult> parsed(gen.devices.size());
  {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < parsed.size(); i = next++) {
        parsed[i] = vendor::load_device("iptables", vendor::DeviceInput{gen.devices[i].name, {configs[i]}, {}, {}});
      }
    };
    std::vector<std::thread> pool;
    for (unsigned k = 1; k < opts.threads; ++k) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
  }
  std::map<std::string, model::Device> devices;
  for (std::size_t i = 0; i < gen.devices.size(); ++i) {
    if (!parsed[i].device) return 2;
    devices.emplace(gen.devices[i].name, std::move(*parsed[i].device));
  }
  const double parse_s = since(load_start);
  auto t = Clock::now();
  analysis::Network net(topo, devices);
  net.lower_all(opts.threads);
  const policy::Allowances allowances(net, topo);
  const policy::FlowJudge judge(topo, allowances, *pack.pack);
  const double lower_s = since(t);

  std::mt19937_64 rng(opts.seed);
  std::vector<double> times;
  std::size_t allowed = 0, broken = 0, paths = 0;
  for (int i = 0; i < opts.traces; ++i) {
    const auto& d = gen.devices[std::uniform_int_distribution<std::size_t>(0, gen.devices.size() - 1)(rng)];
    const auto& r = d.rules[std::uniform_int_distribution<std::size_t>(0, d.rules.size() - 1)(rng)];
    const auto q = flow_of(r, rng);
    t = Clock::now();
    const auto traced = analysis::trace(net, q);
    const auto judged = policy::judge_trace(net, traced, judge);
    times.push_back(since(t) * 1000.0);
    allowed += traced.allowed() ? 1 : 0;
    broken += judged.exit_code();
    paths += traced.paths.size();
  }
  std::printf("load                    %8.3f s  = parse %.3f s + network, lowering, allowances %.3f s\n",
              parse_s + lower_s, parse_s, lower_s);
  std::printf("per trace (trace+judge) %8.3f ms median, %.3f ms p90, %.3f ms max  (target < 10 ms)\n",
              percentile(times, 0.5), percentile(times, 0.9), percentile(times, 1.0));
  std::printf("flows                   %8d traced: %zu allowed, %zu break a rule or are unproven, "
              "%.1f paths listed on average\n",
              opts.traces, allowed, broken, static_cast<double>(paths) / opts.traces);
  return 0;
}
