// The table of TOPOLOGY.md "Entry validity by kind", one function per kind. Japanese messages use
// the guideline's terms (GLOSSARY.md): 特定通信, 無害化通信, 画面転送, ファイル無害化, ...
#include "topology/entry_validity.h"

#include <set>

#include "topology/services.h"

namespace sanso::topology {

namespace {

/// What an endpoint stands for: its kind, the host if it is one, and the tiers and zones it
/// touches (a host with interfaces in several segments touches each of their zones).
struct Side {
  Endpoint::Kind kind = Endpoint::Kind::Host;
  std::string name;
  const Host* host = nullptr;
  std::set<Tier> tiers;
  std::set<const Zone*> zones;

  bool only_in(Tier t) const { return tiers.size() == 1 && *tiers.begin() == t; }
  bool touches(Tier t) const { return tiers.count(t) > 0; }
  bool is_host_with(HostRole role) const { return host && host->role == role; }
  bool is_sanitizer(SanitizeMethod m) const {
    return is_host_with(HostRole::Sanitizer) && host->method == m;
  }
  /// Terminals or a whole segment: who sits in front of a screen.
  bool is_terminals() const {
    return kind == Endpoint::Kind::Segment || is_host_with(HostRole::Terminal);
  }
  bool in_public_body_zone() const {
    for (const Zone* z : zones)
      if (z->role == ZoneRole::PublicBody) return true;
    return false;
  }
};

void add_zone(const Topology& t, Side& s, const std::string& zone) {
  if (const Zone* z = t.find_zone(zone)) {
    s.zones.insert(z);
    s.tiers.insert(z->tier);
  }
}

Side side_of(const Topology& t, const Endpoint& e) {
  Side s;
  s.kind = e.kind;
  s.name = e.name;
  switch (e.kind) {
    case Endpoint::Kind::Host:
      s.host = t.find_host(e.name);
      if (s.host)
        for (const HostInterface& i : s.host->interfaces)
          if (const Segment* seg = t.find_segment(i.segment)) add_zone(t, s, seg->zone);
      break;
    case Endpoint::Kind::Segment:
      if (const Segment* seg = t.find_segment(e.name)) add_zone(t, s, seg->zone);
      break;
    case Endpoint::Kind::Zone: add_zone(t, s, e.name); break;
  }
  return s;
}

std::string kind_word(const Side& s) {
  switch (s.kind) {
    case Endpoint::Kind::Host: return "host";
    case Endpoint::Kind::Segment: return "segment";
    case Endpoint::Kind::Zone: return "zone";
  }
  return "?";
}

std::string quoted(const Side& s) { return kind_word(s) + " '" + s.name + "'"; }

std::string quoted_ja(const Side& s) {
  switch (s.kind) {
    case Endpoint::Kind::Host: return "ホスト '" + s.name + "'";
    case Endpoint::Kind::Segment: return "セグメント '" + s.name + "'";
    case Endpoint::Kind::Zone: return "領域 '" + s.name + "'";
  }
  return "'" + s.name + "'";
}

model::PacketSet services_named(std::initializer_list<std::string_view> names) {
  model::PacketSet out;
  std::string ignored;
  for (auto n : names)
    if (auto s = parse_service(n, ignored)) out |= s->packets;
  return out;
}

class Checker {
 public:
  Checker(const Topology& t, const AllowEntry& e)
      : t_(t), e_(e), from_(side_of(t, e.from)), to_(side_of(t, e.to)) {}

  std::vector<EntryProblem> run() {
    const bool mynumber = from_.touches(Tier::Mynumber) || to_.touches(Tier::Mynumber);
    switch (e_.kind) {
      case AllowKind::Specific: specific(mynumber); break;
      case AllowKind::Sanitized:
        isolate_mynumber(mynumber);
        sanitized();
        break;
      case AllowKind::PublicBody: public_body(); break;
      case AllowKind::MnScreen: mn_screen(); break;
      case AllowKind::Necessary:
        isolate_mynumber(mynumber);
        necessary();
        break;
    }
    return std::move(out_);
  }

 private:
  void add(std::string rule, std::string en, std::string ja) {
    out_.push_back({std::move(rule), "allow entry '" + e_.id + "': " + en,
                    "許可エントリ '" + e_.id + "': " + ja});
  }

  /// The first service whose packets `allowed` does not contain, or nullptr.
  const Service* service_outside(const model::PacketSet& allowed) const {
    for (const Service& s : e_.services)
      if (!allowed.contains(s.packets)) return &s;
    return nullptr;
  }
  const Service* inexact_service() const {
    for (const Service& s : e_.services)
      if (!s.exact) return &s;
    return nullptr;
  }
  int port_total() const {
    int n = 0;
    for (const Service& s : e_.services) n += s.port_count;
    return n;
  }

