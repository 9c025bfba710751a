// sanso impact on the example city: empty for no change, exact added/removed sets for one-line
// changes (by PacketSet equality), findings by identity, the example changes' exit status, and
// the incremental evaluation agreeing with two full snapshots.
#include "impact_fixture.h"

#include "model/address.h"

using namespace sanso::impact;
using namespace sanso::impact::testing;
using sanso::model::PacketSet;

namespace {

PacketSet cidr_src(const char* c) { return PacketSet::src(*sanso::model::parse_cidr(c)); }
PacketSet cidr_dst(const char* c) { return PacketSet::dst(*sanso::model::parse_cidr(c)); }

const std::string kNewLine =
    "-A FORWARD -s 10.2.10.21/32 -d 10.1.20.20/32 -i eth1 -o eth0 -p tcp -m tcp --dport 8443 -j ACCEPT";

// The findings diff holds added findings by value and unchanged ones by pointer.
const sanso::policy::Finding& finding_of(const sanso::policy::Finding& f) { return f; }
const sanso::policy::Finding& finding_of(const sanso::policy::Finding* f) { return *f; }

}  // namespace

TEST_CASE("impact of identical snapshots is empty and exits 0") {
  auto before = load_city();
  auto after = load_city();
  ImpactOptions options;
  options.by_segment = true;
  const auto r = impact_of_snapshots(*before, *after, options);
  CHECK(r.zones.empty());
  CHECK(r.segments.empty());
  CHECK(r.findings.added.empty());
  CHECK(r.findings.resolved.empty());
  CHECK(r.findings.unchanged.size() == before->audit.findings.size());
  CHECK(r.exit_code() == 0);

  // The same config given as a candidate: nothing changes either.
  const auto same = change_of("gw-mn", "configs/gw-mn.rules",
                              read_text(kCity + "/configs/gw-mn.rules"));
  const auto inc = impact_of_change(*before, {same}, options);
  CHECK(inc.zones.empty());
  CHECK(inc.segments.empty());
  CHECK(inc.findings.added.empty());
  CHECK(inc.findings.resolved.empty());
  CHECK(inc.exit_code() == 0);
}

TEST_CASE("a one-line permit adds exactly its packets to lgwan -> mynumber") {
  auto before = load_city();
  const std::string text =
      insert_before(read_text(kCity + "/configs/gw-mn.rules"), "-A FORWARD -j LOG", kNewLine);
  const auto change = change_of("gw-mn", "candidate/gw-mn.rules", text);
  const PacketSet expected = cidr_src("10.2.10.21/32") & cidr_dst("10.1.20.20/32") &
                             PacketSet::dport(6, 8443, 8443) & PacketSet::connection_opening();
  ImpactOptions options;
  options.by_segment = true;
  const auto after = city_with(*before, {change});
  for (const auto& r : {impact_of_change(*before, {change}, options),
                        impact_of_snapshots(*before, *after, options)}) {
    REQUIRE(r.zones.size() == 1);
    const auto& p = r.zones.front();
    CHECK(p.from == "lgwan");
    CHECK(p.to == "mynumber");
    CHECK(p.added.same_as(expected));
    CHECK(p.removed.empty());
    CHECK(p.uncovered.same_as(expected));
    const auto* seg = pair(r.segments, "lg-clients", "mn-servers");
    REQUIRE(seg != nullptr);
    CHECK(seg->added.same_as(expected));
    CHECK(r.segments.size() == 1);
    // The block cites the new line after the change and the chain policy before it.
    REQUIRE(p.added_blocks.size() == 1);
    const auto& b = p.added_blocks.front();
    CHECK(b.proven);
    CHECK(b.witness.dport == 8443);
    const int new_line = 18;  // inserted before the LOG line, which was line 18
    bool cites_new = false, cites_policy = false;
    for (const auto& d : b.after) cites_new = cites_new || (d.device == "gw-mn" && d.line == new_line && d.action == "permit");
    for (const auto& d : b.before) cites_policy = cites_policy || (d.device == "gw-mn" && d.line == 4 && d.action == "deny");
    CHECK(cites_new);
    CHECK(cites_policy);
    // The new crossing is a new finding (identity: the new rule's text), nothing is resolved.
    bool isolate = false;
    for (const auto& f : r.findings.added) {
      isolate = isolate || f.rule == "MN-ISOLATE";
      CHECK(f.device == "gw-mn");
    }
    CHECK(isolate);
    CHECK(r.findings.resolved.empty());
    CHECK(r.exit_code() == 1);
  }
}

