// Entry validity by kind: one passing and one failing case per kind (TOPOLOGY.md table).
#include <doctest/doctest.h>

#include "topology/entry_validity.h"
#include "topology/load.h"
#include "topology_test_support.h"

using namespace sanso::topology;
using Lines = std::vector<std::string>;

namespace {

const char* kNet = R"(sanso: 1
policy: {model: alpha, mn_screen_transfer: true}
zones:
  pb: {tier: lgwan, external: true, role: public-body}
segments:
  mn-s: {zone: mynumber, cidr: 10.1.0.0/24}
  lg-c: {zone: lgwan, cidr: 10.2.0.0/24}
  lg-s: {zone: lgwan, cidr: 10.2.1.0/24}
  in-c: {zone: internet, cidr: 172.16.0.0/24}
  in-d: {zone: internet, cidr: 172.16.1.0/24}
  pb-s: {zone: pb, cidr: 10.201.0.0/16}
hosts:
  juki: {segment: mn-s, ip: 10.1.0.10, role: server}
  mn-link: {segment: mn-s, ip: 10.1.0.40, role: mn-link-server}
  lg-pc: {segment: lg-c, ip: 10.2.0.21, role: terminal}
  lg-mail: {segment: lg-s, ip: 10.2.1.25, role: server}
  lg-print: {segment: lg-s, ip: 10.2.1.35, role: server}
  in-pc: {segment: in-c, ip: 172.16.0.21, role: terminal}
  relay: {segment: in-d, ip: 172.16.1.25, role: sanitizer, method: mail-text}
  vdi: {segment: in-d, ip: 172.16.1.50, role: sanitizer, method: screen-transfer}
  cdr: {segment: in-d, ip: 172.16.1.60, role: sanitizer, method: file-sanitize}
  chuukan: {segment: pb-s, ip: 10.201.3.4, role: server}
allow:
  - {id: spec-ok, kind: specific, from: juki, to: lg-print, service: tcp/9100}
  - {id: spec-reason, kind: specific, from: juki, to: lg-print, service: [tcp/9100, tcp/515], reason: 帳票印刷}
  - {id: spec-bad, kind: specific, from: mn-s, to: lg-print, service: [tcp/9100, tcp/515]}
  - {id: spec-range, kind: specific, from: juki, to: lg-print, service: tcp/9100-9200, reason: x}
  - {id: spec-lg-inet, kind: specific, from: lg-pc, to: lg-print, service: tcp/80}
  - {id: mail-ok, kind: sanitized, method: mail-text, from: relay, to: lg-mail, service: smtp}
  - {id: mail-bad, kind: sanitized, method: mail-text, from: in-pc, to: lg-mail, service: [smtp, https]}
  - {id: screen-alpha, kind: sanitized, method: screen-transfer, from: lg-c, to: vdi, service: [rdp, tcp/443]}
  - {id: screen-beta, kind: sanitized, method: screen-transfer, from: in-pc, to: lg-print, service: ica}
  - {id: screen-bad, kind: sanitized, method: screen-transfer, from: lg-c, to: vdi, service: smb}
  - {id: file-ok, kind: sanitized, method: file-sanitize, from: lg-c, to: cdr, service: https}
  - {id: file-bad, kind: sanitized, method: file-sanitize, from: lg-c, to: lg-mail, service: https}
  - {id: file-mn, kind: sanitized, method: file-sanitize, from: juki, to: cdr, service: https}
  - {id: pb-ok, kind: public-body, from: mn-link, to: chuukan, service: https}
  - {id: pb-bad, kind: public-body, from: juki, to: chuukan, service: tcp/1-1024}
  - {id: pb-reverse, kind: public-body, from: chuukan, to: mn-link, service: https}
  - {id: mns-ok, kind: mn-screen, from: lg-c, to: juki, service: rdp}
  - {id: mns-bad, kind: mn-screen, from: in-pc, to: mn-s, service: ssh}
  - {id: nec-ok, kind: necessary, from: lg-pc, to: in-d, service: https}
  - {id: nec-bad, kind: necessary, from: lg-pc, to: juki, service: ip/gre}
)";

Topology load() {
  auto r = load_topology_text(kNet, "network.yaml");
  for (const auto& e : r.errors) MESSAGE(e.render());
  REQUIRE(r.topology);
  return *r.topology;
}

