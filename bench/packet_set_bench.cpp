// Benchmark: lowering ordered rule lists with PacketSet, beside a naive BuDDy BDD peer on the same
// input (research/packetset-probe.md). Workload: lists × 2,000 rules, each list between two /24s;
// rules 60% /32→/32, 25% /26→/32, 15% /24→/25; 75% tcp, 25% udp; 90% one of 16 common services,
// 10% a port range of up to 500 ports; 85% accept. Deterministic (fixed seed).
//
//   packet_set_bench [--quick] [--no-bdd]
//
// --quick: 5 lists instead of 50 (a smoke run); --no-bdd: skip the peer.
#include <bdd.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/packet_set.h"

namespace {

using sanso::model::Family;
using sanso::model::IpRange;
using sanso::model::PacketSet;
using sanso::model::u128;

struct Rule {
  std::uint32_t src_lo, src_hi, dst_lo, dst_hi;
  int src_len, dst_len;
  std::uint8_t proto;
  std::uint16_t port_lo, port_hi;
  bool accept;
};

using List = std::vector<Rule>;

constexpr std::uint16_t kServices[16] = {22,  25,  53,  80,  110, 123,  135,  139,
                                         143, 389, 443, 445, 993, 3389, 8080, 9100};

std::vector<List> make_workload(int lists, int rules_per_list) {
  std::mt19937 rng(12345);
  auto pick = [&rng](std::uint32_t n) { return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng); };
  std::vector<List> out;
  for (int l = 0; l < lists; ++l) {
    const std::uint32_t src_net = (10u << 24) | (1u << 16) | (static_cast<std::uint32_t>(l) << 8);
    const std::uint32_t dst_net = (10u << 24) | (2u << 16) | (static_cast<std::uint32_t>(l) << 8);
    List list;
    for (int r = 0; r < rules_per_list; ++r) {
      Rule rule{};
      const std::uint32_t shape = pick(100);
      if (shape < 60) {
        rule.src_len = 32;
        rule.dst_len = 32;
      } else if (shape < 85) {
        rule.src_len = 26;
        rule.dst_len = 32;
      } else {
        rule.src_len = 24;
        rule.dst_len = 25;
      }
      const std::uint32_t src_size = 1u << (32 - rule.src_len);
      const std::uint32_t dst_size = 1u << (32 - rule.dst_len);
      rule.src_lo = src_net + pick(256 / src_size) * src_size;
      rule.src_hi = rule.src_lo + src_size - 1;
      rule.dst_lo = dst_net + pick(256 / dst_size) * dst_size;
      rule.dst_hi = rule.dst_lo + dst_size - 1;
      rule.proto = pick(100) < 75 ? sanso::model::kProtoTcp : sanso::model::kProtoUdp;
      if (pick(100) < 90) {
        rule.port_lo = rule.port_hi = kServices[pick(16)];
      } else {
        rule.port_lo = static_cast<std::uint16_t>(1024 + pick(64000));
        rule.port_hi = static_cast<std::uint16_t>(rule.port_lo + pick(500));
      }
      rule.accept = pick(100) < 85;
      list.push_back(rule);
    }
    out.push_back(std::move(list));
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

// Number of (src, dst, proto, dport) tuples in a permit set: every other field is free in every
// box the workload produces, so the boxes' volumes over these four fields add up.
double volume4(const PacketSet& s) {
  double v = 0;
  for (const auto& b : s.blocks()) {
    auto w = [&b](sanso::model::Field f) { return static_cast<double>(b[f].hi - b[f].lo + 1); };
    using F = sanso::model::Field;
    v += w(F::Src) * w(F::Dst) * w(F::Proto) * w(F::Dport);
  }
  return v;
}

// --- ours -----------------------------------------------------------------------------------

struct OursResult {
  double build_s = 0, hits_s = 0, union_s = 0;
  std::size_t boxes = 0;
  std::vector<double> volumes;
};

OursResult run_ours(const std::vector<List>& lists) {
  OursResult res;
  std::vector<PacketSet> permits;
  for (const List& list : lists) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<PacketSet> matches;
    matches.reserve(list.size());
    for (const Rule& r : list) {
      matches.push_back(PacketSet::src(IpRange{Family::V4, r.src_lo, r.src_hi}) &
                        PacketSet::dst(IpRange{Family::V4, r.dst_lo, r.dst_hi}) &
                        PacketSet::dport(r.proto, r.port_lo, r.port_hi));
    }
    res.build_s += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    std::vector<PacketSet> hits = sanso::model::first_match_hits(matches);
    res.hits_s += seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    std::vector<PacketSet> accepted;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].accept) accepted.push_back(std::move(hits[i]));
    }
    permits.push_back(sanso::model::union_all(accepted));
    res.union_s += seconds_since(t0);
    res.boxes += permits.back().block_count();
    res.volumes.push_back(volume4(permits.back()));
  }
  return res;
}

