// The CLI tree: blocks, entries, commands, quoting, line numbers, stray structure lines.
#include <doctest/doctest.h>

#include "vendor/fortigate/cli_tree.h"

namespace sanso::test::fortigate {
namespace {

using vendor::fortigate::build_tree;

TEST_CASE("fortigate tree extraction: nested blocks, entries and commands keep their lines") {
  const std::string text =
      "#config-version=FGT60F-7.4.4-FW-build2662-240514:opmode=0:vdom=0:user=admin\n"
      "config system interface\n"
      "    edit \"port1\"\n"
      "        set ip 10.0.1.1 255.255.255.0\n"
      "        config ipv6\n"
      "            set ip6-address 2001:db8::1/64\n"
      "        end\n"
      "    next\n"
      "end\n";
  const auto t = build_tree(text);
  REQUIRE_FALSE(t.error);
  CHECK(t.header.starts_with("#config-version=FGT60F-7.4.4"));
  REQUIRE(t.blocks.size() == 1);
  const auto& b = t.blocks[0];
  CHECK(b.path == "system interface");
  CHECK(b.line == 2);
  CHECK(b.end_line == 9);
  REQUIRE(b.entries.size() == 1);
  CHECK(b.entries[0].name == "port1");
  CHECK(b.entries[0].line == 3);
  CHECK(b.entries[0].end_line == 8);
  REQUIRE(b.entries[0].commands.size() == 1);
  CHECK(b.entries[0].commands[0].args == std::vector<std::string>{"ip", "10.0.1.1", "255.255.255.0"});
  REQUIRE(b.entries[0].blocks.size() == 1);
  CHECK(b.entries[0].blocks[0].path == "ipv6");
  CHECK(b.entries[0].blocks[0].commands[0].line == 6);
  CHECK(t.problems.empty());
}

TEST_CASE("fortigate tree extraction: quotes, escapes and multi-line values") {
  const std::string text =
      "config firewall address\n"
      "    edit \"a \\\"quoted\\\" name\"\n"
      "        set comment \"line one\n"
      "line two\"\n"
      "        set subnet 10.0.0.0/8\n"
      "    next\n"
      "end\n";
  const auto t = build_tree(text);
  REQUIRE_FALSE(t.error);
  const auto& e = t.blocks.at(0).entries.at(0);
  CHECK(e.name == "a \"quoted\" name");
  REQUIRE(e.commands.size() == 2);
  CHECK(e.commands[0].line == 3);
  CHECK(e.commands[0].end_line == 4);
  CHECK(e.commands[0].args[1] == "line one\nline two");
  CHECK(e.commands[1].line == 5);
}

TEST_CASE("fortigate tree warnings: stray next/end and text outside blocks are problems") {
  const auto t = build_tree("next\nconfig firewall policy\nend\nend\nset x y\n");
  REQUIRE_FALSE(t.error);
  REQUIRE(t.problems.size() == 3);
  CHECK(t.problems[0].line == 1);
  CHECK(t.problems[0].reason == "'next' outside an edit entry");
  CHECK(t.problems[1].line == 4);
  CHECK(t.problems[2].reason == "'set' outside any config block");
}

TEST_CASE("fortigate tree warnings: truncated files are errors naming the line") {
  const auto open = build_tree("config system zone\n    edit z\n        set interface port1\n");
  REQUIRE(open.error);
  CHECK(open.error->line == 1);
  CHECK(open.error->message ==
        "'config system zone' is never closed by 'end': the file is truncated");
  const auto quote = build_tree("config firewall address\n    edit \"abc\n");
  REQUIRE(quote.error);
  CHECK(quote.error->line == 2);
  const auto none = build_tree("# only a comment\n\nhostname fw1\n");
  REQUIRE(none.error);
  CHECK(none.error->line == 3);
  CHECK(none.error->message == "not a FortiOS configuration: no 'config ... end' block");
}

TEST_CASE("fortigate tree extraction: `end` closes an open edit too") {
  const auto t = build_tree("config system zone\n  edit z\n  set intrazone allow\nend\n");
  REQUIRE_FALSE(t.error);
  CHECK(t.blocks.at(0).entries.at(0).end_line == 4);
  CHECK(t.problems.empty());
}

}  // namespace
}  // namespace sanso::test::fortigate
