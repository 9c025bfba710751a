// asa_parse_bench: Cisco ASA config parsing throughput (issue 5: >= 50 MB/s per core on a large
// generated config: 20,000 ACEs and 50,000 objects by default) and, separately, the lowering of
// the bound ACLs into PacketSets per rule. Generates a deterministic config in memory; prints
// numbers, it is not a pass/fail test. Usage: asa_parse_bench [aces] [objects] [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "parse_bench_util.h"
#include "vendor/asa/parse.h"
#include "vendor/asa/to_model.h"

namespace {

using sanso_bench::Clock;
using sanso_bench::ip4;
using sanso_bench::since;

// A config shaped like a real `show running-config`: interfaces, network objects (hosts, /24s,
// ranges), network and service groups, object NAT, and ACEs that name objects, groups, hosts,
// subnets and ports, bound in and out.
std::string generate(int aces, int objects) {
  std::mt19937 rng(20260401);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(std::max(1, n))); };
  std::string out;
  out.reserve(static_cast<std::size_t>(objects) * 70 + static_cast<std::size_t>(aces) * 120);
  out += ": Saved\n:\nASA Version 9.16(4)\n!\nhostname bench-asa\n";
  for (int i = 0; i < 8; ++i) {
    out += "interface GigabitEthernet0/" + std::to_string(i) + "\n nameif if" + std::to_string(i) +
           "\n security-level " + std::to_string(i * 10) + "\n ip address " +
           ip4(0x0A000001u + (static_cast<unsigned>(i) << 16)) + " 255.255.0.0\n!\n";
  }
  for (int i = 0; i < objects; ++i) {
    const unsigned base = 0x0A000000u + static_cast<unsigned>(i) * 256u;
    out += "object network obj" + std::to_string(i) + "\n";
    switch (i % 10) {
      case 0: out += " range " + ip4(base + 10) + " " + ip4(base + 20) + "\n"; break;
      case 1: out += " subnet " + ip4(base) + " 255.255.255.0\n"; break;
      default: out += " host " + ip4(base + 1 + static_cast<unsigned>(i % 200)) + "\n";
    }
    if (i % 500 == 7) out += " nat (if1,if0) static " + ip4(0xCB007100u + static_cast<unsigned>(i / 500)) + "\n";
  }
  for (int g = 0; g < objects / 100; ++g) {
    out += "object-group network grp" + std::to_string(g) + "\n";
    for (int k = 0; k < 5; ++k) out += " network-object object obj" + std::to_string(pick(objects)) + "\n";
  }
  for (int s = 0; s < 200; ++s) {
    out += "object-group service svc" + std::to_string(s) + " tcp\n port-object range " +
           std::to_string(1000 + s * 10) + " " + std::to_string(1005 + s * 10) + "\n port-object eq https\n";
  }
  const char* ports[] = {"www", "https", "ssh", "domain", "smtp", "3389", "ntp", "8080"};
  for (int a = 0; a < aces; ++a) {
    const std::string acl = "ACL_if" + std::to_string(a % 4);
    if (a % 50 == 0) out += "access-list " + acl + " remark rule block " + std::to_string(a) + "\n";
    out += "access-list " + acl + " extended " + (a % 5 == 4 ? "deny" : "permit");
    switch (a % 4) {
      case 0:
        out += " tcp object obj" + std::to_string(pick(objects)) + " object obj" +
               std::to_string(pick(objects)) + " eq " + ports[pick(8)];
        break;
      case 1:
        out += " tcp object-group grp" + std::to_string(pick(objects / 100)) + " object-group grp" +
               std::to_string(pick(objects / 100)) + " object-group svc" + std::to_string(pick(200));
        break;
      case 2:
        out += " udp host " + ip4(0x0A000000u + static_cast<unsigned>(pick(1 << 20))) + " " +
               ip4(0xAC100000u + (static_cast<unsigned>(pick(4096)) << 8)) + " 255.255.255.0 range 1024 2048";
        break;
      default:
        out += " ip object obj" + std::to_string(pick(objects)) + " any4";
    }
    out += a % 3 == 0 ? " log\n" : "\n";
  }
  for (int i = 0; i < 4; ++i)
    out += "access-group ACL_if" + std::to_string(i) + (i == 3 ? " out" : " in") + " interface if" +
           std::to_string(i) + "\n";
  out += "logging enable\nlogging host if1 10.1.20.60\nntp server 10.1.20.123\n: end\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sanso::vendor::asa;
  const int aces = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int objects = argc > 2 ? std::atoi(argv[2]) : 50000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  const std::string text = generate(aces, objects);
  const double mb = static_cast<double>(text.size()) / 1e6;

  double best_parse = 1e9, best_lower = 1e9;
  std::size_t entries = 0, unparsed = 0, lines = 0, dnat = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    const ParsedConfig p = parse("bench.cfg", text);
    best_parse = std::min(best_parse, since(t0));
    lines = p.lines.size();
    t0 = Clock::now();
    const auto d = to_model("bench", p.config, p.lines);
    best_lower = std::min(best_lower, since(t0));
    entries = 0;
    for (const auto& f : d.transit) entries += f.entries.size();
    unparsed = d.coverage.at(0).unparsed.size();
    dnat = d.destination_nat.size();
  }
  std::printf("asa_parse_bench: %d ACEs, %d objects, %.1f MB, %zu lines\n", aces, objects, mb, lines);
  std::printf("parse (text -> AsaConfig), one core, best of %d: %.3f s  %.1f MB/s   (target >= 50 MB/s)\n",
              rounds, best_parse, mb / best_parse);
  std::printf("lowering (AsaConfig -> model::Device PacketSets): %.3f s, %.2f us per ACE, "
              "%zu filter entries, %zu destination NAT entries, %zu lines unparsed\n",
              best_lower, best_lower * 1e6 / aces, entries, dnat, unparsed);
  return 0;
}