// --- the BuDDy peer ---------------------------------------------------------------------------

// BuDDy keeps one global node table: one owner object initialises and frees it.
class Buddy {
 public:
  Buddy() {
    if (bdd_init(4'000'000, 400'000) != 0) throw std::runtime_error("bdd_init failed");
    bdd_error_hook(&Buddy::on_error);
    bdd_gbc_hook(nullptr);  // no GC chatter on stdout
    bdd_setvarnum(kVars);
  }
  ~Buddy() { bdd_done(); }
  Buddy(const Buddy&) = delete;
  Buddy& operator=(const Buddy&) = delete;

  // Variable order: src 32, dst 32, proto 8, dport 16; most significant bit first.
  static constexpr int kSrc = 0, kDst = 32, kProto = 64, kDport = 72, kVars = 88;

  static bdd prefix(int base, std::uint32_t value, int len) {
    bdd r = bddtrue;
    for (int i = 0; i < len; ++i) {
      const bool bit = (value >> (31 - i)) & 1u;
      r &= bit ? bdd_ithvar(base + i) : bdd_nithvar(base + i);
    }
    return r;
  }

  // value in [lo, hi] over `width` bits at `base`.
  static bdd range(int base, int width, std::uint32_t lo, std::uint32_t hi) {
    bdd ge = bddtrue;
    bdd le = bddtrue;
    for (int i = 0; i < width; ++i) {  // from the least significant bit up
      const bdd x = bdd_ithvar(base + width - 1 - i);
      ge = ((lo >> i) & 1u) ? (x & ge) : (x | ge);
      le = ((hi >> i) & 1u) ? ((!x) | le) : ((!x) & le);
    }
    return ge & le;
  }

 private:
  static void on_error(int code) { throw std::runtime_error(std::string("BuDDy: ") + bdd_errstring(code)); }
};

double run_bdd(const std::vector<List>& lists, std::vector<double>& volumes) {
  Buddy buddy;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<bdd> permits;
  for (const List& list : lists) {
    bdd unmatched = bddtrue;
    bdd permit = bddfalse;
    for (const Rule& r : list) {
      const bdd match = Buddy::prefix(Buddy::kSrc, r.src_lo, r.src_len) &
                        Buddy::prefix(Buddy::kDst, r.dst_lo, r.dst_len) &
                        Buddy::range(Buddy::kProto, 8, r.proto, r.proto) &
                        Buddy::range(Buddy::kDport, 16, r.port_lo, r.port_hi);
      if (r.accept) permit |= match & unmatched;
      unmatched &= !match;
    }
    permits.push_back(permit);
  }
  const double s = seconds_since(t0);
  for (const bdd& p : permits) volumes.push_back(bdd_satcount(p));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  bool with_bdd = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--no-bdd") == 0) {
      with_bdd = false;
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--no-bdd]\n", argv[0]);
      return 2;
    }
  }
  const int n_lists = quick ? 5 : 50;
  const int n_rules = 2000;
  const auto lists = make_workload(n_lists, n_rules);
  const double total_rules = static_cast<double>(n_lists) * n_rules;
  std::printf("workload: %d lists x %d rules\n", n_lists, n_rules);

  const OursResult ours = run_ours(lists);
  const double ours_s = ours.build_s + ours.hits_s + ours.union_s;
  std::printf("PacketSet: %.3f s (build %.3f, first_match_hits %.3f, union %.3f), %.0f rules/s, "
              "%zu permit boxes, peak RSS %ld MB\n",
              ours_s, ours.build_s, ours.hits_s, ours.union_s, total_rules / ours_s, ours.boxes,
              peak_rss_mb());
  if (!with_bdd) return 0;
  try {
    std::vector<double> volumes;
    const double bdd_s = run_bdd(lists, volumes);
    std::printf("BuDDy (naive, 88 vars): %.3f s, %.0f rules/s, peak RSS %ld MB\n", bdd_s,
                total_rules / bdd_s, peak_rss_mb());
    // The two must describe the same permit sets: compare their sizes over the four fields.
    int differ = 0;
    for (std::size_t i = 0; i < volumes.size(); ++i) {
      if (std::fabs(volumes[i] - ours.volumes[i]) > 1e-9 * std::max(1.0, volumes[i])) ++differ;
    }
    std::printf("permit sets agree with BuDDy: %s (%d of %zu lists differ)\n",
                differ == 0 ? "yes" : "NO", differ, volumes.size());
    std::printf("speed-up: %.1fx\n", bdd_s / ours_s);
    return differ == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bdd peer failed: %s\n", e.what());
    return 3;
  }
}
