// Files that are not ASA configurations, or stop in the middle of one: a FormatError naming file
// and line, never a crash.
#include <doctest/doctest.h>

#include "helpers.h"
#include "vendor/vendor.h"

namespace sanso::test::asa {
namespace {

TEST_CASE("asa format warnings: binary garbage") {
  const std::string binary("ASA Version 9.8\n\x7f" "ELF\x02\x01\x01\0\0\0\n", 24);
  const auto r = load_text(binary);
  CHECK_FALSE(r.device);
  REQUIRE(r.error);
  CHECK(r.error->file == "asa.cfg");
  CHECK(r.error->line == 2);
  CHECK(r.error->message == "not a Cisco ASA configuration: binary content (control byte 2)");
}

TEST_CASE("asa format warnings: a truncated running-config") {
  const auto r = load_text(": Saved\n:\nASA Version 9.8\ninterface G0/0\n nameif outside\naccess-list A ext");
  REQUIRE(r.error);
  CHECK(r.error->line == 6);
  CHECK(r.error->message ==
        "the configuration opens with ': Saved' but has no final ': end': the file is truncated");
  CHECK(load_text(": Saved\nASA Version 9.8\n: end\n").device);
}

TEST_CASE("asa format warnings: another vendor's file") {
  const auto fgt = load_text("config system interface\n    edit \"port1\"\n        set ip 10.0.0.1 255.0.0.0\n    next\nend\n");
  REQUIRE(fgt.error);
  CHECK(fgt.error->line == 1);
  CHECK(fgt.error->message == "not a Cisco ASA configuration: no 'ASA Version', nameif, access-list or object line");
  const auto ipt = load_text("*filter\n:FORWARD DROP [0:0]\nCOMMIT\n");
  REQUIRE(ipt.error);
  const auto ios = load_text("version 15.2\nhostname r1\naccess-list 101 permit tcp any any eq 80\n");
  REQUIRE(ios.error);
  CHECK(ios.error->line == 1);
  const auto empty = load_text("");
  REQUIRE(empty.error);
  CHECK(empty.error->line == 0);
  const auto system = load_text("ASA Version 9.8 <system>\nadmin-context admin\ncontext admin\n config-url disk0:/admin.cfg\n");
  REQUIRE(system.error);
  CHECK(system.error->line == 2);
}

TEST_CASE("asa format conversion: the vendor table dispatches to the ASA loader") {
  vendor::DeviceInput in;
  in.device_name = "fw";
  in.configs.push_back({"fw.cfg", "ASA Version 9.8\n"});
  const auto r = vendor::load_device("asa", in);
  REQUIRE(r.device);
  CHECK(r.device->vendor == "asa");
  CHECK(vendor::is_supported_vendor("asa"));
  // No version line: read as 9.x, and said so.
  const auto nov = load_text("interface G0/0\n nameif outside\n");
  REQUIRE(nov.device);
  CHECK(relies(*nov.device, "asa: the configuration has no 'ASA Version' line"));
  CHECK_FALSE(relies(*r.device, "asa: the configuration has no 'ASA Version' line"));
  // ASA 8.4: `any` is IPv4 only.
  const auto old = load_text(std::string("ASA Version 8.4(2)\n") +
                             "interface G0/0\n nameif outside\n security-level 0\n"
                             "interface G0/1\n nameif inside\n security-level 100\n"
                             "access-list O extended permit tcp any any eq 80\naccess-group O in interface outside\n");
  REQUIRE(old.device);
  CHECK(fate(*old.device, tcp("198.51.100.7", "10.1.0.5", 80), "outside", "inside").must);
  CHECK_FALSE(fate(*old.device, tcp("2001:db8::7", "2001:db8:1::5", 80), "outside", "inside").may);
  CHECK(relies(*old.device, "asa: before 9.0"));
}

TEST_CASE("asa format warnings: prefixes of a tricky config load or error, never crash") {
  const std::string text =
      "ASA Version 9.9(2)\nname 10.0.0.9 srv\ninterface G0/0\n nameif out\n security-level 200\n"
      " ip address 1.2.3.4 255.0.255.0\n ipv6 address 2001:db8::1/64\n"
      "interface G0/1\n nameif in\n ip address dhcp setroute\n"
      "object network o1\n range 9.9.9.9 1.1.1.1\n fqdn x\n nat (in,out) static interface service tcp 80 8080\n"
      "object-group network g\n group-object g\n network-object object o1\n network-object 1.2.3.0 255.0.0.255\n"
      "object-group service s tcp\n port-object range 5 1\n port-object eq zz\n"
      "object-group service u\n service-object tcp source gt 65535\n service-object icmp echo 300\n"
      "access-list a extended permit object-group s object-group g object-group s interface in object-group s log\n"
      "access-list a extended deny icmp any any object-group g\n"
      "access-list a line 3 extended permit tcp any4 any6 lt 0\n"
      "access-list a extended permit object-group u host srv any time-range t inactive\n"
      "access-group a in interface out\naccess-group a global\naccess-group b out interface nowhere\n"
      "nat (in,out) after-auto source dynamic any interface destination static o1 o1 service x y\n"
      "same-security-traffic permit inter-interface\n";
  // Every line end and every fifth character between (all prefixes take seconds under ASan).
  for (std::size_t n = 0; n <= text.size(); ++n) {
    if (n % 5 != 0 && (n == 0 || text[n - 1] != '\n') && n + 1 != text.size()) continue;
    const auto r = load_text(text.substr(0, n));
    CHECK((r.device.has_value() != r.error.has_value()));
  }
  const auto whole = load_text(text);
  REQUIRE(whole.device);
  CHECK_FALSE(whole.device->coverage.at(0).unparsed.empty());
}

}  // namespace
}  // namespace sanso::test::asa
