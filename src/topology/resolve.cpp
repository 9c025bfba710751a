// Second pass: every name used resolves to a declaration of the expected kind, and the
// per-segment rules that need the segment's zone.
#include <algorithm>

#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

/// "zone", "host, segment or zone".
std::string kinds_phrase(const std::vector<NameKind>& kinds) {
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " or " : ", ";
    out += to_string(kinds[i]);
  }
  return out;
}

std::string article(std::string_view noun) {
  return (!noun.empty() && std::string_view("aeiou").find(noun.front()) != noun.npos) ? "an "
                                                                                      : "a ";
}

/// The declared kind of `name`, reporting a dangling or wrong-kind reference.
std::optional<NameKind> check_ref(LoadState& s, const std::string& name,
                                  const std::vector<NameKind>& allowed, const Pos& at,
                                  const std::string& what) {
  auto it = s.names.find(name);
  const std::string expected = kinds_phrase(allowed);
  if (it == s.names.end()) {
    s.diag.errors->push_back({at.file, at.line, at.column,
                              "unknown " + expected + " '" + name + "' in " + what});
    return std::nullopt;
  }
  const NameKind kind = it->second.kind;
  if (std::find(allowed.begin(), allowed.end(), kind) == allowed.end()) {
    const std::string found(to_string(kind));
    s.diag.errors->push_back({at.file, at.line, at.column,
                              "'" + name + "' in " + what + " is " + article(found) + found +
                                  " (expected " + article(expected) + expected + ")"});
    return std::nullopt;
  }
  return kind;
}

void check_segment_zones(LoadState& s) {
  for (std::size_t i = 0; i < s.topo.segments.size(); ++i) {
    const Segment& seg = s.topo.segments[i];
    const Zone* zone = s.topo.find_zone(seg.zone);
    if (!zone || zone->external) continue;
    // Only an external segment stands for space beyond the municipality's own network.
    if (!seg.reaches.empty())
      s.diag.error_at(seg.line, 0, "'reaches' in segment '" + seg.name +
                                       "' needs an external zone, but zone '" + zone->name +
                                       "' is not external");
    for (std::size_t c = 0; c < seg.cidrs.size(); ++c) {
      if (seg.cidrs[c] != model::full_range(seg.cidrs[c].family)) continue;
      const Pos& p = s.cidr_pos[{i, c}];
      s.diag.errors->push_back({p.file, p.line, p.column,
                                "catch-all cidr " + model::format_range(seg.cidrs[c]) +
                                    " in segment '" + seg.name + "' needs an external zone, but "
                                    "zone '" + zone->name + "' is not external"});
    }
  }
}

}  // namespace

void resolve_references(LoadState& s) {
  for (const Ref& r : s.refs) check_ref(s, r.name, r.allowed, r.pos, r.what);
  const std::vector<NameKind> endpoint_kinds = {NameKind::Host, NameKind::Segment,
                                                NameKind::Zone};
  for (const EndpointRef& e : s.endpoints) {
    AllowEntry& entry = s.topo.allow[e.allow_index];
    Endpoint& end = e.is_from ? entry.from : entry.to;
    const std::string what =
        std::string(e.is_from ? "'from'" : "'to'") + " of allow entry '" + entry.id + "'";
    auto kind = check_ref(s, end.name, endpoint_kinds, e.pos, what);
    if (!kind) continue;
    switch (*kind) {
      case NameKind::Host: end.kind = Endpoint::Kind::Host; break;
      case NameKind::Segment: end.kind = Endpoint::Kind::Segment; break;
      case NameKind::Zone: end.kind = Endpoint::Kind::Zone; break;
      case NameKind::Device:
      case NameKind::Allow: break;  // rejected by check_ref
    }
  }
  check_segment_zones(s);
}

}  // namespace sanso::topology::detail
