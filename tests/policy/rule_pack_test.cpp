// The rule pack: the bundled catalogue, the loader's validation (exact messages), merging an
// extra pack, and message rendering.
#include "policy/rule_pack.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

// Lets a failing comparison of error lists print both lists.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& lines) {
    std::string out = "[";
    for (const auto& l : lines) out += "\n  " + l;
    return (out + "]").c_str();
  }
};

namespace sp = sanso::policy;
namespace st = sanso::topology;

namespace {

const std::string kBundled = SANSO_SOURCE_DIR "/rules/three-tier.yaml";
const std::string kData = SANSO_SOURCE_DIR "/tests/data/rules/";

std::vector<std::string> rendered(const sp::RulePackLoad& load) {
  std::vector<std::string> out;
  for (const auto& e : load.errors) out.push_back(e.render());
  return out;
}

// A one-rule pack; `rule_tail` is appended to the rule's mapping (4-space indented lines).
std::string one_rule_pack(const std::string& rule_tail) {
  return "sanso_rules: 1\n"
         "name: test\n"
         "rules:\n"
         "  - id: R1\n"
         "    title: {en: \"Title\", ja: \"題名\"}\n"
         "    severity: high\n" +
         rule_tail;
}

sp::RulePack bundled() {
  auto load = sp::load_rule_pack(kBundled);
  REQUIRE(load.errors.empty());
  REQUIRE(load.pack);
  return *load.pack;
}

st::Zone zone(st::Tier tier, bool external, st::ZoneRole role = st::ZoneRole::None,
              bool dedicated = false) {
  st::Zone z;
  z.name = "z";
  z.tier = tier;
  z.external = external;
  z.role = role;
  z.dedicated_link = dedicated;
  return z;
}

}  // namespace

TEST_CASE("the bundled pack loads without errors and holds exactly the catalogue") {
  auto load = sp::load_rule_pack(kBundled);
  for (const auto& line : rendered(load)) MESSAGE(line);
  REQUIRE(load.errors.empty());
  REQUIRE(load.pack);
  const sp::RulePack& pack = *load.pack;
  CHECK(pack.name == "three-tier (MIC guideline R7.3 / 三層の対策)");

  // research/three-tier-model.md §8.1–8.5 (49 rules) plus ALLOW-UNUSED and MON-FRAG-EVASION.
  const std::set<std::string> expected = {
      // §8.1
      "ZONE-ASSIGN", "ZONE-NO-BRIDGE", "ZONE-DEFAULT-DENY",
      // §8.2
      "MN-ISOLATE", "MN-SPECIFIC-COMM", "MN-EXT-NO-INTERNET", "MN-NO-INTERNET-PATH",
      "MN-NATIONAL-VIA-LGWAN", "MN-JUKI", "MN-GOVCLOUD", "MN-SCREEN-XFER", "MN-WLAN", "MN-MFA",
      "MN-MEDIA-LOCK",
      // §8.3
      "LG-INET-SPLIT", "LG-IMPORT-SANITIZED", "SANITIZE-MAIL", "SANITIZE-SCREEN", "SANITIZE-FILE",
      "SANITIZE-NO-BYPASS", "LG-NO-INTERNET", "LG-ALPHA-PRIME", "LG-LGWAN-GW", "LG-CLOUD",
      "LG-WLAN",
      // §8.4
      "INET-SECCLOUD", "INET-MONITOR", "INET-NO-DIRECT-TERMINAL", "MODEL-PROFILE",
      "BETA-CONTROLS", "BETA-LG-ACCESS",
      // §8.5
      "NET-MIN-CONN-POINTS", "NET-NATIONAL-AGGREGATE", "NET-NO-DIRECT-EXT", "NET-BOUNDARY-FW",
      "NET-EXTERNAL-SYS-SEPARATE", "NET-UNUSED-PORTS", "NET-ROUTE-FILTER-CONSISTENCY",
      "NET-NO-UNAUTH-DEVICE", "NET-PUBLIC-WLAN", "NET-WLAN-CRYPTO", "NET-REMOTE-ACCESS",
      "LOG-COLLECT", "LOG-RETENTION", "TIME-SYNC", "MON-TLS-DECRYPT", "MAIL-NO-OPEN-RELAY",
      "MEDIA-CONTROL", "MGMT-PLANE-CROSSING",
      // sanso's own
      "ALLOW-UNUSED", "MON-FRAG-EVASION"};
  REQUIRE(expected.size() == 51);
  std::set<std::string> ids;
  for (const auto& r : pack.rules) ids.insert(r.id);
  CHECK(pack.rules.size() == 51);
  CHECK(ids == expected);

  for (const auto& r : pack.rules) {
    CAPTURE(r.id);
    CHECK_FALSE(r.title.en.empty());
    CHECK_FALSE(r.title.ja.empty());
    CHECK_FALSE(r.source.empty());
    CHECK(r.line > 0);
    CHECK(sp::rule_problems(r).empty());
  }
}

