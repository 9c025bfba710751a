// Extraction: what the parser reads from each modelled command, as written.
#include "helpers.h"
#include "vendor/yamaha/parse.h"

namespace sanso::test::yamaha {
namespace {

using vendor::yamaha::parse;

TEST_CASE("parse extraction: ip filter fields, omitted ones are *") {
  const auto c = parse("f", "ip filter 10 pass-log 10.0.0.0/8\nipv6 filter 20 reject * * tcp * 22\n");
  REQUIRE(c.filters.size() == 2);
  CHECK(c.filters[0].number == 10);
  CHECK(c.filters[0].action == "pass-log");
  CHECK(c.filters[0].src == "10.0.0.0/8");
  CHECK(c.filters[0].dst == "*");
  CHECK(c.filters[0].proto == "*");
  CHECK(c.filters[0].dport == "*");
  CHECK(c.filters[1].family == model::Family::V6);
  CHECK(c.filters[1].dport == "22");
  CHECK_FALSE(c.filters[1].garbled);
}

TEST_CASE("parse extraction: pp select and tunnel select give ip pp / ip tunnel their interface") {
  const auto c = parse("f",
                       "pp select 2\n ip pp secure filter in 1\n ip pp address 203.0.113.1/32\n"
                       "tunnel select 3\n ip tunnel secure filter out 2 dynamic 9\n"
                       "pp select anonymous\n ip pp secure filter in 3\n"
                       "ip lan1/2 secure filter in 4\nip lan1.3 secure filter out 5\n"
                       "pp select none\n ip pp secure filter in 6\n");
  REQUIRE(c.bindings.size() == 5);
  CHECK(c.bindings[0].iface == "pp2");
  CHECK(c.bindings[1].iface == "tunnel3");
  CHECK(c.bindings[1].dir == vendor::yamaha::Direction::Out);
  CHECK(c.bindings[1].dynamic == std::vector<std::uint32_t>{9});
  CHECK(c.bindings[2].iface == "pp-anonymous");
  CHECK(c.bindings[3].iface == "lan1/2");
  CHECK(c.bindings[4].iface == "lan1.3");
  REQUIRE(c.addresses.size() == 1);
  CHECK(c.addresses[0].iface == "pp2");
  REQUIRE(c.unparsed.size() == 1);
  CHECK(c.unparsed[0].line == 11);
  CHECK(c.unparsed[0].reason == "'pp' with no pp selected (pp select N)");
}

TEST_CASE("parse extraction: dynamic filters, application and user forms") {
  const auto c = parse("f",
                       "ip filter dynamic 1 * * ftp syslog=off\n"
                       "ip filter dynamic 2 192.168.0.0/24 * filter 10 11 in 12 out 13 timeout=60\n");
  REQUIRE(c.dynamic_filters.size() == 2);
  CHECK(c.dynamic_filters[0].app == "ftp");
  CHECK(c.dynamic_filters[0].options == std::vector<std::string>{"syslog=off"});
  CHECK(c.dynamic_filters[1].app.empty());
  CHECK(c.dynamic_filters[1].src == "192.168.0.0/24");
  CHECK(c.dynamic_filters[1].trigger == std::vector<std::uint32_t>{10, 11});
  CHECK(c.dynamic_filters[1].in == std::vector<std::uint32_t>{12});
  CHECK(c.dynamic_filters[1].out == std::vector<std::uint32_t>{13});
  CHECK(c.unparsed.empty());
}

TEST_CASE("parse extraction: NAT descriptors and their binding") {
  const auto c = parse("f",
                       "nat descriptor type 1 masquerade\nnat descriptor address outer 1 203.0.113.1\n"
                       "nat descriptor address inner 1 192.168.0.1-192.168.0.254\n"
                       "nat descriptor masquerade static 1 1 192.168.0.2 tcp 8080=80\n"
                       "nat descriptor masquerade incoming 1 forward 192.168.0.3\n"
                       "nat descriptor static 1 2 203.0.113.5=192.168.0.5 2\n"
                       "ip lan2 nat descriptor 1\n");
  REQUIRE(c.nat.count(1) == 1);
  const auto& d = c.nat.at(1);
  CHECK(d.type == "masquerade");
  CHECK(d.outer == std::vector<std::string>{"203.0.113.1"});
  CHECK(d.inner == std::vector<std::string>{"192.168.0.1-192.168.0.254"});
  REQUIRE(d.masquerade_static.size() == 1);
  CHECK(d.masquerade_static[0].proto == "tcp");
  CHECK(*d.masquerade_static[0].ports == "8080=80");
  CHECK(d.incoming == "forward");
  CHECK(d.incoming_host == "192.168.0.3");
  REQUIRE(d.statics.size() == 1);
  CHECK(d.statics[0].count == 2);
  REQUIRE(c.nat_bindings.size() == 1);
  CHECK(c.nat_bindings[0].iface == "lan2");
  CHECK(c.unparsed.empty());
}

TEST_CASE("parse extraction: syslog host, ntpdate (also scheduled), interfaces and bridges") {
  const auto c = parse("f",
                       "syslog host 192.168.1.20\nschedule at 1 */* 03:00 * ntpdate ntp.nict.jp syslog\n"
                       "ntpdate 10.0.0.123\nbridge member bridge1 lan1 tunnel1\nvlan lan1/1 802.1q vid=10\n");
  REQUIRE(c.syslog_hosts.size() == 1);
  CHECK(c.syslog_hosts[0].text == "192.168.1.20");
  REQUIRE(c.ntp_servers.size() == 2);
  CHECK(c.ntp_servers[0].text == "ntp.nict.jp");
  CHECK(c.ntp_servers[1].text == "10.0.0.123");
  CHECK(c.interfaces == std::vector<std::string>{"bridge1", "lan1", "tunnel1", "lan1/1"});
}

TEST_CASE("parse warnings: filters that cannot be read are kept garbled, with the reason") {
  const auto c = parse("f",
                       "ip filter 1 allow * *\nip filter 2 pass * * tcp * 22 extra\nip filter x pass\n"
                       "ip lan1 secure filter in 1 two\nfrobnicate on\nip lan1 secure filter name set1\n");
  REQUIRE(c.filters.size() == 3);
  CHECK(*c.filters[0].garbled == "unknown action 'allow'");
  CHECK(*c.filters[1].garbled == "unexpected word 'extra' after the ports");
  CHECK(*c.filters[2].garbled == "'x' is not a filter number");
  REQUIRE(c.unparsed.size() == 6);
  CHECK(c.unparsed[0].reason == "filter not understood: unknown action 'allow'");
  CHECK(c.unparsed[3].reason == "secure filter not understood: 'two' is not a filter number");
  CHECK(c.unparsed[4].reason == "not an RTX command sanso knows");
  CHECK(c.unparsed[5].reason == "filter sets (secure filter name) are not modelled");
  CHECK(c.unmodelled.size() == 1);
  CHECK(c.statements == 6);
  CHECK(c.recognised == 5);
  CHECK(c.first_unrecognised == 5);
}

}  // namespace
}  // namespace sanso::test::yamaha
