// Conversion of `ip IF secure filter in|out LIST... [dynamic LIST...]`: list order, the discard
// after the list, interfaces without lists, in of A and out of B, restrict, dynamic filters.
#include "helpers.h"

namespace sanso::test::yamaha {
namespace {

using model::Action;

TEST_CASE("binding conversion: the list's order decides, not the filter numbers") {
  const auto d = device("ip filter 10 reject * *\nip filter 20 pass * * tcp * 22\n"
                        "ip lan1 secure filter in 20 10\n");
  std::vector<int> lines;
  CHECK(fate(d, tcp("10.0.0.1", "10.0.1.1", 22), "lan1", "lan2", &lines) == Action::Permit);
  CHECK(lines == std::vector<int>{2});
  CHECK(fate(d, tcp("10.0.0.1", "10.0.1.1", 23), "lan1", "lan2") == Action::Deny);
}

TEST_CASE("binding conversion: a packet no filter of the list matches is discarded") {
  const auto d = device("ip filter 1 pass * * tcp * 22\nip lan1 secure filter in 1\n");
  const auto& in = stage(d, "ip secure filter in");
  REQUIRE(in.entries.size() == 2);
  const auto& last = in.entries[1];
  CHECK(last.action == Action::Deny);
  CHECK_FALSE(last.evidence[0].line);
  CHECK(last.evidence[0].text == "implicit deny");
  CHECK(last.evidence[1].line == 2);
  CHECK(last.normalized_text == "ip secure filter in lan1: implicit deny");
  CHECK(fate(d, udp("10.0.0.1", "10.0.1.1", 53), "lan1", "lan2") == Action::Deny);
  // The IPv4 list says nothing about IPv6.
  CHECK(fate(d, udp("2001:db8::1", "2001:db8:1::1", 53), "lan1", "lan2") == Action::Permit);
}

TEST_CASE("binding conversion: from A to B passes A's in list and B's out list") {
  const auto d = device("ip filter 1 pass * *\nip filter 2 reject * * tcp * 445\nip filter 3 pass * *\n"
                        "ip lan1 secure filter in 1\nip lan2 secure filter out 2 3\n");
  CHECK(fate(d, tcp("10.0.0.1", "10.0.1.1", 445), "lan1", "lan2") == Action::Deny);
  CHECK(fate(d, tcp("10.0.0.1", "10.0.1.1", 443), "lan1", "lan2") == Action::Permit);
  // lan2's out list does not see packets leaving on lan3.
  CHECK(fate(d, tcp("10.0.0.1", "10.0.2.1", 445), "lan1", "lan3") == Action::Permit);
  // Without lists a direction passes, and the parser says it relied on that.
  CHECK(has_assumption(d, "no secure filter list for a direction passes"));
}

TEST_CASE("binding conversion: restrict passes, and the device says so") {
  const auto d = device("ip filter 1 restrict * * udp * ntp\nip lan2 secure filter out 1\n");
  CHECK(fate(d, udp("10.0.0.1", "192.0.2.123", 123), "lan1", "lan2") == Action::Permit);
  CHECK(has_assumption(d, "restrict filters are read as pass"));
  const auto plain = device("ip filter 1 pass * * udp * ntp\nip lan2 secure filter out 1\n");
  CHECK_FALSE(has_assumption(plain, "restrict"));
}

TEST_CASE("binding conversion: dynamic filters may pass only what the static filters leave") {
  const auto d = device("ip filter 1 reject * * tcp * 23\nip filter 2 pass * * udp\n"
                        "ip filter dynamic 9 * * www\n"
                        "ip lan2 secure filter out 1 2 dynamic 9\n");
  const auto b = bounds(d, "lan1", "lan2");
  // A static reject decides before the dynamic filter.
  CHECK_FALSE(b.may.contains(tcp("10.0.0.1", "192.0.2.1", 23)));
  // A static pass is proven.
  CHECK(b.must.contains(udp("10.0.0.1", "192.0.2.1", 53)));
  // Undecided by the statics, matched by the dynamic filter's trigger: may pass, unproven.
  CHECK(b.may.contains(tcp("10.0.0.1", "192.0.2.1", 80)));
  CHECK_FALSE(b.must.contains(tcp("10.0.0.1", "192.0.2.1", 80)));
  // Neither: discarded.
  CHECK_FALSE(b.may.contains(tcp("10.0.0.1", "192.0.2.1", 443)));
  CHECK(has_assumption(d, "static filters decide a connection-opening packet first"));
  CHECK_FALSE(has_assumption(d, "connections a dynamic filter admits"));  // www has none
}

TEST_CASE("binding conversion: the user form's in list admits reverse connections (uncertain)") {
  const auto d = device("ip filter 10 pass * * tcp * 21\nip filter 11 pass * * tcp 20 *\n"
                        "ip filter 99 pass * *\n"
                        "ip filter dynamic 5 192.168.0.0/24 * filter 10 in 11\n"
                        "ip lan2 secure filter in 99\n"
                        "ip lan2 secure filter out 99 dynamic 5\n"
                        "ip lan3 secure filter in 10\n");
  // lan2 in has a pass-all: the related entry lands after it, changing nothing.
  CHECK(fate(d, tcp("192.0.2.1", "192.168.0.5", 40000, model::kTcpSyn, 20), "lan2", "lan1") == Action::Permit);
  const auto d2 = device("ip filter 10 pass * * tcp * 21\nip filter 11 pass * * tcp 20 *\n"
                         "ip filter 12 reject * *\n"
                         "ip filter dynamic 5 192.168.0.0/24 * filter 10 in 11\n"
                         "ip lan2 secure filter in 12\nip lan2 secure filter out 12 dynamic 5\n");
  const auto back = bounds(d2, "lan2", "lan1");
  CHECK_FALSE(back.may.contains(tcp("192.0.2.1", "192.168.0.5", 40000, model::kTcpSyn, 20)));
  const auto d3 = device("ip filter 10 pass * * tcp * 21\nip filter 11 pass * * tcp 20 *\n"
                         "ip filter 13 pass * * udp\n"
                         "ip filter dynamic 5 192.168.0.0/24 * filter 10 in 11\n"
                         "ip lan2 secure filter in 13\nip lan2 secure filter out 13 dynamic 5\n");
  const auto b3 = bounds(d3, "lan2", "lan1");
  CHECK(b3.may.contains(tcp("192.0.2.1", "192.168.0.5", 40000, model::kTcpSyn, 20)));
  CHECK_FALSE(b3.must.contains(tcp("192.0.2.1", "192.168.0.5", 40000, model::kTcpSyn, 20)));
  CHECK_FALSE(b3.may.contains(tcp("192.0.2.1", "10.0.0.5", 40000, model::kTcpSyn, 20)));
  CHECK(has_assumption(d3, "connections a dynamic filter admits"));
}

TEST_CASE("binding warnings: undefined and unused filters, and a later binding replaces") {
  const auto d = device("ip filter 1 pass * *\nip filter 2 reject * *\n"
                        "ip lan1 secure filter in 2\nip lan1 secure filter in 7 1\n");
  REQUIRE(d.object_issues.size() == 2);
  CHECK(d.object_issues[0].kind == model::ObjectIssue::Kind::Undefined);
  CHECK(d.object_issues[0].name == "7");
  CHECK(d.object_issues[0].where.line == 4);
  CHECK(d.object_issues[1].kind == model::ObjectIssue::Kind::Unused);
  CHECK(d.object_issues[1].object_type == "ip filter");
  CHECK(d.object_issues[1].name == "2");
  CHECK(has_assumption(d, "never defined matches no packet"));
  CHECK(fate(d, tcp("10.0.0.1", "10.0.1.1", 22), "lan1", "lan2") == Action::Permit);
  const auto clean = device("ip filter 1 pass * *\nip lan1 secure filter in 1\n");
  CHECK(clean.object_issues.empty());
  CHECK_FALSE(has_assumption(clean, "never defined"));
}

TEST_CASE("binding warnings: filter sets and policy filters are uncertain denies") {
  const auto d = device("ip lan1 secure filter name guest\nip policy filter 1 pass lan1 lan2 *\n");
  CHECK(count_reason(d.coverage[0], "not modelled") == 2);
  const auto b = bounds(d, "lan1", "lan2");
  CHECK(b.may.contains(tcp("10.0.0.1", "10.0.1.1", 22)));
  CHECK_FALSE(b.must.contains(tcp("10.0.0.1", "10.0.1.1", 22)));
}

TEST_CASE("binding conversion: ipv6 lists bind IPv6 only") {
  const auto d = device("ipv6 filter 1 pass * * icmp6\nipv6 lan2 secure filter in 1\n");
  CHECK(fate(d, icmp("2001:db8::1", "2001:db8:1::1", 128), "lan2", "lan1") == Action::Permit);
  CHECK(fate(d, tcp("2001:db8::1", "2001:db8:1::1", 22), "lan2", "lan1") == Action::Deny);
  CHECK(fate(d, tcp("192.0.2.1", "10.0.0.1", 22), "lan2", "lan1") == Action::Permit);
}

}  // namespace
}  // namespace sanso::test::yamaha
