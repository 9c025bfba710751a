// Which blocks make up one VDOM, and the dispatch of each top-level section to its extractor.
//
// A file without VDOMs is one device (VDOM "root"). A multi-VDOM backup has `config vdom` blocks
// whose entries are the VDOMs (the first one only declares them; later ones hold each VDOM's
// tree) and a `config global` block (interfaces, NTP, global log settings). A VDOM's device is
// its own tree plus the global blocks; the other VDOMs' lines are understood as belonging to
// other devices.
#include "vendor/fortigate/extract.h"

#include <algorithm>

#include "vendor/fortigate/extract_detail.h"
#include "vendor/fortigate/sections.h"

namespace sanso::vendor::fortigate {
namespace {

using detail::Notes;

void dispatch(const Block& b, const std::string& vdom, bool multi_vdom, FortigateConfig& cfg,
              const Notes& notes) {
  const SectionClass c = classify_section(b.path);
  if (c.kind == SectionKind::Ignored) return;
  if (c.kind == SectionKind::NotModelled) return detail::note_all(b, c.reason, notes);
  const std::string& p = b.path;
  using model::Family;
  if (p == "system interface") return detail::extract_interfaces(b, vdom, multi_vdom, cfg, notes);
  if (p == "system zone") return detail::extract_zones(b, cfg, notes);
  if (p == "system ntp") return detail::extract_ntp(b, cfg, notes);
  if (p == "system settings") return detail::extract_system_settings(b, cfg, notes);
  if (p == "firewall address") return detail::extract_addresses(b, Family::V4, cfg, notes);
  if (p == "firewall address6") return detail::extract_addresses(b, Family::V6, cfg, notes);
  if (p == "firewall addrgrp") return detail::extract_addrgrps(b, Family::V4, cfg, notes);
  if (p == "firewall addrgrp6") return detail::extract_addrgrps(b, Family::V6, cfg, notes);
  if (p == "firewall service custom") return detail::extract_services(b, cfg, notes);
  if (p == "firewall service group") return detail::extract_service_groups(b, cfg, notes);
  if (p == "firewall vip") return detail::extract_vips(b, cfg, notes);
  if (p == "firewall vipgrp") return detail::extract_vipgrps(b, cfg, notes);
  if (p == "firewall ippool" || p == "firewall ippool6")
    return detail::extract_ippools(b, cfg, notes);
  if (p == "firewall policy" || p == "firewall policy6" || p == "firewall consolidated policy")
    return detail::extract_policies(b, cfg, notes);
  if (p == "firewall central-snat-map") return detail::extract_central_snat(b, cfg, notes);
  if (p == "log setting") return detail::extract_log_setting(b, cfg, notes);
  if (p.starts_with("log ")) return detail::extract_log_target(b, cfg, notes);
  // "system global": nothing in it changes forwarding (the hostname is not the device name).
}

}  // namespace

std::vector<std::string> vdom_names(const CliTree& tree) {
  std::vector<std::string> out;
  for (const Block& b : tree.blocks) {
    if (b.path != "vdom") continue;
    for (const Entry& e : b.entries)
      if (std::find(out.begin(), out.end(), e.name) == out.end()) out.push_back(e.name);
  }
  return out;
}

FortigateConfig extract(const std::string& file, const CliTree& tree, const std::string& vdom) {
  FortigateConfig cfg;
  cfg.file = file;
  cfg.vdom = vdom;
  const Notes notes{&cfg.unparsed};
  for (const TreeProblem& p : tree.problems) notes.add(p.line, p.reason);
  const bool multi = !vdom_names(tree).empty();
  for (const Block& b : tree.blocks) {
    if (!multi) {
      dispatch(b, vdom, false, cfg, notes);
      continue;
    }
    if (b.path == "global") {
      for (const Command& c : b.commands)
        notes.add(c.line, "'" + c.verb + "' directly inside 'config global'");
      for (const Block& inner : b.blocks) dispatch(inner, vdom, true, cfg, notes);
      continue;
    }
    if (b.path == "vdom") {
      for (const Command& c : b.commands)
        notes.add(c.line, "'" + c.verb + "' directly inside 'config vdom'");
      for (const Entry& e : b.entries) {
        if (e.name != vdom) continue;  // another VDOM: another device's lines
        for (const Command& c : e.commands)
          notes.add(c.line, "'" + c.verb + "' directly inside a VDOM entry");
        for (const Block& inner : e.blocks) dispatch(inner, vdom, true, cfg, notes);
      }
      continue;
    }
    // A top-level block beside global and vdom blocks: FortiOS writes none; read it as global.
    dispatch(b, vdom, true, cfg, notes);
  }
  return cfg;
}

namespace detail {

void note_all(const Block& b, const std::string& reason, const Notes& notes) {
  notes.add(b.line, reason);
  for (const Command& c : b.commands) notes.add(c.line, reason);
  for (const Block& inner : b.blocks) note_all(inner, reason, notes);
  for (const Entry& e : b.entries) {
    notes.add(e.line, reason);
    for (const Command& c : e.commands) notes.add(c.line, reason);
    for (const Block& inner : e.blocks) note_all(inner, reason, notes);
  }
}

std::optional<model::IpRange> parse_subnet(const std::vector<std::string>& words) {
  if (words.size() == 1) {
    if (words[0].find('/') == std::string::npos) return std::nullopt;
    const auto slash = words[0].find('/');
    // "A/M.M.M.M" is written by some exports as well as "A/len".
    if (words[0].find('.', slash) != std::string::npos)
      return parse_subnet({words[0].substr(0, slash), words[0].substr(slash + 1)});
    return model::parse_cidr(words[0]);
  }
  if (words.size() != 2) return std::nullopt;
  const auto base = model::parse_ip(words[0]);
  const auto mask = model::parse_ip(words[1]);
  if (!base || !mask || base->family != model::Family::V4 || mask->family != model::Family::V4)
    return std::nullopt;
  int len = 0;
  while (len < 32 && ((mask->value >> (31 - len)) & 1) != 0) ++len;
  const model::u128 rest = len == 32 ? 0 : (mask->value << len) & model::family_max(base->family);
  if (rest != 0) return std::nullopt;  // non-contiguous
  return model::parse_cidr(words[0] + "/" + std::to_string(len));
}

std::optional<model::IpRange> parse_range(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (text.find('/') != std::string_view::npos) return model::parse_cidr(text);
    return model::parse_cidr(text);
  }
  const auto lo = model::parse_ip(text.substr(0, dash));
  const auto hi = model::parse_ip(text.substr(dash + 1));
  if (!lo || !hi || lo->family != hi->family || lo->value > hi->value) return std::nullopt;
  return model::IpRange{lo->family, lo->value, hi->value};
}

std::optional<std::pair<std::uint16_t, std::uint16_t>> parse_ports(std::string_view text) {
  const auto dash = text.find('-');
  const auto lo = to_int(text.substr(0, dash));
  const auto hi = dash == std::string_view::npos ? lo : to_int(text.substr(dash + 1));
  if (!lo || !hi || *lo < 0 || *hi > 65535 || *lo > *hi) return std::nullopt;
  return std::make_pair(static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi));
}

}  // namespace detail
}  // namespace sanso::vendor::fortigate
