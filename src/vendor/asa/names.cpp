// Name tables of the ASA CLI (ASA 9.x CLI configuration guide, "Addresses, Protocols, and Ports":
// TCP and UDP ports, ICMP types, protocol names). Linear lookups over short constexpr tables: a
// config names a few dozen distinct ports.
#include "vendor/asa/names.h"

#include <cstddef>
#include <charconv>

namespace sanso::vendor::asa {
namespace {

struct Named {
  std::string_view name;
  int value;
};

// Ports valid for TCP, UDP or both (the guide marks each; sanso accepts a name for either
// protocol, which only matters for configs the ASA itself would reject).
constexpr Named kPorts[] = {
    {"aol", 5190},          {"bgp", 179},           {"biff", 512},
    {"bootpc", 68},         {"bootps", 67},         {"chargen", 19},
    {"cifs", 3020},         {"citrix-ica", 1494},   {"cmd", 514},
    {"ctiqbe", 2748},       {"daytime", 13},        {"discard", 9},
    {"dnsix", 195},         {"domain", 53},         {"echo", 7},
    {"exec", 512},          {"finger", 79},         {"ftp", 21},
    {"ftp-data", 20},       {"gopher", 70},         {"h323", 1720},
    {"hostname", 101},      {"http", 80},           {"https", 443},
    {"ident", 113},         {"imap4", 143},         {"irc", 194},
    {"isakmp", 500},        {"kerberos", 750},      {"klogin", 543},
    {"kshell", 544},        {"ldap", 389},          {"ldaps", 636},
    {"login", 513},         {"lotusnotes", 1352},   {"lpd", 515},
    {"mobile-ip", 434},     {"nameserver", 42},     {"netbios-dgm", 138},
    {"netbios-ns", 137},    {"netbios-ssn", 139},   {"nfs", 2049},
    {"nntp", 119},          {"ntp", 123},           {"pcanywhere-data", 5631},
    {"pcanywhere-status", 5632}, {"pim-auto-rp", 496}, {"pop2", 109},
    {"pop3", 110},          {"pptp", 1723},         {"radius", 1645},
    {"radius-acct", 1646},  {"rip", 520},           {"rsh", 514},
    {"rtsp", 554},          {"secureid-udp", 5510}, {"sip", 5060},
    {"smtp", 25},           {"snmp", 161},          {"snmptrap", 162},
    {"sqlnet", 1521},       {"ssh", 22},            {"sunrpc", 111},
    {"syslog", 514},        {"tacacs", 49},         {"talk", 517},
    {"telnet", 23},         {"tftp", 69},           {"time", 37},
    {"uucp", 540},          {"who", 513},
};
// Names whose number differs between TCP and UDP.
constexpr Named kTcpOnly[] = {{"whois", 43}, {"www", 80}, {"xdmcp", 177}, {"vxlan", 4789}};

constexpr Named kIcmp[] = {
    {"echo-reply", 0},         {"unreachable", 3},          {"source-quench", 4},
    {"redirect", 5},           {"alternate-address", 6},    {"echo", 8},
    {"router-advertisement", 9}, {"router-solicitation", 10}, {"time-exceeded", 11},
    {"parameter-problem", 12}, {"timestamp-request", 13},   {"timestamp-reply", 14},
    {"information-request", 15}, {"information-reply", 16}, {"mask-request", 17},
    {"mask-reply", 18},        {"traceroute", 30},          {"conversion-error", 31},
    {"mobile-redirect", 32},
};

constexpr Named kIcmp6[] = {
    {"unreachable", 1},           {"packet-too-big", 2},          {"time-exceeded", 3},
    {"parameter-problem", 4},     {"echo", 128},                  {"echo-reply", 129},
    {"membership-query", 130},    {"membership-report", 131},     {"membership-reduction", 132},
    {"router-solicitation", 133}, {"router-advertisement", 134},  {"neighbor-solicitation", 135},
    {"neighbor-advertisement", 136}, {"neighbor-redirect", 137},  {"router-renumbering", 138},
    {"mld-report", 143},
};

constexpr Named kProtocols[] = {
    {"ah", 51},    {"eigrp", 88}, {"esp", 50},   {"gre", 47},    {"icmp", 1},
    {"icmp6", 58}, {"igmp", 2},   {"igrp", 9},   {"ipinip", 4},  {"ipsec", 50},
    {"nos", 94},   {"ospf", 89},  {"pcp", 108},  {"pim", 103},   {"pptp", 47},
    {"sctp", 132}, {"snp", 109},  {"tcp", 6},    {"udp", 17},
};

template <std::size_t N>
std::optional<int> find(const Named (&table)[N], std::string_view word) {
  for (const Named& n : table)
    if (n.name == word) return n.value;
  return std::nullopt;
}

std::optional<int> number(std::string_view word, int max) {
  int v = 0;
  const auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc() || p != word.data() + word.size() || v < 0 || v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::uint16_t> port_number(std::string_view word, bool /*tcp*/) {
  if (auto n = number(word, 65535)) return static_cast<std::uint16_t>(*n);
  if (auto n = find(kPorts, word)) return static_cast<std::uint16_t>(*n);
  if (auto n = find(kTcpOnly, word)) return static_cast<std::uint16_t>(*n);
  return std::nullopt;
}

bool is_port_name(std::string_view word) { return !number(word, 65535).has_value(); }

std::optional<int> icmp_type(std::string_view word, bool v6) {
  if (auto n = number(word, 255)) return n;
  return v6 ? find(kIcmp6, word) : find(kIcmp, word);
}

std::optional<std::uint8_t> protocol_number(std::string_view word) {
  if (auto n = number(word, 255)) return static_cast<std::uint8_t>(*n);
  if (auto n = find(kProtocols, word)) return static_cast<std::uint8_t>(*n);
  return std::nullopt;
}

}  // namespace sanso::vendor::asa
