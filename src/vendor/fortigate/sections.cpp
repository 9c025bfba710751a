// The section table. Rule of thumb for "ignored": the section configures the device itself
// (administration, management protocols, HA, logging detail), routing (sanso decides reachability
// by filters, DESIGN §6), object definitions used only by ignored features, or features that can
// only drop or inspect traffic a policy accepts (UTM profiles, DoS policies, shaping). Anything
// that forwards on its own (proxies, multicast policies, NAT46/64, virtual wires) is listed.
#include "vendor/fortigate/sections.h"

#include <utility>

namespace sanso::vendor::fortigate {
namespace {

constexpr std::string_view kHandled[] = {
    "system interface",       "system zone",           "system ntp",
    "system settings",        "firewall address",      "firewall address6",
    "firewall addrgrp",       "firewall addrgrp6",     "firewall service custom",
    "firewall service group", "firewall policy",       "firewall policy6",
    "firewall consolidated policy", "firewall vip",    "firewall vipgrp",
    "firewall ippool",        "firewall ippool6",      "firewall central-snat-map",
    "log syslogd setting",    "log syslogd2 setting",  "log syslogd3 setting",
    "log syslogd4 setting",   "log fortianalyzer setting", "log fortianalyzer2 setting",
    "log fortianalyzer3 setting", "log setting",       "system global",
};

// Sections that could forward traffic on their own, with the reason shown in coverage.
constexpr std::pair<std::string_view, std::string_view> kNotModelled[] = {
    {"firewall proxy-policy", "explicit/transparent proxy policies are not modelled: the proxy "
                              "opens connections on behalf of its clients"},
    {"firewall security-policy", "NGFW policy-mode security policies are not modelled"},
    {"firewall multicast-policy", "multicast forwarding policies are not modelled"},
    {"firewall multicast-policy6", "multicast forwarding policies are not modelled"},
    {"firewall policy46", "NAT46 policies are not modelled"},
    {"firewall policy64", "NAT64 policies are not modelled"},
    {"firewall vip6", "IPv6 virtual IPs (DNAT) are not modelled"},
    {"firewall vip46", "NAT46 virtual IPs are not modelled"},
    {"firewall vip64", "NAT64 virtual IPs are not modelled"},
    {"firewall vipgrp6", "IPv6 virtual IP groups are not modelled"},
    {"firewall access-proxy", "ZTNA access proxies are not modelled"},
    {"firewall acl", "deny-only interface ACLs are not modelled: what they drop is reported as "
                     "passing"},
    {"firewall acl6", "deny-only interface ACLs are not modelled: what they drop is reported as "
                      "passing"},
    {"system virtual-wire-pair", "virtual wire pairs bridge two ports and are not modelled"},
    {"system sdwan", "SD-WAN zone membership is not modelled: policies naming an SD-WAN zone are "
                     "matched against an interface of that name"},
    {"system virtual-wan-link", "SD-WAN zone membership is not modelled: policies naming "
                                "virtual-wan-link are matched against an interface of that name"},
    {"system switch-interface", "software switches bridge their member ports and are not "
                                "modelled"},
};

// Whole families that cannot widen forwarding (see the file comment).
constexpr std::string_view kIgnoredFamilies[] = {
    "system",       "user",          "vpn",          "router",        "log",
    "wireless-controller", "switch-controller", "antivirus", "ips",   "webfilter",
    "application",  "dlp",           "emailfilter",  "spamfilter",    "dnsfilter",
    "icap",         "waf",           "videofilter",  "file-filter",   "ssh-filter",
    "voip",         "wanopt",        "web-proxy",    "endpoint-control", "report",
    "alertemail",   "certificate",   "gui",          "widget",        "dashboard",
    "ftp-proxy",    "authentication", "extender-controller", "extension-controller",
    "sctp-filter",  "cifs",          "casb",         "virtual-patch", "diameter-filter",
    "automation",   "monitoring",    "wireless",     "hardware",      "ethernet-oam",
    "nsxt",         "credential-store", "rule",      "videofilter",   "firewall-profile",
    "vdom",
};

// `firewall` sections that cannot widen forwarding.
constexpr std::string_view kIgnoredFirewall[] = {
    "firewall ssl-ssh-profile",  "firewall profile-protocol-options", "firewall schedule",
    "firewall shaper",           "firewall shaping-policy",  "firewall shaping-profile",
    "firewall DoS-policy",       "firewall DoS-policy6",     "firewall local-in-policy",
    "firewall local-in-policy6", "firewall ldb-monitor",     "firewall internet-service",
    "firewall internet-service-name", "firewall internet-service-group",
    "firewall internet-service-custom", "firewall internet-service-custom-group",
    "firewall internet-service-extension", "firewall internet-service-definition",
    "firewall internet-service-addition", "firewall internet-service-append",
    "firewall internet-service-ipbl-vendor", "firewall internet-service-ipbl-reason",
    "firewall internet-service-owner", "firewall internet-service-reputation",
    "firewall internet-service-botnet", "firewall internet-service-sld",
    "firewall service category", "firewall multicast-address", "firewall multicast-address6",
    "firewall ipmacbinding",     "firewall auth-portal",     "firewall ssl",
    "firewall identity-based-route", "firewall sniffer",     "firewall ssh",
    "firewall wildcard-fqdn",    "firewall traffic-class",   "firewall interface-policy",
};

bool has_word_prefix(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == ' ');
}

}  // namespace

SectionClass classify_section(std::string_view path) {
  for (auto h : kHandled)
    if (path == h) return {SectionKind::Handled, ""};
  for (const auto& [p, why] : kNotModelled)
    if (has_word_prefix(path, p)) return {SectionKind::NotModelled, std::string(why)};
  for (auto p : kIgnoredFirewall)
    if (has_word_prefix(path, p)) return {SectionKind::Ignored, ""};
  for (auto p : kIgnoredFamilies)
    if (has_word_prefix(path, p)) return {SectionKind::Ignored, ""};
  if (has_word_prefix(path, "firewall"))
    return {SectionKind::NotModelled, "section 'config " + std::string(path) +
                                          "' is not modelled and may change what is forwarded"};
  return {SectionKind::NotModelled,
          "unknown section 'config " + std::string(path) + "': not modelled"};
}

}  // namespace sanso::vendor::fortigate
