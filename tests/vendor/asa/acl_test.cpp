// Access-list entries: protocols, addresses, ports, ICMP, objects and object-groups (nested, both
// service-group forms, protocol and icmp-type groups), options (log, inactive, time-range), and
// what makes an entry uncertain.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::asa {
namespace {

// outside -> inside through the ACL below (lines from 14).
model::Device with_acl(const std::string& body) {
  return device(std::string(kBase) + body + "access-group OUT_IN in interface outside\n");
}

TEST_CASE("asa acl conversion: ports, operators and names") {
  const auto d = with_acl(
      "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq www\n"
      "access-list OUT_IN extended permit udp any 10.1.0.0 255.255.255.0 range 1000 1002\n"
      "access-list OUT_IN extended permit tcp any eq 53 host 10.1.0.6 gt 1023\n"
      "access-list OUT_IN extended permit tcp any host 10.1.0.7 neq 22\n"
      "access-list OUT_IN extended permit tcp any host 10.1.0.8 lt 3\n");
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").may);
  CHECK(fate(d, udp("198.51.100.7", "10.1.0.99", 1002), "outside", "inside").must);
  CHECK_FALSE(fate(d, udp("198.51.100.7", "10.1.0.99", 1003), "outside", "inside").may);
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.6", 1024, 53), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.6", 1023, 53), "outside", "inside").may);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.6", 2000), "outside", "inside").may);
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.7", 21), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.7", 22), "outside", "inside").may);
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.8", 2), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.8", 3), "outside", "inside").may);
  CHECK(relies(d, "asa: port and ICMP type names"));
}

TEST_CASE("asa acl conversion: any, any4, any6 and ICMP") {
  const auto d = with_acl(
      "access-list OUT_IN extended permit tcp any4 any eq 22\n"
      "access-list OUT_IN extended permit tcp any6 any eq 23\n"
      "access-list OUT_IN extended permit icmp any any echo\n"
      "access-list OUT_IN extended permit icmp6 any any 128\n"
      "access-list OUT_IN extended permit icmp any any unreachable 4\n");
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 22), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("2001:db8::7", "2001:db8:1::5", 22), "outside", "inside").may);
  CHECK(fate(d, tcp("2001:db8::7", "2001:db8:1::5", 23), "outside", "inside").must);
  CHECK(fate(d, icmp("198.51.100.7", "10.1.0.5", 8), "outside", "inside").must);
  CHECK_FALSE(fate(d, icmp("2001:db8::7", "2001:db8:1::5", 8), "outside", "inside").may);
  CHECK(fate(d, icmp("2001:db8::7", "2001:db8:1::5", 128), "outside", "inside").must);
  CHECK(fate(d, icmp("198.51.100.7", "10.1.0.5", 3, 4), "outside", "inside").must);
  CHECK_FALSE(fate(d, icmp("198.51.100.7", "10.1.0.5", 3, 3), "outside", "inside").may);
}

TEST_CASE("asa acl conversion: objects and nested object-groups") {
  const auto d = with_acl(
      "name 10.1.0.50 WEB1\n"
      "object network SRV\n host 10.1.0.5\n"
      "object network NET\n subnet 10.1.0.128 255.255.255.192\n"
      "object network RNG\n range 10.1.0.20 10.1.0.29\n"
      "object-group network INNER\n network-object object NET\n network-object host WEB1\n"
      "object-group network OUTER\n group-object INNER\n network-object object RNG\n"
      "object service HTTPS\n service tcp destination eq https\n"
      "object-group service WEB tcp\n port-object eq 80\n port-object range 8080 8081\n"
      "object-group service MIXED\n service-object udp destination eq 53\n service-object object HTTPS\n"
      " service-object tcp-udp destination eq 5060\n service-object icmp echo\n"
      "object-group protocol TCPUDP\n protocol-object tcp\n protocol-object udp\n"
      "object-group icmp-type PING\n icmp-object echo\n"
      "access-list OUT_IN extended permit tcp any object SRV object-group WEB\n"
      "access-list OUT_IN extended permit object-group MIXED any object-group OUTER\n"
      "access-list OUT_IN extended permit object HTTPS any host 10.1.0.9\n"
      "access-list OUT_IN extended permit object-group TCPUDP any host 10.1.0.10 eq 7\n"
      "access-list OUT_IN extended permit icmp any host 10.1.0.11 object-group PING\n");
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 8081), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside").may);
  for (const char* dst : {"10.1.0.130", "10.1.0.50", "10.1.0.25"}) {
    CAPTURE(dst);
    CHECK(fate(d, udp("198.51.100.7", dst, 53), "outside", "inside").must);
    CHECK(fate(d, tcp("198.51.100.7", dst, 443), "outside", "inside").must);
    CHECK(fate(d, udp("198.51.100.7", dst, 5060), "outside", "inside").must);
    CHECK(fate(d, icmp("198.51.100.7", dst, 8), "outside", "inside").must);
    CHECK_FALSE(fate(d, tcp("198.51.100.7", dst, 53), "outside", "inside").may);
  }
  CHECK_FALSE(fate(d, udp("198.51.100.7", "10.1.0.30", 53), "outside", "inside").may);
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.9", 443), "outside", "inside").must);
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.10", 7), "outside", "inside").must);
  CHECK(fate(d, udp("198.51.100.7", "10.1.0.10", 7), "outside", "inside").must);
  CHECK_FALSE(fate(d, udp("198.51.100.7", "10.1.0.10", 8), "outside", "inside").may);
  CHECK(fate(d, icmp("198.51.100.7", "10.1.0.11", 8), "outside", "inside").must);
  CHECK_FALSE(fate(d, icmp("198.51.100.7", "10.1.0.11", 0), "outside", "inside").may);
  CHECK(d.coverage.at(0).unparsed.empty());
}

