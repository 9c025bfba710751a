// `sanso trace SRC DST PROTO/PORT`: why one flow is allowed or denied, and what the policy says
// about it; `--batch FILE|-` traces JSON lines against a model loaded once (docs/trace.md).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "analysis/network.h"
#include "analysis/trace.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/trace_format.h"
#include "policy/allowances.h"
#include "policy/flow_verdict.h"
#include "topology/load.h"

namespace sanso::cli {
namespace {

struct TraceArgs {
  std::string src, dst, service;
  std::string topology;
  int sport = -1;
  std::string src_mac;
  std::string format = "text";
  std::string lang;
  std::string rules;
  std::string batch;
};

/// One flow as the user wrote it (command line or a batch line).
struct FlowInput {
  std::string src, dst, service;
  std::optional<int> sport;
  std::optional<std::string> src_mac;
};

/// The topology, configs and policy, loaded once per run. Not movable: the network and the judge
/// point into it.
struct Model {
  topology::Topology topology;
  policy::RulePack pack;
  std::map<std::string, model::Device> devices;
  std::unique_ptr<analysis::Network> network;
  std::unique_ptr<policy::Allowances> allowances;
  std::unique_ptr<policy::FlowJudge> judge;
  model::WitnessPreference preference;  ///< declared hosts first, as the audit chooses witnesses
};

/// Resolves the topology as `sanso audit` does: the given path, else ./network.yaml.
std::unique_ptr<Model> load_model(const std::string& topology_path, const std::string& rules_flag) {
  std::string path = topology_path;
  if (path.empty()) {
    if (!std::filesystem::exists("network.yaml")) {
      std::fputs(
          "sanso: no network.yaml in the current directory\n"
          "  give a topology: sanso trace --topology PATH SRC DST PROTO/PORT\n"
          "  try the bundled example: sanso trace -t topology/example-city juki-app lg-print tcp/9100\n",
          stderr);
      return nullptr;
    }
    path = "network.yaml";
  }
  auto loaded = topology::load_topology(path);
  if (!loaded.topology) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
    return nullptr;
  }
  auto m = std::make_unique<Model>();
  m->topology = std::move(*loaded.topology);
  auto pack = load_rules(&m->topology, rules_flag);
  if (!pack) return nullptr;
  m->pack = std::move(*pack);
  auto devices = load_devices(m->topology);
  if (!devices.errors.empty()) {
    for (const auto& e : devices.errors) std::fprintf(stderr, "%s\n", e.c_str());
    return nullptr;
  }
  m->devices = std::move(devices.devices);
  m->network = std::make_unique<analysis::Network>(m->topology, m->devices);
  m->network->lower_all(worker_threads());
  m->allowances = std::make_unique<policy::Allowances>(*m->network, m->topology);
  m->judge = std::make_unique<policy::FlowJudge>(m->topology, *m->allowances, m->pack);
  for (const auto& h : m->topology.hosts) {
    for (const auto& i : h.interfaces) {
      if (i.ip) m->preference.preferred_addresses.push_back(*i.ip);
    }
  }
  std::sort(m->preference.preferred_addresses.begin(), m->preference.preferred_addresses.end());
  return m;
}

struct End {
  model::IpAddress ip;
  const topology::Host* host = nullptr;
  std::optional<std::uint64_t> mac;  ///< the registered MAC of this address
};

/// A host name (each of its addresses) or an address (with the host registered at it, if any).
std::vector<End> resolve_end(const topology::Topology& topo, const std::string& text,
                             std::string& error) {
  std::vector<End> out;
  if (auto ip = model::parse_ip(text)) {
    End e{*ip, nullptr, std::nullopt};
    for (const auto& h : topo.hosts) {
      for (const auto& i : h.interfaces) {
        if (i.ip && *i.ip == *ip && e.host == nullptr) {
          e.host = &h;
          e.mac = i.mac;
        }
      }
    }
    out.push_back(e);
    return out;
  }
  const auto* host = topo.find_host(text);
  if (host == nullptr) {
    error = "'" + text + "' is neither a host of the topology nor an IPv4/IPv6 address";
    return out;
  }
  for (const auto& i : host->interfaces) {
    if (i.ip) out.push_back({*i.ip, host, i.mac});
  }
  if (out.empty()) error = "host '" + text + "' has no address in the topology";
  return out;
}

std::optional<unsigned> number(std::string_view s, unsigned max) {
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v > max) return std::nullopt;
  return v;
}

