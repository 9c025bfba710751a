#include "analysis/device_behavior.h"

#include <algorithm>
#include <cmath>

namespace sanso::analysis {
namespace {

using model::Action;
using model::PacketSet;

bool applies(const model::FilterEntry& e, const std::string& in, const std::string& out) {
  if (e.in && !model::matches(*e.in, in)) return false;
  if (e.out && !model::matches(*e.out, out)) return false;
  return true;
}

/// How an entry acts under the two bounds (device_behavior.h).
enum class Role { Permit, Deny, Skip };

Role may_role(const model::FilterEntry& e) {
  if (!e.uncertain) return e.action == Action::Permit ? Role::Permit : Role::Deny;
  return e.action == Action::Permit ? Role::Permit : Role::Skip;
}

Role must_role(const model::FilterEntry& e) {
  if (!e.uncertain) return e.action == Action::Permit ? Role::Permit : Role::Deny;
  return Role::Deny;
}

struct Bound {
  PacketSet permitted;
  std::vector<PacketSet> hits;  // per applicable entry (Skip entries get an empty hit)
  PacketSet default_hit;
};

/// log2 of the number of headers in the set's largest block: orders sets from wide to narrow.
double log_volume(const PacketSet& s) {
  double best = -1;
  for (const auto& b : s.blocks()) {
    double v = 0;
    for (const auto& i : b.field) v += std::log2(static_cast<double>(i.hi - i.lo) + 1.0);
    best = std::max(best, v);
  }
  return best;
}

/// Everything the matches cover. Unions do not depend on order, and wide sets first make every
/// narrower one a quick subtraction (a chain policy's "all of IPv4" swallows the rules at once).
PacketSet covered_by(std::vector<PacketSet> matches) {
  std::vector<std::pair<double, std::size_t>> order;
  for (std::size_t i = 0; i < matches.size(); ++i) order.push_back({-log_volume(matches[i]), i});
  std::sort(order.begin(), order.end());
  std::vector<PacketSet> sorted;
  sorted.reserve(matches.size());
  for (const auto& [v, i] : order) sorted.push_back(std::move(matches[i]));
  return model::union_all(sorted);
}

Bound lower_bound(const model::Filter& f, const std::vector<std::size_t>& applicable,
                  Role (*role)(const model::FilterEntry&)) {
  const bool default_permits = f.default_action == Action::Permit;
  // Denies after the last permit decide nothing a permit set needs (typically the chain policy
  // written as a final "deny all"): leave them out rather than compute what they match.
  std::size_t end = applicable.size();
  if (!default_permits) {
    while (end > 0 && role(f.entries[applicable[end - 1]]) != Role::Permit) --end;
  }
  std::vector<PacketSet> matches;
  std::vector<bool> wanted;            // only permit hits are needed
  std::vector<std::size_t> positions;  // index into `applicable` for each match
  for (std::size_t k = 0; k < end; ++k) {
    const auto& e = f.entries[applicable[k]];
    const Role r = role(e);
    if (r == Role::Skip) continue;
    matches.push_back(e.match);
    wanted.push_back(r == Role::Permit);
    positions.push_back(k);
  }

  std::vector<PacketSet> hits = model::first_match_hits(matches, wanted);
  Bound b;
  b.hits.resize(applicable.size());
  std::vector<PacketSet> permits;
  for (std::size_t m = 0; m < positions.size(); ++m) {
    if (wanted[m]) permits.push_back(hits[m]);
    b.hits[positions[m]] = std::move(hits[m]);
  }
  if (default_permits) {
    b.default_hit = PacketSet::all() - covered_by(std::move(matches));
    permits.push_back(b.default_hit);
  }
  b.permitted = model::union_of_disjoint(permits);  // first-match hits are disjoint
  return b;
}

bool has_uncertain(const model::Filter& f, const std::vector<std::size_t>& applicable) {
  return std::any_of(applicable.begin(), applicable.end(),
                     [&](std::size_t i) { return f.entries[i].uncertain; });
}

}  // namespace

DeviceBehavior::DeviceBehavior(std::string name, Knowledge knowledge, const model::Device* device)
    : name_(std::move(name)), knowledge_(knowledge), device_(device) {}

const PortPairBehavior& DeviceBehavior::between(const std::string& in_port,
                                                const std::string& out_port) {
  auto key = std::make_pair(in_port, out_port);
  auto it = cache_.find(key);
  if (it != cache_.end()) return *it->second;
  auto lowered = std::make_unique<PortPairBehavior>(lower(in_port, out_port));
  lowered->may_indexed = model::IndexedPacketSet(lowered->may);
  lowered->must_indexed = model::IndexedPacketSet(lowered->must);
  return *cache_.emplace(std::move(key), std::move(lowered)).first->second;
}

const DeviceBehavior::NatLowered& DeviceBehavior::nat_for(const std::string& in_port) {
  auto it = nat_cache_.find(in_port);
  if (it != nat_cache_.end()) return it->second;
  NatLowered n;
  std::vector<PacketSet> matches;
  for (std::size_t i = 0; i < device_->destination_nat.size(); ++i) {
    const auto& e = device_->destination_nat[i];
    if (e.in && !model::matches(*e.in, in_port)) continue;
    n.entries.push_back(i);
    matches.push_back(e.match);
    n.uncertain = n.uncertain || e.uncertain;
  }
  n.hits = model::first_match_hits(matches);
  n.covered = covered_by(matches);
  return nat_cache_.emplace(in_port, std::move(n)).first->second;
}

namespace {

/// Where the packets of `part` go after entry `e` rewrote them.
PacketSet image(const model::DestinationNat& e, const PacketSet& part) {
  if (!e.to) return part;
  PacketSet out = (part & PacketSet::family(e.to->family)).rewrite(model::Field::Dst, e.to->lo, e.to->hi);
  if (!e.to_ports) return out;
  PacketSet ported;
  for (std::uint8_t p : {model::kProtoTcp, model::kProtoUdp, model::kProtoSctp}) {
    ported |= (out & PacketSet::proto(p)).rewrite(model::Field::Dport, e.to_ports->first,
                                                  e.to_ports->second);
  }
  const PacketSet port_protocols = PacketSet::proto(model::kProtoTcp) |
                                   PacketSet::proto(model::kProtoUdp) |
                                   PacketSet::proto(model::kProtoSctp);
  return ported | (out - port_protocols);
}

}  // namespace

Translated DeviceBehavior::translate(const PacketSet& may, const PacketSet& must,
                                     const std::string& in_port) {
  if (device_ == nullptr || device_->destination_nat.empty()) return {may, must, false};
  const NatLowered& n = nat_for(in_port);
  if (n.entries.empty()) return {may, must, false};
  Translated t{may - n.covered, must - n.covered, false};
  for (std::size_t k = 0; k < n.entries.size(); ++k) {
    const auto& e = device_->destination_nat[n.entries[k]];
    // Uncertain entries: the packets they name may be rewritten or go on as they are.
    const PacketSet& scope = n.uncertain ? e.match : n.hits[k];
    const PacketSet part = may & scope;
    if (part.empty()) continue;
    const PacketSet moved = image(e, part);
    t.rewritten = t.rewritten || (e.to && !moved.same_as(part));
    t.may |= moved;
    if (n.uncertain) t.may |= part;
    if (!n.uncertain) t.must |= image(e, must & scope);
  }
  if (n.uncertain) t.must = PacketSet::none();
  return t;
}

const model::IndexedPacketSet& DeviceBehavior::between_any_source(const std::string& in_port,
                                                                  const std::string& out_port) {
  auto key = std::make_pair(in_port, out_port);
  auto it = any_source_cache_.find(key);
  if (it != any_source_cache_.end()) return it->second;
  model::IndexedPacketSet released(between(in_port, out_port).may.release(model::Field::Src));
  return any_source_cache_.emplace(std::move(key), std::move(released)).first->second;
}

PortPairBehavior DeviceBehavior::lower(const std::string& in_port, const std::string& out_port) const {
  PortPairBehavior r;
  switch (knowledge_) {
    case Knowledge::NoConfig:
      r.may = PacketSet::all();
      r.must = PacketSet::all();
      return r;
    case Knowledge::Unsupported:
      r.may = PacketSet::all();
      return r;
    case Knowledge::Modelled:
      break;
  }
  r.may = PacketSet::all();
  r.must = PacketSet::all();
  for (const auto& f : device_->transit) {
    std::vector<std::size_t> applicable;
    for (std::size_t i = 0; i < f.entries.size(); ++i) {
      if (applies(f.entries[i], in_port, out_port)) applicable.push_back(i);
    }
    Bound may = lower_bound(f, applicable, may_role);
    LoweredStage stage;
    stage.name = f.name;
    // Without uncertain entries both bounds are the same lowering.
    stage.must = has_uncertain(f, applicable) ? lower_bound(f, applicable, must_role).permitted
                                              : may.permitted;
    stage.entry_index = std::move(applicable);
    stage.hits = std::move(may.hits);
    stage.default_hit = std::move(may.default_hit);
    stage.may = std::move(may.permitted);
    r.may &= stage.may;
    r.must &= stage.must;
    r.stages.push_back(std::move(stage));
  }
  // Families the configs do not define are forwarded or not: nothing is proven about them.
  for (model::Family fam : {model::Family::V4, model::Family::V6}) {
    const auto& fams = device_->families;
    if (std::find(fams.begin(), fams.end(), fam) != fams.end()) continue;
    r.may |= PacketSet::family(fam);
    r.must -= PacketSet::family(fam);
  }
  // NAT the model does not apply may change what every filter sees.
  if (!device_->unmodelled_nat.empty()) r.must = PacketSet::none();
  return r;
}

std::vector<Decision> DeviceBehavior::decide(const model::Packet& p, const std::string& in_port,
                                             const std::string& out_port) const {
  std::vector<Decision> out;
  if (knowledge_ != Knowledge::Modelled) return out;
  for (std::size_t s = 0; s < device_->transit.size(); ++s) {
    const auto& f = device_->transit[s];
    Decision d{s, std::nullopt, f.default_action};
    for (std::size_t i = 0; i < f.entries.size(); ++i) {
      const auto& e = f.entries[i];
      if (!applies(e, in_port, out_port) || !e.match.contains(p)) continue;
      if (e.uncertain && e.action == Action::Deny) continue;  // not trusted to match
      d.entry = i;
      d.action = e.action;
      break;
    }
    out.push_back(d);
  }
  return out;
}

int DeviceBehavior::primary_stage(const std::string& in_port, const std::string& out_port) {
  if (knowledge_ != Knowledge::Modelled) return -1;
  const auto& b = between(in_port, out_port);
  int best = -1;
  std::size_t best_count = 0;
  for (std::size_t s = 0; s < b.stages.size(); ++s) {
    std::size_t permits = 0;
    for (std::size_t idx : b.stages[s].entry_index) {
      if (device_->transit[s].entries[idx].action == model::Action::Permit) ++permits;
    }
    if (best < 0 || permits > best_count) {
      best = static_cast<int>(s);
      best_count = permits;
    }
  }
  return best;
}

}  // namespace sanso::analysis
