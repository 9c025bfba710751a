#include "impact/intent.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include "topology/services.h"

namespace sanso::impact {
namespace {

std::string where(const std::string& path, const YAML::Node& n) {
  const auto mark = n.Mark();
  return mark.line >= 0 ? fmt::format("{}:{}", path, mark.line + 1) : path;
}

std::optional<std::vector<model::IpRange>> endpoint_ranges(const std::string& name,
                                                           const analysis::Network& net) {
  const auto& topo = net.topology();
  if (const auto* h = topo.find_host(name)) {
    std::vector<model::IpRange> out;
    for (const auto& i : h->interfaces) {
      if (i.ip) out.push_back({i.ip->family, i.ip->value, i.ip->value});
    }
    return out;
  }
  if (topo.find_segment(name) != nullptr) return net.plan().space_of_segment(name);
  if (topo.find_zone(name) != nullptr) return net.plan().space_of_zone(name);
  if (auto r = model::parse_cidr(name)) return std::vector<model::IpRange>{*r};
  if (auto r = model::parse_ip_range(name)) return std::vector<model::IpRange>{*r};
  if (auto a = model::parse_ip(name)) {
    return std::vector<model::IpRange>{{a->family, a->value, a->value}};
  }
  return std::nullopt;
}

}  // namespace

IntentLoad parse_intents(const std::string& yaml_text, const std::string& path) {
  IntentLoad out;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    out.errors.push_back(fmt::format("{}:{}: not YAML: {}", path, e.mark.line + 1, e.msg));
    return out;
  }
  if (!root.IsSequence()) {
    out.errors.push_back(fmt::format(
        "{}: expected a list of {{from, to, service, action: open|close}}", path));
    return out;
  }
  for (const auto& item : root) {
    if (!item.IsMap()) {
      out.errors.push_back(where(path, item) + ": expected a mapping {from, to, service, action}");
      continue;
    }
    Intent in;
    in.line = item.Mark().line + 1;
    bool ok = true;
    for (const auto& kv : item) {
      const auto key = kv.first.Scalar();
      if (key != "from" && key != "to" && key != "service" && key != "action") {
        out.errors.push_back(fmt::format("{}: unknown key '{}' (expected from, to, service, action)",
                                         where(path, kv.first), key));
        ok = false;
      } else if (!kv.second.IsScalar()) {
        out.errors.push_back(fmt::format("{}: '{}' must be a single word", where(path, kv.second), key));
        ok = false;
      }
    }
    if (!ok) continue;
    for (const char* key : {"from", "to", "service", "action"}) {
      if (!item[key]) {
        out.errors.push_back(fmt::format("{}: missing '{}'", where(path, item), key));
        ok = false;
      }
    }
    if (!ok) continue;
    in.from = item["from"].Scalar();
    in.to = item["to"].Scalar();
    in.service = item["service"].Scalar();
    const auto action = item["action"].Scalar();
    if (action == "open") {
      in.action = IntentAction::Open;
    } else if (action == "close") {
      in.action = IntentAction::Close;
    } else {
      out.errors.push_back(fmt::format("{}: action '{}' (expected open or close)",
                                       where(path, item["action"]), action));
      continue;
    }
    out.intents.push_back(std::move(in));
  }
  if (!out.errors.empty()) out.intents.clear();
  return out;
}

std::optional<model::PacketSet> intent_packets(const Intent& intent,
                                               const analysis::Network& network,
                                               std::string& error) {
  const auto from = endpoint_ranges(intent.from, network);
  const auto to = endpoint_ranges(intent.to, network);
  for (const auto& [name, ranges] : {std::pair{intent.from, &from}, std::pair{intent.to, &to}}) {
    if (!*ranges) {
      error = fmt::format("'{}' is no host, segment or zone of the topology, nor an address", name);
      return std::nullopt;
    }
  }
  model::PacketSet services;
  if (intent.service == "any") {
    services = model::PacketSet::all();
  } else {
    auto s = topology::parse_service(intent.service, error, "in the intent");
    if (!s) return std::nullopt;
    services = s->packets;
  }
  model::PacketSet src, dst;
  for (const auto& r : *from) src |= model::PacketSet::src(r);
  for (const auto& r : *to) dst |= model::PacketSet::dst(r);
  return src & dst & services & model::PacketSet::connection_opening();
}

}  // namespace sanso::impact
