// nftables_parse_bench: `nft list ruleset` parsing throughput (issue 5: >= 50 MB/s per core) and,
// separately, the lowering of the rules into PacketSets per rule. Generates a deterministic
// ruleset in memory shaped like a municipal Linux gateway: an inet filter table whose forward
// chain dispatches by output interface (vmap) to per-zone chains holding the rules, named
// interval sets of addresses, anonymous port sets, counters and comments. Prints numbers, it is
// not a pass/fail test. Usage: nftables_parse_bench [rules] [set elements] [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "parse_bench_util.h"
#include "vendor/nftables/parse.h"
#include "vendor/nftables/to_model.h"

namespace {

using sanso_bench::Clock;
using sanso_bench::ip4;
using sanso_bench::since;

constexpr int kZones = 8;

std::string generate(int rules, int elements) {
  std::mt19937 rng(20260401);
  std::string out;
  out.reserve(static_cast<std::size_t>(rules) * 130 + static_cast<std::size_t>(elements) * 20);
  out += "table inet filter {\n";
  for (int s = 0; s < 4; ++s) {
    out += "\tset blocked" + std::to_string(s) + " {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { ";
    for (int e = 0; e < elements / 4; ++e) {
      const unsigned base = 0x64000000u + static_cast<unsigned>(s) * 0x01000000u + static_cast<unsigned>(e) * 256u;
      out += (e == 0 ? "" : ",\n\t\t\t     ") + ip4(base) + (e % 3 == 0 ? "/24" : "-" + ip4(base + 17));
    }
    out += " }\n\t}\n\n";
  }
  const int per_zone = rules / kZones;
  for (int z = 0; z < kZones; ++z) {
    out += "\tchain zone" + std::to_string(z) + "_in {\n";
    for (int r = 0; r < per_zone; ++r) {
      const unsigned src = 0x0A000000u + (rng() % 65536u) * 256u;
      const unsigned dst = 0x0A000000u + (static_cast<unsigned>(z) << 16) + (rng() % 256u);
      out += "\t\tiifname \"lan" + std::to_string(rng() % kZones) + "\" ip saddr " + ip4(src) + "/24 ip daddr " +
             ip4(dst);
      switch (r % 4) {
        case 0: out += " tcp dport { 80, 443, 8080-8090 }"; break;
        case 1: out += " udp dport " + std::to_string(1000 + rng() % 5000); break;
        case 2: out += " tcp dport " + std::to_string(1 + rng() % 1024); break;
        default: out += " icmp type echo-request"; break;
      }
      out += " counter packets 0 bytes 0 " + std::string(r % 10 == 9 ? "drop" : "accept");
      if (r % 5 == 0) out += " comment \"ticket " + std::to_string(r) + "\"";
      out += "\n";
    }
    out += "\t\tip saddr @blocked" + std::to_string(z % 4) + " counter packets 0 bytes 0 drop\n\t}\n\n";
  }
  out += "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n";
  out += "\t\tct state vmap { invalid : drop, established : accept, related : accept }\n";
  out += "\t\toifname vmap { ";
  for (int z = 0; z < kZones; ++z)
    out += (z == 0 ? "" : ", ") + std::string("\"lan") + std::to_string(z) + "\" : jump zone" + std::to_string(z) + "_in";
  out += " }\n\t}\n}\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sanso::vendor::nftables;
  const int rules = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int elements = argc > 2 ? std::atoi(argv[2]) : 40000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  const std::string text = generate(rules, elements);
  const double mb = static_cast<double>(text.size()) / 1e6;
  std::printf("nftables_parse_bench: %d rules, %d set elements, %.1f MB, %zu lines\n", rules, elements,
              mb, physical_lines(text).size());
  double best_parse = 1e9, best_lower = 1e9;
  std::size_t entries = 0, unparsed = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    const NftConfig cfg = parse_text("bench.nft", text);
    best_parse = std::min(best_parse, since(t0));
    t0 = Clock::now();
    const auto d = to_model("bench", {cfg});
    best_lower = std::min(best_lower, since(t0));
    entries = d.transit.at(0).entries.size();
    unparsed = d.coverage.at(0).unparsed.size();
  }
  std::printf("parse (text -> tokens -> NftConfig), one core, best of %d: %.3f s  %.1f MB/s   "
              "(target >= 50 MB/s)\n", rounds, best_parse, mb / best_parse);
  std::printf("lowering (NftConfig -> model::Device PacketSets, chains flattened): %.3f s, %.2f us per "
              "rule, %zu filter entries, %zu lines unparsed\n",
              best_lower, best_lower * 1e6 / rules, entries, unparsed);
  return 0;
}
