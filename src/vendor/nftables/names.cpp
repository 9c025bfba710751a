// Name tables, small on purpose (see names.h).
#include "vendor/nftables/names.h"

#include <array>
#include <charconv>
#include <string>
#include <utility>

namespace sanso::vendor::nftables {

std::optional<std::uint64_t> parse_number(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::uint8_t> protocol_number(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 22> kProtocols{{
      {"icmp", 1}, {"igmp", 2}, {"ipip", 4}, {"ipencap", 4}, {"tcp", 6}, {"egp", 8},
      {"udp", 17}, {"ipv6", 41}, {"gre", 47}, {"esp", 50}, {"ah", 51}, {"icmpv6", 58},
      {"ipv6-icmp", 58}, {"ospf", 89}, {"pim", 103}, {"vrrp", 112}, {"l2tp", 115},
      {"sctp", 132}, {"udplite", 136}, {"dccp", 33}, {"comp", 108}, {"mh", 135},
  }};
  for (const auto& [n, v] : kProtocols)
    if (n == name) return v;
  const auto n = parse_number(name);
  if (!n || *n > 255) return std::nullopt;
  return static_cast<std::uint8_t>(*n);
}

std::optional<std::uint16_t> service_port(std::string_view text) {
  // nft resolves service names through /etc/services at load time; `nft list ruleset` prints
  // numbers. These are the names municipal configs use; others make the rule uncertain.
  static constexpr std::array<std::pair<std::string_view, std::uint16_t>, 40> kServices{{
      {"ftp-data", 20}, {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25},
      {"domain", 53}, {"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"http", 80},
      {"www", 80}, {"kerberos", 88}, {"pop3", 110}, {"sunrpc", 111}, {"auth", 113},
      {"ntp", 123}, {"netbios-ns", 137}, {"netbios-dgm", 138}, {"netbios-ssn", 139},
      {"imap", 143}, {"imap2", 143}, {"snmp", 161}, {"snmp-trap", 162}, {"ldap", 389},
      {"https", 443}, {"microsoft-ds", 445}, {"isakmp", 500}, {"syslog", 514},
      {"submission", 587}, {"ldaps", 636}, {"imaps", 993}, {"pop3s", 995},
      {"openvpn", 1194}, {"ms-sql-s", 1433}, {"ipsec-nat-t", 4500}, {"mysql", 3306},
      {"ms-wbt-server", 3389}, {"rdp", 3389}, {"postgresql", 5432}, {"http-alt", 8080},
  }};
  for (const auto& [n, v] : kServices)
    if (n == text) return v;
  const auto n = parse_number(text);
  if (!n || *n > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(*n);
}

std::optional<std::uint8_t> icmp_type_number(std::string_view text, bool v6) {
  // nft(8) "ICMP TYPE TYPE" / "ICMPV6 TYPE TYPE" keyword tables.
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 17> kIcmp4{{
      {"echo-reply", 0}, {"destination-unreachable", 3}, {"source-quench", 4},
      {"redirect", 5}, {"echo-request", 8}, {"router-advertisement", 9},
      {"router-solicitation", 10}, {"time-exceeded", 11}, {"parameter-problem", 12},
      {"timestamp-request", 13}, {"timestamp-reply", 14}, {"info-request", 15},
      {"info-reply", 16}, {"address-mask-request", 17}, {"address-mask-reply", 18},
      {"ping", 8}, {"pong", 0},
  }};
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 24> kIcmp6{{
      {"destination-unreachable", 1}, {"packet-too-big", 2}, {"time-exceeded", 3},
      {"parameter-problem", 4}, {"echo-request", 128}, {"echo-reply", 129},
      {"mld-listener-query", 130}, {"mld-listener-report", 131}, {"mld-listener-done", 132},
      {"mld-listener-reduction", 132}, {"nd-router-solicit", 133}, {"nd-router-advert", 134},
      {"nd-neighbor-solicit", 135}, {"nd-neighbor-advert", 136}, {"nd-redirect", 137},
      {"router-renumbering", 138}, {"ind-neighbor-solicit", 141}, {"ind-neighbor-advert", 142},
      {"mld2-listener-report", 143}, {"router-solicitation", 133},
      {"router-advertisement", 134}, {"neighbor-solicitation", 135},
      {"neighbor-advertisement", 136}, {"redirect", 137},
  }};
  if (v6) {
    for (const auto& [n, v] : kIcmp6)
      if (n == text) return v;
  } else {
    for (const auto& [n, v] : kIcmp4)
      if (n == text) return v;
  }
  const auto n = parse_number(text);
  if (!n || *n > 255) return std::nullopt;
  return static_cast<std::uint8_t>(*n);
}

std::optional<int> priority_value(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, int>, 6> kNames{{
      {"raw", -300}, {"mangle", -150}, {"dstnat", -100}, {"filter", 0}, {"security", 50},
      {"srcnat", 100},
  }};
  std::string_view name = text;
  int offset = 0;
  const auto op = text.find_first_of("+-", 1);
  if (op != std::string_view::npos && !(text[0] >= '0' && text[0] <= '9')) {
    name = text.substr(0, op);
    const auto n = parse_number(text.substr(op + 1));
    if (!n || *n > 100000) return std::nullopt;
    offset = text[op] == '-' ? -static_cast<int>(*n) : static_cast<int>(*n);
  }
  for (const auto& [n, v] : kNames)
    if (n == name) return v + offset;
  if (!text.empty() && text[0] == '-') {
    const auto n = parse_number(text.substr(1));
    if (!n || *n > 0x7fffffffULL) return std::nullopt;
    return -static_cast<int>(*n);
  }
  const auto n = parse_number(text);
  if (!n || *n > 0x7fffffffULL) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace sanso::vendor::nftables
