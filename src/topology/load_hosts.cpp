// Section hosts: (short and multi-interface forms).
#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

void read_address_fields(LoadState& s, const MapView& m, HostInterface& iface, std::size_t host,
                         std::size_t index) {
  const Diag& d = s.diag;
  const std::string& w = m.where();
  if (const Field* x = m.get("ip")) {
    if (auto v = read_text(d, *x, w)) {
      if (auto ip = model::parse_ip(*v)) {
        iface.ip = *ip;
        s.ip_pos[{host, index}] = s.pos_of(x->value);
      } else {
        d.error(x->value, "invalid IP address '" + *v + "' for 'ip' " + w +
                              " (expected an IPv4 or IPv6 address)");
      }
    }
  }
  if (const Field* x = m.get("mac")) {
    if (auto v = read_text(d, *x, w)) {
      if (auto mac = model::parse_mac(*v))
        iface.mac = *mac;
      else
        d.error(x->value, "invalid MAC address '" + *v + "' for 'mac' " + w +
                              " (expected six hex bytes such as 02:00:0a:01:0a:15)");
    }
  }
}

/// {segment, ip, mac}: the whole short form or one item of interfaces:.
std::optional<HostInterface> read_interface(LoadState& s, const MapView& m, const std::string& what,
                                            std::size_t host, std::size_t index) {
  HostInterface iface;
  iface.line = position(m.node()).first;
  const Field* seg = m.require(s.diag, "segment");
  if (!seg) return std::nullopt;
  auto name = read_text(s.diag, *seg, m.where());
  if (!name) return std::nullopt;
  iface.segment = *name;
  s.refer(*name, {NameKind::Segment}, s.pos_of(seg->value), "'segment' of " + what);
  read_address_fields(s, m, iface, host, index);
  return iface;
}

void read_interfaces_list(LoadState& s, const Field& f, Host& h, std::size_t host) {
  const Diag& d = s.diag;
  const std::string what = "host '" + h.name + "'";
  if (!f.value.IsSequence() || f.value.size() == 0) {
    d.error(f.value, "expected a non-empty list for 'interfaces' in " + what + ", got " +
                         describe_node(f.value), f.key_node);
    return;
  }
  std::size_t n = 0;
  for (const auto& item : f.value) {
    ++n;
    const std::string item_what = "interface " + std::to_string(n) + " of " + what;
    auto m = MapView::read(d, item, item_what, "in " + item_what, {"segment", "ip", "mac"},
                           f.value);
    if (!m) continue;
    if (auto iface = read_interface(s, *m, item_what, host, h.interfaces.size()))
      h.interfaces.push_back(*iface);
  }
}

void read_role(LoadState& s, const MapView& m, Host& h) {
  const Diag& d = s.diag;
  const std::string& w = m.where();
  if (const Field* x = m.get("role"))
    if (auto v = read_enum(d, *x, w,
                           {HostRole::Terminal, HostRole::Server, HostRole::Sanitizer,
                            HostRole::MnLinkServer, HostRole::Network, HostRole::Sensor}))
      h.role = *v;
  const Field* method = m.get("method");
  if (h.role == HostRole::Sanitizer && !method)
    d.error(m.node(), "missing key 'method' " + w + " (required for role sanitizer)");
  if (!method) return;
  if (h.role != HostRole::Sanitizer) {
    d.error(method->key_node, "key 'method' " + w + " is only for role sanitizer");
    return;
  }
  if (auto v = read_enum(d, *method, w,
                         {SanitizeMethod::MailText, SanitizeMethod::ScreenTransfer,
                          SanitizeMethod::FileSanitize}))
    h.method = *v;
}

}  // namespace

void read_hosts(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsMap()) {
    d.error(f.value, "expected a mapping of host names for 'hosts', got " + describe_node(f.value),
            f.key_node);
    return;
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar() || key.Scalar().empty()) {
      d.error(key, "expected a host name, got " + describe_node(key), f.value);
      continue;
    }
    Host h;
    h.name = key.Scalar();
    h.file = d.file;
    h.line = position(key).first;
    const bool fresh = s.declare(h.name, NameKind::Host, s.pos_of(key));
    const std::string what = "host '" + h.name + "'";
    auto m = MapView::read(d, it->second, what, "in " + what,
                           {"segment", "ip", "mac", "interfaces", "role", "method"}, key);
    if (!m) continue;
    const std::size_t index = s.topo.hosts.size();
    if (const Field* ifs = m->get("interfaces")) {
      for (const char* k : {"segment", "ip", "mac"})
        if (const Field* x = m->get(k))
          d.error(x->key_node, "key '" + x->key + "' " + m->where() +
                                   " cannot be used with 'interfaces' (give it per interface)");
      read_interfaces_list(s, *ifs, h, index);
    } else if (!m->get("segment")) {
      d.error(m->node(), "missing key 'segment' " + m->where() + " (or 'interfaces')");
    } else if (auto iface = read_interface(s, *m, what, index, 0)) {
      iface->line = h.line;
      h.interfaces.push_back(*iface);
    }
    read_role(s, *m, h);
    if (fresh) s.topo.hosts.push_back(std::move(h));
  }
}

}  // namespace sanso::topology::detail
