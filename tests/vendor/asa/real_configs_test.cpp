// The real ASA configs of ../shared/configs/real/cisco-asa (read at test time from the shared
// folder: ciscoconfparse_sample_01.asa is GPL-3.0 and may not be copied; the batfish file is
// Apache-2.0 but is read the same way): each file's understood/total lines is asserted, so a
// coverage regression fails, and facts checked by hand against the file.
#include <doctest/doctest.h>

#include <filesystem>

#include "helpers.h"

namespace sanso::test::asa {
namespace {

std::string real_dir() { return std::string(SANSO_SHARED_DIR) + "/configs/real/cisco-asa/"; }

std::optional<model::Device> load_real(const std::string& name) {
  if (!std::filesystem::exists(real_dir() + name)) return std::nullopt;
  auto r = load_text(read_text(real_dir() + name), name);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  return r.device;
}

#define SKIP_IF_ABSENT(dev)                               \
  if (!(dev)) {                                           \
    MESSAGE("skipped: " << real_dir() << " not present"); \
    return;                                               \
  }

TEST_CASE("asa real configs: batfish_asa_security_level_permit_tracing") {
  const auto d = load_real("batfish_asa_security_level_permit_tracing.cfg");
  SKIP_IF_ABSENT(d);
  CHECK(d->coverage.at(0).lines == 34);
  CHECK(d->coverage.at(0).understood() == 34);
  // batfish's own expectations (CiscoAsaGrammarTest.testAsaSecurityLevelPermitTracing): towards
  // `out` (level 50, out ACL FILTER_OUT) tcp/123 passes, tcp/22 is denied by the ACL (line 33),
  // tcp/80 by its implicit deny; from inHigh (100, no ACL), from inSameLevel (50, inter-interface
  // permitted) and from inLowFiltered (10, in ACL permit ip any any).
  for (const char* from : {"inHigh", "inSameLevel", "inLowFiltered"}) {
    CAPTURE(from);
    CHECK(fate(*d, tcp("3.0.1.9", "3.0.0.9", 123), from, "out").must);
    CHECK_FALSE(fate(*d, tcp("3.0.1.9", "3.0.0.9", 22), from, "out").may);
    CHECK(deciding_line(*d, tcp("3.0.1.9", "3.0.0.9", 22), from, "out", "access-group out") == 33);
    CHECK_FALSE(fate(*d, tcp("3.0.1.9", "3.0.0.9", 80), from, "out").may);
  }
  // Lower to higher without an ACL: out (50) -> inHigh (100) is denied; hairpin is permitted.
  CHECK_FALSE(fate(*d, tcp("3.0.0.9", "3.0.1.9", 123), "out", "inHigh").may);
  CHECK(fate(*d, tcp("3.0.1.9", "3.0.1.10", 80), "inHigh", "inHigh").must);
  CHECK(d->interfaces.size() == 4);
}

TEST_CASE("asa real configs: ciscoconfparse_sample_01 (ASA 9.0 home office)") {
  const auto d = load_real("ciscoconfparse_sample_01.asa");
  SKIP_IF_ABSENT(d);
  const auto& c = d->coverage.at(0);
  CHECK(c.lines == 423);
  CHECK(c.understood() == 422);
  // The one line: an ACE naming object-group TSUNAMI_addrs, which the file never defines.
  REQUIRE(unparsed_at(*d, 271));
  CHECK(unparsed_at(*d, 271)->reason == "object-group TSUNAMI_addrs is not defined");
  // INSIDE_in (bound in on INSIDE): DNS to anything, web, but the deny of SKYPE_svc (udp/5555)
  // comes first; `deny ip any4 any4 log` ends it.
  CHECK(fate(*d, udp("192.0.2.10", "8.8.8.8", 53), "INSIDE", "OUTSIDE").must);
  CHECK(fate(*d, tcp("192.0.2.10", "93.184.216.34", 443), "INSIDE", "OUTSIDE").must);
  CHECK_FALSE(fate(*d, udp("192.0.2.10", "8.8.8.8", 5555), "INSIDE", "OUTSIDE").may);
  CHECK(deciding_line(*d, udp("192.0.2.10", "8.8.8.8", 5555), "INSIDE", "OUTSIDE", "access-group in") == 261);
  CHECK_FALSE(fate(*d, tcp("192.0.2.10", "93.184.216.34", 3389), "INSIDE", "OUTSIDE").may);
  // The undefined group's ACE (tcp/2525) may permit: unproven, not silently dropped.
  const auto smtp = fate(*d, tcp("192.0.2.10", "173.194.64.109", 2525), "INSIDE", "OUTSIDE");
  CHECK(smtp.may);
  CHECK_FALSE(smtp.must);
  // OUTSIDE_in: ICMP unreachable and time-exceeded in, nothing else.
  CHECK(fate(*d, icmp("198.51.100.1", "192.0.2.10", 3, 1), "OUTSIDE", "INSIDE").must);
  CHECK_FALSE(fate(*d, icmp("198.51.100.1", "192.0.2.10", 8), "OUTSIDE", "INSIDE").may);
  // Settings: four NTP servers, logging host Machine01 (object name; `name` alias 192.0.2.13).
  REQUIRE(d->settings.ntp_servers);
  CHECK(d->settings.ntp_servers->size() == 4);
  REQUIRE(d->settings.syslog_servers);
  CHECK(*d->settings.syslog_servers == std::vector<std::string>{"192.0.2.13"});
  // Object NAT `nat (INSIDE,OUTSIDE) dynamic interface` on obj_any: a source NAT, no DNAT.
  CHECK(d->destination_nat.empty());
  REQUIRE(d->source_nat.size() == 1);
  CHECK(d->source_nat[0].out->pattern == "OUTSIDE");
  // Undefined and unused objects (NET-ROUTE-FILTER-CONSISTENCY).
  int undefined = 0, unused = 0;
  for (const auto& o : d->object_issues) {
    undefined += o.kind == model::ObjectIssue::Kind::Undefined ? 1 : 0;
    unused += o.kind == model::ObjectIssue::Kind::Unused ? 1 : 0;
  }
  CHECK(undefined == 1);
  CHECK(unused == 11);
}

}  // namespace
}  // namespace sanso::test::asa
