// Base chains, policies, jump/goto/return, several base chains on one hook.
#include "helpers.h"

namespace sanso::test::nft {
namespace {

TEST_CASE("nft: forward chain policy and first match") {
  const auto d = device(R"(table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ip daddr 10.2.0.5 tcp dport 22 drop
		ip daddr 10.2.0.0/24 tcp dport 1-1024 accept
	}
})");
  REQUIRE(d.transit.size() == 1);
  CHECK(d.transit[0].name == "inet filter forward");
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 80)));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.5", 22)));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 8080)));
  CHECK(coverage(d).unparsed.empty());
  CHECK(coverage(d).lines == 7);
  // The policy entry cites the policy's line.
  CHECK(d.transit[0].entries.back().evidence.front().line == 3);
  CHECK(d.transit[0].entries.back().evidence.front().text == "policy drop");
}

TEST_CASE("nft: an accept ends one base chain only; a drop in any base chain is final") {
  const auto d = device(R"(table ip a {
	chain fwd { type filter hook forward priority 0; policy accept;
		tcp dport 22 accept
	}
}
table ip b {
	chain fwd { type filter hook forward priority 10; policy accept;
		tcp dport 22 drop
		tcp dport 80 drop
	}
}
table ip c {
	chain fwd { type filter hook forward priority -10; policy accept;
		tcp dport 80 accept
	}
})");
  REQUIRE(d.transit.size() == 3);
  CHECK(d.transit[0].name == "ip c fwd");  // priority order
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 22)));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 80)));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 443)));
  // An ip table does not see IPv6.
  CHECK(permits(d, tcp("2001:db8::1", "2001:db8::2", 22)));
}

TEST_CASE("nft: jump returns, goto does not, return ends a jumped-to chain") {
  const auto d = device(R"(table inet t {
	chain sub {
		tcp dport 22 return
		tcp dport 1-100 accept
	}
	chain gsub {
		tcp dport 443 accept
	}
	chain forward {
		type filter hook forward priority 0; policy drop;
		ip saddr 10.1.0.0/24 jump sub
		ip saddr 10.1.0.0/24 tcp dport 22 accept
		ip saddr 10.3.0.0/24 goto gsub
		ip saddr 10.3.0.0/24 accept
	}
})");
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 80)));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 22)));   // returned, then accepted
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 200)));
  CHECK(permits(d, tcp("10.3.0.1", "10.2.0.9", 443)));
  CHECK_FALSE(permits(d, tcp("10.3.0.1", "10.2.0.9", 80)));  // goto: back to the policy
  // Evidence of an entry reached through a jump adds the jump's line.
  bool found = false;
  for (const auto& e : d.transit[0].entries)
    if (e.evidence.size() == 2 && e.evidence[0].line == 4 && e.evidence[1].line == 11) found = true;
  CHECK(found);
}

TEST_CASE("nft: negated interface sets and vmaps on interfaces are exact") {
  const auto d = device(R"(table inet t {
	chain to_lan { tcp dport 80 accept }
	chain forward {
		type filter hook forward priority 0; policy drop;
		iifname != { "eth0", "eth2" } tcp dport 22 accept
		oifname vmap { "eth1" : jump to_lan, "eth3" : drop }
		iifname "eth*" tcp dport 25 accept
	}
})");
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 22), "eth0", "eth1"));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 22), "eth4", "eth1"));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 80), "eth0", "eth1"));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 80), "eth0", "eth5"));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 25), "eth0", "eth3"));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 25), "eth0", "eth5"));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 25), "ppp0", "eth5"));
}

TEST_CASE("nft: prerouting filter chains are stages too; nat chains give destination NAT") {
  const auto d = device(R"(table ip nat {
	chain prerouting { type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 8080 dnat to 10.2.0.7:80
	}
	chain postrouting { type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
table inet filter {
	chain forward { type filter hook forward priority 0; policy drop;
		ip daddr 10.2.0.7 tcp dport 80 accept
	}
})");
  REQUIRE(d.destination_nat.size() == 2);
  CHECK(d.destination_nat[0].to);
  CHECK(d.destination_nat[0].to_ports == std::make_pair(std::uint16_t{80}, std::uint16_t{80}));
  CHECK(d.source_nat.size() == 1);
  CHECK(permits(d, tcp("198.51.100.1", "192.0.2.1", 8080), "eth0", "eth1"));
  CHECK_FALSE(permits(d, tcp("198.51.100.1", "192.0.2.1", 80), "eth0", "eth1"));
  CHECK(d.unmodelled_nat.empty());
}

}  // namespace
}  // namespace sanso::test::nft