TEST_CASE("every implemented check kind is used by its catalogue rule") {
  const sp::RulePack pack = bundled();
  const std::vector<std::pair<std::string, std::string>> kind_of = {
      {"MN-ISOLATE", "mn-isolate"},
      {"MN-SPECIFIC-COMM", "mn-specific-comm"},
      {"MN-NO-INTERNET-PATH", "mn-no-internet-path"},
      {"MN-NATIONAL-VIA-LGWAN", "mn-national-via-lgwan"},
      {"LG-INET-SPLIT", "lg-inet-split"},
      {"LG-NO-INTERNET", "lg-no-internet"},
      {"LG-IMPORT-SANITIZED", "lg-import-sanitized"},
      {"SANITIZE-MAIL", "sanitize-method"},
      {"SANITIZE-SCREEN", "sanitize-method"},
      {"SANITIZE-FILE", "sanitize-method"},
      {"INET-SECCLOUD", "inet-seccloud"},
      {"ZONE-ASSIGN", "zone-assign"},
      {"ZONE-NO-BRIDGE", "zone-no-bridge"},
      {"ZONE-DEFAULT-DENY", "zone-default-deny"},
      {"MN-WLAN", "mn-wlan"},
      {"ALLOW-UNUSED", "allow-unused"},
      {"MN-EXT-NO-INTERNET", "mn-ext-no-internet"},
      {"NET-ROUTE-FILTER-CONSISTENCY", "filter-consistency"},
      {"LOG-COLLECT", "log-collect"},
      {"TIME-SYNC", "time-sync"}};
  std::set<std::string_view> used;
  for (const auto& [id, kind] : kind_of) {
    CAPTURE(id);
    const sp::RuleDef* r = pack.find(id);
    REQUIRE(r != nullptr);
    CHECK(r->check == kind);
    CHECK_FALSE(r->message.en.empty());
    CHECK_FALSE(r->message.ja.empty());
    used.insert(r->check);
  }
  CHECK(used.size() == sp::implemented_check_kinds().size());
  for (std::string_view k : sp::implemented_check_kinds()) CHECK(used.contains(k));

  CHECK(pack.find("SANITIZE-MAIL")->params.at("method") == std::vector<std::string>{"mail-text"});
  CHECK(pack.find("SANITIZE-SCREEN")->params.at("method") ==
        std::vector<std::string>{"screen-transfer"});
  CHECK(pack.find("SANITIZE-FILE")->params.at("method") ==
        std::vector<std::string>{"file-sanitize"});
}

TEST_CASE("bundled pack: checklist, not-implemented and severities") {
  const sp::RulePack pack = bundled();
  for (const char* id : {"MN-MFA", "MN-MEDIA-LOCK", "BETA-CONTROLS", "LOG-RETENTION",
                         "MEDIA-CONTROL"}) {
    CAPTURE(id);
    CHECK(pack.find(id)->check == "checklist");
  }
  int not_implemented = 0;
  for (const auto& r : pack.rules) {
    if (r.check != "not-implemented") continue;
    ++not_implemented;
    CAPTURE(r.id);
    CHECK_FALSE(r.why_not_evaluated.en.empty());
    CHECK_FALSE(r.why_not_evaluated.ja.empty());
  }
  CHECK(not_implemented == 26);  // 51 - 20 implemented - 5 checklist
  CHECK(pack.find("NET-NO-UNAUTH-DEVICE")->why_not_evaluated.en == "needs captures (sanso monitor)");
  CHECK(pack.find("MN-ISOLATE")->severity == sp::Severity::Critical);
  CHECK(pack.find("LG-INET-SPLIT")->severity == sp::Severity::High);
  CHECK(pack.find("ALLOW-UNUSED")->severity == sp::Severity::Info);
  CHECK(pack.find("MN-SPECIFIC-COMM")->params.at("max_ports_without_reason") ==
        std::vector<std::string>{"1"});
  CHECK(pack.find("NO-SUCH-RULE") == nullptr);
}

