// Sections allow: and waivers:. Only the form is checked here; whether an entry is valid for its
// kind is a finding, not an input error (entry_validity.h).
#include "topology/load_state.h"
#include "topology/services.h"

namespace sanso::topology::detail {

namespace {

const std::vector<NameKind> kEndpointKinds = {NameKind::Host, NameKind::Segment, NameKind::Zone};

void read_services(LoadState& s, const Field& f, AllowEntry& e, const std::string& w) {
  auto items = read_text_list(s.diag, f, w, true);
  if (!items) return;
  for (const auto& item : *items) {
    std::string error;
    if (auto svc = parse_service(item.text, error, w))
      e.services.push_back(std::move(*svc));
    else
      s.diag.error(item.node, error);
  }
}

void read_method(LoadState& s, const MapView& m, AllowEntry& e) {
  const Diag& d = s.diag;
  const Field* x = m.get("method");
  if (e.kind == AllowKind::Sanitized && !x) {
    d.error(m.node(), "missing key 'method' " + m.where() + " (required for kind sanitized)");
    return;
  }
  if (!x) return;
  if (e.kind != AllowKind::Sanitized) {
    d.error(x->key_node, "key 'method' " + m.where() + " is only for kind sanitized");
    return;
  }
  e.method = read_enum(d, *x, m.where(),
                       {SanitizeMethod::MailText, SanitizeMethod::ScreenTransfer,
                        SanitizeMethod::FileSanitize});
}

void read_entry(LoadState& s, const YAML::Node& item, std::size_t n, const YAML::Node& list) {
  const Diag& d = s.diag;
  AllowEntry e;
  e.line = position(item).first;
  // Name the entry by its id in messages as soon as it has one.
  std::string what = "allow entry " + std::to_string(n);
  if (item.IsMap())
    for (auto it = item.begin(); it != item.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar() &&
          !it->second.Scalar().empty())
        what = "allow entry '" + it->second.Scalar() + "'";
  auto m = MapView::read(d, item, what, "in " + what,
                         {"id", "kind", "method", "from", "to", "service", "reason"}, list);
  if (!m) return;
  const std::string& w = m->where();
  bool fresh = false;
  if (const Field* x = m->require(d, "id")) {
    if (auto v = read_text(d, *x, w)) {
      e.id = *v;
      fresh = s.declare(*v, NameKind::Allow, s.pos_of(x->value));
    }
  }
  bool kind_ok = false;
  if (const Field* x = m->require(d, "kind")) {
    auto v = read_enum(d, *x, w,
                       {AllowKind::Specific, AllowKind::Sanitized, AllowKind::PublicBody,
                        AllowKind::MnScreen, AllowKind::Necessary});
    kind_ok = v.has_value();
    if (v) e.kind = *v;
  }
  if (kind_ok) read_method(s, *m, e);
  for (const char* side : {"from", "to"}) {
    const Field* x = m->require(d, side);
    if (!x) continue;
    auto v = read_text(d, *x, w);
    if (!v) continue;
    const bool is_from = std::string_view(side) == "from";
    (is_from ? e.from : e.to).name = *v;
    if (fresh) s.endpoints.push_back({s.topo.allow.size(), is_from, s.pos_of(x->value)});
  }
  if (const Field* x = m->require(d, "service")) read_services(s, *x, e, w);
  if (const Field* x = m->get("reason"))
    if (auto v = read_text(d, *x, w)) e.reason = *v;
  if (fresh) s.topo.allow.push_back(std::move(e));
}

bool valid_date(const std::string& t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return false;
  const int year = std::stoi(t.substr(0, 4));
  const int month = std::stoi(t.substr(5, 2));
  const int day = std::stoi(t.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

void read_finding(LoadState& s, const Field& f, Waiver& wv, const std::string& owner_what) {
  const Diag& d = s.diag;
  const std::string what = "finding of " + owner_what;
  auto m = MapView::read(d, f.value, what, "in " + what, {"rule", "device", "from", "to", "text"},
                         f.key_node);
  if (!m) return;
  const std::string& w = m->where();
  if (const Field* x = m->require(d, "rule"))
    if (auto v = read_text(d, *x, w)) wv.finding.rule = *v;
  if (const Field* x = m->get("device")) {
    if (auto v = read_text(d, *x, w)) {
      wv.finding.device = *v;
      s.refer(*v, {NameKind::Device}, s.pos_of(x->value), "'device' of " + what);
    }
  }
  for (const char* side : {"from", "to"}) {
    const Field* x = m->get(side);
    if (!x) continue;
    if (auto v = read_text(d, *x, w)) {
      (std::string_view(side) == "from" ? wv.finding.from : wv.finding.to) = *v;
      s.refer(*v, kEndpointKinds, s.pos_of(x->value), "'" + x->key + "' of " + what);
    }
  }
  if (const Field* x = m->get("text"))
    if (auto v = read_text(d, *x, w)) wv.finding.text = *v;
}

}  // namespace

void read_allow(LoadState& s, const Field& f) {
  if (f.value.IsNull()) return;
  if (!f.value.IsSequence()) {
    s.diag.error(f.value, "expected a list of entries for 'allow', got " + describe_node(f.value),
                 f.key_node);
    return;
  }
  std::size_t n = 0;
  for (const auto& item : f.value) read_entry(s, item, ++n, f.value);
}

void read_waivers(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsSequence()) {
    d.error(f.value, "expected a list of waivers for 'waivers', got " + describe_node(f.value),
            f.key_node);
    return;
  }
  std::size_t n = 0;
  for (const auto& item : f.value) {
    const std::string what = "waiver " + std::to_string(++n);
    auto m = MapView::read(d, item, what, "in " + what, {"finding", "reason", "owner", "expires"},
                           f.value);
    if (!m) continue;
    const std::string& w = m->where();
    Waiver wv;
    wv.line = position(item).first;
    if (const Field* x = m->require(d, "finding")) read_finding(s, *x, wv, what);
    if (const Field* x = m->require(d, "reason"))
      if (auto v = read_text(d, *x, w)) wv.reason = *v;
    if (const Field* x = m->get("owner"))
      if (auto v = read_text(d, *x, w)) wv.owner = *v;
    if (const Field* x = m->get("expires")) {
      if (auto v = read_text(d, *x, w)) {
        if (valid_date(*v))
          wv.expires = *v;
        else
          d.error(x->value, "invalid date '" + *v + "' for 'expires' " + w +
                                " (expected YYYY-MM-DD, e.g. 2027-03-31)");
      }
    }
    s.topo.waivers.push_back(std::move(wv));
  }
}

}  // namespace sanso::topology::detail