/// tcp/N, udp/N, sctp/N, icmp[/TYPE], icmpv6[/TYPE], ip/PROTO.
bool parse_service(const std::string& text, model::Family family, analysis::FlowQuery& q,
                   std::string& error) {
  const auto slash = text.find('/');
  const std::string proto = text.substr(0, slash);
  const std::optional<std::string> arg =
      slash == std::string::npos ? std::nullopt : std::optional<std::string>(text.substr(slash + 1));
  const std::string expected =
      "'" + text + "' is not a service: expected PROTO/PORT such as tcp/445, udp/53, icmp or icmp/8";
  if (proto == "tcp" || proto == "udp" || proto == "sctp") {
    q.proto = proto == "tcp" ? model::kProtoTcp : proto == "udp" ? model::kProtoUdp : model::kProtoSctp;
    if (!arg) {
      error = "'" + text + "': " + proto + " needs a destination port, e.g. " + proto + "/443";
      return false;
    }
    const auto port = number(*arg, 65535);
    if (!port) {
      error = expected;
      return false;
    }
    q.dport = static_cast<std::uint16_t>(*port);
    return true;
  }
  if (proto == "icmp" || proto == "icmpv6") {
    q.proto = family == model::Family::V6 ? model::kProtoIcmpv6 : model::kProtoIcmp;
    if (arg) {
      const auto type = number(*arg, 255);
      if (!type) {
        error = expected;
        return false;
      }
      q.icmp_type = static_cast<std::uint8_t>(*type);
    }
    return true;
  }
  if (proto == "ip" && arg) {
    const auto p = number(*arg, 255);
    if (!p) {
      error = expected;
      return false;
    }
    q.proto = static_cast<std::uint8_t>(*p);
    return true;
  }
  error = expected;
  return false;
}

std::optional<TraceQueryInfo> make_query(const Model& m, const FlowInput& in, std::string& error) {
  const auto srcs = resolve_end(m.topology, in.src, error);
  if (srcs.empty()) return std::nullopt;
  const auto dsts = resolve_end(m.topology, in.dst, error);
  if (dsts.empty()) return std::nullopt;
  const End* s = nullptr;
  const End* d = nullptr;
  for (const auto& a : srcs) {
    for (const auto& b : dsts) {
      if (s == nullptr && a.ip.family == b.ip.family) {
        s = &a;
        d = &b;
      }
    }
  }
  if (s == nullptr) {
    error = "'" + in.src + "' and '" + in.dst + "' have no addresses of the same family";
    return std::nullopt;
  }
  TraceQueryInfo info;
  auto& q = info.query;
  q.family = s->ip.family;
  q.src = s->ip.value;
  q.dst = d->ip.value;
  if (!parse_service(in.service, q.family, q, error)) return std::nullopt;
  if (in.sport) {
    if (*in.sport < 0 || *in.sport > 65535) {
      error = "source port " + std::to_string(*in.sport) + " is out of range 0-65535";
      return std::nullopt;
    }
    q.sport = static_cast<std::uint16_t>(*in.sport);
  }
  if (in.src_mac) {
    q.src_mac = model::parse_mac(*in.src_mac);
    if (!q.src_mac) {
      error = "'" + *in.src_mac + "' is not a MAC address (expected e.g. 02:00:0a:01:14:0a)";
      return std::nullopt;
    }
  } else if (s->mac) {
    q.src_mac = s->mac;  // the registered MAC of the source host
    info.mac_registered = true;
  }
  info.src_host = s->host != nullptr ? s->host->name : "";
  info.dst_host = d->host != nullptr ? d->host->name : "";
  // A packet enters the graph on the segment that holds its source (TOPOLOGY.md): an address no
  // segment stands for enters nowhere, and "denied" would wrongly read as "proven safe".
  const auto flow = analysis::flow_packets(q);
  bool placed = false;
  for (std::size_t i = 0; i < m.network->segment_count() && !placed; ++i) {
    placed = m.network->source_space(i).intersects(flow);
  }
  if (!placed) {
    error = "source address " + model::format_ip(q.family, q.src) +
            " belongs to no segment of the topology (undeclared or special-purpose address)";
    return std::nullopt;
  }
  return info;
}

struct Traced {
  analysis::TraceResult trace;
  policy::TraceJudgement judged;
};

Traced run_trace(Model& m, const TraceQueryInfo& info) {
  model::WitnessPreference pref = m.preference;
  if (info.query.src_mac) pref.preferred_macs.push_back(*info.query.src_mac);
  Traced t;
  t.trace = analysis::trace(*m.network, info.query, pref);
  t.judged = policy::judge_trace(*m.network, t.trace, *m.judge);
  return t;
}

