// Files that are not iptables-save dumps at all: a FormatError naming file and line, no device.
#include <doctest/doctest.h>

#include "helpers.h"

namespace sanso::test::iptables {
namespace {

vendor::LoadResult load_text(const std::string& text) {
  vendor::DeviceInput in;
  in.device_name = "fw";
  in.configs.push_back({"cfg.v4", text});
  return vendor::iptables::load(in);
}

TEST_CASE("format warnings: binary content is not a dump") {
  const std::string binary("*filter\n\x7f" "ELF\x02\x01\x01\0\0\0-A x\n", 23);
  const auto r = load_text(binary);
  CHECK_FALSE(r.device);
  REQUIRE(r.error);
  CHECK(r.error->file == "cfg.v4");
  CHECK(r.error->line == 2);
  CHECK(r.error->message == "not an iptables-save dump: binary content (control byte 2)");
}

TEST_CASE("format warnings: empty file and text without tables or rules") {
  const auto empty = load_text("");
  REQUIRE(empty.error);
  CHECK(empty.error->line == 0);
  CHECK(empty.error->message == "not an iptables-save dump: no *table line and no -A line");
  const auto yaml = load_text("# a comment\nhostname: fw1\ninterfaces: []\n");
  REQUIRE(yaml.error);
  CHECK(yaml.error->line == 2);
  CHECK_FALSE(yaml.device);
  vendor::DeviceInput none;
  none.device_name = "fw";
  const auto r = vendor::iptables::load(none);
  REQUIRE(r.error);
  CHECK(r.error->message == "iptables device 'fw' has no iptables-save dump");
}

TEST_CASE("format conversion: a table with nothing in it is still a dump") {
  const auto r = load_text("*filter\nCOMMIT\n");
  REQUIRE(r.device);
  CHECK_FALSE(r.error);
  CHECK(r.device->transit.empty());
  CHECK(r.device->coverage.at(0).lines == 2);
  CHECK(r.device->coverage.at(0).unparsed.empty());
}

TEST_CASE("format warnings: arbitrary garbage never crashes") {
  // Every prefix of a tricky dump, and a few hostile lines.
  const std::string dump =
      "*filter\n:FORWARD DROP\n:u -\n-A FORWARD ! ! -s -j\n-A FORWARD -m\n-A FORWARD -j u\n"
      "-A u -g u\n-A u -p tcp --dport 99999 -j ACCEPT\n-A u -m multiport --dports a,b -j DROP\n"
      "-A u -s 300.1.1.1 -d ::1 -j RETURN\n-A u -m set --match-set -j\n[1:2\nCOMMIT\n";
  for (std::size_t n = 0; n <= dump.size(); ++n) {
    const auto r = load_text(dump.substr(0, n));
    CHECK((r.device.has_value() != r.error.has_value()));
  }
}

}  // namespace
}  // namespace sanso::test::iptables
