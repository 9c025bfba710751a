// Third pass: address placement errors. Segments of different tiers must not overlap (a
// catch-all excepted), no CIDR is declared twice, and each host address lies in its own segment
// and in no more specific segment of another name.
#include <algorithm>
#include <tuple>

#include "topology/address_plan.h"
#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

struct Item {
  model::IpRange range;
  std::size_t segment = 0;
  std::size_t cidr = 0;
};

std::string pos_text(const Pos& p) { return p.file + ":" + std::to_string(p.line); }

void report_overlap(LoadState& s, const Item& outer, const Item& inner) {
  const Segment& a = s.topo.segments[outer.segment];
  const Segment& b = s.topo.segments[inner.segment];
  const Pos& at = s.cidr_pos[{inner.segment, inner.cidr}];
  const Pos& first = s.cidr_pos[{outer.segment, outer.cidr}];
  std::string message;
  if (outer.range == inner.range) {
    message = "cidr " + model::format_range(inner.range) + " of segment '" + b.name +
              "' is already declared by segment '" + a.name + "' at " + pos_text(first);
  } else {
    message = "cidr " + model::format_range(inner.range) + " of segment '" + b.name + "' (tier " +
              std::string(to_string(s.topo.tier_of_zone(b.zone))) + ") overlaps cidr " +
              model::format_range(outer.range) + " of segment '" + a.name + "' (tier " +
              std::string(to_string(s.topo.tier_of_zone(a.zone))) + ", " + pos_text(first) +
              "); segments of different tiers must not overlap";
  }
  s.diag.errors->push_back({at.file, at.line, at.column, message});
}

/// CIDRs nest or are disjoint: a stack sweep over (lo asc, hi desc) sees each CIDR's enclosing
/// CIDRs on the stack. Each conflict is reported once, against the nearest enclosing one.
void check_overlaps(LoadState& s) {
  std::vector<Item> items;
  for (std::size_t i = 0; i < s.topo.segments.size(); ++i) {
    const Segment& seg = s.topo.segments[i];
    if (!s.topo.find_zone(seg.zone)) continue;  // already reported as a dangling reference
    for (std::size_t c = 0; c < seg.cidrs.size(); ++c) items.push_back({seg.cidrs[c], i, c});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::make_tuple(a.range.family, a.range.lo, b.range.hi, a.segment, a.cidr) <
           std::make_tuple(b.range.family, b.range.lo, a.range.hi, b.segment, b.cidr);
  });
  std::vector<Item> stack;
  for (const Item& item : items) {
    while (!stack.empty() && (stack.back().range.family != item.range.family ||
                              stack.back().range.hi < item.range.lo))
      stack.pop_back();
    const bool catch_all = item.range == model::full_range(item.range.family);
    const Tier tier = s.topo.tier_of_zone(s.topo.segments[item.segment].zone);
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      if (it->range == item.range) {
        report_overlap(s, *it, item);
        break;
      }
      const bool outer_catch_all = it->range == model::full_range(it->range.family);
      if (catch_all || outer_catch_all) continue;
      if (s.topo.tier_of_zone(s.topo.segments[it->segment].zone) != tier) {
        report_overlap(s, *it, item);
        break;
      }
    }
    stack.push_back(item);
  }
}

const model::IpRange* innermost_holding(const Segment& seg, const model::IpAddress& ip) {
  const model::IpRange* best = nullptr;
  for (const auto& r : seg.cidrs)
    if (r.family == ip.family && r.lo <= ip.value && ip.value <= r.hi &&
        (!best || r.hi - r.lo < best->hi - best->lo))
      best = &r;
  return best;
}

std::string cidr_list(const Segment& seg) {
  std::vector<std::string> parts;
  for (const auto& r : seg.cidrs) parts.push_back(model::format_range(r));
  return join(parts);
}

void check_host_addresses(LoadState& s) {
  const AddressPlan plan(s.topo);
  for (std::size_t h = 0; h < s.topo.hosts.size(); ++h) {
    const Host& host = s.topo.hosts[h];
    for (std::size_t i = 0; i < host.interfaces.size(); ++i) {
      const HostInterface& iface = host.interfaces[i];
      const Segment* seg = s.topo.find_segment(iface.segment);
      if (!iface.ip || !seg) continue;
      const Pos& at = s.ip_pos[{h, i}];
      const std::string ip = model::format_ip(*iface.ip);
      if (!innermost_holding(*seg, *iface.ip)) {
        s.diag.errors->push_back({at.file, at.line, at.column,
                                  "ip " + ip + " of host '" + host.name +
                                      "' is outside its segment '" + seg->name + "' (" +
                                      cidr_list(*seg) + ")"});
        continue;
      }
      // A more specific segment elsewhere would own this address: the host is misplaced.
      const Segment* owner = plan.segment_of(*iface.ip);
      if (!owner || owner == seg) continue;
      const model::IpRange* r = innermost_holding(*owner, *iface.ip);
      s.diag.errors->push_back({at.file, at.line, at.column,
                                "ip " + ip + " of host '" + host.name + "' lies in segment '" +
                                    owner->name + "' (" + (r ? model::format_range(*r) : "") +
                                    "), which is more specific than its segment '" + seg->name +
                                    "'"});
    }
  }
}

}  // namespace

void check_addresses(LoadState& s) {
  check_overlaps(s);
  check_host_addresses(s);
}

}  // namespace sanso::topology::detail
