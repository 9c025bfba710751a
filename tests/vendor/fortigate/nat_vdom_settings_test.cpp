// VIPs (destination NAT), match-vip, central SNAT, VDOM selection, and the settings the hygiene
// checks read (NTP, syslog, implicit-deny logging).
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::fortigate {
namespace {

const char* kVip =
    "config firewall vip\n"                                 // 1
    "    edit web-vip\n"                                    // 2
    "        set extip 203.0.113.10\n"                      // 3
    "        set mappedip \"10.2.0.10\"\n"                  // 4
    "        set extintf port4\n"                           // 5
    "        set portforward enable\n"                      // 6
    "        set extport 8443\n"                            // 7
    "        set mappedport 443\n"                          // 8
    "    next\n"                                            // 9
    "end\n"                                                 // 10
    "config firewall policy\n"                              // 11
    "    edit 1\n"                                          // 12
    "        set srcintf port4\n        set dstintf port2\n" // 13-14
    "        set srcaddr all\n        set dstaddr all\n"    // 15-16
    "        set service ALL\n        set action deny\n"    // 17-18
    "    next\n"                                            // 19
    "    edit 2\n"                                          // 20
    "        set srcintf port4\n        set dstintf port2\n" // 21-22
    "        set srcaddr all\n        set dstaddr web-vip\n" // 23-24
    "        set service HTTPS\n        set action accept\n" // 25-26
    "    next\n"                                            // 27
    "end\n";

TEST_CASE("fortigate nat conversion: a VIP with port forwarding is destination NAT") {
  const auto d = device(kVip);
  REQUIRE(d.destination_nat.size() == 1);
  const auto& n = d.destination_nat[0];
  CHECK(n.in->pattern == "port4");
  CHECK(n.to == model::parse_cidr("10.2.0.10/32"));
  CHECK(n.to_ports == std::make_pair(std::uint16_t{443}, std::uint16_t{443}));
  CHECK(n.match.contains(tcp("198.51.100.7", "203.0.113.10", 8443)));
  CHECK_FALSE(n.match.contains(tcp("198.51.100.7", "203.0.113.10", 443)));
  CHECK_FALSE(n.uncertain);
  CHECK(n.evidence.at(0).line == 2);
  // Through the device: the packet to the VIP becomes 10.2.0.10:443, which policy 2 accepts.
  // Policy 1 (deny, no match-vip) does not apply to VIP-translated packets: uncertain there.
  analysis::DeviceBehavior b("fgt", analysis::Knowledge::Modelled, &d);
  const auto in = model::PacketSet::of(tcp("198.51.100.7", "203.0.113.10", 8443));
  const auto t = b.translate(in, in, "port4");
  CHECK(t.rewritten);
  const auto& pp = b.between("port4", "port2");
  CHECK(pp.may.contains(tcp("198.51.100.7", "10.2.0.10", 443)));
  CHECK_FALSE(pp.may.contains(tcp("198.51.100.7", "10.2.0.11", 443)));  // still denied
  const auto& f = policies(d);
  REQUIRE(f.entries.size() == 4);  // policy 1 split in two, policy 2, implicit deny
  CHECK_FALSE(f.entries[0].uncertain);
  CHECK(f.entries[1].uncertain);
  CHECK(f.entries[1].uncertain_why == "a deny policy without match-vip does not apply to VIP-translated packets");
}

TEST_CASE("fortigate nat conversion: match-vip enable keeps the deny certain") {
  std::string text = kVip;
  text.insert(text.find("        set action deny\n") + 24, "        set match-vip enable\n");
  const auto d = device(text);
  REQUIRE(policies(d).entries.size() == 3);
  CHECK_FALSE(policies(d).entries[0].uncertain);
  CHECK_FALSE(fate(d, tcp("198.51.100.7", "10.2.0.10", 443), "port4", "port2").may);
}

TEST_CASE("fortigate nat warnings: a load-balancing VIP is not modelled and sends anywhere") {
  const auto d = device(
      "config firewall vip\n    edit lb\n        set type server-load-balance\n"
      "        set extip 203.0.113.20\n    next\nend\n");
  REQUIRE(d.destination_nat.size() == 1);
  CHECK(d.destination_nat[0].uncertain);
  CHECK(d.destination_nat[0].to == model::full_range(model::Family::V4));
  REQUIRE(unparsed_at(d, 2));
  CHECK(unparsed_at(d, 2)->reason == "VIP type server-load-balance is not modelled");
}

TEST_CASE("fortigate nat conversion: central SNAT map entries are source NAT on their dstintf") {
  const auto d = device(
      "config firewall central-snat-map\n    edit 1\n        set srcintf port1\n"
      "        set dstintf port4\n        set nat-ippool pool1\n    next\nend\n"
      "config firewall ippool\n    edit pool1\n        set startip 203.0.113.50\n"
      "        set endip 203.0.113.60\n    next\nend\n");
  REQUIRE(d.source_nat.size() == 1);
  CHECK(d.source_nat[0].out->pattern == "port4");
  CHECK(d.coverage.at(0).unparsed.empty());
}

const char* kVdoms =
    "#config-version=FG100F-7.2.5-FW-build1517-230606:opmode=0:vdom=1:user=admin\n"  // 1
    "config vdom\n"                                          // 2
    "edit root\n"                                            // 3
    "next\n"                                                 // 4
    "edit lg\n"                                              // 5
    "next\n"                                                 // 6
    "end\n"                                                  // 7
    "config global\n"                                        // 8
    "config system interface\n"                              // 9
    "    edit port1\n        set vdom root\n        set ip 10.1.0.1/24\n    next\n"  // 10-13
    "    edit port2\n        set vdom lg\n        set ip 10.2.0.1/24\n    next\n"    // 14-17
    "    edit port3\n        set vdom lg\n        set ip 10.3.0.1/24\n    next\n"    // 18-21
    "end\n"                                                  // 22
    "config system ntp\n        set type custom\n"           // 23-24
    "    config ntpserver\n        edit 1\n            set server 10.2.20.123\n        next\n    end\n"  // 25-29
    "end\n"                                                  // 30
    "end\n"                                                  // 31
    "config vdom\n"                                          // 32
    "edit root\n"                                            // 33
    "config firewall policy\n    edit 1\n        set srcintf port1\n        set dstintf port1\n"  // 34-37
    "        set srcaddr all\n        set dstaddr all\n        set service ALL\n"  // 38-40
    "        set action accept\n    next\nend\n"             // 41-43
    "next\n"                                                 // 44
    "edit lg\n"                                              // 45
    "config log syslogd setting\n        set status enable\n        set server 10.2.20.60\nend\n"  // 46-49
    "config log setting\n        set fwpolicy-implicit-log enable\nend\n"  // 50-52
    "config firewall policy\n    edit 7\n        set srcintf port2\n        set dstintf port3\n"  // 53-56
    "        set srcaddr all\n        set dstaddr all\n        set service HTTPS\n"  // 57-59
    "        set action accept\n    next\nend\n"             // 60-62
    "config firewall proxy-policy\n    edit 1\n        set proxy explicit-web\n    next\nend\n"  // 63-67
    "next\n"                                                 // 68
    "end\n";                                                 // 69

TEST_CASE("fortigate vdom conversion: each VDOM is a device named by context") {
  const auto lg = device(kVdoms, "lg");
  REQUIRE(lg.interfaces.size() == 2);
  CHECK(lg.interfaces[0].name == "port2");
  const auto& f = policies(lg);
  REQUIRE(f.entries.size() == 2);
  CHECK(line_of(f.entries[0]) == 54);
  CHECK(fate(lg, tcp("10.2.0.5", "10.3.0.5", 443), "port2", "port3").must);
  // Settings: NTP from global, syslog and implicit-deny logging from the VDOM.
  CHECK(lg.settings.ntp_servers == std::vector<std::string>{"10.2.20.123"});
  CHECK(lg.settings.syslog_servers == std::vector<std::string>{"10.2.20.60"});
  CHECK(lg.settings.logs_denied == true);
  CHECK(f.entries.back().logged);
  // The proxy policy of lg is listed line by line; root's policy lines are another device's.
  REQUIRE(unparsed_at(lg, 63));
  CHECK(unparsed_at(lg, 63)->reason.starts_with("explicit/transparent proxy policies"));
  CHECK(unparsed_at(lg, 65));
  CHECK_FALSE(unparsed_at(lg, 66));  // `next` is structure
  CHECK(lg.coverage.at(0).unparsed.size() == 3);
  CHECK(lg.coverage.at(0).lines == 69);

  const auto root = device(kVdoms, "root");
  REQUIRE(root.interfaces.size() == 1);
  REQUIRE(policies(root).entries.size() == 2);
  CHECK(line_of(policies(root).entries[0]) == 35);
  CHECK_FALSE(root.settings.syslog_servers);  // no log target in root or global
  CHECK(root.coverage.at(0).unparsed.empty());
}

TEST_CASE("fortigate vdom warnings: missing or wrong context is a clear error") {
  const auto none = load_text(kVdoms);
  REQUIRE(none.error);
  CHECK(none.error->message == "the configuration holds several VDOMs (root, lg): name one with 'context:' (sanso parse: --context)");
  const auto wrong = load_text(kVdoms, "dmz");
  REQUIRE(wrong.error);
  CHECK(wrong.error->message == "context 'dmz' is not a VDOM of this configuration (VDOMs: root, lg)");
  const auto single = load_text("config system zone\nend\n", "lg");
  REQUIRE(single.error);
  CHECK(single.error->file == "fgt.conf");
  CHECK(load_text("config system zone\nend\n", "root").device);
}

TEST_CASE("fortigate settings conversion: defaults and absence") {
  // No ntp/log sections: nothing known (the check reports "not evaluated").
  const auto bare = device("config system zone\nend\n");
  CHECK_FALSE(bare.settings.ntp_servers);
  CHECK_FALSE(bare.settings.syslog_servers);
  CHECK_FALSE(bare.settings.logs_denied);
  // Sections with defaults: NTP from FortiGuard; syslog status defaults to disable.
  const auto defaults = device("config system ntp\nend\nconfig log syslogd setting\n"
                               "    set server 10.9.9.9\nend\nconfig log setting\nend\n");
  CHECK(defaults.settings.ntp_servers == std::vector<std::string>{"fortiguard"});
  CHECK(defaults.settings.syslog_servers == std::vector<std::string>{});
  CHECK(defaults.settings.logs_denied == false);
  const auto off = device("config system ntp\n    set ntpsync disable\nend\n");
  CHECK(off.settings.ntp_servers == std::vector<std::string>{});
}

}  // namespace
}  // namespace sanso::test::fortigate
