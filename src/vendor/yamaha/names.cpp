// Port mnemonics: the names of the RTX command reference's mnemonic table as far as sanso could
// collect them (docs/vendors/yamaha-rtx.md "Port names"); numbers are the IANA assignments of the
// same service. `ftp` stands for both FTP ports (20 and 21): the vendor's template writes `21`,
// not `ftp`, where it means the control connection only.
#include "vendor/yamaha/names.h"

#include <array>

namespace sanso::vendor::yamaha {
namespace {

struct PortName {
  std::string_view name;
  std::uint16_t lo, hi;
};

constexpr std::array<PortName, 64> kPorts{{
    {"echo", 7, 7},         {"discard", 9, 9},         {"daytime", 13, 13},
    {"chargen", 19, 19},    {"ftpdata", 20, 20},       {"ftp", 20, 21},
    {"ssh", 22, 22},        {"telnet", 23, 23},        {"smtp", 25, 25},
    {"time", 37, 37},       {"whois", 43, 43},         {"dns", 53, 53},
    {"domain", 53, 53},     {"dhcps", 67, 67},         {"dhcpc", 68, 68},
    {"tftp", 69, 69},       {"gopher", 70, 70},        {"finger", 79, 79},
    {"http", 80, 80},       {"www", 80, 80},           {"pop3", 110, 110},
    {"sunrpc", 111, 111},   {"ident", 113, 113},       {"nntp", 119, 119},
    {"ntp", 123, 123},      {"ms-rpc", 135, 135},      {"netbios_ns", 137, 137},
    {"netbios_dgm", 138, 138}, {"netbios_ssn", 139, 139}, {"imap", 143, 143},
    {"snmp", 161, 161},     {"snmptrap", 162, 162},    {"bgp", 179, 179},
    {"imap3", 220, 220},    {"ldap", 389, 389},        {"https", 443, 443},
    {"ms-ds", 445, 445},    {"ike", 500, 500},         {"exec", 512, 512},
    {"biff", 512, 512},     {"login", 513, 513},       {"rlogin", 513, 513},
    {"rwho", 513, 513},     {"rsh", 514, 514},         {"syslog", 514, 514},
    {"printer", 515, 515},  {"talk", 517, 517},        {"route", 520, 520},
    {"rip", 520, 520},      {"ripng", 521, 521},       {"uucp", 540, 540},
    {"dhcpv6c", 546, 546},  {"dhcpv6s", 547, 547},     {"submission", 587, 587},
    {"ms-sql", 1433, 1433}, {"radius", 1812, 1812},    {"l2tp", 1701, 1701},
    {"pptp", 1723, 1723},   {"nfs", 2049, 2049},       {"ipsec-nat-t", 4500, 4500},
    {"sip", 5060, 5060},    {"pop3s", 995, 995},       {"imaps", 993, 993},
    {"msblast", 4444, 4444},
}};

constexpr std::uint8_t kTcp = 6, kUdp = 17, kIcmp = 1;
constexpr PortRange kAll{0, 65535};

}  // namespace

std::optional<std::vector<PortRange>> port_name(std::string_view name) {
  for (const PortName& p : kPorts) {
    if (p.name != name) continue;
    return std::vector<PortRange>{{p.lo, p.hi}};
  }
  return std::nullopt;
}

std::optional<DynamicApp> dynamic_app(std::string_view name) {
  DynamicApp a;
  if (name == "tcp") {
    a.trigger = {{kTcp, kAll}};
    return a;
  }
  if (name == "udp") {
    a.trigger = {{kUdp, kAll}};
    return a;
  }
  if (name == "ping" || name == "ping6") {
    a.trigger = {{name == "ping" ? kIcmp : std::uint8_t{58}, kAll}};
    return a;
  }
  if (name == "ftp") {
    a.trigger = {{kTcp, {21, 21}}};
    a.related_reverse = {{kTcp, {20, 20}}};  // active-mode data connection from the server
    return a;
  }
  if (name == "tftp") {
    a.trigger = {{kUdp, {69, 69}}};
    a.related_reverse = {{kUdp, kAll}};  // the server answers from a port of its own
    return a;
  }
  if (name == "netmeeting") {
    a.trigger = {{kTcp, {1720, 1720}}};
    a.related_reverse = {{kTcp, kAll}, {kUdp, kAll}};  // H.245 and media
    return a;
  }
  if (name == "sip") {
    a.trigger = {{kUdp, {5060, 5060}}};
    a.related_reverse = {{kUdp, kAll}};  // media
    return a;
  }
  // Single-port applications: the same name as the port mnemonic, TCP unless UDP-only.
  const auto ports = port_name(name == "dns" ? "domain" : name);
  if (!ports) return std::nullopt;
  const bool udp_only = name == "ntp" || name == "snmp" || name == "snmptrap" ||
                        name == "syslog" || name == "tftp" || name == "dhcps" || name == "dhcpc" ||
                        name == "rip" || name == "ripng" || name == "radius" || name == "ike" ||
                        name == "ipsec-nat-t" || name == "dhcpv6c" || name == "dhcpv6s" ||
                        name == "rwho" || name == "talk" || name == "netbios_ns" ||
                        name == "netbios_dgm";
  const bool both = name == "domain" || name == "dns" || name == "l2tp";
  for (const PortRange& r : *ports) {
    if (!udp_only) a.trigger.push_back({kTcp, r});
    if (udp_only || both) a.trigger.push_back({kUdp, r});
  }
  return a;
}

}  // namespace sanso::vendor::yamaha
