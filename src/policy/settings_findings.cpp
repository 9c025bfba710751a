// TIME-SYNC and the syslog-target half of LOG-COLLECT: the servers a device names, from its
// config where the vendor holds them (model::DeviceSettings), else from `settings:` in
// network.yaml. A device with neither is not evaluated for the rule (DESIGN §6): never passed,
// never a violation.
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "policy/rulebase_findings.h"

namespace sanso::policy {
namespace {

struct Servers {
  std::vector<std::string> list;
  model::SourceRef where;
};

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The device's servers of one kind: config first, then network.yaml.
std::optional<Servers> servers_of(const AuditContext& ctx, const topology::Device& td,
                                  const model::Device* m,
                                  const std::optional<std::vector<std::string>>& from_config,
                                  const std::optional<std::vector<std::string>>& from_topology,
                                  std::string_view key) {
  if (m != nullptr && from_config) {
    const std::string file = td.configs.empty() ? std::string() : td.configs.front();
    return Servers{*from_config, {file, std::nullopt, std::nullopt, std::string(key) + " settings"}};
  }
  if (!from_topology) return std::nullopt;
  const std::string yaml = std::filesystem::path(ctx.topology.path).filename().string();
  return Servers{*from_topology,
                 {yaml, td.settings_line != 0 ? td.settings_line : td.line, std::nullopt,
                  fmt::format("{}: settings.{}: [{}]", td.name, key, joined(*from_topology))}};
}

bool approved(const std::string& server, const std::vector<model::IpAddress>& list) {
  const auto ip = model::parse_ip(server);
  return ip && std::find(list.begin(), list.end(), *ip) != list.end();
}

Finding settings_finding(const RuleDef& rule, const std::string& device, const Servers& s,
                         const std::string& identity, const Text& detail) {
  Finding f;
  f.rule = rule.id;
  f.severity = rule.severity;
  f.status = Status::Violation;
  f.device = device;
  f.message = render(rule, {{"device", device}, {"detail", detail.en}},
                     {{"device", device}, {"detail", detail.ja}});
  f.evidence.push_back({"", s.where});
  f.permitting_text = identity;
  f.id = finding_identity(f);
  return f;
}

struct Kind {
  std::string_view key;         // settings key in network.yaml
  std::string_view policy_key;  // the policy list
  std::string_view what_en, what_ja;
};

constexpr Kind kNtp{"ntp", "ntp_sources", "time source", "時刻同期先（NTPサーバ）"};
constexpr Kind kSyslog{"syslog", "log_collectors", "log collector", "ログの送信先（syslogサーバ）"};

void check_servers(const RuleDef& rule, const topology::Device& td,
                   const std::optional<Servers>& servers, const std::vector<model::IpAddress>& ok,
                   const Kind& k, HygieneFindings& out) {
  if (!servers) {
    const std::string vendor = td.vendor.value_or("");
    out.not_evaluated.push_back(
        {rule.id, td.name,
         td.vendor ? Text{fmt::format("{} configs hold no {} settings and network.yaml gives no "
                                      "settings.{} for this device",
                                      vendor, k.key, k.key),
                          fmt::format("{} の設定には {} の設定がなく、network.yaml にもこの機器の "
                                      "settings.{} がありません",
                                      vendor, k.key, k.key)}
                   : Text{fmt::format("the device has no config and network.yaml gives no "
                                      "settings.{} for it",
                                      k.key),
                          fmt::format("この機器には設定ファイルがなく、network.yaml にも "
                                      "settings.{} がありません",
                                      k.key)}});
    return;
  }
  if (servers->list.empty()) {
    out.findings.push_back(settings_finding(
        rule, td.name, *servers, fmt::format("no {}", k.key),
        {fmt::format("no {} is set", k.what_en), fmt::format("{}が設定されていません", k.what_ja)}));
    return;
  }
  if (ok.empty()) {
    out.not_evaluated.push_back(
        {rule.id, td.name,
         {fmt::format("policy.{} is not given: the {}s {} cannot be judged", k.policy_key, k.what_en,
                      joined(servers->list)),
          fmt::format("policy.{} が指定されていないため、{} {} を判定できません", k.policy_key,
                      k.what_ja, joined(servers->list))}});
    return;
  }
  for (const auto& s : servers->list) {
    if (approved(s, ok)) continue;
    out.findings.push_back(settings_finding(
        rule, td.name, *servers, fmt::format("{} {}", k.key, s),
        {fmt::format("the {} {} is not in policy.{}", k.what_en, s, k.policy_key),
         fmt::format("{}の {} は policy.{} にありません", k.what_ja, s, k.policy_key)}));
  }
}

bool is_boundary(const AuditContext& ctx, const analysis::NetworkDevice& nd) {
  std::set<std::string> zones;
  for (const auto& p : nd.ports) {
    const auto* seg = p.segment.empty() ? nullptr : ctx.topology.find_segment(p.segment);
    if (seg != nullptr) zones.insert(seg->zone);
  }
  return zones.size() >= 2;
}

}  // namespace

void settings_findings(const AuditContext& ctx, HygieneFindings& out) {
  const auto time_sync = ctx.rules_of_kind("time-sync");
  const auto log_collect = ctx.rules_of_kind("log-collect");
  const auto& policy = ctx.topology.policy;
  // Network devices are the topology's, in its order.
  for (std::size_t d = 0; d < ctx.topology.devices.size(); ++d) {
    const auto& td = ctx.topology.devices[d];
    const auto& nd = ctx.network.devices()[d];
    if (!ctx.config_checked(nd.name)) continue;
    const model::Device* m = nd.behavior->device();
    const model::DeviceSettings none;
    const auto& settings = m != nullptr ? m->settings : none;
    for (const auto* rule : time_sync) {
      check_servers(*rule, td, servers_of(ctx, td, m, settings.ntp_servers, td.settings_ntp, "ntp"),
                    policy.ntp_sources, kNtp, out);
    }
    if (!is_boundary(ctx, nd)) continue;  // LOG-COLLECT concerns the boundary (firewalls)
    for (const auto* rule : log_collect) {
      check_servers(*rule, td,
                    servers_of(ctx, td, m, settings.syslog_servers, td.settings_syslog, "syslog"),
                    policy.log_collectors, kSyslog, out);
    }
  }
}

}  // namespace sanso::policy
