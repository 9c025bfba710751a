// Extraction: what parse() records of a dump, as written.
#include <doctest/doctest.h>

#include "helpers.h"
#include "vendor/iptables/parse.h"

namespace sanso::test::iptables {
namespace {

using vendor::iptables::parse;

TEST_CASE("parse extraction: tables, chain declarations, rules with modules and target") {
  const auto cfg = parse("matches.rules", read_text(data_path("matches.rules")));
  CHECK(cfg.lines == 19);
  CHECK(cfg.declared_family == model::Family::V4);
  CHECK(cfg.address_family == model::Family::V4);
  REQUIRE(cfg.tables.size() == 1);
  const auto& t = cfg.tables[0];
  CHECK(t.name == "filter");
  CHECK(t.line == 2);
  CHECK(t.committed);
  REQUIRE(t.chains.size() == 1);
  CHECK(t.chains[0].name == "FORWARD");
  CHECK(t.chains[0].policy == "DROP");
  REQUIRE(t.rules.size() == 15);

  const auto& multiport = t.rules[2];
  CHECK(multiport.line == 6);
  CHECK(multiport.chain == "FORWARD");
  REQUIRE(multiport.modules.size() == 2);
  CHECK(multiport.modules[0].name.empty());
  REQUIRE(multiport.modules[0].options.size() == 2);
  CHECK(multiport.modules[0].options[0].name == "-d");
  CHECK(multiport.modules[0].options[0].args == std::vector<std::string>{"10.1.0.2/32"});
  CHECK(multiport.modules[1].name == "multiport");
  CHECK(multiport.modules[1].options[0].name == "--dports");
  CHECK(multiport.modules[1].options[0].args == std::vector<std::string>{"22,8000:8080"});
  REQUIRE(multiport.target);
  CHECK(multiport.target->name == "ACCEPT");
  CHECK(multiport.target->kind == vendor::iptables::TargetKind::Jump);

  // "! --syn": negation before the option; "! -s": on the base match.
  const auto& syn = t.rules[7];
  CHECK(syn.modules[1].options[0].name == "--syn");
  CHECK(syn.modules[1].options[0].negated);
  const auto& neg = t.rules[9];
  CHECK(neg.modules[0].options[0].name == "-s");
  CHECK(neg.modules[0].options[0].negated);

  // Counter prefix and a quoted comment with two spaces kept.
  const auto& counted = t.rules[13];
  CHECK(counted.line == 17);
  CHECK(counted.text.rfind("[5:300] -A FORWARD", 0) == 0);
  REQUIRE(counted.modules.size() == 2);
  CHECK(counted.modules[1].name == "comment");
  CHECK(counted.modules[1].options.at(0).args == std::vector<std::string>{"two  hosts"});
  CHECK(cfg.unparsed.empty());
}

TEST_CASE("parse extraction: goto, target arguments, legacy inner negation") {
  const auto cfg = parse("inline", "*filter\n:FORWARD ACCEPT [0:0]\n:x - [0:0]\n"
                                   "-A FORWARD -s ! 10.0.0.0/8 -g x\n"
                                   "-A x -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n");
  REQUIRE(cfg.tables.size() == 1);
  const auto& rules = cfg.tables[0].rules;
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].modules[0].options[0].negated);
  CHECK(rules[0].modules[0].options[0].args[0] == "10.0.0.0/8");
  CHECK(rules[0].target->kind == vendor::iptables::TargetKind::Goto);
  CHECK(rules[1].target->args == std::vector<std::string>{"--reject-with",
                                                          "icmp-port-unreachable"});
  CHECK(cfg.tables[0].chains[1].policy == std::nullopt);
  CHECK_FALSE(cfg.declared_family);
}

TEST_CASE("parse warnings: structure problems are listed, garbled rules kept") {
  const auto cfg = parse("inline", "-A FORWARD -j ACCEPT\n*filter\n-I FORWARD 1 -j DROP\n"
                                   "-A FORWARD -s\nCOMMIT\n*mangle\n");
  REQUIRE(cfg.unparsed.size() == 3);
  CHECK(cfg.unparsed[0].line == 1);
  CHECK(cfg.unparsed[0].reason == "rule outside a table (no *table line before it)");
  CHECK(cfg.unparsed[1].line == 3);
  CHECK(cfg.unparsed[1].reason == "unsupported command (only -A is read)");
  CHECK(cfg.unparsed[2].line == 6);
  CHECK(cfg.unparsed[2].reason ==
        "table not committed (no COMMIT line): iptables-restore would not load it");
  REQUIRE(cfg.tables[0].rules.size() == 1);
  CHECK(cfg.tables[0].rules[0].garbled == "-s without an argument");
}

}  // namespace
}  // namespace sanso::test::iptables