TEST_CASE("the example's correct change removes the maintenance crossing and exits 0") {
  auto before = load_city();
  const auto change = change_of("gw-mn", "changes/gw-mn-remove-temp.rules",
                                read_text(kCity + "/changes/gw-mn-remove-temp.rules"));
  const auto r = impact_of_change(*before, {change}, {});
  REQUIRE(r.zones.size() == 1);
  const auto& p = r.zones.front();
  CHECK(p.from == "lgwan");
  CHECK(p.to == "mynumber");
  CHECK(p.added.empty());
  const PacketSet services =
      PacketSet::dport(6, 22, 22) | PacketSet::dport(6, 445, 445) | PacketSet::dport(6, 3389, 3389);
  CHECK(p.removed.same_as(cidr_src("10.2.10.0/24") & cidr_dst("10.1.20.0/24") & services &
                          PacketSet::connection_opening()));
  CHECK(r.findings.added.empty());
  bool isolate = false;
  for (const auto& f : r.findings.resolved) {
    isolate = isolate || f.rule == "MN-ISOLATE";
    CHECK(f.device == "gw-mn");  // only findings of the removed line's device go away
  }
  CHECK(isolate);
  // Pre-existing violations stay, listed as unchanged, and do not fail the change.
  CHECK(r.findings.unchanged.size() + r.findings.resolved.size() == before->audit.findings.size());
  CHECK_FALSE(r.findings.unchanged.empty());
  CHECK(r.exit_code() == 0);
}

