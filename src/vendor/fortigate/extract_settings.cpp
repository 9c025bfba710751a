// Settings the hygiene checks read (NTP, log targets, implicit-deny logging) and the one system
// setting that changes NAT order (central NAT).
#include "vendor/fortigate/extract_detail.h"

namespace sanso::vendor::fortigate::detail {

void extract_system_settings(const Block& b, FortigateConfig& cfg, const Notes&) {
  // Only central-nat matters here; the other settings (opmode, SIP, ECMP, ...) do not change
  // which packets the policies admit.
  for (const Command& c : b.commands)
    if (key_of(c) == "central-nat") cfg.central_nat = is_enable(c);
}

void extract_ntp(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  NtpDef ntp;
  ntp.line = b.line;
  for (const Command& c : b.commands) {
    const auto& key = key_of(c);
    if (key == "ntpsync") ntp.ntpsync = value_of(c) ? std::optional<bool>(is_enable(c)) : std::nullopt;
    if (key == "type") ntp.type = value_of(c).value_or("");
  }
  for (const Block& inner : b.blocks) {
    if (inner.path != "ntpserver") {
      if (inner.path != "interface") note_all(inner, "'config " + inner.path + "' in system ntp not understood", notes);
      continue;
    }
    for (const Entry& e : inner.entries)
      for (const Command& c : e.commands)
        if (key_of(c) == "server" && value_of(c)) ntp.servers.push_back(*value_of(c));
  }
  cfg.ntp = std::move(ntp);
}

void extract_log_target(const Block& b, FortigateConfig& cfg, const Notes&) {
  // `log syslogd setting`, `log fortianalyzer setting` and their numbered siblings: a collector
  // when `status enable` and a server are written.
  LogSettings::Target t;
  t.block = b.path;
  t.line = b.line;
  for (const Command& c : b.commands) {
    const auto& key = key_of(c);
    if (key == "status") t.enabled = value_of(c) ? std::optional<bool>(is_enable(c)) : std::nullopt;
    if (key == "server") t.server = value_of(c).value_or("");
  }
  cfg.log.targets.push_back(std::move(t));
}

void extract_log_setting(const Block& b, FortigateConfig& cfg, const Notes&) {
  cfg.log.log_setting_seen = true;
  for (const Command& c : b.commands)
    if (key_of(c) == "fwpolicy-implicit-log") cfg.log.implicit_deny_logged = is_enable(c);
}

}  // namespace sanso::vendor::fortigate::detail
