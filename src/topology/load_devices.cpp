// Sections devices: and monitor:.
#include <algorithm>
#include <set>

#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

// TOPOLOGY.md's vendor list. The vendor module decides later which of them this build reads;
// the topology only rejects names that are no vendor at all.
const std::vector<std::string> kVendors = {"iptables", "nftables", "fortigate",
                                           "asa",      "ios",      "panos",
                                           "srx",      "yamaha-rtx", "nec-ix"};

std::optional<std::vector<std::string>> read_setting(LoadState& s, const Field& f,
                                                     const std::string& w) {
  auto items = read_text_list(s.diag, f, w, true);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : *items) {
    if (!model::parse_ip(item.text)) {
      s.diag.error(item.node, "invalid IP address '" + item.text + "' for '" + f.key + "' " + w +
                                  " (expected an IPv4 or IPv6 address)");
      continue;
    }
    out.push_back(item.text);
  }
  return out;
}

void read_settings(LoadState& s, const Field& f, Device& dev) {
  const std::string what = "settings of device '" + dev.name + "'";
  auto m = MapView::read(s.diag, f.value, what, "in " + what, {"ntp", "syslog"}, f.key_node);
  if (!m) return;
  dev.settings_line = position(f.key_node).first;
  if (const Field* x = m->get("ntp")) dev.settings_ntp = read_setting(s, *x, m->where());
  if (const Field* x = m->get("syslog")) dev.settings_syslog = read_setting(s, *x, m->where());
}

void read_device_interfaces(LoadState& s, const Field& f, Device& dev) {
  const Diag& d = s.diag;
  const std::string what = "device '" + dev.name + "'";
  if (!f.value.IsMap() || f.value.size() == 0) {
    d.error(f.value,
            "expected a mapping of interface names to segments for 'interfaces' in " + what +
                ", got " + describe_node(f.value),
            f.key_node);
    return;
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar() || key.Scalar().empty()) {
      d.error(key, "expected an interface name in 'interfaces' of " + what + ", got " +
                       describe_node(key), f.value);
      continue;
    }
    const std::string name = key.Scalar();
    if (!value.IsScalar() || value.Scalar().empty()) {
      d.error(value, "expected a segment name for interface '" + name + "' of " + what +
                         ", got " + describe_node(value), key);
      continue;
    }
    if (!dev.interfaces.emplace(name, value.Scalar()).second) {
      d.error(key, "duplicate interface '" + name + "' in " + what);
      continue;
    }
    s.refer(value.Scalar(), {NameKind::Segment}, s.pos_of(value),
            "interface '" + name + "' of " + what);
  }
}

void check_vendor_keys(LoadState& s, const MapView& m, const Device& dev) {
  const Diag& d = s.diag;
  const std::string& w = m.where();
  if (!dev.vendor) {
    // A device without vendor is a plain forwarder: nothing it could read a config with.
    for (const char* k : {"config", "context", "ipsets", "settings"})
      if (const Field* x = m.get(k))
        d.error(x->key_node, "key '" + x->key + "' " + w +
                                 " needs 'vendor' (a device without vendor forwards everything)");
    if (!m.get("interfaces"))
      d.error(m.node(), "missing key 'interfaces' " + w + " (required for a device without vendor)");
    return;
  }
  if (!m.get("config")) d.error(m.node(), "missing key 'config' " + w + " (required with 'vendor')");
  const bool address_free = *dev.vendor == "iptables" || *dev.vendor == "nftables";
  if (address_free && !m.get("interfaces"))
    d.error(m.node(), "missing key 'interfaces' " + w + " (required for vendor " + *dev.vendor +
                          ": its ruleset holds no addresses)");
  if (const Field* x = m.get("ipsets"); x && *dev.vendor != "iptables")
    d.error(x->key_node, "key 'ipsets' " + w + " is only for vendor iptables");
}

void read_device(LoadState& s, const YAML::Node& key, const YAML::Node& value) {
  const Diag& d = s.diag;
  Device dev;
  dev.name = key.Scalar();
  dev.line = position(key).first;
  const bool fresh = s.declare(dev.name, NameKind::Device, s.pos_of(key));
  const std::string what = "device '" + dev.name + "'";
  auto m = MapView::read(d, value, what, "in " + what,
                         {"vendor", "config", "context", "ipsets", "settings", "interfaces"}, key);
  if (!m) return;
  const std::string& w = m->where();
  if (const Field* x = m->get("vendor")) {
    if (auto v = read_text(d, *x, w)) {
      if (std::find(kVendors.begin(), kVendors.end(), *v) != kVendors.end())
        dev.vendor = *v;
      else
        d.error(x->value, "unknown vendor '" + *v + "' " + w + " (expected one of: " +
                              join(kVendors) + ")");
    }
  }
  const bool vendor_ok = !m->get("vendor") || dev.vendor;
  if (vendor_ok) check_vendor_keys(s, *m, dev);
  if (const Field* x = m->get("config"); x && dev.vendor)
    if (auto items = read_text_list(d, *x, w, true))
      for (const auto& item : *items) dev.configs.push_back(item.text);
  if (const Field* x = m->get("context"); x && dev.vendor)
    if (auto v = read_text(d, *x, w)) dev.context = *v;
  if (const Field* x = m->get("ipsets"); x && dev.vendor)
    if (auto v = read_text(d, *x, w)) dev.ipsets = *v;
  if (const Field* x = m->get("settings"); x && dev.vendor) read_settings(s, *x, dev);
  if (const Field* x = m->get("interfaces")) read_device_interfaces(s, *x, dev);
  if (fresh) s.topo.devices.push_back(std::move(dev));
}

}  // namespace

void read_devices(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsMap()) {
    d.error(f.value,
            "expected a mapping of device names for 'devices', got " + describe_node(f.value),
            f.key_node);
    return;
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      d.error(it->first, "expected a device name, got " + describe_node(it->first), f.value);
      continue;
    }
    read_device(s, it->first, it->second);
  }
}

void read_monitor(LoadState& s, const Field& f) {
  const Diag& d = s.diag;
  if (f.value.IsNull()) return;
  if (!f.value.IsSequence()) {
    d.error(f.value, "expected a list of capture points for 'monitor', got " +
                         describe_node(f.value), f.key_node);
    return;
  }
  std::set<std::string> names;
  std::size_t n = 0;
  for (const auto& item : f.value) {
    const std::string what = "capture point " + std::to_string(++n);
    auto m = MapView::read(d, item, what, "in " + what, {"name", "interface", "sees"}, f.value);
    if (!m) continue;
    CapturePoint cp;
    cp.line = position(item).first;
    const std::string& w = m->where();
    if (const Field* x = m->require(d, "name")) {
      if (auto v = read_text(d, *x, w)) {
        cp.name = *v;
        if (!names.insert(*v).second)
          d.error(x->value, "duplicate capture point name '" + *v + "'");
      }
    }
    if (const Field* x = m->require(d, "interface"))
      if (auto v = read_text(d, *x, w)) cp.interface = *v;
    if (const Field* x = m->require(d, "sees")) {
      if (auto items = read_text_list(d, *x, w, false)) {
        for (const auto& item_seg : *items) {
          cp.sees.push_back(item_seg.text);
          s.refer(item_seg.text, {NameKind::Segment}, s.pos_of(item_seg.node),
                  "'sees' of " + what);
        }
      }
    }
    s.topo.monitor.push_back(std::move(cp));
  }
}

}  // namespace sanso::topology::detail
