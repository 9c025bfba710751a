// NAT: object NAT and twice NAT recorded and applied; ACLs of 8.3+ name real addresses.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::asa {
namespace {

TEST_CASE("asa nat conversion: static object NAT; the ACL names the real address") {
  const auto d = device(std::string(kBase) +
      "object network WEB\n host 10.1.0.5\n nat (inside,outside) static 203.0.113.5\n"
      "object network SSH\n host 10.1.0.6\n nat (inside,outside) static 203.0.113.6 service tcp 22 2222\n"
      "access-list OUT_IN extended permit tcp any object WEB eq 443\n"
      "access-list OUT_IN extended permit tcp any host 10.1.0.6 eq 22\n"
      "access-group OUT_IN in interface outside\n");
  // A packet to the mapped address is translated before the ACL, which names the real one.
  CHECK(fate(d, tcp("198.51.100.7", "203.0.113.5", 443), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "203.0.113.5", 80), "outside", "inside").may);
  CHECK(fate(d, tcp("198.51.100.7", "203.0.113.6", 2222), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "203.0.113.6", 22), "outside", "inside").may);
  REQUIRE(d.destination_nat.size() == 2);
  CHECK(d.destination_nat[0].in->pattern == "outside");
  CHECK_FALSE(d.destination_nat[0].uncertain);
  CHECK(d.source_nat.size() == 2);  // the forward direction rewrites the source
  CHECK(relies(d, "asa: destination NAT is looked up in the order"));
}

TEST_CASE("asa nat conversion: dynamic NAT rewrites sources only") {
  const auto d = device(std::string(kBase) +
      "object network LAN\n subnet 10.1.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n");
  CHECK(d.destination_nat.empty());
  REQUIRE(d.source_nat.size() == 1);
  CHECK(d.source_nat[0].out->pattern == "outside");
  CHECK(d.source_nat[0].match.contains(tcp("10.1.0.9", "198.51.100.7", 80)));
  CHECK_FALSE(relies(d, "asa: destination NAT is looked up in the order"));
}

TEST_CASE("asa nat conversion: twice NAT, identity NAT and section order") {
  const auto d = device(std::string(kBase) +
      "object network LAN\n subnet 10.1.0.0 255.255.255.0\n"
      "object network VPN\n subnet 192.168.50.0 255.255.255.0\n"
      "object network PUB\n host 203.0.113.80\n"
      "object network SRV\n host 10.1.0.80\n"
      "object service HTTP\n service tcp destination eq 80\n"
      "object service ALT\n service tcp destination eq 8080\n"
      "nat (inside,outside) source static LAN LAN destination static VPN VPN\n"  // identity
      "nat (inside,outside) source static SRV PUB service HTTP ALT\n"
      "access-list OUT_IN extended permit tcp any host 10.1.0.80 eq 80\n"
      "access-group OUT_IN in interface outside\n");
  // Port forwarding through the reverse of a static source: 203.0.113.80:8080 -> 10.1.0.80:80.
  CHECK(fate(d, tcp("198.51.100.7", "203.0.113.80", 8080), "outside", "inside").must);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "203.0.113.80", 80), "outside", "inside").may);
  // The identity entries translate nothing.
  REQUIRE(d.destination_nat.size() == 3);
  CHECK_FALSE(d.destination_nat[0].to);
  CHECK_FALSE(d.destination_nat[1].to);
  REQUIRE(d.destination_nat[2].to);
  CHECK(d.destination_nat[2].to->lo == ip("10.1.0.80"));
  CHECK(d.source_nat.size() == 1);
}

TEST_CASE("asa nat warnings: pre-8.3 NAT is not modelled; unresolvable NAT is uncertain") {
  const auto old = device(std::string(kBase) + "static (inside,outside) 203.0.113.5 10.1.0.5 netmask 255.255.255.255\n");
  REQUIRE(old.unmodelled_nat.size() == 1);
  CHECK(old.unmodelled_nat[0].line == 14);
  REQUIRE(unparsed_at(old, 14));
  CHECK(unparsed_at(old, 14)->reason == "NAT of ASA versions before 8.3 is not modelled");
  const auto range = device(std::string(kBase) +
      "object network POOL\n range 10.1.0.10 10.1.0.19\n nat (inside,outside) static 203.0.113.0 \n");
  CHECK(range.unmodelled_nat.empty());
  const auto many = device(std::string(kBase) +
      "object network LANS\n subnet 10.1.0.0 255.255.255.0\n"
      "object network PUBS\n subnet 203.0.113.0 255.255.255.0\n"
      "object network LANS\n nat (inside,outside) static PUBS\n");
  REQUIRE(many.destination_nat.size() == 1);
  CHECK(many.destination_nat[0].uncertain);
  CHECK(many.destination_nat[0].uncertain_why == "a range mapped one-to-one is modelled as any address of the range");
  const auto bad = device(std::string(kBase) + "nat (inside,outside) source static A B frob\n");
  CHECK(bad.unmodelled_nat.size() == 1);
}

}  // namespace
}  // namespace sanso::test::asa
