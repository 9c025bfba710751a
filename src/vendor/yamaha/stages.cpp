#include "vendor/yamaha/stages.h"

#include <algorithm>
#include <tuple>

#include "vendor/yamaha/assumptions.h"
#include "vendor/yamaha/names.h"

namespace sanso::vendor::yamaha {
namespace {

using model::Family;
using model::PacketSet;

std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    const bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

model::SourceRef ref(const std::string& file, const Where& w) {
  return {file, w.line, w.end_line > w.line ? std::optional<int>(w.end_line) : std::nullopt, w.text};
}

bool known_action(std::string_view a) {
  for (std::string_view base : {"pass", "reject", "restrict"}) {
    if (a.substr(0, base.size()) != base) continue;
    const std::string_view rest = a.substr(base.size());
    if (rest.empty() || rest == "-log" || rest == "-nolog") return true;
  }
  return false;
}

// `reject` logs by default, `pass` and `restrict` do not.
bool logs(std::string_view a) {
  return a == "reject" || (a.size() > 4 && a.substr(a.size() - 4) == "-log");
}

const char* stage_name(BindingKind k, Direction d) {
  const bool in = d == Direction::In;
  switch (k) {
    case BindingKind::Ip: return in ? "ip secure filter in" : "ip secure filter out";
    case BindingKind::Ipv6: return in ? "ipv6 secure filter in" : "ipv6 secure filter out";
    case BindingKind::Ethernet: return in ? "ethernet filter in" : "ethernet filter out";
  }
  return "";
}

Family family_of(BindingKind k) { return k == BindingKind::Ipv6 ? Family::V6 : Family::V4; }

void set_iface(model::FilterEntry& e, Direction d, const std::string& iface) {
  (d == Direction::In ? e.in : e.out) = model::InterfaceMatch{iface, false};
}

using BlockKey = std::tuple<BindingKind, std::string, Direction>;

struct Block {
  const Binding* binding = nullptr;  ///< null: only unmodelled-feature entries
  std::vector<model::FilterEntry> front;    ///< uncertain entries of unmodelled features
  std::vector<model::FilterEntry> statics;
  std::vector<model::FilterEntry> dynamic;  ///< uncertain permits after the statics
};

class StageBuilder {
 public:
  StageBuilder(const YamahaConfig& cfg, StageNotes& notes) : cfg_(cfg), notes_(notes) {
    for (const IpFilter& f : cfg_.filters) {
      // A later definition of the same number replaces the earlier one, as the command does.
      filters_[{family_key(f.family), f.number}] = &f;
      if (f.garbled) {
        lowered_.emplace(&f, LoweredMatch{PacketSet::family(f.family), {}, 0});
        continue;
      }
      LoweredMatch m = lower_filter(f);
      for (const std::string& why : m.uncertain) note(f.at, why);
      lowered_.emplace(&f, std::move(m));
    }
    for (const DynamicFilter& d : cfg_.dynamic_filters) dynamic_[{family_key(d.family), d.number}] = &d;
    for (const EthernetFilter& e : cfg_.ethernet_filters) ethernet_[e.number] = &e;
  }

  std::vector<model::Filter> run() {
    // The last binding of an interface and direction is the one in force.
    std::map<BlockKey, const Binding*> current;
    std::vector<BlockKey> order;
    for (const Binding& b : cfg_.bindings) {
      const BlockKey k{b.kind, b.iface, b.dir};
      if (current.count(k) == 0) order.push_back(k);
      current[k] = &b;
    }
    for (const BlockKey& k : order) build_block(k, *current[k]);
    for (auto& [k, e] : reverse_) {
      const auto it = blocks_.find(k);
      if (it != blocks_.end() && it->second.binding != nullptr) it->second.dynamic.push_back(std::move(e));
    }
    unmodelled_features();
    relied_defaults();

    std::vector<model::Filter> out;
    const std::pair<BindingKind, Direction> stage_order[] = {
        {BindingKind::Ethernet, Direction::In}, {BindingKind::Ip, Direction::In},
        {BindingKind::Ipv6, Direction::In},     {BindingKind::Ip, Direction::Out},
        {BindingKind::Ipv6, Direction::Out},    {BindingKind::Ethernet, Direction::Out}};
    for (const auto& [kind, dir] : stage_order) {
      model::Filter f{stage_name(kind, dir), {}, model::Action::Permit,
                      {cfg_.file, std::nullopt, std::nullopt, "no list bound: pass"}};
      for (const BlockKey& k : block_order_) {
        if (std::get<0>(k) != kind || std::get<2>(k) != dir) continue;
        Block& b = blocks_.at(k);
        for (auto* part : {&b.front, &b.statics, &b.dynamic})
          for (auto& e : *part) f.entries.push_back(std::move(e));
        if (b.binding != nullptr) f.entries.push_back(implicit_deny(kind, dir, *b.binding));
      }
      if (!f.entries.empty()) out.push_back(std::move(f));
    }
    if (!policy_.empty()) {
      out.push_back({"ip policy filter", std::move(policy_), model::Action::Permit,
                     {cfg_.file, std::nullopt, std::nullopt, "no policy filter: pass"}});
    }
    return out;
  }

