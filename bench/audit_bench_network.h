#pragma once
// The generated network of audit_bench: a deterministic municipal three-tier network of iptables
// devices (network.yaml text and iptables-save text per device), with the rule mix of
// /work/shared/research/packetset-probe.md. Header-only because every bench/*.cpp becomes an
// executable of its own.
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sanso_bench {

/// The machine is shared: a busy neighbour explains a slow figure better than the code does.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return in ? one + " " + five : "unknown";
}

struct GenSpec {
  int devices = 50;
  int rules = 2000;  ///< FORWARD rules per device
  std::uint64_t seed = 20261118;
};


struct Cidr {
  std::uint32_t base = 0;
  int len = 24;
};

inline std::string ip_text(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

/// The last address of base/len (a 64-bit shift: shifting a 32-bit value by 32 is undefined).
inline std::uint32_t last_of(std::uint32_t base, int len) {
  return static_cast<std::uint32_t>(base + ((std::uint64_t{1} << (32 - len)) - 1));
}

inline std::uint32_t ip(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) | std::uint32_t(d);
}

struct Segment {
  std::string name, zone;
  Cidr cidr;
  std::string reaches;       // "" or a zone list
  std::vector<Cidr> pools;   // where rule addresses on this side come from
};

/// One generated FORWARD rule, kept as numbers so the peer computation reads exactly this.
struct Rule {
  std::uint32_t src_lo = 0, src_hi = 0, dst_lo = 0, dst_hi = 0;
  int src_len = 32, dst_len = 32;
  std::uint8_t proto = 6;
  std::uint16_t port_lo = 0, port_hi = 0;
  bool accept = true;
  int in_port = -1, out_port = -1;  // 0 = eth0, 1 = eth1, -1 = any
};

struct GenDevice {
  std::string name;
  std::size_t seg[2] = {0, 0};
  bool default_accept = false;
  std::vector<Rule> rules;
};

struct GenNetwork {
  std::vector<Segment> segments;
  std::vector<GenDevice> devices;
};

// 16 common services (the probe's "90% one of 16").
inline constexpr std::uint16_t kServices[16] = {22, 25, 53, 80, 110, 123, 143, 389,
                                         443, 445, 514, 636, 993, 1521, 3306, 3389};

class Generator {
 public:
  explicit Generator(const GenSpec& o) : opts_(o), rng_(o.seed) {}

  GenNetwork run() {
    add_fixed_segments();
    // Device roles in order of importance: the tier boundaries and egresses first, so that even
    // --quick audits crossings; then department firewalls, a second boundary pair for large runs.
    int dept = 0;
    for (int i = 0; i < opts_.devices; ++i) {
      if (i == 0) add_device("bd-mn-lg-1", mn_core_, lg_core_);
      else if (i == 1) add_device("bd-lg-inet-1", lg_core_, inet_core_);
      else if (i == 2) add_device("egress-lgwan", lg_core_, lgwan_wan_);
      else if (i == 3) add_device("egress-inet", inet_core_, sec_cloud_);
      else if (i == 4 && opts_.devices >= 20) add_device("bd-mn-lg-2", mn_core_, lg_core_);
      else if (i == 5 && opts_.devices >= 20) add_device("bd-lg-inet-2", lg_core_, inet_core_);
      else add_department(dept++);
    }
    for (auto& d : net_.devices) fill_rules(d);
    return std::move(net_);
  }

 private:
  std::size_t add_segment(std::string name, std::string zone, Cidr cidr, std::string reaches = "",
                          std::vector<Cidr> pools = {}) {
    if (pools.empty()) pools.push_back(cidr);
    net_.segments.push_back({std::move(name), std::move(zone), cidr, std::move(reaches), std::move(pools)});
    return net_.segments.size() - 1;
  }

  void add_fixed_segments() {
    mn_core_ = add_segment("mn-core", "mynumber", {ip(10, 1, 0, 0), 24});
    lg_core_ = add_segment("lg-core", "lgwan", {ip(10, 2, 0, 0), 24});
    inet_core_ = add_segment("inet-core", "internet", {ip(172, 16, 0, 0), 24});
    // What lies behind the LGWAN router and the security cloud: rules there name these pools.
    lgwan_wan_ = add_segment("lgwan-wan", "lgwan-net", {ip(10, 200, 0, 0), 30}, "lgwan-net",
                             {{ip(10, 200, 16, 0), 20}});
    add_segment("lgwan-core", "lgwan-net", {ip(10, 200, 16, 0), 20});
    sec_cloud_ = add_segment("sec-cloud", "security-cloud", {ip(198, 51, 100, 0), 30}, "the-internet",
                             {{ip(203, 0, 113, 0), 24}, {ip(192, 0, 2, 0), 24}});
    add_segment("world", "the-internet", {0, 0});
    fixed_segments_ = net_.segments.size();
  }

