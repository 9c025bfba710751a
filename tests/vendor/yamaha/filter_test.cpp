// Conversion of the fields of `ip filter` (ip_filter.html): addresses, protocols, ports, and
// what each matches, checked on packets through one bound list.
#include "helpers.h"

namespace sanso::test::yamaha {
namespace {

using model::Action;

// `filters` bound as lan1's in list; packets go lan1 -> lan2.
model::Device with(const std::string& filters, const std::string& list) {
  return device(filters + "ip lan1 secure filter in " + list + "\n");
}

Action go(const model::Device& d, const model::Packet& p) { return fate(d, p, "lan1", "lan2"); }

TEST_CASE("filter conversion: addresses as prefix, netmask, range, open range and list") {
  const auto d = with(
      "ip filter 1 pass 10.1.0.0/255.255.0.0 192.168.1.1-192.168.1.9\n"
      "ip filter 2 pass 172.16.0.1,172.16.0.3 10.9.9.9-\n",
      "1 2");
  CHECK(go(d, tcp("10.1.2.3", "192.168.1.9", 22)) == Action::Permit);
  CHECK(go(d, tcp("10.1.2.3", "192.168.1.10", 22)) == Action::Deny);
  CHECK(go(d, tcp("10.2.0.1", "192.168.1.5", 22)) == Action::Deny);
  CHECK(go(d, tcp("172.16.0.3", "10.9.9.9", 22)) == Action::Permit);
  CHECK(go(d, tcp("172.16.0.3", "255.255.255.255", 22)) == Action::Permit);
  CHECK(go(d, tcp("172.16.0.2", "10.9.9.9", 22)) == Action::Deny);
  CHECK(go(d, tcp("172.16.0.3", "10.9.9.8", 22)) == Action::Deny);
  CHECK(d.coverage[0].unparsed.empty());
}

TEST_CASE("filter conversion: protocol * with ports: ports bind TCP and UDP only") {
  // ip_filter.html: with * (or a list holding TCP/UDP) the ports are compared only for TCP and
  // UDP packets; other protocols (ICMP included) match as if no ports were given.
  const auto d = with("ip filter 1 pass * * * * 53\n", "1");
  CHECK(go(d, udp("10.0.0.1", "10.0.0.2", 53)) == Action::Permit);
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 53)) == Action::Permit);
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 54)) == Action::Deny);
  CHECK(go(d, icmp("10.0.0.1", "10.0.0.2", 8)) == Action::Permit);
  CHECK(go(d, proto("10.0.0.1", "10.0.0.2", 47)) == Action::Permit);
}

TEST_CASE("filter conversion: icmp alone takes the ports as type and code") {
  const auto d = with("ip filter 1 pass * * icmp 8 0\nip filter 2 pass * * icmp,tcp 8 *\n", "1 2");
  CHECK(go(d, icmp("10.0.0.1", "10.0.0.2", 8, 0)) == Action::Permit);
  CHECK(go(d, icmp("10.0.0.1", "10.0.0.2", 0, 0)) == Action::Permit);   // via 2: ports ignored
  const auto alone = with("ip filter 1 pass * * icmp 8 *\n", "1");
  CHECK(go(alone, icmp("10.0.0.1", "10.0.0.2", 8, 5)) == Action::Permit);
  CHECK(go(alone, icmp("10.0.0.1", "10.0.0.2", 3, 0)) == Action::Deny);
}

TEST_CASE("filter conversion: port names, name ranges, open ranges and lists") {
  const auto d = with(
      "ip filter 1 pass * * tcp,udp netbios_ns-netbios_ssn *\nip filter 2 pass * * tcp 1024- ftp\n"
      "ip filter 3 pass * * udp * -100\n",
      "1 2 3");
  CHECK(go(d, udp("10.0.0.1", "10.0.0.2", 9, 138)) == Action::Permit);
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 9, model::kTcpSyn, 140)) == Action::Deny);
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 20)) == Action::Permit);  // ftp = 20 and 21
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 21)) == Action::Permit);
  CHECK(go(d, tcp("10.0.0.1", "10.0.0.2", 21, model::kTcpSyn, 1023)) == Action::Deny);
  CHECK(go(d, udp("10.0.0.1", "10.0.0.2", 100)) == Action::Permit);
  CHECK(go(d, udp("10.0.0.1", "10.0.0.2", 101)) == Action::Deny);
  CHECK(has_assumption(d, "port names are read with sanso's mnemonic table"));
  const auto numbers = with("ip filter 1 pass * * tcp * 22\n", "1");
  CHECK_FALSE(has_assumption(numbers, "port names"));
}

TEST_CASE("filter conversion: established, tcpsyn, tcpfin, tcpflag and icmp-error") {
  const auto d = with(
      "ip filter 1 pass * 10.0.0.1 established\nip filter 2 pass * 10.0.0.2 tcpsyn\n"
      "ip filter 3 pass * 10.0.0.3 tcpfin\nip filter 4 pass * 10.0.0.4 tcpflag=0x0002/0x0012\n"
      "ip filter 5 pass * 10.0.0.5 icmp-error\nip filter 6 pass * 10.0.0.6 gre\n",
      "1 2 3 4 5 6");
  const auto syn = model::kTcpSyn;
  const auto ack = model::kTcpAck;
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.1", 80, syn)) == Action::Deny);
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.1", 80, ack)) == Action::Permit);
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.2", 80, syn)) == Action::Permit);
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.3", 80, syn)) == Action::Deny);  // FIN is clear
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.4", 80, syn)) == Action::Permit);
  CHECK(go(d, tcp("10.9.0.1", "10.0.0.4", 80, syn | ack)) == Action::Deny);
  CHECK(go(d, icmp("10.9.0.1", "10.0.0.5", 3)) == Action::Permit);
  CHECK(go(d, icmp("10.9.0.1", "10.0.0.5", 8)) == Action::Deny);
  CHECK(go(d, proto("10.9.0.1", "10.0.0.6", 47)) == Action::Permit);
  CHECK(has_assumption(d, "FIN, PSH, URG"));
  CHECK(has_assumption(d, "icmp-error is ICMP types 3, 4, 5, 11 and 12"));
  CHECK(has_assumption(d, "established with ACK set"));
}

TEST_CASE("filter warnings: an FQDN or a prefix learnt at run time makes the entry uncertain") {
  const auto d = with("ip filter 1 reject * www.example.com tcp * 443\nip filter 2 pass * *\n", "1 2");
  const auto& in = stage(d, "ip secure filter in");
  CHECK(in.entries[0].uncertain);
  CHECK(in.entries[0].uncertain_why == "destination www.example.com is an FQDN resolved at run time");
  CHECK(count_reason(d.coverage[0], "FQDN") == 1);
  // An uncertain reject is not trusted to block.
  CHECK(go(d, tcp("10.0.0.1", "93.184.216.34", 443)) == Action::Permit);
  const auto v6 = device("ipv6 filter 1 pass ra-prefix@lan2::/64 *\nipv6 lan1 secure filter in 1\n");
  CHECK(stage(v6, "ipv6 secure filter in").entries[0].uncertain);
  const auto plain = with("ip filter 1 reject * 93.184.216.34 tcp * 443\n", "1");
  CHECK_FALSE(stage(plain, "ip secure filter in").entries[0].uncertain);
  CHECK(plain.coverage[0].unparsed.empty());
}

}  // namespace
}  // namespace sanso::test::yamaha