  void isolate_mynumber(bool mynumber) {
    if (!mynumber) return;
    add("MN-ISOLATE",
        "a " + std::string(to_string(e_.kind)) +
            " entry cannot cross into or out of mynumber (only specific, public-body or "
            "mn-screen entries can)",
        "マイナンバー利用事務系との通信は特定通信（specific, public-body, mn-screen）に限られます");
  }

  void specific(bool mynumber) {
    const std::string rule = mynumber ? "MN-SPECIFIC-COMM" : "LG-INET-SPLIT";
    if (!from_.host)
      add(rule, "the source of a specific communication must be one host, not " + quoted(from_),
          "特定通信の送信元は特定の端末（1台のホスト）に限定する必要があります（" + quoted_ja(from_) +
              "）");
    if (!to_.host)
      add(rule, "the destination of a specific communication must be one host, not " + quoted(to_),
          "特定通信の宛先は特定の端末（1台のホスト）に限定する必要があります（" + quoted_ja(to_) + "）");
    if (from_.host && to_.host) {
      for (Tier t : from_.tiers)
        if (to_.touches(t)) {
          add(rule,
              "a specific communication crosses tiers, but both hosts are in " +
                  std::string(to_string(t)),
              "特定通信は異なる系の間の通信に限られます（双方が " + std::string(to_string(t)) +
                  " にあります）");
          break;
        }
    }
    if (const Service* s = inexact_service())
      add(rule, "service '" + s->text + "' is not an exact port",
          "アプリケーションプロトコル（ポート番号）のレベルで限定する必要があります（'" + s->text +
              "'）");
    if (port_total() > 1 && !e_.reason)
      add(rule, std::to_string(port_total()) + " ports without a reason (more than one port needs 'reason')",
          "複数のポート番号（" + std::to_string(port_total()) + "）を許可するには理由（reason）の記載が必要です");
  }

  void sanitized() {
    if (!e_.method) {
      add("LG-INET-SPLIT", "a sanitized entry needs a method",
          "無害化通信には無害化の方式（method）の指定が必要です");
      return;
    }
    switch (*e_.method) {
      case SanitizeMethod::MailText: mail_text(); break;
      case SanitizeMethod::ScreenTransfer: screen_transfer(); break;
      case SanitizeMethod::FileSanitize: file_sanitize(); break;
    }
  }

  void mail_text() {
    if (!from_.is_sanitizer(SanitizeMethod::MailText))
      add("SANITIZE-MAIL", "the source must be a sanitizer with method mail-text, not " + quoted(from_),
          "メール無害化通信の送信元はメールテキスト化を行う無害化装置（method: mail-text）である必要があります（" +
              quoted_ja(from_) + "）");
    if (to_.kind == Endpoint::Kind::Zone || !to_.only_in(Tier::Lgwan))
      add("SANITIZE-MAIL", "the destination must be lgwan mail hosts or a segment of them, not " + quoted(to_),
          "メール無害化通信の宛先はLGWAN接続系のメールサーバである必要があります（" + quoted_ja(to_) + "）");
    if (const Service* s = service_outside(services_named({"smtp", "submission"})))
      add("SANITIZE-MAIL", "service '" + s->text + "' is not smtp or submission",
          "メール無害化通信で許可できるのはSMTP（smtp, submission）のみです（'" + s->text + "'）");
  }

  void screen_transfer() {
    const bool alpha = t_.policy.model == Model::Alpha || t_.policy.model == Model::AlphaPrime;
    const std::string model(to_string(t_.policy.model));
    if (alpha) {
      if (!from_.is_terminals() || !from_.only_in(Tier::Lgwan))
        add("SANITIZE-SCREEN", "under model " + model + " the source must be lgwan terminals or an lgwan segment, not " + quoted(from_),
            "モデル " + model + " の画面転送の送信元はLGWAN接続系の端末である必要があります（" + quoted_ja(from_) + "）");
      if (!to_.is_sanitizer(SanitizeMethod::ScreenTransfer) || !to_.touches(Tier::Internet))
        add("SANITIZE-SCREEN", "under model " + model + " the destination must be a screen-transfer sanitizer in internet, not " + quoted(to_),
            "モデル " + model + " の画面転送の宛先はインターネット接続系の画面転送サーバ（method: screen-transfer）である必要があります（" + quoted_ja(to_) + "）");
    } else {
      if (!from_.is_terminals() || !from_.only_in(Tier::Internet))
        add("SANITIZE-SCREEN", "under model " + model + " the source must be internet terminals or an internet segment, not " + quoted(from_),
            "モデル " + model + " の画面転送の送信元はインターネット接続系の端末である必要があります（" + quoted_ja(from_) + "）");
      if (!to_.host || !to_.only_in(Tier::Lgwan))
        add("SANITIZE-SCREEN", "under model " + model + " the destination must be a screen host in lgwan, not " + quoted(to_),
            "モデル " + model + " の画面転送の宛先はLGWAN接続系の画面転送サーバである必要があります（" + quoted_ja(to_) + "）");
    }
    if (const Service* s = service_outside(display_protocols()))
      add("SANITIZE-SCREEN", "service '" + s->text + "' is not a display protocol (rdp, ica, blast, pcoip, https)",
          "画面転送で許可できるのは画面転送プロトコル（rdp, ica, blast, pcoip, https）のみです（'" + s->text + "'）");
  }