  void add_device(std::string name, std::size_t a, std::size_t b, bool accept = false) {
    GenDevice d;
    d.name = std::move(name);
    d.seg[0] = a;
    d.seg[1] = b;
    d.default_accept = accept;
    net_.devices.push_back(std::move(d));
  }

  // Department firewalls between a tier core and a department /24 of their own; every tenth one
  // is an old default-ACCEPT box with a blacklist-style rule list.
  void add_department(int k) {
    static constexpr const char* kTier[4] = {"lgwan", "mynumber", "internet", "lgwan"};
    static constexpr const char* kPrefix[4] = {"lg", "mn", "inet", "lg"};
    const int t = k % 4;
    const int n = 10 + k;  // third octet; n < 256 since devices <= 600
    const std::string zone = kTier[t];
    const Cidr cidr = zone == "mynumber" ? Cidr{ip(10, 1, n, 0), 24}
                      : zone == "lgwan"  ? Cidr{ip(10, 2, n, 0), 24}
                                         : Cidr{ip(172, 16, n, 0), 24};
    const std::string seg_name = std::string(kPrefix[t]) + "-dept-" + std::to_string(k);
    const std::size_t seg = add_segment(seg_name, zone, cidr);
    const std::size_t core = zone == "mynumber" ? mn_core_ : zone == "lgwan" ? lg_core_ : inet_core_;
    add_device("fw-" + seg_name, core, seg, k % 10 == 9);
  }

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::uint32_t below(std::uint32_t n) { return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_); }

  /// An aligned block of prefix length `len` inside `pool` (the pool itself when it is smaller);
  /// host addresses avoid the network and broadcast address.
  std::pair<std::uint32_t, int> block_in(const Cidr& pool, int len) {
    if (len <= pool.len) return {pool.base, pool.len};
    const std::uint32_t blocks = 1u << (len - pool.len);
    std::uint32_t i = below(blocks);
    if (len == 32 && blocks > 2) i = 1 + below(blocks - 2);
    return {pool.base + (i << (32 - len)), len};
  }

  const Cidr& pool_of(std::size_t seg) {
    const auto& pools = net_.segments[seg].pools;
    return pools[below(static_cast<std::uint32_t>(pools.size()))];
  }

  /// Another tier segment (cores and departments): rules that name it make traffic cross.
  std::size_t elsewhere() {
    std::vector<std::size_t> cand = {mn_core_, lg_core_, inet_core_};
    for (std::size_t s = fixed_segments_; s < net_.segments.size(); ++s) cand.push_back(s);
    return cand[below(static_cast<std::uint32_t>(cand.size()))];
  }

  void fill_rules(GenDevice& d) {
    d.rules.reserve(opts_.rules);
    for (int i = 0; i < opts_.rules; ++i) {
      Rule r;
      const int from = chance(0.5) ? 0 : 1;
      std::size_t src_seg = d.seg[from], dst_seg = d.seg[1 - from];
      if (chance(0.10)) (chance(0.5) ? src_seg : dst_seg) = elsewhere();
      const double shape = std::uniform_real_distribution<double>(0, 1)(rng_);
      const int src_len = shape < 0.60 ? 32 : shape < 0.85 ? 26 : 24;
      const int dst_len = shape < 0.85 ? 32 : 25;
      const auto [sb, sl] = block_in(pool_of(src_seg), src_len);
      const auto [db, dl] = block_in(pool_of(dst_seg), dst_len);
      r.src_lo = sb;
      r.src_len = sl;
      r.src_hi = last_of(sb, sl);
      r.dst_lo = db;
      r.dst_len = dl;
      r.dst_hi = last_of(db, dl);
      r.proto = chance(0.75) ? 6 : 17;
      if (chance(0.90)) {
        r.port_lo = r.port_hi = kServices[below(16)];
      } else {  // a port range of up to 500 ports anywhere in the full range
        const std::uint32_t width = below(500);
        r.port_lo = static_cast<std::uint16_t>(1 + below(65535 - width));
        r.port_hi = static_cast<std::uint16_t>(r.port_lo + width);
      }
      r.accept = chance(0.85);
      if (chance(0.8)) {  // most rules name the direction, as admins write them
        r.in_port = from;
        r.out_port = 1 - from;
      }
      d.rules.push_back(r);
    }
    // A default-ACCEPT box keeps mostly drops, as a blacklist would.
    if (d.default_accept) {
      for (auto& r : d.rules) r.accept = chance(0.15);
    }
  }

  const GenSpec& opts_;
  std::mt19937_64 rng_;
  GenNetwork net_;
  std::size_t fixed_segments_ = 0;
  std::size_t mn_core_ = 0, lg_core_ = 0, inet_core_ = 0, lgwan_wan_ = 0, sec_cloud_ = 0;
};