TEST_CASE("bundled pack: the intra-tier defaults of TOPOLOGY.md") {
  const sp::RulePack pack = bundled();
  REQUIRE(pack.intra_tier.size() == 5);
  CHECK(pack.intra_tier[1].tier == st::Tier::Internet);
  CHECK(pack.intra_tier[1].b == sp::ZoneClass::External);
  CHECK(pack.intra_tier[1].result == "INET-SECCLOUD");
  CHECK_FALSE(pack.intra_tier[4].tier.has_value());

  const st::Zone inet = zone(st::Tier::Internet, false);
  const st::Zone seccloud = zone(st::Tier::Internet, true, st::ZoneRole::Egress);
  const st::Zone world = zone(st::Tier::Internet, true);
  const st::Zone lg = zone(st::Tier::Lgwan, false);
  const st::Zone lgwan_net = zone(st::Tier::Lgwan, true);
  const st::Zone mn = zone(st::Tier::Mynumber, false);
  const st::Zone gcloud = zone(st::Tier::Mynumber, false, st::ZoneRole::None, true);
  CHECK(pack.intra_tier_result(inet, seccloud) == "allowed");
  CHECK(pack.intra_tier_result(seccloud, inet) == "allowed");  // symmetric
  CHECK(pack.intra_tier_result(inet, world) == "INET-SECCLOUD");
  CHECK(pack.intra_tier_result(world, inet) == "INET-SECCLOUD");
  CHECK(pack.intra_tier_result(lg, lgwan_net) == "allowed");
  CHECK(pack.intra_tier_result(mn, gcloud) == "allowed");
  CHECK_FALSE(pack.intra_tier_result(mn, lg).has_value());  // different tiers: allow entries decide
}

TEST_CASE("severity and zone-class vocabularies") {
  CHECK(sp::parse_severity("critical") == sp::Severity::Critical);
  CHECK(sp::parse_severity("info") == sp::Severity::Info);
  CHECK_FALSE(sp::parse_severity("Critical").has_value());
  CHECK_FALSE(sp::parse_severity("").has_value());
  CHECK(sp::to_string(sp::Severity::Medium) == "medium");
  CHECK(sp::severity_rank(sp::Severity::Critical) == 0);
  CHECK(sp::severity_rank(sp::Severity::High) == 1);
  CHECK(sp::severity_rank(sp::Severity::Info) == 4);
  CHECK(sp::parse_zone_class("public-body") == sp::ZoneClass::PublicBody);
  CHECK_FALSE(sp::parse_zone_class("publicbody").has_value());
}