 private:
  void note(const Where& w, const std::string& why) {
    for (int l = w.line; l <= std::max(w.line, w.end_line); ++l) {
      auto& v = notes_.lines[l];
      if (std::find(v.begin(), v.end(), why) == v.end()) v.push_back(why);
    }
  }

  void rely(std::string_view text) { notes_.relied.insert(std::string(text)); }

  void rely_bits(unsigned bits) {
    if (bits & static_cast<unsigned>(Reliance::TcpFlagsClear)) rely(assumption::kTcpFlagsClear);
    if (bits & static_cast<unsigned>(Reliance::IcmpErrorTypes)) rely(assumption::kIcmpErrorTypes);
    if (bits & static_cast<unsigned>(Reliance::PortNames)) rely(assumption::kPortNames);
    if (bits & static_cast<unsigned>(Reliance::TcpFlagKeywords)) rely(assumption::kTcpFlagKeywords);
    if (bits & static_cast<unsigned>(Reliance::Icmp6Alone)) rely(assumption::kIcmp6Alone);
  }

  Block& block(const BlockKey& k) {
    auto [it, fresh] = blocks_.try_emplace(k);
    if (fresh) block_order_.push_back(k);
    return it->second;
  }

  void undefined(const char* type, std::uint32_t n, const Binding& b) {
    notes_.issues.push_back({model::ObjectIssue::Kind::Undefined, type, std::to_string(n),
                             ref(cfg_.file, b.at)});
    rely(assumption::kUndefinedFilter);
  }

  model::FilterEntry entry_for(const Binding& b, const Where& what, const char* stage) const {
    model::FilterEntry e;
    set_iface(e, b.dir, b.iface);
    e.evidence = {ref(cfg_.file, what), ref(cfg_.file, b.at)};
    e.normalized_text = std::string(stage) + " " + b.iface + ": " + collapse(what.text);
    return e;
  }

  void build_block(const BlockKey& k, const Binding& b) {
    Block& blk = block(k);
    blk.binding = &b;
    const char* stage = stage_name(b.kind, b.dir);
    if (b.kind == BindingKind::Ethernet) return ethernet_block(blk, b, stage);
    const int fam = family_key(family_of(b.kind));
    for (std::uint32_t n : b.filters) {
      const auto it = filters_.find({fam, n});
      if (it == filters_.end()) {
        undefined(b.kind == BindingKind::Ip ? "ip filter" : "ipv6 filter", n, b);
        continue;
      }
      notes_.used_filters.insert({fam, n});
      const IpFilter& f = *it->second;
      const LoweredMatch& m = lowered_.at(&f);
      model::FilterEntry e = entry_for(b, f.at, stage);
      e.match = m.match;
      const bool deny = known_action(f.action) && f.action.substr(0, 6) == "reject";
      e.action = deny ? model::Action::Deny : model::Action::Permit;
      if (f.garbled) {
        e.uncertain = true;
        e.uncertain_why = "filter not understood: " + *f.garbled;
      } else if (!m.uncertain.empty()) {
        e.uncertain = true;
        for (const std::string& why : m.uncertain)
          e.uncertain_why += (e.uncertain_why.empty() ? "" : "; ") + why;
      }
      e.logged = logs(f.action);
      if (f.action.substr(0, 8) == "restrict") rely(assumption::kRestrictPasses);
      rely_bits(m.relied);
      blk.statics.push_back(std::move(e));
    }
    for (std::uint32_t n : b.dynamic) dynamic_entry(blk, b, fam, n, stage);
  }

