// Firewall policies (IPv4, IPv6, FortiOS 7 unified and 6.2 consolidated tables) and the central
// SNAT map. A key sanso does not know inside a policy makes the policy uncertain: it might narrow
// or widen what the policy matches, so it is never dropped silently.
#include <algorithm>
#include <initializer_list>

#include "vendor/fortigate/extract_detail.h"

namespace sanso::vendor::fortigate::detail {
namespace {

bool one_of(const std::string& key, std::initializer_list<std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// Keys that do not change which connection-opening packets a policy forwards: labels, logging,
// security profiles (they inspect and may drop what the policy accepts, never admit more),
// shaping, session timers, offload, NAT details of the translation itself.
bool no_effect(const std::string& key) {
  return one_of(
      key,
      {"uuid", "comments", "comment", "global-label", "label", "logtraffic-start",
       "log-http-transaction", "utm-status", "inspection-mode", "profile-type", "profile-group",
       "av-profile", "webfilter-profile", "dnsfilter-profile", "emailfilter-profile",
       "spamfilter-profile", "dlp-sensor", "dlp-profile", "file-filter-profile", "ips-sensor",
       "application-list", "voip-profile", "sctp-filter-profile", "icap-profile", "cifs-profile",
       "waf-profile", "ssh-filter-profile", "videofilter-profile", "casb-profile",
       "virtual-patch-profile", "diameter-filter-profile", "ips-voip-filter",
       "profile-protocol-options", "ssl-ssh-profile", "traffic-shaper", "traffic-shaper-reverse",
       "per-ip-shaper", "fixedport", "natip", "session-ttl", "vlan-cos-fwd", "vlan-cos-rev",
       "wccp", "diffserv-forward", "diffserv-reverse", "diffservcode-forward",
       "diffservcode-rev", "diffserv-copy", "tcp-mss-sender", "tcp-mss-receiver",
       "timeout-send-rst", "send-deny-packet", "capture-packet", "auto-asic-offload",
       "np-acceleration", "delay-tcp-npu-session", "tcp-session-without-syn", "anti-replay",
       "dynamic-shaping", "passive-wan-health-measurement", "block-notification",
       "replacemsg-override-group", "custom-log-fields", "vpntunnel", "inbound", "outbound",
       "natinbound", "natoutbound", "decrypted-traffic-mirror", "learning-mode", "disclaimer",
       "email-collect", "webproxy-profile", "webproxy-forward-server", "radius-mac-auth-bypass",
       "dsri", "port-preserve", "port-random", "policy-offload", "reputation-direction",
       "reputation-direction6", "scan-botnet-connections", "webcache", "webcache-https",
       "wanopt", "wanopt-detection", "wanopt-passive-opt", "wanopt-profile", "wanopt-peer",
       "auth-cert", "auth-path", "auth-redirect-addr", "mms-profile", "fsso", "ntlm",
       "ntlm-guest", "ntlm-enabled-browsers", "rsso", "fsso-agent-for-ntlm", "identity-based-route",
       "ip-version-type", "sgt-check", "sgt", "cgn-session-quota", "cgn-resource-quota",
       "cgn-log-server-grp", "cgn-eif", "cgn-eim", "pcp-outbound", "pcp-inbound",
       "pcp-poolname", "http-policy-redirect", "ssh-policy-redirect", "ztna-policy-redirect",
       "ztna-tags-match-logic", "redirect-url", "geoip-anycast", "geoip-match",
       "internet-service-name", "internet-service-id", "internet-service-group",
       "internet-service-custom", "internet-service-custom-group", "internet-service-src-name",
       "internet-service-src-id", "internet-service-src-group", "internet-service-src-custom",
       "internet-service-src-custom-group", "internet-service-negate",
       "internet-service-src-negate", "internet-service6-name", "internet-service6-group",
       "internet-service6-custom", "internet-service6-custom-group", "internet-service6-src-name",
       "internet-service6-src-group", "internet-service6-src-custom",
       "internet-service6-src-custom-group", "policyid", "policy-expiry-date",
       "policy-expiry-date-utc", "tos", "tos-mask", "tos-negate", "nat-source-vip",
       "rtp-addr", "rtp-nat", "srcaddr4-negate", "dstaddr4-negate", "service-negate6",
       "poolname6", "ippool6", "nat66", "natip6", "vip-match"});
}

// Conditions a policy may hold that sanso cannot decide offline, when they are written with a
// value (lists) or `enable` (switches).
bool conditional_list(const std::string& key) {
  return one_of(key, {"users", "groups", "fsso-groups", "src-vendor-mac", "devices",
                      "application", "app-category", "app-group", "url-category",
                      "ztna-ec-tag", "ztna-geo-tag", "ztna-ems-tag", "vlan-filter",
                      "reputation-minimum", "reputation-minimum6", "networks", "dstaddr-vip"});
}
bool conditional_switch(const std::string& key) {
  return one_of(key, {"ztna-status", "policy-expiry", "permit-any-host", "permit-stun-host",
                      "nat46", "nat64", "match-vip-only", "internet-service6",
                      "internet-service6-src", "email-collect-only"});
}

void read_policy(const Entry& e, const std::string& table, PolicyDef& p, const Notes& notes) {
  p.id = e.name;
  p.table = table;
  p.line = e.line;
  p.end_line = e.end_line;
  const bool consolidated = table == "firewall consolidated policy";
  for (const Command& c : e.commands) {
    const std::string& key = key_of(c);
    const auto v = value_of(c);
    if (key.empty()) {
      notes.add(c.line, "'" + c.verb + "' in a policy is not understood");
      p.unknown.push_back({c.line, c.verb});
    } else if (key == "srcintf") {
      apply_list(p.srcintf, c);
    } else if (key == "dstintf") {
      apply_list(p.dstintf, c);
    } else if (key == "srcaddr" || (consolidated && key == "srcaddr4")) {
      apply_list(p.srcaddr, c);
    } else if (key == "dstaddr" || (consolidated && key == "dstaddr4")) {
      apply_list(p.dstaddr, c);
    } else if (key == "srcaddr6") {
      apply_list(p.srcaddr6, c);
    } else if (key == "dstaddr6") {
      apply_list(p.dstaddr6, c);
    } else if (key == "service") {
      apply_list(p.service, c);
    } else if (key == "name") {
      p.name = v.value_or("");
    } else if (key == "action") {
      p.action = v;
      p.action_line = c.line;
    } else if (key == "status") {
      p.enabled = v ? std::optional<bool>(*v != "disable") : std::nullopt;
    } else if (key == "srcaddr-negate") {
      p.srcaddr_negate = is_enable(c);
    } else if (key == "dstaddr-negate") {
      p.dstaddr_negate = is_enable(c);
    } else if (key == "service-negate") {
      p.service_negate = is_enable(c);
    } else if (key == "srcaddr6-negate") {
      p.srcaddr6_negate = is_enable(c);
    } else if (key == "dstaddr6-negate") {
      p.dstaddr6_negate = is_enable(c);
    } else if (key == "logtraffic") {
      p.logtraffic = v.value_or("");
    } else if (key == "schedule") {
      p.schedule = v.value_or("");
      p.schedule_line = c.line;
    } else if (key == "nat") {
      p.nat = is_enable(c);
    } else if (key == "ippool") {
      p.ippool = is_enable(c);
    } else if (key == "poolname") {
      apply_list(p.poolname, c);
    } else if (key == "match-vip") {
      p.match_vip = is_enable(c);
    } else if (key == "internet-service") {
      p.internet_service = is_enable(c);
    } else if (key == "internet-service-src") {
      p.internet_service_src = is_enable(c);
    } else if (conditional_list(key)) {
      std::erase_if(p.conditions, [&](const auto& x) { return x.second.find("'" + key + "'") != std::string::npos; });
      if (c.verb != "unset" && c.args.size() >= 2)
        p.conditions.push_back({c.line, "policy condition '" + key + "' cannot be decided offline"});
    } else if (conditional_switch(key)) {
      std::erase_if(p.conditions, [&](const auto& x) { return x.second.find("'" + key + "'") != std::string::npos; });
      if (is_enable(c))
        p.conditions.push_back({c.line, "policy option '" + key + "' is not modelled"});
    } else if (!no_effect(key)) {
      notes.add(c.line, "unknown policy key '" + key + "': the policy is uncertain");
      p.unknown.push_back({c.line, key});
    }
  }
  for (const Block& inner : e.blocks) {
    note_all(inner, "'config " + inner.path + "' inside a policy is not understood", notes);
    p.unknown.push_back({inner.line, "config " + inner.path});
  }
  for (const auto& [line, why] : p.conditions) notes.add(line, why);
}

// `move A before|after B`, `delete A` written in the table (CLI scripts; backups hold none).
void table_command(const Command& c, const std::string& table, FortigateConfig& cfg,
                   const Notes& notes) {
  auto& ps = cfg.policies;
  auto find = [&](const std::string& id) {
    return std::find_if(ps.begin(), ps.end(),
                        [&](const PolicyDef& p) { return p.table == table && p.id == id; });
  };
  if (c.verb == "delete" && c.args.size() == 1) {
    const auto it = find(c.args[0]);
    if (it != ps.end()) {
      ps.erase(it);
      return;
    }
  } else if (c.verb == "move" && c.args.size() == 3 &&
             (c.args[1] == "before" || c.args[1] == "after")) {
    const auto from = find(c.args[0]);
    if (from != ps.end() && find(c.args[2]) != ps.end() && c.args[0] != c.args[2]) {
      PolicyDef moving = std::move(*from);
      ps.erase(from);
      auto to = find(c.args[2]);
      if (c.args[1] == "after") ++to;
      ps.insert(to, std::move(moving));
      return;
    }
  }
  notes.add(c.line, "'" + c.verb + "' in " + table + " not understood");
}

}  // namespace

void extract_policies(const Block& b, FortigateConfig& cfg, const Notes& notes) {
  for (const Entry& e : b.entries) {
    PolicyDef p;
    read_policy(e, b.path, p, notes);
    cfg.policies.push_back(std::move(p));
  }
  for (const Command& c : b.commands) table_command(c, b.path, cfg, notes);
}

void extract_central_snat(const Block& b, FortigateConfig& cfg, const Notes&) {
  // Every entry may rewrite the source of what leaves on its dstintf (device.h SourceNat); the
  // other attributes only narrow that, so they are read past.
  for (const Entry& e : b.entries) {
    CentralSnatDef s;
    s.line = e.line;
    for (const Command& c : e.commands) {
      const auto& key = key_of(c);
      if (key == "dstintf") apply_list(s.dstintf, c);
      if (key == "status") s.enabled = value_of(c).value_or("enable") != "disable";
    }
    cfg.central_snat.push_back(std::move(s));
  }
}

}  // namespace sanso::vendor::fortigate::detail
