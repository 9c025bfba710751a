#include "capture/classifier.h"

#include <doctest/doctest.h>

#include "example_city.h"

namespace sc = sanso::capture;
using sanso::model::parse_ip;

namespace {

sc::FlowFacts flow(const char* src, const char* dst, std::uint8_t proto, std::uint16_t dport,
                   std::uint16_t sport = 50000) {
  sc::FlowFacts f;
  f.src = *parse_ip(src);
  f.dst = *parse_ip(dst);
  f.proto = proto;
  f.has_ports = proto == 6 || proto == 17;
  f.sport = sport;
  f.dport = dport;
  return f;
}

std::string rule_of(const sc::Judgement& j) { return j.rule ? j.rule->id : "-"; }

}  // namespace

TEST_CASE("classifier: crossings get the audit's rules and precedence") {
  auto c = sanso::test_city::classifier("span-mn-core");
  // mn-pc-02 -> lg-file-01 smb: My Number zone to LGWAN, nothing declared.
  auto j = c->judge(flow("10.1.10.22", "10.2.20.30", 6, 445));
  CHECK(rule_of(j) == "MN-ISOLATE");
  CHECK(j.crossing);
  CHECK(j.src.host->name == "mn-pc-02");
  CHECK(j.src.zone->name == "mynumber");
  // A DNS query to the Internet: MN-NO-INTERNET-PATH first, MN-ISOLATE also broken.
  j = c->judge(flow("10.1.10.21", "8.8.8.8", 17, 53));
  CHECK(rule_of(j) == "MN-NO-INTERNET-PATH");
  REQUIRE_FALSE(j.also_breaks.empty());
  CHECK(j.also_breaks[0]->id == "MN-ISOLATE");
  // The declared specific communication is allowed; another port between the same hosts exceeds it.
  j = c->judge(flow("10.1.20.10", "10.2.20.35", 6, 9100));
  CHECK(rule_of(j) == "-");
  CHECK(j.entry == "juki-to-print");
  j = c->judge(flow("10.1.20.10", "10.2.20.35", 6, 515));
  CHECK(rule_of(j) == "MN-SPECIFIC-COMM");
  CHECK(j.entry == "juki-to-print");
  // The public-body entry, and its reverse under import-only.
  CHECK(rule_of(c->judge(flow("10.1.20.40", "10.201.3.4", 6, 443))) == "-");
  CHECK(rule_of(c->judge(flow("10.201.3.4", "10.1.20.40", 6, 443))) == "MN-NATIONAL-VIA-LGWAN");
}

TEST_CASE("classifier: LGWAN and Internet tiers") {
  auto c = sanso::test_city::classifier("span-lg-core");
  // Sanitized paths are allowed; an Internet host into LGWAN without a sanitizer is not.
  CHECK(rule_of(c->judge(flow("172.16.1.25", "10.2.20.25", 6, 25))) == "-");
  CHECK(rule_of(c->judge(flow("10.2.10.21", "172.16.1.50", 6, 3389))) == "-");
  CHECK(rule_of(c->judge(flow("172.16.1.80", "10.2.20.30", 6, 445))) == "LG-IMPORT-SANITIZED");
  // Screen transfer in the wrong direction for the α model.
  CHECK(rule_of(c->judge(flow("172.16.1.50", "10.2.10.22", 6, 3389))) == "LG-IMPORT-SANITIZED");
  // Around the mail sanitizer to the mail host: SANITIZE-MAIL names the entry it bypasses.
  auto j = c->judge(flow("172.16.1.80", "10.2.20.25", 6, 25));
  CHECK(rule_of(j) == "SANITIZE-MAIL");
  CHECK(j.entry == "mail-in");
  CHECK(rule_of(c->judge(flow("10.2.10.22", "172.16.1.80", 6, 8080))) == "LG-INET-SPLIT");
  // Within the Internet tier: only via the security cloud.
  CHECK(rule_of(c->judge(flow("172.16.10.21", "203.0.113.10", 6, 443))) == "INET-SECCLOUD");
  CHECK(rule_of(c->judge(flow("172.16.1.80", "198.51.100.2", 6, 8080))) == "-");
  // lgwan <-> LGWAN (external lgwan zone) is the default-allowed pair; same zone is no crossing.
  CHECK(rule_of(c->judge(flow("10.2.20.25", "10.200.16.25", 6, 25))) == "-");
  auto same = c->judge(flow("10.2.10.21", "10.2.20.30", 6, 445));
  CHECK(rule_of(same) == "-");
  CHECK_FALSE(same.crossing);
}

