// fortigate_parse_bench: FortiOS config parsing throughput (issue 5: >= 50 MB/s per core on a
// FortiGate with 20,000 policies and 50,000 address objects) and, separately, the lowering of the
// policies into PacketSets per rule. Generates a deterministic config in memory; prints numbers,
// it is not a pass/fail test. Usage: fortigate_parse_bench [policies] [addresses] [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "parse_bench_util.h"
#include "vendor/fortigate/cli_tree.h"
#include "vendor/fortigate/extract.h"
#include "vendor/fortigate/to_model.h"

namespace {

using sanso_bench::Clock;
using sanso_bench::ip4;
using sanso_bench::since;

// A config shaped like a real `show full-configuration` export: interfaces, zones, address
// objects (mostly hosts and /24s, some ranges and FQDNs), groups, custom services, policies with
// several names per list and the usual profile/log keys.
std::string generate(int policies, int addresses) {
  std::mt19937 rng(20260401);
  std::string out;
  out.reserve(static_cast<std::size_t>(addresses) * 110 + static_cast<std::size_t>(policies) * 420);
  out += "#config-version=FG1K0F-7.4.4-FW-build2662-240514:opmode=0:vdom=0:user=admin\n";
  out += "config system interface\n";
  for (int i = 1; i <= 16; ++i) {
    out += "    edit \"port" + std::to_string(i) + "\"\n        set vdom \"root\"\n";
    out += "        set ip " + ip4(0x0A000001u + (static_cast<unsigned>(i) << 16)) + " 255.255.0.0\n";
    out += "        set allowaccess ping\n        set type physical\n    next\n";
  }
  out += "end\nconfig system zone\n    edit \"servers\"\n        set interface \"port9\" \"port10\"\n"
         "    next\nend\n";
  out += "config firewall address\n";
  for (int i = 0; i < addresses; ++i) {
    out += "    edit \"addr" + std::to_string(i) + "\"\n";
    out += "        set uuid 6f1c2a3e-0000-51ee-1111-" + std::to_string(100000000000 + i) + "\n";
    const unsigned base = 0x0A000000u + static_cast<unsigned>(i) * 256u;
    switch (i % 10) {
      case 0:
        out += "        set type iprange\n        set start-ip " + ip4(base + 10) +
               "\n        set end-ip " + ip4(base + 20) + "\n";
        break;
      case 1:
        out += "        set subnet " + ip4(base) + " 255.255.255.0\n";
        break;
      default:
        out += "        set subnet " + ip4(base + 1 + static_cast<unsigned>(i % 200)) +
               " 255.255.255.255\n";
    }
    out += "    next\n";
  }
  out += "end\nconfig firewall addrgrp\n";
  for (int g = 0; g < addresses / 100; ++g) {
    out += "    edit \"grp" + std::to_string(g) + "\"\n        set member";
    for (int k = 0; k < 5; ++k) out += " \"addr" + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(addresses))) + "\"";
    out += "\n    next\n";
  }
  out += "end\nconfig firewall service custom\n";
  for (int s = 0; s < 200; ++s) {
    out += "    edit \"svc" + std::to_string(s) + "\"\n        set tcp-portrange " +
           std::to_string(1000 + s * 10) + "-" + std::to_string(1005 + s * 10) + "\n    next\n";
  }
  out += "end\nconfig firewall policy\n";
  const char* predefined[] = {"HTTP", "HTTPS", "SSH", "DNS", "SMTP", "RDP", "NTP", "PING"};
  for (int p = 0; p < policies; ++p) {
    out += "    edit " + std::to_string(p + 1) + "\n";
    out += "        set name \"policy-" + std::to_string(p) + "\"\n";
    out += "        set uuid 7a2b3c4d-0000-51ee-2222-" + std::to_string(100000000000 + p) + "\n";
    out += "        set srcintf \"port" + std::to_string(1 + rng() % 8) + "\"\n";
    out += "        set dstintf \"" + (p % 7 == 0 ? std::string("servers") : "port" + std::to_string(11 + rng() % 6)) + "\"\n";
    out += "        set action " + std::string(p % 5 == 4 ? "deny" : "accept") + "\n";
    out += "        set srcaddr";
    for (int k = 0; k < 2; ++k) out += " \"addr" + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(addresses))) + "\"";
    out += "\n        set dstaddr";
    for (int k = 0; k < 2; ++k) {
      out += k == 1 && p % 3 == 0 ? " \"grp" + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(std::max(1, addresses / 100)))) + "\""
                                  : " \"addr" + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(addresses))) + "\"";
    }
    out += "\n        set schedule \"always\"\n        set service \"" + std::string(predefined[rng() % 8]) +
           "\" \"svc" + std::to_string(rng() % 200) + "\"\n";
    out += "        set utm-status enable\n        set ssl-ssh-profile \"certificate-inspection\"\n";
    out += "        set av-profile \"default\"\n        set logtraffic all\n";
    if (p % 4 == 0) out += "        set nat enable\n";
    out += "    next\n";
  }
  out += "end\nconfig system ntp\n    set ntpsync enable\n    set type custom\n"
         "    config ntpserver\n        edit 1\n            set server \"10.2.20.123\"\n"
         "        next\n    end\nend\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sanso::vendor::fortigate;
  const int policies = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int addresses = argc > 2 ? std::atoi(argv[2]) : 50000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  const std::string text = generate(policies, addresses);
  const double mb = static_cast<double>(text.size()) / 1e6;
  std::printf("fortigate_parse_bench: %d policies, %d address objects, %.1f MB, %zu lines\n",
              policies, addresses, mb, physical_lines(text).size());

  double best_tree = 1e9, best_extract = 1e9, best_lower = 1e9;
  std::size_t entries = 0, unparsed = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    const CliTree tree = build_tree(text);
    best_tree = std::min(best_tree, since(t0));
    t0 = Clock::now();
    const FortigateConfig cfg = extract("bench.conf", tree, "root");
    best_extract = std::min(best_extract, since(t0));
    t0 = Clock::now();
    const auto d = to_model("bench", cfg, tree.lines);
    best_lower = std::min(best_lower, since(t0));
    entries = d.transit.at(0).entries.size();
    unparsed = d.coverage.at(0).unparsed.size();
  }
  const double parse = best_tree + best_extract;
  std::printf("parse (text -> CLI tree -> FortigateConfig), one core, best of %d:\n", rounds);
  std::printf("  tree     %7.3f s  %7.1f MB/s\n", best_tree, mb / best_tree);
  std::printf("  extract  %7.3f s\n", best_extract);
  std::printf("  total    %7.3f s  %7.1f MB/s   (target >= 50 MB/s)\n", parse, mb / parse);
  std::printf("lowering (FortigateConfig -> model::Device PacketSets): %.3f s, %.2f us per policy, "
              "%zu filter entries, %zu lines unparsed\n",
              best_lower, best_lower * 1e6 / policies, entries, unparsed);
  return 0;
}