  void file_sanitize() {
    const bool source_ok = from_.kind != Endpoint::Kind::Zone &&
                           (from_.only_in(Tier::Lgwan) || from_.only_in(Tier::Internet));
    if (!source_ok)
      add("SANITIZE-FILE", "the source must be lgwan or internet hosts or a segment of them, not " + quoted(from_),
          "ファイル無害化の送信元はLGWAN接続系またはインターネット接続系の端末である必要があります（" + quoted_ja(from_) + "）");
    if (!to_.is_sanitizer(SanitizeMethod::FileSanitize))
      add("SANITIZE-FILE", "the destination must be a sanitizer with method file-sanitize, not " + quoted(to_),
          "ファイル無害化の宛先はファイル無害化を行う無害化装置（method: file-sanitize）である必要があります（" + quoted_ja(to_) + "）");
  }

  void public_body() {
    const std::string rule = "MN-NATIONAL-VIA-LGWAN";
    const bool forward = from_.is_host_with(HostRole::MnLinkServer) && to_.host &&
                         to_.in_public_body_zone();
    const bool reverse = from_.host && from_.in_public_body_zone() &&
                         to_.is_host_with(HostRole::MnLinkServer);
    if (reverse && t_.policy.mn_exception_direction == ExceptionDirection::ImportOnly)
      add(rule, "the reverse direction (public body to mn-link-server) needs mn_exception_direction: bidirectional",
          "国等の公的機関からの通信（逆方向）は mn_exception_direction: bidirectional の場合に限り認められます");
    if (!forward && !reverse)
      add(rule, "must run from an mn-link-server host to one host in a public-body zone, not from " + quoted(from_) + " to " + quoted(to_),
          "国等の公的機関が構築したシステムとの通信は連携サーバ（mn-link-server）から公的機関の1台のホストへの通信に限られます（" +
              quoted_ja(from_) + " → " + quoted_ja(to_) + "）");
    if (const Service* s = inexact_service())
      add(rule, "service '" + s->text + "' is not an exact port",
          "アプリケーションプロトコル（ポート番号）のレベルで限定する必要があります（'" + s->text + "'）");
  }

  void mn_screen() {
    if (!t_.policy.mn_screen_transfer)
      add("MN-ISOLATE", "screen transfer into mynumber needs policy mn_screen_transfer: true",
          "マイナンバー利用事務系への画面転送は mn_screen_transfer: true の場合に限り認められます");
    if (!from_.is_terminals() || !from_.only_in(Tier::Lgwan))
      add("MN-SCREEN-XFER", "the source must be lgwan terminals or an lgwan segment, not " + quoted(from_),
          "マイナンバー利用事務系への画面転送の送信元はLGWAN接続系の端末である必要があります（" + quoted_ja(from_) + "）");
    if (!to_.host || !to_.only_in(Tier::Mynumber))
      add("MN-SCREEN-XFER", "the destination must be one host in mynumber, not " + quoted(to_),
          "マイナンバー利用事務系への画面転送の宛先はマイナンバー利用事務系の1台のホストである必要があります（" + quoted_ja(to_) + "）");
    if (const Service* s = service_outside(display_protocols()))
      add("MN-SCREEN-XFER", "service '" + s->text + "' is not a display protocol (rdp, ica, blast, pcoip, https)",
          "画面転送で許可できるのは画面転送プロトコル（rdp, ica, blast, pcoip, https）のみです（'" + s->text + "'）");
  }

  void necessary() {
    const std::string rule = "LG-INET-SPLIT";
    for (const Side* s : {&from_, &to_})
      if (s->kind == Endpoint::Kind::Zone)
        add(rule, "a necessary communication names hosts or segments, not " + quoted(*s),
            "必要な通信は端末またはセグメントを指定する必要があります（" + quoted_ja(*s) + "）");
    const bool lg_inet = (from_.only_in(Tier::Lgwan) && to_.only_in(Tier::Internet)) ||
                         (from_.only_in(Tier::Internet) && to_.only_in(Tier::Lgwan));
    if (!lg_inet)
      add(rule, "a necessary communication runs only between lgwan and internet",
          "必要な通信はLGWAN接続系とインターネット接続系の間に限られます");
    if (const Service* s = inexact_service())
      add(rule, "service '" + s->text + "' is not an exact port",
          "必要な通信はアプリケーションプロトコル（ポート番号）のレベルで限定する必要があります（'" + s->text + "'）");
  }

  const Topology& t_;
  const AllowEntry& e_;
  Side from_;
  Side to_;
  std::vector<EntryProblem> out_;
};

}  // namespace

std::vector<EntryProblem> check_entry(const Topology& topology, const AllowEntry& entry) {
  return Checker(topology, entry).run();
}

}  // namespace sanso::topology