TEST_CASE("classifier: ZONE-ASSIGN and TIME-SYNC, and their absence") {
  auto c = sanso::test_city::classifier("span-lg-core");
  auto j = c->judge(flow("10.2.10.21", "192.168.5.10", 6, 443));
  CHECK(rule_of(j) == "ZONE-ASSIGN");
  CHECK(j.address == "192.168.5.10");
  CHECK(rule_of(c->judge(flow("10.2.10.21", "10.2.20.53", 17, 123))) == "TIME-SYNC");
  CHECK(rule_of(c->judge(flow("10.2.10.21", "10.2.20.123", 17, 123))) == "-");
  CHECK(rule_of(c->judge(flow("10.2.10.21", "10.2.20.53", 17, 53))) == "-");
  // Special-purpose addresses belong to the segment they are seen on: no verdict, no alert.
  CHECK(rule_of(c->judge(flow("10.2.10.21", "224.0.0.251", 17, 5353))) == "-");
}

TEST_CASE("classifier: MAC binding only where the capture point sees the source segment") {
  auto mn = sanso::test_city::classifier("span-mn-core");
  const auto print = flow("10.1.20.10", "10.2.20.35", 6, 9100);
  const std::uint64_t juki = *sanso::model::parse_mac("02:00:0a:01:14:0a");
  const std::uint64_t other = *sanso::model::parse_mac("02:00:0a:01:0a:16");
  CHECK_FALSE(mn->mac_mismatch(print, juki, 120));
  CHECK(mn->mac_mismatch(print, other, 120) == std::optional<std::string>("juki-to-print"));
  CHECK_FALSE(mn->mac_mismatch(print, other, 220));  // a copy on another VLAN: router's MAC
  CHECK_FALSE(mn->mac_mismatch(flow("10.1.20.10", "10.2.20.35", 6, 80), other, 120));
  CHECK(mn->arp_mismatch(*parse_ip("10.1.20.10"), other, 120));
  CHECK_FALSE(mn->arp_mismatch(*parse_ip("10.1.20.10"), juki, 120));
  auto lg = sanso::test_city::classifier("span-lg-core");
  CHECK_FALSE(lg->mac_mismatch(print, other, 120));  // span-lg-core does not see mn-servers
}

TEST_CASE("classifier: unregistered devices only on complete inventories") {
  auto mn = sanso::test_city::classifier("span-mn-core");
  const std::uint64_t unknown = *sanso::model::parse_mac("02:00:de:ad:be:ef");
  const std::uint64_t pc = *sanso::model::parse_mac("02:00:0a:01:0a:15");
  CHECK(mn->unauthorized(*parse_ip("10.1.10.99"), unknown, 110) != nullptr);
  CHECK(mn->unauthorized(*parse_ip("10.1.10.21"), unknown, 110) != nullptr);  // known IP, new MAC
  CHECK(mn->unauthorized(*parse_ip("10.1.10.99"), pc, 110) != nullptr);       // known MAC, new IP
  CHECK(mn->unauthorized(*parse_ip("10.1.10.21"), pc, 110) == nullptr);
  CHECK(mn->unauthorized(*parse_ip("10.1.10.99"), unknown, 220) == nullptr);  // routed copy
  CHECK(mn->unauthorized(*parse_ip("10.1.30.99"), unknown, 130) == nullptr);  // not complete
  std::string error;
  auto t = std::make_unique<sanso::topology::Topology>();
  CHECK_FALSE(sc::Classifier::build(std::move(t), {}, "nowhere", error));
  CHECK(error.find("capture point 'nowhere'") != std::string::npos);
}