TEST_CASE("load errors carry file:line:column and exact messages") {
  SUBCASE("unknown key") {
    auto load = sp::load_rule_pack_text(one_rule_pack("    check: checklist\n    severty: low\n"),
                                        "t.yaml");
    CHECK_FALSE(load.pack);
    CHECK(rendered(load) == std::vector<std::string>{"t.yaml:8:5: rule R1: unknown key 'severty'"});
  }
  SUBCASE("unknown top-level key") {
    auto load = sp::load_rule_pack_text(one_rule_pack("    check: checklist\n") + "rulez: []\n",
                                        "t.yaml");
    CHECK(rendered(load) == std::vector<std::string>{"t.yaml:8:1: unknown key 'rulez'"});
  }
  SUBCASE("bad severity") {
    std::string text = one_rule_pack("    check: checklist\n");
    text.replace(text.find("severity: high"), 14, "severity: urgent");
    auto load = sp::load_rule_pack_text(text, "t.yaml");
    CHECK(rendered(load) ==
          std::vector<std::string>{"t.yaml:6:15: rule R1: unknown severity 'urgent' (expected "
                                   "critical, high, medium, low or info)"});
  }
  SUBCASE("unknown check kind") {
    auto load = sp::load_rule_pack_text(one_rule_pack("    check: mn-magic\n"), "t.yaml");
    CHECK(rendered(load) ==
          std::vector<std::string>{
              "t.yaml:7:12: rule R1: unknown check kind 'mn-magic' (expected checklist, "
              "not-implemented or one of: mn-isolate, mn-specific-comm, mn-no-internet-path, "
              "mn-national-via-lgwan, lg-inet-split, lg-no-internet, lg-import-sanitized, "
              "sanitize-method, inet-seccloud, zone-assign, zone-no-bridge, zone-default-deny, "
              "mn-wlan, allow-unused, mn-ext-no-internet, filter-consistency, log-collect, "
              "time-sync)"});
  }
  SUBCASE("duplicate id") {
    std::string text = one_rule_pack("    check: checklist\n") +
                       "  - id: R1\n"
                       "    title: {en: \"Again\", ja: \"再び\"}\n"
                       "    severity: low\n"
                       "    check: checklist\n";
    auto load = sp::load_rule_pack_text(text, "t.yaml");
    CHECK(rendered(load) ==
          std::vector<std::string>{"t.yaml:8:5: duplicate rule id 'R1' (first defined at line 4)"});
  }
  SUBCASE("missing required keys by check kind") {
    auto implemented = sp::load_rule_pack_text(one_rule_pack("    check: mn-isolate\n"), "t.yaml");
    CHECK(rendered(implemented) ==
          std::vector<std::string>{"t.yaml:4:5: rule R1: missing required key 'message'"});
    auto later = sp::load_rule_pack_text(one_rule_pack("    check: not-implemented\n"), "t.yaml");
    CHECK(rendered(later) ==
          std::vector<std::string>{"t.yaml:4:5: rule R1: missing required key 'why_not_evaluated'"});
    auto no_check = sp::load_rule_pack_text(one_rule_pack(""), "t.yaml");
    CHECK(rendered(no_check) ==
          std::vector<std::string>{"t.yaml:4:5: rule R1: missing required key 'check'"});
    auto sanitize = sp::load_rule_pack_text(
        one_rule_pack("    check: sanitize-method\n    message: {en: \"m\", ja: \"m\"}\n"
                      "    params: {method: usb}\n"),
        "t.yaml");
    CHECK(rendered(sanitize) ==
          std::vector<std::string>{"t.yaml:4:5: rule R1: check sanitize-method needs "
                                   "params.method: mail-text, screen-transfer or file-sanitize"});
  }
  SUBCASE("broken YAML") {
    auto load = sp::load_rule_pack_text("sanso_rules: 1\nrules: [\n  - id: X\n", "t.yaml");
    CHECK_FALSE(load.pack);
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].file == "t.yaml");
    CHECK(load.errors[0].line == 3);
    CHECK(load.errors[0].render().rfind("t.yaml:3:", 0) == 0);
    CHECK(load.errors[0].message.rfind("invalid YAML: ", 0) == 0);
  }
  SUBCASE("not a mapping, wrong version, missing file") {
    CHECK(rendered(sp::load_rule_pack_text("- a\n", "t.yaml")) ==
          std::vector<std::string>{"t.yaml:1:1: a rule pack must be a mapping with keys "
                                   "sanso_rules, name, intra_tier and rules"});
    CHECK(rendered(sp::load_rule_pack_text("sanso_rules: 2\nname: x\nrules: []\n", "t.yaml")) ==
          std::vector<std::string>{
              "t.yaml:1:14: unsupported sanso_rules version '2' (this build reads 1)"});
    auto missing = sp::load_rule_pack(kData + "no-such-file.yaml");
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].message == "cannot read the rule pack file");
    CHECK(missing.errors[0].render() == kData + "no-such-file.yaml: cannot read the rule pack file");
  }
  SUBCASE("params must be scalars or lists of scalars") {
    auto load = sp::load_rule_pack_text(
        one_rule_pack("    check: checklist\n    params:\n      ok: [a, b]\n      bad: {x: 1}\n"),
        "t.yaml");
    CHECK(rendered(load) ==
          std::vector<std::string>{
              "t.yaml:10:12: rule R1: params.bad must be a scalar or a list of scalars"});
  }
}