Lines rules(const Topology& t, const std::string& id) {
  const AllowEntry* e = t.find_allow(id);
  REQUIRE_MESSAGE(e, id);
  Lines out;
  for (const auto& p : check_entry(t, *e)) out.push_back(p.rule);
  return out;
}

}  // namespace

TEST_CASE("specific: host to host across tiers, exact ports, several ports need a reason") {
  const Topology t = load();
  CHECK(rules(t, "spec-ok").empty());
  CHECK(rules(t, "spec-reason").empty());
  CHECK(rules(t, "spec-bad") == Lines{"MN-SPECIFIC-COMM", "MN-SPECIFIC-COMM"});  // subnet, 2 ports
  CHECK(rules(t, "spec-range") == Lines{"MN-SPECIFIC-COMM"});
  CHECK(rules(t, "spec-lg-inet") == Lines{"LG-INET-SPLIT"});  // both in lgwan
  const auto problems = check_entry(t, *t.find_allow("spec-bad"));
  CHECK(problems[0].message_en ==
        "allow entry 'spec-bad': the source of a specific communication must be one host, not "
        "segment 'mn-s'");
  CHECK(problems[0].message_ja ==
        "許可エントリ 'spec-bad': 特定通信の送信元は特定の端末（1台のホスト）に限定する必要があります"
        "（セグメント 'mn-s'）");
  CHECK(problems[1].message_en ==
        "allow entry 'spec-bad': 2 ports without a reason (more than one port needs 'reason')");
}

TEST_CASE("sanitized mail-text: from a mail-text sanitizer to lgwan mail, smtp only") {
  const Topology t = load();
  CHECK(rules(t, "mail-ok").empty());
  CHECK(rules(t, "mail-bad") == Lines{"SANITIZE-MAIL", "SANITIZE-MAIL"});
}

TEST_CASE("sanitized screen-transfer: direction follows the model, display protocols only") {
  Topology t = load();
  CHECK(rules(t, "screen-alpha").empty());
  CHECK(rules(t, "screen-beta") == Lines{"SANITIZE-SCREEN", "SANITIZE-SCREEN"});
  CHECK(rules(t, "screen-bad") == Lines{"SANITIZE-SCREEN"});
  t.policy.model = Model::BetaPrime;
  CHECK(rules(t, "screen-beta").empty());
  CHECK(rules(t, "screen-alpha") == Lines{"SANITIZE-SCREEN", "SANITIZE-SCREEN"});
}

TEST_CASE("sanitized file-sanitize: to a file-sanitize sanitizer, never from mynumber") {
  const Topology t = load();
  CHECK(rules(t, "file-ok").empty());
  CHECK(rules(t, "file-bad") == Lines{"SANITIZE-FILE"});
  CHECK(rules(t, "file-mn") == Lines{"MN-ISOLATE", "SANITIZE-FILE"});
}

TEST_CASE("public-body: mn-link-server to a public-body host; reverse only if bidirectional") {
  Topology t = load();
  CHECK(rules(t, "pb-ok").empty());
  CHECK(rules(t, "pb-bad") == Lines{"MN-NATIONAL-VIA-LGWAN", "MN-NATIONAL-VIA-LGWAN"});
  CHECK(rules(t, "pb-reverse") == Lines{"MN-NATIONAL-VIA-LGWAN"});
  t.policy.mn_exception_direction = ExceptionDirection::Bidirectional;
  CHECK(rules(t, "pb-reverse").empty());
}

TEST_CASE("mn-screen: only when enabled, lgwan terminals to one mynumber host") {
  Topology t = load();
  CHECK(rules(t, "mns-ok").empty());
  CHECK(rules(t, "mns-bad") == Lines{"MN-SCREEN-XFER", "MN-SCREEN-XFER", "MN-SCREEN-XFER"});
  t.policy.mn_screen_transfer = false;
  CHECK(rules(t, "mns-ok") == Lines{"MN-ISOLATE"});
}

TEST_CASE("necessary: only between lgwan and internet, exact services") {
  const Topology t = load();
  CHECK(rules(t, "nec-ok").empty());
  CHECK(rules(t, "nec-bad") == Lines{"MN-ISOLATE", "LG-INET-SPLIT", "LG-INET-SPLIT"});
}
