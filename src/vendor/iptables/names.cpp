// Name tables. Kept small on purpose: iptables-save writes numbers, names appear only in
// hand-written files; an unknown name makes the rule uncertain instead of guessed.
#include "vendor/iptables/names.h"

#include <array>
#include <charconv>
#include <utility>

namespace sanso::vendor::iptables {
namespace {

template <typename T>
std::optional<T> parse_uint(std::string_view s, unsigned max) {
  unsigned v = 0;
  if (s.empty()) return std::nullopt;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v > max) return std::nullopt;
  return static_cast<T>(v);
}

struct Named {
  std::string_view name;
  int type;
  int code;  // -1: every code
};

// iptables -p icmp --help
constexpr std::array<Named, 36> kIcmp4{{
    {"echo-reply", 0, -1}, {"pong", 0, -1},
    {"destination-unreachable", 3, -1}, {"network-unreachable", 3, 0},
    {"host-unreachable", 3, 1}, {"protocol-unreachable", 3, 2}, {"port-unreachable", 3, 3},
    {"fragmentation-needed", 3, 4}, {"source-route-failed", 3, 5},
    {"network-unknown", 3, 6}, {"host-unknown", 3, 7}, {"network-prohibited", 3, 9},
    {"host-prohibited", 3, 10}, {"TOS-network-unreachable", 3, 11},
    {"TOS-host-unreachable", 3, 12}, {"communication-prohibited", 3, 13},
    {"host-precedence-violation", 3, 14}, {"precedence-cutoff", 3, 15},
    {"source-quench", 4, -1}, {"redirect", 5, -1}, {"network-redirect", 5, 0},
    {"host-redirect", 5, 1}, {"TOS-network-redirect", 5, 2}, {"TOS-host-redirect", 5, 3},
    {"echo-request", 8, -1}, {"ping", 8, -1}, {"router-advertisement", 9, -1},
    {"router-solicitation", 10, -1}, {"time-exceeded", 11, -1}, {"ttl-exceeded", 11, -1},
    {"ttl-zero-during-transit", 11, 0}, {"ttl-zero-during-reassembly", 11, 1},
    {"parameter-problem", 12, -1}, {"ip-header-bad", 12, 0},
    {"timestamp-request", 13, -1}, {"timestamp-reply", 14, -1},
}};

// ip6tables -p icmpv6 --help
constexpr std::array<Named, 20> kIcmp6{{
    {"destination-unreachable", 1, -1}, {"no-route", 1, 0},
    {"communication-prohibited", 1, 1}, {"address-unreachable", 1, 3},
    {"port-unreachable", 1, 4}, {"packet-too-big", 2, -1}, {"time-exceeded", 3, -1},
    {"ttl-exceeded", 3, -1}, {"parameter-problem", 4, -1}, {"echo-request", 128, -1},
    {"ping", 128, -1}, {"echo-reply", 129, -1}, {"pong", 129, -1},
    {"router-solicitation", 133, -1}, {"router-advertisement", 134, -1},
    {"neighbour-solicitation", 135, -1}, {"neighbor-solicitation", 135, -1},
    {"neighbour-advertisement", 136, -1}, {"neighbor-advertisement", 136, -1},
    {"redirect", 137, -1},
}};

}  // namespace

std::optional<std::uint8_t> protocol_number(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 22> kProtocols{{
      {"all", 0}, {"icmp", 1}, {"igmp", 2}, {"ipencap", 4}, {"ipip", 4}, {"tcp", 6},
      {"udp", 17}, {"ipv6", 41}, {"gre", 47}, {"esp", 50}, {"ah", 51}, {"icmpv6", 58},
      {"ipv6-icmp", 58}, {"ospf", 89}, {"pim", 103}, {"vrrp", 112}, {"l2tp", 115},
      {"sctp", 132}, {"udplite", 136}, {"dccp", 33}, {"mh", 135}, {"ipv6-mh", 135},
  }};
  for (const auto& [n, v] : kProtocols)
    if (n == name) return v;
  return parse_uint<std::uint8_t>(name, 255);
}

std::optional<IcmpType> icmp_type(std::string_view text, bool v6) {
  if (text == "any") return IcmpType{0, 0, 255, true};
  const auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    const auto t = parse_uint<std::uint8_t>(text.substr(0, slash), 255);
    const auto c = parse_uint<std::uint8_t>(text.substr(slash + 1), 255);
    if (!t || !c) return std::nullopt;
    return IcmpType{*t, *c, *c, false};
  }
  if (const auto t = parse_uint<std::uint8_t>(text, 255)) return IcmpType{*t, 0, 255, false};
  auto lookup = [text](const auto& table) -> std::optional<IcmpType> {
    for (const Named& n : table) {
      if (n.name != text) continue;
      const auto type = static_cast<std::uint8_t>(n.type);
      if (n.code < 0) return IcmpType{type, 0, 255, false};
      const auto code = static_cast<std::uint8_t>(n.code);
      return IcmpType{type, code, code, false};
    }
    return std::nullopt;
  };
  return v6 ? lookup(kIcmp6) : lookup(kIcmp4);
}

std::optional<std::uint16_t> port_number(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::uint16_t>, 16> kServices{{
      {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"domain", 53}, {"http", 80},
      {"www", 80}, {"pop3", 110}, {"ntp", 123}, {"imap", 143}, {"snmp", 161}, {"https", 443},
      {"microsoft-ds", 445}, {"syslog", 514}, {"submission", 587}, {"rdp", 3389},
  }};
  for (const auto& [n, v] : kServices)
    if (n == text) return v;
  return parse_uint<std::uint16_t>(text, 65535);
}

TargetClass classify_target(std::string_view name) {
  if (name == "ACCEPT") return TargetClass::Accept;
  if (name == "DROP" || name == "REJECT") return TargetClass::Deny;
  if (name == "RETURN") return TargetClass::Return;
  static constexpr std::array<std::string_view, 19> kNonTerminal{
      "LOG",   "NFLOG",    "ULOG",    "MARK", "CONNMARK", "CT", "TCPMSS",
      "CHECKSUM", "NOTRACK", "CLASSIFY", "DSCP", "TOS",   "TTL", "HL",
      "TRACE", "AUDIT",    "SET",     "CONNSECMARK", "SECMARK"};
  for (auto n : kNonTerminal)
    if (n == name) return TargetClass::NonTerminal;
  if (name == "DNAT" || name == "SNAT" || name == "MASQUERADE" || name == "REDIRECT" ||
      name == "NETMAP")
    return TargetClass::Nat;
  return TargetClass::Unknown;
}

}  // namespace sanso::vendor::iptables
