// Sections policy:, zones: and segments:.
#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

std::vector<model::IpAddress> read_ip_list(LoadState& s, const Field& f, std::string_view where) {
  std::vector<model::IpAddress> out;
  auto items = read_text_list(s.diag, f, where, false);
  if (!items) return out;
  for (const auto& item : *items) {
    if (auto ip = model::parse_ip(item.text)) {
      out.push_back(*ip);
      continue;
    }
    s.diag.error(item.node, "invalid IP address '" + item.text + "' for '" + f.key + "' " +
                                std::string(where) + " (expected an IPv4 or IPv6 address)");
  }
  return out;
}

}  // namespace

void read_policy(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  auto m = MapView::read(d, f.value, "'policy'", "in policy",
                         {"model", "mn_exception_direction", "mn_wlan", "mn_screen_transfer",
                          "ntp_sources", "log_collectors", "rule_packs"},
                         f.key_node);
  if (!m) return;
  Policy& p = s.topo.policy;
  p.line = position(f.key_node).first;
  const std::string& w = m->where();
  if (const Field* x = m->get("model"))
    if (auto v = read_enum(d, *x, w, {Model::Alpha, Model::AlphaPrime, Model::Beta,
                                      Model::BetaPrime}))
      p.model = *v;
  if (const Field* x = m->get("mn_exception_direction"))
    if (auto v = read_enum(d, *x, w,
                           {ExceptionDirection::ImportOnly, ExceptionDirection::Bidirectional}))
      p.mn_exception_direction = *v;
  if (const Field* x = m->get("mn_wlan"))
    if (auto v = read_enum(d, *x, w, {MnWlan::Forbidden, MnWlan::EnterpriseEapTls}))
      p.mn_wlan = *v;
  if (const Field* x = m->get("mn_screen_transfer"))
    if (auto v = read_bool(d, *x, w)) p.mn_screen_transfer = *v;
  if (const Field* x = m->get("ntp_sources")) p.ntp_sources = read_ip_list(s, *x, w);
  if (const Field* x = m->get("log_collectors")) p.log_collectors = read_ip_list(s, *x, w);
  if (const Field* x = m->get("rule_packs"))
    if (auto v = read_text_list(d, *x, w, false))
      for (auto& item : *v) p.rule_packs.push_back(item.text);
}

void read_zones(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsMap()) {
    d.error(f.value, "expected a mapping of zone names for 'zones', got " + describe_node(f.value),
            f.key_node);
    return;
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar() || key.Scalar().empty()) {
      d.error(key, "expected a zone name, got " + describe_node(key), f.value);
      continue;
    }
    Zone z;
    z.name = key.Scalar();
    z.line = position(key).first;
    if (s.names.count(z.name) && s.names.at(z.name).pos.line == 0) {
      d.error(key, "zone '" + z.name + "' is a built-in tier and cannot be declared again");
      continue;
    }
    const bool fresh = s.declare(z.name, NameKind::Zone, s.pos_of(key));
    const std::string what = "zone '" + z.name + "'";
    auto m = MapView::read(d, it->second, what, "in " + what,
                           {"tier", "external", "link", "role"}, key);
    if (!m) continue;
    const std::string& w = m->where();
    bool ok = true;
    if (const Field* x = m->require(d, "tier")) {
      auto v = read_enum(d, *x, w, {Tier::Mynumber, Tier::Lgwan, Tier::Internet});
      ok = v.has_value();
      if (v) z.tier = *v;
    } else {
      ok = false;
    }
    if (const Field* x = m->get("external"))
      if (auto v = read_bool(d, *x, w)) z.external = *v;
    if (const Field* x = m->get("link")) {
      if (auto v = read_text(d, *x, w)) {
        if (*v == "dedicated")
          z.dedicated_link = true;
        else
          d.error(x->value, "invalid value '" + *v + "' for 'link' " + w +
                                " (expected one of: dedicated)");
      }
    }
    if (const Field* x = m->get("role"))
      if (auto v = read_enum(d, *x, w, {ZoneRole::PublicBody, ZoneRole::Egress})) z.role = *v;
    if (fresh && ok) s.topo.zones.push_back(z);
  }
}

void read_segments(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsMap()) {
    d.error(f.value,
            "expected a mapping of segment names for 'segments', got " + describe_node(f.value),
            f.key_node);
    return;
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar() || key.Scalar().empty()) {
      d.error(key, "expected a segment name, got " + describe_node(key), f.value);
      continue;
    }
    Segment seg;
    seg.name = key.Scalar();
    seg.line = position(key).first;
    const bool fresh = s.declare(seg.name, NameKind::Segment, s.pos_of(key));
    const std::string what = "segment '" + seg.name + "'";
    auto m = MapView::read(d, it->second, what, "in " + what,
                           {"zone", "cidr", "vlan", "inventory", "medium", "reaches"}, key);
    if (!m) continue;
    const std::string& w = m->where();
    const std::size_t index = s.topo.segments.size();
    if (const Field* x = m->require(d, "zone")) {
      if (auto v = read_text(d, *x, w)) {
        seg.zone = *v;
        s.refer(*v, {NameKind::Zone}, s.pos_of(x->value), "'zone' of " + what);
      }
    }
    if (const Field* x = m->require(d, "cidr")) {
      if (auto items = read_text_list(d, *x, w, true)) {
        for (const auto& item : *items) {
          auto r = model::parse_cidr(item.text);
          if (!r) {
            d.error(item.node, "invalid CIDR '" + item.text + "' for 'cidr' " + w +
                                   " (expected an IPv4 or IPv6 prefix such as 10.1.0.0/24)");
            continue;
          }
          s.cidr_pos[{index, seg.cidrs.size()}] = s.pos_of(item.node);
          seg.cidrs.push_back(*r);
        }
      }
    }
    if (const Field* x = m->get("vlan"))
      if (auto v = read_int(d, *x, w, 1, 4094)) seg.vlan = static_cast<int>(*v);
    if (const Field* x = m->get("inventory")) {
      if (auto v = read_text(d, *x, w)) {
        if (*v == "complete" || *v == "partial")
          seg.inventory_complete = *v == "complete";
        else
          d.error(x->value, "invalid value '" + *v + "' for 'inventory' " + w +
                                " (expected one of: complete, partial)");
      }
    }
    if (const Field* x = m->get("medium"))
      if (auto v = read_enum(d, *x, w, {Medium::Wired, Medium::Wireless})) seg.medium = *v;
    if (const Field* x = m->get("reaches")) {
      if (auto items = read_text_list(d, *x, w, false)) {
        for (const auto& item : *items) {
          seg.reaches.push_back(item.text);
          s.refer(item.text, {NameKind::Zone}, s.pos_of(item.node), "'reaches' of " + what);
        }
      }
    }
    if (fresh) s.topo.segments.push_back(std::move(seg));
  }
}

}  // namespace sanso::topology::detail