TEST_CASE("malformed packs give errors, never a pack and never an exception") {
  const std::vector<std::string> inputs = {
      "",
      "~",
      "[]",
      "\t- broken",
      "a: *unknown_alias\n",
      "sanso_rules: 1\nname: x\nrules: {a: b}\n",
      "sanso_rules: [1]\nname: {a: 1}\nrules:\n  - 5\n  - {id: [x]}\n  - {id: \"\"}\n",
      "sanso_rules: 1\nname: x\nrules:\n  - {id: R, title: x, params: [1], check: [a], "
      "severity: {}, message: {en: [a], ja: b, fr: c}}\n",
      "sanso_rules: 1\nname: x\nrules:\n  - {id: R, title: {en: a, ja: b, en: c}}\n",
      "sanso_rules: 1\nname: x\nrules: []\nintra_tier: [{tier: [x], a: any, b: any, "
      "result: allowed}, 3, {tier: any}]\n",
      "sanso_rules: 1\nname: x\nrules: []\nintra_tier: {a: b}\nname: y\n",
  };
  for (const auto& text : inputs) {
    CAPTURE(text);
    sp::RulePackLoad load;
    CHECK_NOTHROW(load = sp::load_rule_pack_text(text, "m.yaml"));
    CHECK_FALSE(load.pack);
    CHECK_FALSE(load.errors.empty());
  }
  auto empty_id = sp::load_rule_pack_text("sanso_rules: 1\nname: x\nrules:\n  - {id: \"\"}\n",
                                          "m.yaml");
  CHECK(rendered(empty_id) == std::vector<std::string>{"m.yaml:4:10: rule id must not be empty"});
}

TEST_CASE("a pack with several mistakes reports all of them in one run") {
  auto load = sp::load_rule_pack(kData + "errors.yaml");
  CHECK_FALSE(load.pack);
  const std::string f = kData + "errors.yaml";
  CHECK(rendered(load) ==
        std::vector<std::string>{
            f + ":9:15: rule R-ONE: unknown severity 'urgent' (expected critical, high, medium, "
                "low or info)",
            f + ":12:12: rule R-TWO: title: missing required key 'ja'",
            f + ":11:5: rule R-TWO: missing required key 'message'",
            f + ":15:5: duplicate rule id 'R-ONE' (first defined at line 7)",
            f + ":4:35: intra_tier: unknown zone class 'outside' (expected internal, external, "
                "egress, public-body, dedicated or any)",
            f + ":5:53: intra_tier: result 'NO-SUCH-RULE' is neither 'allowed' nor a rule id of "
                "the pack"});
}

TEST_CASE("a municipality's extra pack overrides given fields and adds rules") {
  sp::RulePack base = bundled();
  const sp::RuleDef before = *base.find("MN-SPECIFIC-COMM");

  // Loaded alone, the overrides are incomplete rules and LG-LGWAN-GW is unknown.
  auto alone = sp::load_rule_pack(kData + "city-extra.yaml");
  CHECK_FALSE(alone.pack);
  REQUIRE(alone.errors.size() == 6);
  CHECK(alone.errors[0].render() == kData + "city-extra.yaml:8:5: rule MN-SPECIFIC-COMM: missing "
                                            "required key 'title'");
  CHECK(alone.errors[5].message ==
        "intra_tier: result 'LG-LGWAN-GW' is neither 'allowed' nor a rule id of the pack");

  auto extra = sp::load_rule_pack(kData + "city-extra.yaml", &base);
  for (const auto& line : rendered(extra)) MESSAGE(line);
  REQUIRE(extra.pack);
  CHECK(sp::merge_rule_pack(base, *extra.pack).empty());

  CHECK(base.rules.size() == 52);
  const sp::RuleDef* comm = base.find("MN-SPECIFIC-COMM");
  CHECK(comm->severity == sp::Severity::High);  // overridden
  CHECK(comm->params.at("max_ports_without_reason") == std::vector<std::string>{"2"});
  CHECK(comm->title.ja == before.title.ja);      // kept
  CHECK(comm->message.en == before.message.en);  // kept
  CHECK(comm->check == "mn-specific-comm");

  const sp::RuleDef* deny = base.find("ZONE-DEFAULT-DENY");
  CHECK(deny->message.en == "{device}: {service} crosses from {from_zone} to {to_zone} without a "
                            "declaration");
  CHECK(deny->severity == sp::Severity::Medium);  // not given: kept

  const sp::RuleDef* added = base.find("CITY-PRINT-AUDIT");
  REQUIRE(added != nullptr);
  CHECK(added->check == "checklist");
  CHECK(added->file == kData + "city-extra.yaml");

  REQUIRE(base.intra_tier.size() == 6);
  CHECK(base.intra_tier[0].result == "LG-LGWAN-GW");  // the extra pack's entries go first
  CHECK(base.intra_tier[1].result == "allowed");
  const st::Zone lg = zone(st::Tier::Lgwan, false);
  const st::Zone public_body = zone(st::Tier::Lgwan, true, st::ZoneRole::PublicBody);
  CHECK(base.intra_tier_result(public_body, lg) == "LG-LGWAN-GW");
}

