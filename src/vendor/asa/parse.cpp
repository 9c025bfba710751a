// ASA running configuration -> AsaConfig: the line dispatcher, interfaces and the settings the
// hygiene checks read. Commands that cannot admit a forwarded packet the access rules deny are
// understood and ignored (kIgnored); every other unknown command is listed line by line.
#include "vendor/asa/parse.h"

#include <algorithm>
#include <charconv>

#include "vendor/asa/lines.h"
#include "vendor/asa/parse_detail.h"

namespace sanso::vendor::asa {
namespace detail {
namespace {

// Top-level commands that concern the device itself (management, VPN set-up, routing, timers,
// inspection, logging detail): they cannot let a transit packet through that the access rules,
// security levels and NAT sanso models would stop. Routing is left out on purpose (DESIGN §6).
constexpr std::string_view kIgnored[] = {
    "hostname", "domain-name", "enable", "passwd", "names", "command-alias", "xlate", "banner",
    "boot", "ftp", "clock", "dns", "pager", "mtu", "icmp", "asdm", "arp", "route", "timeout",
    "dynamic-access-policy-record", "user-identity", "aaa", "aaa-server", "filter", "http",
    "snmp-server", "crypto", "telnet", "ssh", "console", "vpn-addr-assign", "dhcpd", "dhcprelay",
    "threat-detection", "group-policy", "username", "tunnel-group", "policy-map", "class-map",
    "service-policy", "prompt", "call-home", "license", "failover", "monitor-interface", "router",
    "prefix-list", "route-map", "sysopt", "tls-proxy", "service", "ssl", "webvpn", "terminal",
    "management-access", "jumbo-frame", "object-group-search", "mac-address", "dns-guard",
    "flow-export", "vpdn", "smtp-server", "multicast-routing", "sla", "track", "auth-prompt",
    "privilege", "anyconnect", "tftp-server", "ddns", "dynamic-filter", "ip", "ipv6", "shun",
    "tcp-map", "fragment", "priority-queue", "ca", "cluster", "rest-api", "resource", "quota",
    "mac-learn", "nve", "hpm", "scansafe", "ntp", "logging", "time-range", "mac-address-table",
    "access-list", "igmp", "pim", "wccp", "regex", "vpn", "phone-proxy", "ctl-file",
    "media-termination", "interface", "object", "object-group", "same-security-traffic",
    "firewall", "end", "exit", "eigrp", "ospf", "bgp", "crashinfo", "coredump", "tunnel-group-map",
    "password-policy", "secondary", "virtual", "flow-offload", "asp", "dp", "inline-set",
    "cpu", "memory", "management-interface", "lacp", "port-channel", "bfd", "dhcp", "ipsec",
    "isakmp", "url-server", "url-block", "url-cache", "ssl-vpn", "dynamic-map",
};

bool ignored(std::string_view w) {
  return std::find(std::begin(kIgnored), std::end(kIgnored), w) != std::end(kIgnored);
}

// Interface sub-commands that concern the link itself, not which packets pass.
constexpr std::string_view kInterfaceIgnored[] = {
    "description", "speed", "duplex", "switchport", "mac-address", "channel-group", "lacp",
    "media-type", "flowcontrol", "ospf", "rip", "eigrp", "delay", "bandwidth", "authentication",
    "pppoe", "dhcp", "nve-only", "member-interface", "mtu", "igmp", "pim", "multicast",
    "ipv6", "security-level", "nameif", "ip", "shutdown", "vlan", "management-only", "no",
    "dhcprelay", "hello-interval", "hold-time", "policy-route", "port-channel", "ddns", "lldp",
};

bool interface_ignored(std::string_view w) {
  return std::find(std::begin(kInterfaceIgnored), std::end(kInterfaceIgnored), w) !=
         std::end(kInterfaceIgnored);
}

std::optional<int> to_int(std::string_view w) {
  int v = 0;
  const auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
  if (ec != std::errc() || p != w.data() + w.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<int> mask_length(const model::IpAddress& mask) {
  if (mask.family != model::Family::V4) return std::nullopt;
  const auto m = static_cast<std::uint32_t>(mask.value);
  const std::uint32_t inv = ~m;
  if ((inv & (inv + 1)) != 0) return std::nullopt;  // not of the form 1..10..0
  int len = 0;
  for (std::uint32_t b = m; b != 0; b <<= 1) ++len;
  return len;
}

model::IpRange masked(const model::IpAddress& a, int length) {
  const int bits = a.family == model::Family::V4 ? 32 : 128;
  const model::u128 host = length >= bits ? 0 : ((model::u128{1} << (bits - length)) - 1);
  return {a.family, a.value & ~host, (a.value & ~host) | host};
}

Parser::Parser(std::string file) { cfg_.file = std::move(file); }

AsaConfig Parser::finish() { return std::move(cfg_); }

void Parser::unparsed(int n, std::string reason) { cfg_.unparsed.push_back({n, std::move(reason)}); }

void Parser::line(int n, std::string_view text, const Words& w) {
  if (w.empty()) return;  // a blank line
  const bool indented = text.front() == ' ' || text.front() == '\t';
  if (indented && mode_ != Mode::None) {
    sub(n, w);
    return;
  }
  top(n, w);
}

std::optional<model::IpAddress> Parser::ip_or_name(std::string_view word) const {
  if (auto a = model::parse_ip(word)) return a;
  const auto it = cfg_.names.find(word);
  if (it != cfg_.names.end()) return it->second;
  return std::nullopt;
}

void Parser::top(int n, const Words& w) {
  mode_ = Mode::None;
  const std::string_view k = w[0];
  if (k.front() == '!' ) return;
  if (k.front() == ':') {
    if (w.size() >= 2 && w[1] == "Saved") cfg_.saved_header = true;
    if (w.size() == 2 && w[1] == "end") cfg_.end_marker = true;
    return;
  }
  if (k == "access-list") return access_list(n, w);
  if (k == "object") return object(n, w);
  if (k == "object-group") return object_group(n, w);
  if (k == "interface") {
    InterfaceDef i;
    i.hardware = w.size() > 1 ? std::string(w[1]) : std::string();
    i.at = {n, n};
    cfg_.interfaces.push_back(std::move(i));
    current_ = cfg_.interfaces.size() - 1;
    mode_ = Mode::Interface;
    return;
  }
  if (k == "access-group") return access_group(n, w);
  if (k == "nat") {
    // 8.3 twice NAT: `nat (real,mapped) ...`; before 8.3: `nat (inside) 1 ...`.
    if (w.size() > 1 && w[1].find(',') != std::string_view::npos) return nat_line(n, w, "");
    cfg_.legacy_nat_lines.push_back(n);
    return unparsed(n, "NAT of ASA versions before 8.3 is not modelled");
  }
  if (k == "static" || k == "global" || (k == "alias" && w.size() > 1)) {
    cfg_.legacy_nat_lines.push_back(n);
    return unparsed(n, "NAT of ASA versions before 8.3 is not modelled");
  }
  if (k.substr(0, 14) == "Cryptochecksum") return;
  if (k == "ASA" || k == "PIX" || k == "FWSM") {
    if (w.size() >= 3 && w[1] == "Version") {
      const std::string_view v = w[2];
      const auto dot = v.find('.');
      if (dot != std::string_view::npos) {
        std::size_t e = dot + 1;
        while (e < v.size() && v[e] >= '0' && v[e] <= '9') ++e;
        const auto major = to_int(v.substr(0, dot));
        const auto minor = to_int(v.substr(dot + 1, e - dot - 1));
        if (major && minor) cfg_.version = std::make_pair(*major, *minor);
      }
    }
    return;
  }
  if (k == "name" && w.size() >= 3) {
    const auto a = model::parse_ip(w[1]);
    if (!a) return unparsed(n, "name: '" + std::string(w[1]) + "' is not an address");
    cfg_.names[std::string(w[2])] = *a;
    return;
  }
  if (k == "same-security-traffic") {
    if (w.size() == 3 && w[1] == "permit" && w[2] == "inter-interface") {
      cfg_.same_security_inter = true;
      cfg_.same_inter_line = n;
      return;
    }
    if (w.size() == 3 && w[1] == "permit" && w[2] == "intra-interface") {
      cfg_.same_security_intra = true;
      cfg_.same_intra_line = n;
      return;
    }
    return unparsed(n, "unknown same-security-traffic form");
  }
  if (k == "context" || k == "admin-context") {
    if (cfg_.context_line == 0) cfg_.context_line = n;
    mode_ = Mode::Ignored;
    return;
  }
  if (k == "version" && cfg_.ios_version_line == 0) cfg_.ios_version_line = n;
  if (k == "established")
    return unparsed(n, "established opens return connections on ports sanso does not model");
  if (k == "firewall" && w.size() >= 2 && w[1] == "transparent") {
    cfg_.transparent = true;
    return unparsed(n, "transparent firewall mode (bridge groups, ethertype rules) is not modelled");
  }
  if (k == "ipv6" && w.size() >= 2 && w[1] == "access-list")
    return unparsed(n, "ipv6 access-list (ASA before 9.0) is not modelled");
  if (k == "ntp" || k == "logging" || k == "time-range") return settings(n, w);
  if (k == "no") {
    // `no` of an ignored command is ignored; `no same-security-traffic ...` restores the default.
    if (w.size() >= 2 && (ignored(w[1]) || w[1] == "names")) return;
    return unparsed(n, "unknown command");
  }
  if (ignored(k)) {
    mode_ = Mode::Ignored;
    return;
  }
  mode_ = Mode::Unknown;
  unparsed(n, "unknown command '" + std::string(k) + "'");
}

void Parser::settings(int n, const Words& w) {
  const std::string_view k = w[0];
  if (k == "ntp") {
    if (w.size() >= 3 && w[1] == "server") {
      // `ntp server [IF] ADDRESS [key N] [source IF] [prefer]`: 9.x may write the interface first.
      const std::size_t at = w.size() >= 4 && !ip_or_name(w[2]) && ip_or_name(w[3]) ? 3 : 2;
      if (const auto a = ip_or_name(w[at])) {
        cfg_.ntp_servers.push_back(model::format_ip(*a));
      } else {
        cfg_.ntp_servers.push_back(std::string(w[at]));  // a host name: kept as written
      }
    }
    return;
  }
  if (k == "logging") {
    if (w.size() == 2 && w[1] == "enable") cfg_.logging_enabled = true;
    if (w.size() >= 4 && w[1] == "host") {
      const auto a = ip_or_name(w[3]);
      cfg_.logging_hosts.push_back(a ? model::format_ip(*a) : std::string(w[3]));
    }
    return;
  }
  // time-range NAME: its periodic/absolute lines follow indented.
  if (w.size() >= 2) cfg_.time_ranges.push_back({std::string(w[1]), n});
  mode_ = Mode::Ignored;
}

void Parser::sub(int n, const Words& w) {
  switch (mode_) {
    case Mode::None:
    case Mode::Ignored:
      return;
    case Mode::Unknown:
      return unparsed(n, "inside a command sanso does not model");
    case Mode::Interface:
      cfg_.interfaces[current_].at.end_line = n;
      return interface_sub(n, w);
    case Mode::NetObject:
      cfg_.network_objects[current_].at.end_line = n;
      return net_object_sub(n, w);
    case Mode::SvcObject:
      cfg_.service_objects[current_].at.end_line = n;
      return svc_object_sub(n, w);
    case Mode::Group:
      cfg_.groups[current_].at.end_line = n;
      return group_sub(n, w);
  }
}

void Parser::interface_sub(int n, const Words& w) {
  InterfaceDef& i = cfg_.interfaces[current_];
  const std::string_view k = w[0];
  if (k == "nameif" && w.size() == 2) {
    i.nameif = std::string(w[1]);
    return;
  }
  if (k == "security-level" && w.size() == 2) {
    const auto v = to_int(w[1]);
    if (!v || *v < 0 || *v > 100) return unparsed(n, "security-level outside 0-100");
    i.security_level = *v;
    i.level_line = n;
    return;
  }
  if (k == "ip" && w.size() >= 2 && w[1] == "address") {
    if (w.size() >= 3 && (w[2] == "dhcp" || w[2] == "pppoe")) {
      i.dhcp = true;
      return;
    }
    const auto a = w.size() >= 4 ? model::parse_ip(w[2]) : std::nullopt;
    const auto m = w.size() >= 4 ? model::parse_ip(w[3]) : std::nullopt;
    const auto len = m ? mask_length(*m) : std::nullopt;
    if (!a || !len || a->family != model::Family::V4) return unparsed(n, "unreadable ip address");
    i.addresses.push_back(masked(*a, *len));
    i.hosts.push_back(*a);
    return;
  }
  if (k == "ipv6" && w.size() >= 3 && w[1] == "address") {
    const std::string_view v = w[2];
    const auto slash = v.find('/');
    if (slash == std::string_view::npos) return;  // `ipv6 address autoconfig`, link-local
    const auto r = model::parse_cidr(v);
    const auto host = model::parse_ip(v.substr(0, slash));
    if (!r || !host) return unparsed(n, "unreadable ipv6 address");
    i.addresses.push_back(*r);
    i.hosts.push_back(*host);
    return;
  }
  if (k == "shutdown" && w.size() == 1) {
    i.shutdown = true;
    i.shutdown_line = n;
    return;
  }
  if (k == "management-only" && w.size() == 1) {
    i.management_only = true;
    i.management_line = n;
    return;
  }
  if (k == "vlan" && w.size() >= 2) {
    i.vlan = to_int(w[1]);
    return;
  }
  if (k == "no" && w.size() >= 2) {
    if (w[1] == "nameif") i.nameif.reset();
    if (w[1] == "security-level") i.security_level.reset();
    if (w[1] == "shutdown") i.shutdown = false;
    if (w[1] == "management-only") i.management_only = false;
    if (w[1] == "ip" && w.size() >= 3 && w[2] == "address") {
      i.addresses.clear();
      i.hosts.clear();
    }
    return;
  }
  if (k == "zone-member" || k == "bridge-group")
    return unparsed(n, std::string(k) + " is not modelled");
  if (interface_ignored(k)) return;
  unparsed(n, "unknown interface command '" + std::string(k) + "'");
}

}  // namespace detail

ParsedConfig parse(const std::string& file, std::string_view text) {
  ParsedConfig out;
  out.lines = physical_lines(text);
  detail::Parser p(file);
  detail::Words words;
  words.reserve(32);
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    split_words(out.lines[i], words);
    p.line(static_cast<int>(i + 1), out.lines[i], words);
  }
  out.config = p.finish();
  return out;
}

}  // namespace sanso::vendor::asa
