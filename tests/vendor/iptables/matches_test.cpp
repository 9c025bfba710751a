// Match conversion: each FORWARD rule of matches.rules checked with concrete packets.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

using model::Action;

// The line of the entry that decides `p`, or 0 when none (the policy has line 3).
int deciding_line(const model::Filter& f, const model::Packet& p, const std::string& in = "eth0",
                  const std::string& out = "eth1") {
  const auto* e = first_match(f, p, in, out);
  return e ? e->evidence.at(0).line.value_or(0) : 0;
}

TEST_CASE("matches conversion: conntrack, multiport, iprange") {
  const auto d = load_device({"matches.rules"});
  const auto& f = stage(d, "filter FORWARD");
  // ESTABLISHED,RELATED matches no connection-opening packet: empty, kept for provenance.
  CHECK(f.entries.at(0).evidence[0].line == 4);
  CHECK(f.entries.at(0).match.empty());
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.1", 80)) == 5);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.1", 81)) == 3);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.2", 22)) == 6);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.2", 8080)) == 6);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.2", 8081)) == 3);
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.2", 22)) == 3);
  CHECK(deciding_line(f, udp("10.2.0.10", "10.1.0.3", 1)) == 7);
  CHECK(deciding_line(f, udp("10.2.0.20", "10.1.0.3", 1)) == 7);
  CHECK(deciding_line(f, udp("10.2.0.21", "10.1.0.3", 1)) == 3);
}

TEST_CASE("matches conversion: mac source, valid and anonymised") {
  const auto d = load_device({"matches.rules"});
  const auto& f = stage(d, "filter FORWARD");
  auto p = udp("10.9.0.1", "10.1.0.4", 1);
  p.src_mac = 0x02000a010a15;
  CHECK(deciding_line(f, p) == 8);
  p.src_mac = 0x02000a010a16;
  CHECK(deciding_line(f, p) == 3);
  // XX:XX:... cannot be read: the rule may match any MAC, so it is an uncertain permit.
  const auto* e = first_match(f, udp("10.9.0.1", "10.1.0.5", 1));
  REQUIRE(e);
  CHECK(e->evidence[0].line == 9);
  CHECK(e->uncertain);
  CHECK(e->action == Action::Permit);
  CHECK(e->uncertain_why == "MAC address XX:XX:XX:XX:XX:XX is not one sanso can read (anonymised?)");
}

TEST_CASE("matches conversion: tcp flags, --syn and negations") {
  const auto d = load_device({"matches.rules"});
  const auto& f = stage(d, "filter FORWARD");
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.6", 1, model::kTcpSyn)) == 10);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.6", 1, model::kTcpSyn | model::kTcpAck)) == 3);
  // ! --syn DROP takes every tcp packet to .7 that is not a bare SYN; the SYN reaches the ACCEPT.
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.7", 1, model::kTcpAck)) == 11);
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.7", 1, model::kTcpSyn)) == 12);
  // ! -s and ! --dport.
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.8", 54)) == 13);
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.8", 53)) == 3);
  CHECK(deciding_line(f, udp("10.3.1.1", "10.1.0.8", 54)) == 3);
  // -i eth1 ! -o eth2+: interface conditions, not packet fields.
  const auto* e = first_match(f, udp("10.9.0.1", "10.1.0.9", 1), "eth1", "eth3");
  REQUIRE(e);
  CHECK(e->evidence[0].line == 14);
  REQUIRE(e->in);
  CHECK(e->in->pattern == "eth1");
  CHECK_FALSE(e->in->negated);
  REQUIRE(e->out);
  CHECK(e->out->pattern == "eth2+");
  CHECK(e->out->negated);
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.9", 1), "eth1", "eth2.10") == 3);
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.9", 1), "eth0", "eth3") == 3);
  // icmp type by name.
  CHECK(deciding_line(f, icmp("10.9.0.1", "10.1.0.10", 8)) == 15);
  CHECK(deciding_line(f, icmp("10.9.0.1", "10.1.0.10", 0)) == 3);
  // A comparison bit FIN requires FIN set; audited packets have it clear: nothing matches.
  CHECK(deciding_line(f, tcp("10.9.0.1", "10.1.0.11", 1)) == 3);
  // Comma lists, counters prefix, quoted comment.
  CHECK(deciding_line(f, udp("10.9.0.1", "10.1.0.13", 1)) == 17);
  const auto* listed = first_match(f, udp("10.9.0.1", "10.1.0.12", 1));
  REQUIRE(listed);
  CHECK(listed->normalized_text ==
        "filter FORWARD: -A FORWARD -d 10.1.0.12/32,10.1.0.13/32 -p udp -m comment --comment "
        "\"two hosts\" -j ACCEPT");
  CHECK(coverage_of(d, "matches.rules").unparsed.size() == 1);  // the XX MAC only
}

TEST_CASE("matches conversion: NOTRACK in raw makes state matches uncertain where it applies") {
  const auto d = load_device({"notrack.rules"});
  const auto& f = stage(d, "filter FORWARD");
  // UNTRACKED accept: only the NOTRACKed dns packets, and uncertain (order ignored).
  const auto* dns = first_match(f, udp("10.9.0.1", "10.5.0.53", 53));
  REQUIRE(dns);
  CHECK(dns->evidence[0].line == 10);
  CHECK(dns->uncertain);
  CHECK(dns->action == Action::Permit);
  // Other udp: the NEW drop is certain. The -i lo NOTRACK does not count for forwarding.
  const auto* other = first_match(f, udp("10.9.0.1", "10.5.0.54", 53));
  REQUIRE(other);
  CHECK(other->evidence[0].line == 11);
  CHECK_FALSE(other->uncertain);
  const auto* syn = first_match(f, tcp("10.9.0.1", "10.5.0.54", 80));
  REQUIRE(syn);
  CHECK(syn->evidence[0].line == 12);
  CHECK_FALSE(syn->uncertain);
  // The state lines are understood: the uncertainty comes from the raw table.
  CHECK(coverage_of(d, "notrack.rules").unparsed.empty());
}

}  // namespace
}  // namespace sanso::test::iptables
