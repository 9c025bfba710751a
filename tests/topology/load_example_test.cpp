// The example of the contract (TOPOLOGY.md) loads, field by field.
#include <doctest/doctest.h>

#include "topology/address_plan.h"
#include "topology/entry_validity.h"
#include "topology/load.h"
#include "topology_test_support.h"

using namespace sanso;
using namespace sanso::topology;

namespace {

std::optional<Topology> load_example() {
  auto text = testing::contract_example();
  if (!text) return std::nullopt;
  auto r = load_topology_text(*text, "/city/network.yaml");
  for (const auto& e : r.errors) MESSAGE(e.render());
  REQUIRE(r.errors.empty());
  REQUIRE(r.topology);
  return r.topology;
}

}  // namespace

TEST_CASE("the contract example loads field by field") {
  auto t = load_example();
  if (!t) {
    MESSAGE("skipped: " SANSO_SHARED_DIR "/TOPOLOGY.md is absent");
    return;
  }
  CHECK(t->name == "Example City");
  CHECK(t->directory == "/city");
  CHECK(t->policy.model == Model::Alpha);
  REQUIRE(t->policy.ntp_sources.size() == 1);
  CHECK(model::format_ip(t->policy.ntp_sources[0]) == "10.2.20.123");

  REQUIRE(t->zones.size() == 8);  // three tiers + five declared
  CHECK(t->zones[0].name == "mynumber");
  CHECK(t->zones[0].is_tier);
  const Zone* pb = t->find_zone("public-body");
  REQUIRE(pb);
  CHECK(pb->tier == Tier::Lgwan);
  CHECK(pb->external);
  CHECK(pb->role == ZoneRole::PublicBody);
  CHECK(t->find_zone("gov-cloud")->dedicated_link);

  REQUIRE(t->segments.size() == 12);
  const Segment* mn = t->find_segment("mn-clients");
  REQUIRE(mn);
  REQUIRE(mn->cidrs.size() == 1);
  CHECK(model::format_range(mn->cidrs[0]) == "10.1.10.0/24");
  CHECK(mn->vlan == 110);
  CHECK(mn->inventory_complete);
  CHECK(t->find_segment("lg-wifi")->medium == Medium::Wireless);
  CHECK(t->find_segment("lgwan-wan")->reaches == std::vector<std::string>{"lgwan-net", "public-body"});
  const Segment* world = t->find_segment("world");
  CHECK(world->cidrs.size() == 2);
  CHECK(world->is_catch_all());
  CHECK_FALSE(mn->is_catch_all());

  REQUIRE(t->hosts.size() == 10);
  const Host* pc = t->find_host("mn-pc-01");
  REQUIRE(pc);
  REQUIRE(pc->interfaces.size() == 1);
  CHECK(pc->interfaces[0].mac == std::uint64_t{0x02000a010a15});
  CHECK(pc->interfaces[0].segment == "mn-clients");
  CHECK(pc->role == HostRole::Terminal);
  CHECK(t->find_host("vdi-gw")->method == SanitizeMethod::ScreenTransfer);
  CHECK_FALSE(t->find_host("lg-print")->interfaces[0].mac.has_value());

  const Device* gw = t->find_device("gw-mn");
  REQUIRE(gw);
  CHECK(gw->vendor == "iptables");
  CHECK(gw->configs == std::vector<std::string>{"configs/gw-mn.v4", "configs/gw-mn.v6"});
  CHECK(gw->ipsets == "configs/gw-mn.ipset");
  CHECK(gw->interfaces.size() == 3);
  CHECK(gw->interfaces.at("eth2+") == "mn-clients");
  REQUIRE(gw->settings_syslog);
  CHECK(*gw->settings_syslog == std::vector<std::string>{"10.2.20.60"});
  CHECK(t->find_device("fw-lg-inet")->context == "root");
  CHECK_FALSE(t->find_device("core-sw")->vendor.has_value());

  REQUIRE(t->allow.size() == 5);
  const AllowEntry* juki = t->find_allow("juki-to-print");
  REQUIRE(juki);
  CHECK(juki->from.kind == Endpoint::Kind::Host);
  REQUIRE(juki->services.size() == 1);
  CHECK(juki->services[0].port_count == 1);
  CHECK(juki->services[0].exact);
  CHECK(juki->services[0].packets.same_as(model::PacketSet::dport(model::kProtoTcp, 9100, 9100)));
  const AllowEntry* vdi = t->find_allow("vdi");
  CHECK(vdi->from.kind == Endpoint::Kind::Segment);
  CHECK(vdi->method == SanitizeMethod::ScreenTransfer);
  CHECK(vdi->services[0].port_count == 2);  // rdp: tcp/3389 + udp/3389

  REQUIRE(t->monitor.size() == 1);
  CHECK(t->monitor[0].sees == std::vector<std::string>{"mn-clients", "mn-servers", "lg-servers"});
  REQUIRE(t->waivers.size() == 1);
  CHECK(t->waivers[0].expires == "2027-03-31");
  CHECK(t->waivers[0].finding.rule == "LOG-COLLECT");
  CHECK(t->waivers[0].finding.device == "fw-lg-inet");
}

TEST_CASE("every allow entry of the contract example is valid for its kind") {
  auto t = load_example();
  if (!t) {
    MESSAGE("skipped: " SANSO_SHARED_DIR "/TOPOLOGY.md is absent");
    return;
  }
  for (const auto& e : t->allow) {
    auto problems = check_entry(*t, e);
    for (const auto& p : problems) MESSAGE(p.rule << ": " << p.message_en);
    CHECK(problems.empty());
  }
}

TEST_CASE("addresses of the contract example find their segments") {
  auto t = load_example();
  if (!t) {
    MESSAGE("skipped: " SANSO_SHARED_DIR "/TOPOLOGY.md is absent");
    return;
  }
  const AddressPlan plan(*t);
  auto seg = [&](const char* ip) {
    const Segment* s = plan.segment_of(*model::parse_ip(ip));
    return s ? s->name : std::string("-");
  };
  CHECK(seg("10.1.10.5") == "mn-clients");
  CHECK(seg("10.200.0.2") == "lgwan-wan");
  CHECK(seg("8.8.8.8") == "world");
  CHECK(seg("2001:db8::1") == "world");
  CHECK(seg("10.99.0.1") == "-");  // private, only the catch-all covers it
  CHECK(seg("127.0.0.1") == "-");
  CHECK(plan.is_undeclared_private(*model::parse_ip("10.99.0.1")));
  CHECK_FALSE(plan.is_undeclared_private(*model::parse_ip("10.1.10.5")));
}
