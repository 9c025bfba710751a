// The real configs of ../shared/configs/real/yamaha-rtx (MIT, copied to tests/data/yamaha with
// their origin): golden coverage, and packet fates computed by hand from the files.
#include "helpers.h"

namespace sanso::test::yamaha {
namespace {

using model::Action;

TEST_CASE("real configs: rtx_pppoe_home.rtfg coverage and structure") {
  const auto d = data_device("rtx_pppoe_home.rtfg");
  const auto& c = d.coverage.at(0);
  // 81 lines; every one understood: the filter template, PPPoE, NAT, DHCP, DNS, and the
  // policy-routing `ip route ... filter 600000`, which does not filter.
  CHECK(c.lines == 81);
  CHECK(c.understood() == 81);
  CHECK(c.unparsed.empty());
  REQUIRE(d.transit.size() == 2);
  CHECK(d.transit[0].name == "ip secure filter in");
  CHECK(d.transit[1].name == "ip secure filter out");
  // pp1 in: 11 filters, the FTP data connection 200080 admits, the implicit discard.
  CHECK(d.transit[0].entries.size() == 13);
  // pp1 out: 10 filters, 8 dynamic filters, the implicit discard.
  CHECK(d.transit[1].entries.size() == 19);
  // Template filters the file defines but binds nowhere (200000-2, 200010-12, 200031, 200033-37,
  // 500000); 600000 is used by `ip route`, so it is not unused.
  std::size_t unused = 0;
  for (const auto& i : d.object_issues) {
    CHECK(i.kind == model::ObjectIssue::Kind::Unused);
    CHECK(i.name != "600000");
    unused += 1;
  }
  CHECK(unused == 13);
  CHECK(d.source_nat.size() == 1);
  CHECK(d.destination_nat.size() == 3);  // www, https, 25565 to 192.168.100.111
  for (const auto& n : d.destination_nat) CHECK(n.uncertain);  // outer address from IPCP
  REQUIRE(d.settings.ntp_servers);
  CHECK(d.settings.ntp_servers->empty());
  REQUIRE(d.settings.syslog_servers);
  CHECK(d.settings.syslog_servers->empty());
}

TEST_CASE("real configs: rtx_pppoe_home.rtfg packet fates") {
  const auto d = data_device("rtx_pppoe_home.rtfg");
  std::vector<int> lines;
  // LAN -> Internet https: lan1 has no list, pp1 out passes it with 200099 (line 51).
  CHECK(fate(d, tcp("192.168.100.5", "93.184.216.34", 443), "lan1", "pp1", &lines) == Action::Permit);
  CHECK(lines == std::vector<int>{51});
  // LAN -> Internet SMB: 200025 (line 40) on pp1 out.
  lines.clear();
  CHECK(fate(d, tcp("192.168.100.5", "93.184.216.34", 445), "lan1", "pp1", &lines) == Action::Deny);
  CHECK(lines == std::vector<int>{40});
  // Internet -> the forwarded web server (as the in list sees it, after NAT): 210001 (line 52).
  lines.clear();
  CHECK(fate(d, tcp("203.0.113.9", "192.168.100.111", 80), "pp1", "lan1", &lines) == Action::Permit);
  CHECK(lines == std::vector<int>{52});
  // Internet -> another LAN host's ssh: nothing in the pp1 in list matches: discarded.
  lines.clear();
  CHECK(fate(d, tcp("203.0.113.9", "192.168.100.50", 22), "pp1", "lan1", &lines) == Action::Deny);
  CHECK(lines == std::vector<int>{0});  // the implicit deny cites no line
  // A spoofed LAN source arriving from the Internet: 200003 (line 30).
  lines.clear();
  CHECK(fate(d, icmp("192.168.100.7", "192.168.100.5", 8), "pp1", "lan1", &lines) == Action::Deny);
  CHECK(lines == std::vector<int>{30});
  // Ping from the Internet to the LAN: 200030 (line 43).
  lines.clear();
  CHECK(fate(d, icmp("198.51.100.1", "192.168.100.5", 8), "pp1", "lan1", &lines) == Action::Permit);
  CHECK(lines == std::vector<int>{43});
  // An FTP active-mode data connection (from port 20) may be admitted by dynamic filter 200080:
  // may-pass, not proven.
  const auto b = bounds(d, "pp1", "lan1");
  const auto ftp_data = tcp("198.51.100.1", "192.168.100.5", 40000, model::kTcpSyn, 20);
  CHECK(b.may.contains(ftp_data));
  CHECK_FALSE(b.must.contains(ftp_data));
  CHECK_FALSE(b.may.contains(tcp("198.51.100.1", "192.168.100.5", 40000)));
}

TEST_CASE("real configs: rtx1210_masked_full.txt coverage and structure") {
  const auto d = data_device("rtx1210_masked_full.txt");
  const auto& c = d.coverage.at(0);
  // 236 lines; the one not fully understood is the ethernet filter on a destination MAC, which
  // sanso's packets do not carry.
  CHECK(c.lines == 236);
  CHECK(c.understood() == 235);
  REQUIRE(c.unparsed.size() == 1);
  CHECK(c.unparsed[0].line == 204);
  CHECK(c.unparsed[0].reason == "destination MAC is not modelled");
  std::vector<std::string> stages;
  for (const auto& s : d.transit) stages.push_back(s.name);
  CHECK(stages == std::vector<std::string>{"ethernet filter in", "ip secure filter in",
                                           "ipv6 secure filter in", "ip secure filter out",
                                           "ipv6 secure filter out", "ethernet filter out"});
  // Interfaces: the pp anonymous and tunnel contexts resolve; bridge1 has its address.
  std::vector<std::string> names;
  for (const auto& i : d.interfaces) names.push_back(i.name);
  CHECK(names == std::vector<std::string>{"lan2", "bridge1", "lan1", "tunnel1", "pp-anonymous", "tunnel2"});
  REQUIRE(d.interfaces[1].addresses.size() == 1);
  CHECK(model::format_range(d.interfaces[1].addresses[0]) == "192.168.0.0/16");
  CHECK(*d.settings.syslog_servers == std::vector<std::string>{"192.168.1.20"});
  CHECK(d.source_nat.size() == 1);
  CHECK(d.destination_nat.size() == 5);  // esp, udp 500, 4500, 1701, tcp 55000
  CHECK(has_assumption(d, "ethernet filter list is discarded"));
  CHECK(has_assumption(d, "NAT descriptor"));
}

TEST_CASE("real configs: rtx1210_masked_full.txt packet fates") {
  const auto d = data_device("rtx1210_masked_full.txt");
  std::vector<int> lines;
  // The WAN in list ends with 200099 pass * * * * * (line 178): unsolicited TCP to a LAN host
  // passes the filters (only masquerade keeps it out in practice).
  CHECK(fate(d, tcp("203.0.113.9", "192.168.1.20", 55000), "lan2", "bridge1", &lines) == Action::Permit);
  CHECK(lines == std::vector<int>{178});
  lines.clear();
  CHECK(fate(d, tcp("203.0.113.9", "192.168.1.20", 445), "lan2", "bridge1", &lines) == Action::Deny);
  CHECK(lines == std::vector<int>{174});
  // The TV's MAC is rejected entering lan1 (ethernet filter 1, line 203); another MAC passes
  // with filter 100 (line 200).
  auto tv = tcp("192.168.1.50", "8.8.8.8", 443);
  tv.src_mac = *model::parse_mac("bc:5c:17:05:59:3a");
  lines.clear();
  CHECK(fate(d, tv, "lan1", "lan2", &lines) == Action::Deny);
  CHECK(lines.front() == 203);
  auto pc = tv;
  pc.src_mac = *model::parse_mac("02:00:00:00:00:01");
  lines.clear();
  CHECK(fate(d, pc, "lan1", "lan2", &lines) == Action::Permit);
  CHECK(lines.front() == 200);
  // IPv6 from the WAN: only ICMPv6, DHCPv6 client and 101099 pass * (line 227).
  CHECK(fate(d, tcp("2001:db8::1", "2001:db8:1::5", 22), "lan2", "lan1") == Action::Permit);
}

}  // namespace
}  // namespace sanso::test::yamaha
