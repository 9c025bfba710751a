// `ethernet filter` with `ethernet lanN filter in|out`: the source MAC of received frames.
#include "helpers.h"

namespace sanso::test::yamaha {
namespace {

using model::Action;

model::Packet from_mac(const char* mac) {
  auto p = tcp("192.168.1.50", "8.8.8.8", 443);
  p.src_mac = *model::parse_mac(mac);
  return p;
}

TEST_CASE("ethernet conversion: exact and vendor-prefix source MACs on an in list") {
  const auto d = device("ethernet filter 1 reject 02:00:00:00:00:01 *:*:*:*:*:*\n"
                        "ethernet filter 2 pass 00:a0:de:*:*:* *\n"
                        "ethernet lan1 filter in 1 2\n");
  CHECK(fate(d, from_mac("02:00:00:00:00:01"), "lan1", "lan2") == Action::Deny);
  CHECK(fate(d, from_mac("00:a0:de:12:34:56"), "lan1", "lan2") == Action::Permit);
  // Neither: the list's discard (an assumption the device names).
  CHECK(fate(d, from_mac("02:00:00:00:00:02"), "lan1", "lan2") == Action::Deny);
  CHECK(has_assumption(d, "ethernet filter list is discarded"));
  CHECK(d.coverage[0].unparsed.empty());
  const auto none = device("ethernet filter 1 pass * *\n");
  CHECK_FALSE(has_assumption(none, "ethernet"));
}

TEST_CASE("ethernet warnings: conditions packets do not carry make the entry uncertain") {
  const auto d = device("ethernet filter 1 reject 02:00:00:00:00:01 *\n"
                        "ethernet filter 2 reject * 02:00:00:00:00:09\n"
                        "ethernet filter 3 reject dhcp-not-bind 1\n"
                        "ethernet filter 4 pass * *\n"
                        "ethernet lan1 filter out 1 2 3 4\n");
  const auto& out = stage(d, "ethernet filter out");
  REQUIRE(out.entries.size() == 5);
  CHECK(out.entries[0].uncertain_why ==
        "source MAC of frames sent out is the router's own for routed packets");
  CHECK(out.entries[1].uncertain_why == "destination MAC is not modelled");
  CHECK(out.entries[2].uncertain_why == "dhcp-not-bind depends on the DHCP server's bindings");
  CHECK_FALSE(out.entries[3].uncertain);
  // Uncertain rejects are not trusted to block.
  CHECK(fate(d, from_mac("02:00:00:00:00:01"), "lan2", "lan1") == Action::Permit);
  CHECK(count_reason(d.coverage[0], "not modelled") == 1);
}

}  // namespace
}  // namespace sanso::test::yamaha
