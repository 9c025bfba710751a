// The command tables. Sources: the RTX command reference's chapter list, the two real configs in
// ../shared/configs/real/yamaha-rtx/ and moriyoshi/yamaha-rt-simulator's command list.
#include "vendor/yamaha/commands.h"

#include <algorithm>
#include <array>

namespace sanso::vendor::yamaha {
namespace {

// The first words of RTX commands (sorted: binary search).
constexpr std::array<std::string_view, 89> kCommandWords{{
    "account", "administrator", "airlink", "alarm", "analog", "arp", "auth", "bgp", "bridge",
    "clock", "cloud", "cold", "console", "dashboard", "date", "ddns", "description", "dhcp",
    "dns", "e-mail", "ethernet", "external-memory", "fast", "heartbeat", "heartbeat2", "httpd",
    "interface", "ip", "ipsec", "ipsec-nat-t", "ipv6", "isdn", "l2tp", "lan", "lan-map", "line",
    "login", "lua", "mail", "mobile", "nat", "netvolante-dns", "ngn", "no", "ntpdate",
    "operation", "ospf", "pki", "pp", "ppp", "pppoe", "pptp", "provider", "quality", "queue",
    "radius", "rip", "save", "schedule", "sd", "security", "sftpd", "sip", "snapshot", "snmp",
    "snmpv2c", "snmpv3", "sntpd", "speed", "sshd", "statistics", "switch", "syslog", "system",
    "tcp", "telnetd", "tftp", "timezone", "tunnel", "upnp", "url", "usbhost", "user", "vlan",
    "wins", "wireless", "wlan", "wol", "yno",
}};

bool starts_with(const std::vector<std::string_view>& w, std::initializer_list<std::string_view> p) {
  if (w.size() < p.size()) return false;
  std::size_t i = 0;
  for (std::string_view x : p)
    if (w[i++] != x) return false;
  return true;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_command_word(std::string_view word) {
  return std::binary_search(kCommandWords.begin(), kCommandWords.end(), word);
}

bool is_interface_word(std::string_view w) {
  if (w == "pp" || w == "tunnel") return true;
  for (std::string_view stem : {"lan", "bridge", "loopback", "null", "wan", "onu"}) {
    if (w.substr(0, stem.size()) != stem) continue;
    std::string_view rest = w.substr(stem.size());
    const auto sep = rest.find_first_of("/.");
    if (sep == std::string_view::npos) return digits(rest);
    return digits(rest.substr(0, sep)) && digits(rest.substr(sep + 1));
  }
  return false;
}

bool is_inert(const std::vector<std::string_view>& w) {
  if (w.empty()) return false;
  const std::string_view c = w[0];
  if (c == "ip" || c == "ipv6") {
    if (w.size() < 2) return false;
    // Global IP settings that neither pass nor add packets between interfaces: routes (filters
    // decide, DESIGN §6), the router's own services, and global drops of odd packets
    // (source-routed, directed broadcast: dropping only narrows what passes).
    for (std::string_view s : {"route", "routing", "host", "keepalive", "stealth", "icmp",
                               "fragment", "simple-service", "prefix", "multicast", "pim",
                               "ospf", "rip", "bgp", "tos", "interface", "forward", "local",
                               "flow", "lan", "source", "mtu", "tcp", "nd", "rtadv"})
      if (w[1] == s) return true;
    if (w[1] == "filter" && w.size() >= 3 &&
        (w[2] == "source-route" || w[2] == "directed-broadcast" || w[2] == "reject-with"))
      return true;
    if (!is_interface_word(w[1]) || w.size() < 3) return false;
    // Per-interface settings other than address, secure filter, nat descriptor.
    for (std::string_view s : {"mtu", "proxyarp", "tcp", "rip", "ospf", "intrusion", "dhcp",
                               "remote", "local", "rtadv", "prefix", "routing", "mld", "igmp",
                               "pim", "vrrp", "arp", "proxyndp", "icmp", "traffic", "nd",
                               "forward", "flow", "wol", "netvolante-dns", "mss"})
      if (w[2] == s) return true;
    return false;
  }
  if (c == "nat") return starts_with(w, {"nat", "descriptor", "log"}) ||
                        starts_with(w, {"nat", "descriptor", "timer"}) ||
                        starts_with(w, {"nat", "descriptor", "ftp"}) ||
                        starts_with(w, {"nat", "descriptor", "sip"}) ||
                        starts_with(w, {"nat", "descriptor", "backward-compatibility"}) ||
                        starts_with(w, {"nat", "descriptor", "masquerade", "port"}) ||
                        starts_with(w, {"nat", "descriptor", "masquerade", "session"}) ||
                        starts_with(w, {"nat", "descriptor", "masquerade", "ttl"}) ||
                        starts_with(w, {"nat", "descriptor", "masquerade", "rlogin"}) ||
                        starts_with(w, {"nat", "descriptor", "masquerade", "unconvertible"});
  if (c == "ethernet") return w.size() >= 3 && is_interface_word(w[1]) && w[2] != "filter";
  // Everything else an RTX config holds: management, services, PPP/tunnel signalling, DHCP,
  // DNS, logging levels, schedules, switches, statistics, the console.
  return is_command_word(c);
}

}  // namespace sanso::vendor::yamaha