TEST_CASE("merge reports an override that leaves a rule incomplete") {
  sp::RulePack base = bundled();
  auto extra = sp::load_rule_pack_text(
      "sanso_rules: 1\nname: x\nrules:\n  - id: MN-JUKI\n    check: mn-isolate\n", "x.yaml",
      &base);
  REQUIRE(extra.pack);
  auto errors = sp::merge_rule_pack(base, *extra.pack);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].render() == "x.yaml:4: rule MN-JUKI: missing required key 'message'");
  CHECK(base.find("MN-JUKI")->check == "mn-isolate");
}

TEST_CASE("render_message fills known placeholders and keeps the rest") {
  const std::map<std::string, std::string> values = {
      {"device", "fw1"}, {"from_zone", "mynumber"}, {"to_zone", "lgwan"}, {"service", "tcp/445"}};
  CHECK(sp::render_message("{device} permits {service} from {from_zone} to {to_zone}", values) ==
        "fw1 permits tcp/445 from mynumber to lgwan");
  CHECK(sp::render_message("{device} {witness}", values) == "fw1 {witness}");
  CHECK(sp::render_message("{{device}} {", values) == "{fw1} {");
  CHECK(sp::render_message("no placeholders", values) == "no placeholders");
  CHECK(sp::render_message("", values).empty());
  // Replacement text is not scanned again.
  CHECK(sp::render_message("{a}", {{"a", "{b}"}, {"b", "x"}}) == "{b}");

  const sp::RulePack pack = bundled();
  const std::map<std::string, std::string> full = {
      {"device", "gw-mn"}, {"service", "tcp/8080"}, {"from_zone", "mynumber"},
      {"to_zone", "lgwan"}, {"from_tier", "mynumber"}, {"to_tier", "lgwan"}};
  CHECK(sp::render_message(pack.find("MN-ISOLATE")->message.ja, full) ==
        "gw-mn が mynumber（mynumber）から lgwan（lgwan）への tcp/8080 を許可しています。"
        "マイナンバー利用事務系は他の領域と分離しなければなりません");
}

TEST_CASE("rule pack: monitor checks and alert texts") {
  auto load = sp::load_rule_pack(SANSO_SOURCE_DIR "/rules/three-tier.yaml");
  REQUIRE(load.pack);
  const auto& pack = *load.pack;
  CHECK(pack.find("TIME-SYNC")->monitor == "time-sync");
  CHECK(pack.find("NET-NO-UNAUTH-DEVICE")->monitor == "unauthorized-device");
  CHECK(pack.find("MON-FRAG-EVASION")->monitor == "fragment-evasion");
  CHECK(pack.find("MN-ISOLATE")->monitor.empty());
  // Every rule the monitor can raise has an alert text in both languages.
  for (const char* id : {"MN-ISOLATE", "MN-SPECIFIC-COMM", "MN-NO-INTERNET-PATH", "LG-INET-SPLIT",
                         "LG-IMPORT-SANITIZED", "INET-SECCLOUD", "ZONE-ASSIGN", "TIME-SYNC",
                         "NET-NO-UNAUTH-DEVICE", "MON-FRAG-EVASION"}) {
    CAPTURE(id);
    CHECK_FALSE(pack.find(id)->monitor_message.en.empty());
    CHECK_FALSE(pack.find(id)->monitor_message.ja.empty());
  }
}

TEST_CASE("rule pack: an unknown monitor check is an error with its line") {
  const std::string text =
      "sanso_rules: 1\nname: t\nrules:\n  - id: X\n    title: {en: a, ja: b}\n"
      "    source: s\n    severity: low\n    check: not-implemented\n"
      "    why_not_evaluated: {en: a, ja: b}\n    monitor: ntp-magic\n";
  const auto path = std::filesystem::temp_directory_path() / "sanso-monitor-kind.yaml";
  { std::ofstream(path) << text; }
  auto load = sp::load_rule_pack(path.string());
  REQUIRE_FALSE(load.errors.empty());
  CHECK(load.errors.front().line == 10);
  CHECK(load.errors.front().message.find("unknown monitor check 'ntp-magic'") != std::string::npos);
  std::filesystem::remove(path);
}