TEST_CASE("asa acl conversion: remark, inactive, log, interface terms") {
  const auto d = device(std::string(kBase) +
      "logging enable\n"                                                                // 14
      "access-list OUT_IN remark allow the web server\n"                                // 15
      "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq 22 inactive\n"       // 16
      "access-list OUT_IN extended deny tcp any host 10.1.0.5 eq 23\n"                  // 17
      "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq 80 log 6 interval 300\n"  // 18
      "access-list OUT_IN extended permit tcp any interface inside eq 443 log disable\n"     // 19
      "access-group OUT_IN in interface outside\n");
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 22), "outside", "inside").may);
  const auto& f = *stage(d, "access-group in");
  REQUIRE(f.entries.size() >= 4);
  CHECK(f.entries[0].evidence[0].line == 17);
  CHECK(f.entries[0].logged);  // a deny logs by default once logging is enabled
  CHECK(f.entries[1].logged);
  CHECK_FALSE(f.entries[2].logged);
  CHECK(f.entries[1].normalized_text ==
        "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq 80 log 6 interval 300");
  // `interface inside` is the interface's own address.
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.1", 443), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.2", 443), "outside", "inside").may);
  // Without `logging enable` nothing is logged.
  const auto quiet = with_acl("access-list OUT_IN extended deny tcp any any eq 23 log\n");
  CHECK_FALSE(stage(quiet, "access-group in")->entries[0].logged);
  REQUIRE(quiet.settings.syslog_servers);
  CHECK(quiet.settings.syslog_servers->empty());
}

TEST_CASE("asa acl warnings: what cannot be resolved makes the entry uncertain") {
  const auto d = with_acl(
      "object network CLOUD\n fqdn v4 api.example.com\n"                               // 14-15
      "time-range WORK\n periodic weekdays 8:00 to 18:00\n"                            // 16-17
      "access-list OUT_IN extended permit tcp object CLOUD host 10.1.0.5 eq 443\n"     // 18
      "access-list OUT_IN extended permit tcp any host 10.1.0.6 eq 22 time-range WORK\n"  // 19
      "access-list OUT_IN extended permit tcp any object-group NOWHERE eq 25\n"        // 20
      "access-list OUT_IN extended permit tcp user LOCAL\\bob any host 10.1.0.7 eq 80\n"  // 21
      "access-list OUT_IN extended permit tcp any host 10.1.0.8 eq 80\n");             // 22
  const auto& f = *stage(d, "access-group in");
  CHECK(f.entries[0].uncertain);
  CHECK(f.entries[0].uncertain_why == "fqdn api.example.com cannot be resolved offline");
  CHECK(f.entries[1].uncertain_why == "time-range WORK limits when the rule applies");
  CHECK(f.entries[2].uncertain_why == "object-group NOWHERE is not defined");
  CHECK(f.entries[3].uncertain_why == "user LOCAL\\bob cannot be resolved offline");
  CHECK_FALSE(f.entries[4].uncertain);
  const auto may = fate(d, tcp("198.51.100.7", "10.1.0.5", 443), "outside", "inside");
  CHECK(may.may);
  CHECK_FALSE(may.must);
  CHECK(unparsed_at(d, 14));  // the fqdn object (its opening line)
  CHECK(unparsed_at(d, 19));
  CHECK(unparsed_at(d, 20));
  CHECK_FALSE(unparsed_at(d, 22));
}

TEST_CASE("asa acl warnings: unreadable lines are listed, never dropped silently") {
  const auto d = with_acl(
      "access-list OUT_IN extended permit tcp any host 10.1.0.5 eq nosuchport\n"  // 14
      "access-list OUT_IN extended permit tcp any 10.1.0.0 255.0.255.0\n"         // 15
      "access-list OUT_IN extended permit tcp any any eq 80 frobnicate\n"         // 16
      "frobnicate all the things\n");                                            // 17
  REQUIRE(unparsed_at(d, 14));
  CHECK(unparsed_at(d, 14)->reason == "unknown port 'nosuchport'");
  REQUIRE(unparsed_at(d, 15));
  REQUIRE(unparsed_at(d, 16));
  CHECK(unparsed_at(d, 16)->reason == "unknown access-list option 'frobnicate'");
  REQUIRE(unparsed_at(d, 17));
  CHECK(unparsed_at(d, 17)->reason == "unknown command 'frobnicate'");
  // The entry with an unknown option is kept, uncertain.
  CHECK(fate(d, tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside").may);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside").must);
}

}  // namespace
}  // namespace sanso::test::asa
