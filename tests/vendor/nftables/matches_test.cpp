// Expressions: sets, maps, concatenations, ct state, th, ICMP, MAC; and what stays uncertain.
#include "helpers.h"

namespace sanso::test::nft {
namespace {

TEST_CASE("nft: named sets, concatenations, intervals and th ports") {
  const auto d = device(R"(table inet t {
	set ok { type inet_proto . inet_service; elements = { tcp . 53, udp . 53 } }
	set nets { type ipv4_addr; flags interval; elements = { 10.2.0.0/24, 10.3.0.1-10.3.0.9 } }
	chain forward { type filter hook forward priority 0; policy drop;
		ip daddr @nets meta l4proto . th dport @ok accept
	}
})");
  CHECK(permits(d, udp("10.1.0.1", "10.2.0.9", 53)));
  CHECK(permits(d, tcp("10.1.0.1", "10.3.0.5", 53)));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.3.0.10", 53)));
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 54)));
  CHECK(coverage(d).unparsed.empty());
}

TEST_CASE("nft: th dport alone is uncertain for protocols without ports") {
  const auto d = device(R"(table ip t {
	chain forward { type filter hook forward priority 0; policy drop;
		th dport 53 accept
	}
})");
  CHECK(permits(d, udp("10.1.0.1", "10.2.0.9", 53)));
  model::Packet gre = tcp("10.1.0.1", "10.2.0.9", 0);
  gre.proto = 47;
  gre.dport = 0;
  gre.sport = 0;
  gre.tcp_flags = 0;
  const auto v = forwards(d, gre);
  CHECK(v.may);
  CHECK_FALSE(v.must);
}

TEST_CASE("nft: ct state: audited packets are NEW") {
  const auto d = device(R"(table inet t {
	chain forward { type filter hook forward priority 0; policy drop;
		ct state vmap { established : accept, related : accept, invalid : drop }
		ct state established,related accept
		ip saddr 10.9.0.0/16 ct state new accept
		ip saddr 10.8.0.0/16 ct state != new accept
	}
})");
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 22)));
  CHECK(permits(d, tcp("10.9.0.1", "10.2.0.9", 22)));
  CHECK_FALSE(permits(d, tcp("10.8.0.1", "10.2.0.9", 22)));
  CHECK(coverage(d).unparsed.empty());
}

TEST_CASE("nft: ct status dnat holds for no packet of a ruleset without DNAT") {
  const auto d = device(R"(table inet t {
	chain forward { type filter hook forward priority 0; policy drop;
		ct status dnat accept
	}
})");
  CHECK_FALSE(permits(d, tcp("10.1.0.1", "10.2.0.9", 22)));
  CHECK(coverage(d).unparsed.empty());
}

TEST_CASE("nft: ICMP types, protocols, MAC and tcp flags") {
  const auto d = device(R"(table inet t {
	chain forward { type filter hook forward priority 0; policy drop;
		icmp type echo-request accept
		ether saddr 02:00:00:00:00:01 ip protocol udp accept
		tcp flags syn / syn,ack tcp dport 443 accept
	}
})");
  model::Packet ping = tcp("10.1.0.1", "10.2.0.9", 0);
  ping.proto = model::kProtoIcmp;
  ping.sport = ping.dport = 0;
  ping.tcp_flags = 0;
  ping.icmp_type = 8;
  CHECK(permits(d, ping));
  ping.icmp_type = 13;
  CHECK_FALSE(permits(d, ping));
  model::Packet u = udp("10.1.0.1", "10.2.0.9", 1000);
  CHECK_FALSE(permits(d, u));
  u.src_mac = 0x020000000001;
  CHECK(permits(d, u));
  CHECK(permits(d, tcp("10.1.0.1", "10.2.0.9", 443)));
}

TEST_CASE("nft: limit, xt and unknown matches make the rule uncertain and are listed") {
  const auto d = device(R"(table ip filter {
	chain FORWARD { type filter hook forward priority 0; policy drop;
		tcp dport 22 limit rate 10/second accept
		iifname "wlan0" xt match set counter packets 0 bytes 0 accept
		meta mark 0x1 drop
		tcp dport 80 accept
	}
})");
  const auto v = forwards(d, tcp("10.1.0.1", "10.2.0.9", 22));
  CHECK(v.may);
  CHECK_FALSE(v.must);
  const auto& c = coverage(d);
  REQUIRE(c.unparsed.size() == 3);
  CHECK(c.unparsed[0].line == 3);
  CHECK(c.unparsed[0].reason.find("limit") != std::string::npos);
  CHECK(c.unparsed[1].reason.find("xt set is opaque") != std::string::npos);
  CHECK(c.unparsed[2].reason.find("meta mark") != std::string::npos);
  // The uncertain mark drop is not trusted to block: port 80 may pass, not surely.
  const auto w = forwards(d, tcp("10.1.0.1", "10.2.0.9", 80));
  CHECK(w.may);
  CHECK_FALSE(w.must);
}

TEST_CASE("nft: a rule with a log statement is logged (LOG-COLLECT)") {
  const auto d = device(R"(table ip t {
	chain forward { type filter hook forward priority 0; policy drop;
		tcp dport 22 log prefix "ssh " accept
		tcp dport 80 accept
	}
})");
  const auto& e = d.transit[0].entries;
  REQUIRE(e.size() == 3);
  CHECK(e[0].logged);
  CHECK_FALSE(e[1].logged);
}

}  // namespace
}  // namespace sanso::test::nft