  void ethernet_block(Block& blk, const Binding& b, const char* stage) {
    rely(assumption::kEthernetDiscard);
    for (std::uint32_t n : b.filters) {
      const auto it = ethernet_.find(n);
      if (it == ethernet_.end()) {
        undefined("ethernet filter", n, b);
        continue;
      }
      notes_.used_filters.insert({0, n});
      const EthernetFilter& f = *it->second;
      model::FilterEntry e = entry_for(b, f.at, stage);
      e.action = f.action.substr(0, 6) == "reject" ? model::Action::Deny : model::Action::Permit;
      e.logged = logs(f.action);
      if (f.garbled) {
        e.match = PacketSet::all();
        e.uncertain = true;
        e.uncertain_why = "ethernet filter not understood: " + *f.garbled;
        if (!known_action(f.action)) e.action = model::Action::Permit;
      } else {
        LoweredMatch m = lower_ethernet(f, b.dir == Direction::Out);
        for (const std::string& why : m.uncertain) note(f.at, why);
        e.match = std::move(m.match);
        if (!m.uncertain.empty()) {
          e.uncertain = true;
          for (const std::string& why : m.uncertain)
            e.uncertain_why += (e.uncertain_why.empty() ? "" : "; ") + why;
        }
      }
      blk.statics.push_back(std::move(e));
    }
  }

  // The L4 part of a filter the user form of a dynamic filter names (its addresses and action
  // are ignored: ip filter dynamic reference).
  PacketSet l4_of(int fam, std::uint32_t n, const Binding& b) {
    const auto it = filters_.find({fam, n});
    if (it == filters_.end()) {
      undefined(fam == 6 ? "ipv6 filter" : "ip filter", n, b);
      return {};
    }
    notes_.used_filters.insert({fam, n});
    const IpFilter& f = *it->second;
    if (f.garbled) return PacketSet::family(f.family);
    return lower_fields(f.family, "*", "*", f.proto, f.sport, f.dport).match;
  }

  static PacketSet app_set(const std::vector<std::pair<std::uint8_t, PortRange>>& items, bool source) {
    PacketSet s;
    for (const auto& [proto, r] : items) {
      if (proto != model::kProtoTcp && proto != model::kProtoUdp) {
        s |= PacketSet::proto(proto);
      } else if (r.first == 0 && r.second == 65535) {
        s |= PacketSet::proto(proto);
      } else {
        s |= source ? PacketSet::sport(proto, r.first, r.second) : PacketSet::dport(proto, r.first, r.second);
      }
    }
    return s;
  }

  void dynamic_entry(Block& blk, const Binding& b, int fam, std::uint32_t n, const char* stage) {
    const auto it = dynamic_.find({fam, n});
    if (it == dynamic_.end()) {
      undefined(fam == 6 ? "ipv6 filter dynamic" : "ip filter dynamic", n, b);
      return;
    }
    notes_.used_dynamic.insert({fam, n});
    rely(assumption::kStaticBeforeDynamic);
    const DynamicFilter& d = *it->second;
    const Family family = d.family;
    PacketSet trigger = PacketSet::family(family), reverse;
    if (!d.garbled) {
      trigger = lower_addresses(family, d.src, true).match & lower_addresses(family, d.dst, false).match;
      const PacketSet back =
          lower_addresses(family, d.dst, true).match & lower_addresses(family, d.src, false).match;
      if (!d.app.empty()) {
        const auto app = dynamic_app(d.app);
        if (!app) {
          note(d.at, "dynamic filter application '" + d.app + "' not known: taken as any packet");
          trigger = PacketSet::family(family);
          reverse = back;
        } else {
          trigger &= app_set(app->trigger, false);
          if (!app->related_reverse.empty()) reverse = back & app_set(app->related_reverse, true);
        }
      } else {
        PacketSet l4;
        for (std::uint32_t f : d.trigger) l4 |= l4_of(fam, f, b);
        for (std::uint32_t f : d.out) l4 |= l4_of(fam, f, b);
        trigger &= l4;
        PacketSet in;
        for (std::uint32_t f : d.in) in |= l4_of(fam, f, b);
        reverse = back & in;
      }
    }
    model::FilterEntry e = entry_for(b, d.at, stage);
    e.match = std::move(trigger);
    e.action = model::Action::Permit;
    e.uncertain = true;
    e.uncertain_why = "dynamic filter " + std::to_string(n) +
                      ": may pass connection-opening packets the static filters leave undecided";
    blk.dynamic.push_back(std::move(e));
    if (reverse.empty()) return;
    rely(assumption::kRelatedConnections);
    const Direction back_dir = b.dir == Direction::In ? Direction::Out : Direction::In;
    const char* back_stage = stage_name(b.kind, back_dir);
    model::FilterEntry r;
    set_iface(r, back_dir, b.iface);
    r.evidence = {ref(cfg_.file, d.at), ref(cfg_.file, b.at)};
    r.normalized_text = std::string(back_stage) + " " + b.iface + ": related to " + collapse(d.at.text);
    r.match = std::move(reverse);
    r.action = model::Action::Permit;
    r.uncertain = true;
    r.uncertain_why = "dynamic filter " + std::to_string(n) +
                      ": may admit connections related to the ones it tracks";
    reverse_.push_back({BlockKey{b.kind, b.iface, back_dir}, std::move(r)});
  }

