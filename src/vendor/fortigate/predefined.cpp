// The predefined service table. Each row is written in FortiOS's own port-range syntax
// (`dst[-dst2][:src[-src2]]`), so it reads like the factory-default config it comes from.
#include "vendor/fortigate/predefined.h"

#include <charconv>
#include <string>
#include <vector>

namespace sanso::vendor::fortigate {
namespace {

struct Row {
  std::string_view name;
  std::string_view tcp;   // port ranges, blank-separated
  std::string_view udp;
  int icmp = -1;          // 1 (ICMP) or 58 (ICMPv6); -1: none
  int icmp_type = -1;     // -1: any type
  int ip = -1;            // IP protocol number; 0: every protocol; -1: none
};

constexpr Row kRows[] = {
    {"ALL", "", "", -1, -1, 0},
    {"ALL_TCP", "1-65535", ""},
    {"ALL_UDP", "", "1-65535"},
    {"ALL_ICMP", "", "", 1, -1},
    {"ALL_ICMP6", "", "", 58, -1},
    {"GRE", "", "", -1, -1, 47},
    {"AH", "", "", -1, -1, 51},
    {"ESP", "", "", -1, -1, 50},
    {"OSPF", "", "", -1, -1, 89},
    {"AOL", "5190-5194", ""},
    {"BGP", "179", ""},
    {"DHCP", "", "67-68"},
    {"DHCP6", "", "546 547"},
    {"DNS", "53", "53"},
    {"FINGER", "79", ""},
    {"FTP", "21", ""},
    {"FTP_GET", "21", ""},
    {"FTP_PUT", "21", ""},
    {"GOPHER", "70", ""},
    {"H323", "1720 1503", "1719"},
    {"HTTP", "80", ""},
    {"HTTPS", "443", ""},
    {"IKE", "", "500 4500"},
    {"IMAP", "143", ""},
    {"IMAPS", "993", ""},
    {"Internet-Locator-Service", "389", ""},
    {"IRC", "6660-6669", ""},
    {"L2TP", "1701", "1701"},
    {"LDAP", "389", ""},
    {"LDAP_UDP", "", "389"},
    {"NetMeeting", "1720", ""},
    {"NFS", "111 2049", "111 2049"},
    {"NNTP", "119", ""},
    {"NTP", "123", "123"},
    {"PC-Anywhere", "5631", "5632"},
    {"PING", "", "", 1, 8},
    {"TIMESTAMP", "", "", 1, 13},
    {"INFO_REQUEST", "", "", 1, 15},
    {"INFO_ADDRESS", "", "", 1, 17},
    {"PING6", "", "", 58, 128},
    {"ONC-RPC", "111", "111"},
    {"DCE-RPC", "135", "135"},
    {"POP3", "110", ""},
    {"POP3S", "995", ""},
    {"PPTP", "1723", ""},
    {"QUAKE", "", "26000 27000 27910 27960"},
    {"RAUDIO", "", "7070"},
    {"REXEC", "512", ""},
    {"RIP", "", "520"},
    {"RLOGIN", "513:512-1023", ""},
    {"RSH", "514:512-1023", ""},
    {"SCCP", "2000", ""},
    {"SIP", "5060", "5060"},
    {"SIP-MSNmessenger", "1863", ""},
    {"SAMBA", "139", ""},
    {"SMB", "445", ""},
    {"SMTP", "25", ""},
    {"SMTPS", "465", ""},
    {"SNMP", "161-162", "161-162"},
    {"SSH", "22", ""},
    {"SYSLOG", "", "514"},
    {"TALK", "", "517-518"},
    {"TELNET", "23", ""},
    {"TFTP", "", "69"},
    {"MGCP", "", "2427 2727"},
    {"UUCP", "540", ""},
    {"VDOLIVE", "7000-7010", ""},
    {"WAIS", "210", ""},
    {"WINFRAME", "1494 2598", ""},
    {"X-WINDOWS", "6000-6063", ""},
    {"MS-SQL", "1433 1434", ""},
    {"MYSQL", "3306", ""},
    {"RDP", "3389", ""},
    {"VNC", "5900", ""},
    {"SQUID", "3128", ""},
    {"SOCKS", "1080", "1080"},
    {"WINS", "1512", "1512"},
    {"RADIUS", "", "1812 1813"},
    {"RADIUS-OLD", "", "1645 1646"},
    {"CVSPSERVER", "2401", "2401"},
    {"AFS3", "7000-7009", "7000-7009"},
    {"TRACEROUTE", "", "33434-33535"},
    {"RTSP", "554 7070 8554", "554"},
    {"MMS", "1755", "1024-5000"},
    {"KERBEROS", "88", "88"},
    {"NONE", "", ""},  // FortiOS: tcp/0, which no connection uses
};

int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::pair<std::uint16_t, std::uint16_t> range(std::string_view s) {
  const auto dash = s.find('-');
  const int lo = number(s.substr(0, dash));
  const int hi = dash == std::string_view::npos ? lo : number(s.substr(dash + 1));
  return {static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)};
}

model::PacketSet ports(std::uint8_t proto, std::string_view list) {
  model::PacketSet out;
  std::size_t start = 0;
  while (start < list.size()) {
    auto end = list.find(' ', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view item = list.substr(start, end - start);
    const auto colon = item.find(':');
    const auto d = range(item.substr(0, colon));
    model::PacketSet s = model::PacketSet::dport(proto, d.first, d.second);
    if (colon != std::string_view::npos) {
      const auto src = range(item.substr(colon + 1));
      s &= model::PacketSet::sport(proto, src.first, src.second);
    }
    out |= s;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<model::PacketSet> predefined_service(std::string_view name) {
  for (const Row& r : kRows) {
    if (r.name != name) continue;
    model::PacketSet s = ports(model::kProtoTcp, r.tcp) | ports(model::kProtoUdp, r.udp);
    if (r.icmp > 0) {
      const auto p = static_cast<std::uint8_t>(r.icmp);
      s |= r.icmp_type < 0 ? model::PacketSet::proto(p)
                           : model::PacketSet::icmp(p, static_cast<std::uint8_t>(r.icmp_type),
                                                    static_cast<std::uint8_t>(r.icmp_type));
    }
    if (r.ip == 0) s = model::PacketSet::all();
    if (r.ip > 0) s |= model::PacketSet::proto(static_cast<std::uint8_t>(r.ip));
    return s;
  }
  return std::nullopt;
}

}  // namespace sanso::vendor::fortigate