TEST_CASE("the example's leaking change (a widened source) exits 1, and incremental = full") {
  auto before = load_city();
  const auto change = change_of("gw-lg", "changes/gw-lg-widen-mail.rules",
                                read_text(kCity + "/changes/gw-lg-widen-mail.rules"));
  ImpactOptions options;
  options.by_segment = true;
  const auto inc = impact_of_change(*before, {change}, options);
  const auto after = city_with(*before, {change});
  const auto full = impact_of_snapshots(*before, *after, options);
  CHECK(inc.exit_code() == 1);
  CHECK(full.exit_code() == 1);
  const auto* p = pair(inc.zones, "internet", "lgwan");
  REQUIRE(p != nullptr);
  // Every DMZ host but mail-relay (already allowed) may now send SMTP to lg-mail.
  const PacketSet smtp = cidr_dst("10.2.20.25/32") & PacketSet::dport(6, 25, 25) &
                         PacketSet::connection_opening();
  CHECK(p->added.same_as((cidr_src("172.16.1.0/24") - cidr_src("172.16.1.25/32")) & smtp));
  CHECK_FALSE(p->uncovered.empty());
  for (const auto* set : {&inc.zones, &inc.segments}) {
    const auto& other = set == &inc.zones ? full.zones : full.segments;
    REQUIRE(set->size() == other.size());
    for (std::size_t i = 0; i < set->size(); ++i) {
      CHECK((*set)[i].from == other[i].from);
      CHECK((*set)[i].to == other[i].to);
      CHECK((*set)[i].added.same_as(other[i].added));
      CHECK((*set)[i].removed.same_as(other[i].removed));
    }
  }
  auto ids = [](const auto& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(finding_of(f).id);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(ids(inc.findings.added) == ids(full.findings.added));
  CHECK(ids(inc.findings.resolved) == ids(full.findings.resolved));
  CHECK(ids(inc.findings.unchanged) == ids(full.findings.unchanged));
  CHECK_FALSE(inc.findings.added.empty());
  // Reused findings (memo, unchanged devices) read exactly as the full audit's.
  auto texts = [](const auto& fs) {
    std::vector<std::string> out;
    for (const auto& any : fs) {
      const auto& f = finding_of(any);
      std::string t = f.id + " " + f.message.en + " " + f.message.ja;
      for (const auto& e : f.evidence) t += " " + e.ref.file + ":" + std::to_string(e.ref.line.value_or(0));
      out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(texts(inc.findings.added) == texts(full.findings.added));
  CHECK(texts(inc.findings.unchanged) == texts(full.findings.unchanged));
}

TEST_CASE("intents: met, not met, and collateral beyond them") {
  auto before = load_city();
  auto intent = [&](const char* from, const char* to, const char* service, IntentAction action) {
    Intent i{from, to, service, action, 1};
    std::string error;
    auto packets = intent_packets(i, *before->network, error);
    REQUIRE_MESSAGE(packets, error);
    return ResolvedIntent{i, *packets};
  };
  const auto remove_temp = change_of("gw-mn", "changes/gw-mn-remove-temp.rules",
                                     read_text(kCity + "/changes/gw-mn-remove-temp.rules"));
  SUBCASE("the close intents of the correct change are met, with no collateral") {
    ImpactOptions o;
    for (const char* svc : {"tcp/22", "tcp/445", "rdp"}) {
      o.intents.push_back(intent("lg-clients", "mn-servers", svc, IntentAction::Close));
    }
    const auto r = impact_of_change(*before, {remove_temp}, o);
    REQUIRE(r.intents.size() == 3);
    for (const auto& i : r.intents) CHECK(i.met);
    REQUIRE(r.zones.size() == 1);
    CHECK(r.zones.front().collateral_removed.empty());
    CHECK(r.exit_code() == 0);
  }
  SUBCASE("an intent the change does not do is not met, with a counter-example") {
    ImpactOptions o;
    o.intents.push_back(intent("lg-pc-01", "juki-app", "tcp/22", IntentAction::Open));
    o.intents.push_back(intent("lg-clients", "zeimu-app", "tcp/22", IntentAction::Close));
    const auto r = impact_of_change(*before, {remove_temp}, o);
    REQUIRE(r.intents.size() == 2);
    CHECK_FALSE(r.intents[0].met);
    REQUIRE(r.intents[0].counter_example);
    CHECK(r.intents[0].counter_example->dport == 22);
    CHECK(r.intents[1].met);
    // Only part of the removal was intended: the rest (445, 3389 and other servers) is collateral.
    const auto& p = r.zones.front();
    CHECK_FALSE(p.collateral_removed.empty());
    CHECK_FALSE(p.collateral_removed.intersects(cidr_dst("10.1.20.20/32") & PacketSet::dport(6, 22, 22)));
  }
  SUBCASE("an open intent covers the added packets: only the rest is collateral and gates") {
    const auto widen = change_of("gw-lg", "changes/gw-lg-widen-mail.rules",
                                 read_text(kCity + "/changes/gw-lg-widen-mail.rules"));
    ImpactOptions o;
    o.intents.push_back(intent("inet-proxy", "lg-mail", "smtp", IntentAction::Open));
    const auto r = impact_of_change(*before, {widen}, o);
    REQUIRE(r.intents.size() == 1);
    CHECK(r.intents[0].met);
    const auto* p = pair(r.zones, "internet", "lgwan");
    REQUIRE(p != nullptr);
    CHECK_FALSE(p->collateral_added.intersects(cidr_src("172.16.1.80/32")));
    CHECK(p->collateral_added.intersects(cidr_src("172.16.1.70/32")));
    CHECK(p->uncovered.same_as(p->collateral_added));
    CHECK(r.exit_code() == 1);
  }
}

TEST_CASE("incremental_blocker names unknown devices and devices without a config") {
  auto before = load_city();
  auto c = change_of("gw-mn", "x.rules", read_text(kCity + "/configs/gw-mn.rules"));
  CHECK_FALSE(incremental_blocker(*before, {c}));
  c.device = "no-such-fw";
  CHECK(incremental_blocker(*before, {c}).value_or("").find("no-such-fw") != std::string::npos);
  c.device = "core-sw";
  CHECK(incremental_blocker(*before, {c}).value_or("").find("no parsed config") != std::string::npos);
}