inline std::string cidr_text(std::uint32_t base, int len) { return ip_text(base) + "/" + std::to_string(len); }

inline std::string network_yaml(const GenNetwork& n) {
  std::string y =
      "sanso: 1\nname: Bench City (generated)\npolicy:\n  model: alpha\n"
      "  mn_exception_direction: import-only\n  mn_wlan: forbidden\n"
      "zones:\n"
      "  lgwan-net:      {tier: lgwan, external: true}\n"
      "  security-cloud: {tier: internet, external: true, role: egress}\n"
      "  the-internet:   {tier: internet, external: true}\n"
      "segments:\n";
  for (const auto& s : n.segments) {
    y += "  " + s.name + ": {zone: " + s.zone + ", cidr: " + cidr_text(s.cidr.base, s.cidr.len);
    if (!s.reaches.empty()) y += ", reaches: [" + s.reaches + "]";
    y += "}\n";
  }
  // Two hosts and one declared specific communication, so allowances take part in the audit.
  y += "hosts:\n"
       "  juki-app: {segment: mn-core, ip: 10.1.0.10, role: server}\n"
       "  lg-print: {segment: lg-core, ip: 10.2.0.35, role: server}\n"
       "devices:\n";
  for (const auto& d : n.devices) {
    y += "  " + d.name + ":\n    vendor: iptables\n    config: configs/" + d.name + ".rules\n" +
         "    interfaces: {eth0: " + n.segments[d.seg[0]].name + ", eth1: " + n.segments[d.seg[1]].name +
         "}\n";
  }
  y += "allow:\n"
       "  - {id: juki-to-print, kind: specific, from: juki-app, to: lg-print, service: tcp/9100,\n"
       "     reason: 帳票印刷}\n";
  return y;
}

/// iptables-save text in the canonical order iptables-save itself prints options.
inline std::string iptables_save(const GenDevice& d) {
  std::string t = "# Generated by iptables-save v1.8.9 (nf_tables) on Wed Nov 18 17:42:51 2026\n*filter\n";
  t += ":INPUT DROP [0:0]\n";
  t += d.default_accept ? ":FORWARD ACCEPT [0:0]\n" : ":FORWARD DROP [0:0]\n";
  t += ":OUTPUT ACCEPT [0:0]\n";
  t += "-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
  t += "-A INPUT -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT\n";
  t += "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
  if (d.name == "bd-mn-lg-1") {  // the declared specific communication
    t += "-A FORWARD -s 10.1.0.10/32 -d 10.2.0.35/32 -i eth0 -o eth1 -p tcp -m tcp --dport 9100 "
         "-m comment --comment juki-to-print -j ACCEPT\n";
  }
  std::size_t n = 0;
  for (const auto& r : d.rules) {
    t += "-A FORWARD -s " + cidr_text(r.src_lo, r.src_len) + " -d " + cidr_text(r.dst_lo, r.dst_len);
    if (r.in_port >= 0) t += " -i eth" + std::to_string(r.in_port);
    if (r.out_port >= 0) t += " -o eth" + std::to_string(r.out_port);
    const char* p = r.proto == 6 ? "tcp" : "udp";
    t += std::string(" -p ") + p + " -m " + p + " --dport " + std::to_string(r.port_lo);
    if (r.port_hi != r.port_lo) t += ":" + std::to_string(r.port_hi);
    if (++n % 7 == 0) t += " -m comment --comment \"ticket " + std::to_string(1000 + n) + "\"";
    t += r.accept ? " -j ACCEPT\n" : " -j DROP\n";
  }
  if (!d.default_accept) t += "-A FORWARD -j LOG --log-prefix \"" + d.name + " FORWARD drop: \"\n";
  t += "COMMIT\n# Completed on Wed Nov 18 17:42:51 2026\n";
  return t;
}

}  // namespace sanso_bench