/// One batch line: {src, dst, proto, sport, dport, src_mac?} (icmp: icmp_type instead of dport).
std::optional<FlowInput> batch_input(const std::string& line, std::string& error) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const char* kKeys[] = {"src", "dst", "proto", "sport", "dport", "src_mac", "icmp_type"};
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return it.key() == k; })) {
      error = "unknown key '" + it.key() + "' (expected src, dst, proto, sport, dport, src_mac, icmp_type)";
      return std::nullopt;
    }
  }
  FlowInput in;
  for (const char* k : {"src", "dst", "proto"}) {
    if (!j.contains(k) || !j[k].is_string()) {
      error = std::string("'") + k + "' must be a string";
      return std::nullopt;
    }
  }
  in.src = j["src"];
  in.dst = j["dst"];
  in.service = j["proto"];
  // An optional integer field; false (and `error` set) when it is something else.
  auto integer = [&](const char* k, std::optional<int>& out) {
    if (!j.contains(k) || j[k].is_null()) return true;
    if (!j[k].is_number_integer()) {
      error = std::string("'") + k + "' must be an integer or null";
      return false;
    }
    out = j[k].get<int>();
    return true;
  };
  std::optional<int> dport, type;
  if (!integer("sport", in.sport) || !integer("dport", dport) || !integer("icmp_type", type)) {
    return std::nullopt;
  }
  const auto& port = in.service.rfind("icmp", 0) == 0 ? type : dport;
  if (port) in.service += "/" + std::to_string(*port);
  if (j.contains("src_mac") && !j["src_mac"].is_null()) {
    if (!j["src_mac"].is_string()) {
      error = "'src_mac' must be a string or null";
      return std::nullopt;
    }
    in.src_mac = j["src_mac"].get<std::string>();
  }
  return in;
}

int run_batch(Model& m, const std::string& source) {
  std::ifstream file;
  if (source != "-") {
    file.open(source);
    if (!file) {
      std::fprintf(stderr, "sanso: cannot read %s\n", source.c_str());
      return kInputError;
    }
  }
  std::istream& in = source == "-" ? std::cin : file;
  int worst = kClean;
  bool bad = false;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string error;
    std::optional<TraceQueryInfo> info;
    if (auto input = batch_input(line, error)) info = make_query(m, *input, error);
    nlohmann::json out;
    if (!info) {
      bad = true;
      out = {{"line", n}, {"error", error}};
    } else {
      const Traced t = run_trace(m, *info);
      out = trace_json(*m.network, *info, t.trace, t.judged);
      out["line"] = n;
      worst = std::max(worst, t.judged.exit_code());
    }
    const std::string text = out.dump() + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);  // a driver reading our answers line by line must not wait for a buffer
  }
  return bad ? kInputError : worst;
}

int run_trace_command(const TraceArgs& a) {
  const bool one = !a.src.empty() || !a.dst.empty() || !a.service.empty();
  if (!a.batch.empty() && one) {
    std::fputs("sanso trace: give either SRC DST PROTO/PORT or --batch, not both\n", stderr);
    return kInputError;
  }
  if (a.batch.empty() && (a.src.empty() || a.dst.empty() || a.service.empty())) {
    std::fputs("sanso trace: needs SRC DST PROTO/PORT (e.g. juki-app lg-print tcp/9100), or --batch FILE\n",
               stderr);
    return kInputError;
  }
  auto m = load_model(a.topology, a.rules);
  if (!m) return kInputError;
  if (!a.batch.empty()) return run_batch(*m, a.batch);

  FlowInput in{a.src, a.dst, a.service, std::nullopt, std::nullopt};
  if (a.sport >= 0) in.sport = a.sport;
  if (!a.src_mac.empty()) in.src_mac = a.src_mac;
  std::string error;
  const auto info = make_query(*m, in, error);
  if (!info) {
    std::fprintf(stderr, "sanso trace: %s\n", error.c_str());
    return kInputError;
  }
  const Traced t = run_trace(*m, *info);
  const std::string text =
      a.format == "json" ? trace_json(*m->network, *info, t.trace, t.judged).dump(2) + "\n"
                         : trace_text(*m->network, *info, t.trace, t.judged, choose_lang(a.lang));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return t.judged.exit_code();
}

}  // namespace

Runner add_trace(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  app.add_option("SRC", args->src, "source: a host of the topology or an IPv4/IPv6 address");
  app.add_option("DST", args->dst, "destination: a host or an address");
  app.add_option("PROTO/PORT", args->service, "service: tcp/445, udp/53, sctp/N, icmp, icmp/8, ip/47");
  app.add_option("--topology,-t", args->topology,
                 "network.yaml, or a directory holding one (default: ./network.yaml)");
  app.add_option("--sport", args->sport, "source port (default: any; the allowed ports are listed)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--src-mac", args->src_mac,
                 "source MAC (default: the source host's registered MAC, else any)");
  app.add_option("--format,-f", args->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--lang", args->lang, "language of the text output (default: from the locale)")
      ->check(CLI::IsMember({"en", "ja"}));
  app.add_option("--rules", args->rules, "rule pack to use instead of the built-in three-tier.yaml");
  app.add_option("--batch", args->batch,
                 "trace JSON lines {src, dst, proto, sport, dport, src_mac?} from FILE or - (stdin); "
                 "one JSON line out per line in");
  app.footer(
      "Exit status: 0 the flow is denied, or allowed without breaking a rule (a valid allow entry,\n"
      "one zone, or a same-tier default); 1 it is allowed and breaks a rule, or it may be allowed\n"
      "and sanso cannot prove either way (unproven); 2 usage error, invalid topology, a config\n"
      "that cannot be read, or (--batch) any input line that is not a flow; 3 internal error.\n"
      "--batch exits with the worst status over its lines.");
  return [args] { return run_trace_command(*args); };
}

}  // namespace sanso::cli