  model::FilterEntry implicit_deny(BindingKind kind, Direction dir, const Binding& b) const {
    model::FilterEntry e;
    set_iface(e, dir, b.iface);
    e.match = kind == BindingKind::Ethernet ? PacketSet::all() : PacketSet::family(family_of(kind));
    e.action = model::Action::Deny;
    e.evidence = {{cfg_.file, std::nullopt, std::nullopt, "implicit deny"}, ref(cfg_.file, b.at)};
    e.normalized_text = std::string(stage_name(kind, dir)) + " " + b.iface + ": implicit deny";
    return e;
  }

  // Filter sets and policy filters: what they pass is unknown, so they are uncertain denies
  // (analysis: they may block, they are not trusted to).
  void unmodelled_features() {
    for (const Unmodelled& u : cfg_.unmodelled) {
      model::FilterEntry e;
      e.match = PacketSet::all();
      e.action = model::Action::Deny;
      e.uncertain = true;
      e.uncertain_why = u.why;
      e.evidence = {ref(cfg_.file, u.at)};
      if (u.iface.empty()) {
        e.normalized_text = "ip policy filter: " + collapse(u.at.text);
        policy_.push_back(std::move(e));
        continue;
      }
      for (Direction d : {Direction::In, Direction::Out}) {
        model::FilterEntry x = e;
        set_iface(x, d, u.iface);
        x.normalized_text = std::string(stage_name(BindingKind::Ip, d)) + " " + u.iface + ": " +
                            collapse(u.at.text);
        block({BindingKind::Ip, u.iface, d}).front.push_back(std::move(x));
      }
    }
  }

  void relied_defaults() {
    for (const std::string& iface : cfg_.interfaces) {
      for (BindingKind k : {BindingKind::Ip, BindingKind::Ipv6})
        for (Direction d : {Direction::In, Direction::Out}) {
          const auto it = blocks_.find({k, iface, d});
          if (it == blocks_.end() || it->second.binding == nullptr) rely(assumption::kNoListPasses);
        }
    }
    for (const BridgeMembers& br : cfg_.bridges) {
      if (br.members.empty()) continue;
      for (const auto& [k, blk] : blocks_)
        if (std::get<1>(k) == br.bridge && blk.binding != nullptr) rely(assumption::kBridge);
    }
  }

  const YamahaConfig& cfg_;
  StageNotes& notes_;
  std::map<std::pair<int, std::uint32_t>, const IpFilter*> filters_;
  std::map<const IpFilter*, LoweredMatch> lowered_;
  std::map<std::pair<int, std::uint32_t>, const DynamicFilter*> dynamic_;
  std::map<std::uint32_t, const EthernetFilter*> ethernet_;
  std::map<BlockKey, Block> blocks_;
  std::vector<BlockKey> block_order_;
  std::vector<std::pair<BlockKey, model::FilterEntry>> reverse_;
  std::vector<model::FilterEntry> policy_;
};

}  // namespace

int family_key(Family f) { return f == Family::V4 ? 4 : 6; }

std::vector<model::Filter> build_stages(const YamahaConfig& cfg, StageNotes& notes) {
  return StageBuilder(cfg, notes).run();
}

}  // namespace sanso::vendor::yamaha
