// FortigateConfig -> model::Device, as an ordered script. FortiOS defaults applied here and in
// resolve.cpp: policy action deny, status enable, schedule always, zone intrazone deny, NTP
// ntpsync enable with type fortiguard, log targets status disable, fwpolicy-implicit-log disable.
#include "vendor/fortigate/to_model.h"

#include <map>

#include "vendor/fortigate/lower.h"

namespace sanso::vendor::fortigate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

model::DeviceSettings settings(const FortigateConfig& cfg) {
  model::DeviceSettings s;
  if (cfg.ntp) {
    if (!cfg.ntp->ntpsync.value_or(true)) {
      s.ntp_servers = std::vector<std::string>{};
    } else if (cfg.ntp->type == "custom") {
      s.ntp_servers = cfg.ntp->servers;
    } else {
      s.ntp_servers = std::vector<std::string>{"fortiguard"};  // FortiGuard's public servers
    }
  }
  if (!cfg.log.targets.empty()) {
    std::vector<std::string> servers;
    for (const auto& t : cfg.log.targets)
      if (t.enabled.value_or(false) && !t.server.empty()) servers.push_back(t.server);
    s.syslog_servers = std::move(servers);
  }
  if (cfg.log.log_setting_seen) s.logs_denied = cfg.log.implicit_deny_logged.value_or(false);
  return s;
}

model::Coverage coverage(const FortigateConfig& cfg, const std::vector<std::string_view>& lines,
                         const std::map<int, std::string>& more,
                         const std::map<int, std::string>& more2) {
  std::map<int, std::string> by_line;
  auto add = [&by_line](int line, const std::string& why) {
    auto [it, fresh] = by_line.try_emplace(line, why);
    if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
  };
  for (const auto& u : cfg.unparsed) add(u.line, u.reason);
  for (const auto& [l, w] : more) add(l, w);
  for (const auto& [l, w] : more2) add(l, w);
  model::Coverage c{cfg.file, static_cast<int>(lines.size()), {}};
  for (auto& [line, why] : by_line) {
    if (line < 1 || static_cast<std::size_t>(line) > lines.size()) continue;
    c.unparsed.push_back({line, std::string(trim(lines[static_cast<std::size_t>(line - 1)])), why});
  }
  return c;
}

}  // namespace

model::Device to_model(const std::string& device_name, const FortigateConfig& cfg,
                       const std::vector<std::string_view>& lines) {
  model::Device d;
  d.name = device_name;
  d.vendor = "fortigate";
  // The implicit deny covers both families: IPv6 without an IPv6 policy is denied, not unknown.
  d.families = {model::Family::V4, model::Family::V6};
  for (const auto& i : cfg.interfaces) d.interfaces.push_back({i.name, i.addresses});

  d.settings = settings(cfg);
  Lowerer lower(cfg, lines);
  // Policies in file order (the order FortiOS evaluates, whatever their ids), then the intrazone
  // allowances as the default of same-zone pairs, then the implicit deny.
  model::Filter f;
  f.name = std::string(kPolicyStage);
  f.default_action = model::Action::Deny;
  f.default_source = {cfg.file, std::nullopt, std::nullopt, "implicit deny"};
  f.entries.reserve(cfg.policies.size() + 1);
  for (const auto& p : cfg.policies) lower.policy(p, f.entries, d.source_nat);
  lower.intrazone(f.entries);
  f.entries.push_back(lower.implicit_deny(d.settings.logs_denied.value_or(false)));
  d.transit.push_back(std::move(f));

  lower.vips(d.destination_nat);
  lower.central_snat(d.source_nat);

  for (const auto& u : lower.resolver().undefined()) {
    model::SourceRef where{cfg.file, u.line, std::nullopt,
                           u.line >= 1 && static_cast<std::size_t>(u.line) <= lines.size()
                               ? std::string(trim(lines[static_cast<std::size_t>(u.line - 1)]))
                               : std::string()};
    d.object_issues.push_back({model::ObjectIssue::Kind::Undefined, u.type, u.name, where});
  }
  d.coverage.push_back(coverage(cfg, lines, lower.notes(), lower.resolver().unresolved_lines()));

  d.assumptions = {
      "fortigate: a zone with intrazone allow admits traffic between its members when no policy "
      "matches (policies are evaluated first); deny policies between such members are uncertain",
      "fortigate: VIPs translate before the policies and a policy naming a VIP matches the mapped "
      "address (central-NAT order); in policy-NAT mode FortiOS translates only what a policy "
      "naming the VIP accepts, so sanso may report more than passes",
      "fortigate: a service port range without ':src' matches any source port (0-65535)",
  };
  if (!lower.resolver().predefined_used().empty()) {
    std::string names;
    for (const auto& n : lower.resolver().predefined_used()) names += (names.empty() ? "" : ", ") + n;
    d.assumptions.push_back("fortigate: predefined services not defined in the config were taken "
                            "from sanso's built-in table: " + names);
  }
  return d;
}

}  // namespace sanso::vendor::fortigate
