#pragma once
// Helpers shared by the extract_*.cpp files (not part of the module's interface).
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/address.h"
#include "vendor/fortigate/cli_tree.h"
#include "vendor/fortigate/config.h"

namespace sanso::vendor::fortigate::detail {

/// Collects the unparsed notes of one VDOM's extraction.
struct Notes {
  std::vector<UnparsedNote>* out;
  void add(int line, std::string reason) const { out->push_back({line, std::move(reason)}); }
};

/// Applies one list command to a list attribute: set/select replace, append adds, unset clears,
/// unselect removes the named values.
inline void apply_list(Names& n, const Command& c) {
  const std::vector<std::string> values(c.args.begin() + (c.args.empty() ? 0 : 1), c.args.end());
  if (c.verb == "set" || c.verb == "select") {
    n.names = values;
    n.lines = {c.line};
  } else if (c.verb == "append") {
    n.names.insert(n.names.end(), values.begin(), values.end());
    n.lines.push_back(c.line);
  } else if (c.verb == "unset") {
    n.names.clear();
    n.lines.clear();
  } else if (c.verb == "unselect") {
    for (const auto& v : values) std::erase(n.names, v);
    n.lines.push_back(c.line);
  }
}

/// The key of an attribute command, "" for other verbs.
inline const std::string& key_of(const Command& c) {
  static const std::string none;
  const bool attr = c.verb == "set" || c.verb == "unset" || c.verb == "append" ||
                    c.verb == "select" || c.verb == "unselect";
  return attr && !c.args.empty() ? c.args[0] : none;
}

/// The single value of `set KEY VALUE` (nullopt for unset or a missing value).
inline std::optional<std::string> value_of(const Command& c) {
  if (c.verb == "unset" || c.args.size() < 2) return std::nullopt;
  return c.args[1];
}

inline bool is_enable(const Command& c) {
  const auto v = value_of(c);
  return v && *v == "enable";
}

inline std::optional<int> to_int(std::string_view s) {
  int v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

/// "A.B.C.D M.M.M.M" (two words) or "A.B.C.D/len": a contiguous mask only.
std::optional<model::IpRange> parse_subnet(const std::vector<std::string>& words);
/// "A" or "A-B" (an address range), IPv4 or IPv6.
std::optional<model::IpRange> parse_range(std::string_view text);
/// "lo[-hi]" port range.
std::optional<std::pair<std::uint16_t, std::uint16_t>> parse_ports(std::string_view text);

void extract_interfaces(const Block& b, const std::string& vdom, bool multi_vdom,
                        FortigateConfig& cfg, const Notes& notes);
void extract_zones(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_addresses(const Block& b, model::Family family, FortigateConfig& cfg,
                       const Notes& notes);
void extract_addrgrps(const Block& b, model::Family family, FortigateConfig& cfg,
                      const Notes& notes);
void extract_services(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_service_groups(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_vips(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_vipgrps(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_ippools(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_policies(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_central_snat(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_system_settings(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_ntp(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_log_target(const Block& b, FortigateConfig& cfg, const Notes& notes);
void extract_log_setting(const Block& b, FortigateConfig& cfg, const Notes& notes);

/// Notes every command and entry line of a block (nested ones included) with `reason`.
void note_all(const Block& b, const std::string& reason, const Notes& notes);

}  // namespace sanso::vendor::fortigate::detail
