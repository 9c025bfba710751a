#include "vendor/asa/stages.h"

#include <algorithm>

#include "vendor/asa/assumptions.h"
#include "vendor/asa/lines.h"

namespace sanso::vendor::asa {
namespace {

using model::Action;
using model::PacketSet;

struct Port {
  std::string name;
  int level = 0;
  const InterfaceDef* def = nullptr;
};

class StageBuilder {
 public:
  StageBuilder(const AsaConfig& cfg, Resolver& r, const std::vector<std::string_view>& lines,
               StageNotes& notes)
      : cfg_(cfg), resolver_(r), lines_(lines), notes_(notes) {}

  std::vector<model::Filter> run() {
    ports();
    bindings();
    std::vector<model::Filter> out;
    if (auto f = interface_state(); !f.entries.empty()) out.push_back(std::move(f));
    out.push_back(ingress());
    if (auto f = same_security(); !f.entries.empty()) out.push_back(std::move(f));
    if (auto f = egress(); !f.entries.empty()) out.push_back(std::move(f));
    return out;
  }

 private:
  model::SourceRef ref(int line) const {
    model::SourceRef r{cfg_.file, line, std::nullopt, {}};
    if (line >= 1 && static_cast<std::size_t>(line) <= lines_.size())
      r.text = std::string(trim(lines_[static_cast<std::size_t>(line - 1)]));
    return r;
  }

  void note(int line, const std::string& why) {
    if (line <= 0) return;
    auto [it, fresh] = notes_.lines.try_emplace(line, why);
    if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
  }

  void ports() {
    for (const auto& i : cfg_.interfaces) {
      if (!i.nameif) continue;
      Port p{*i.nameif, 0, &i};
      if (i.security_level) {
        p.level = *i.security_level;
      } else {
        p.level = *i.nameif == "inside" ? 100 : 0;
        notes_.relied.insert(assumption::kInsideLevel);
      }
      ports_.push_back(std::move(p));
    }
  }

  void bindings() {
    // The last access-group of an interface and direction is the one in force.
    for (const auto& g : cfg_.access_groups) {
      if (g.dir != AccessGroup::Dir::Global && !has_port(g.nameif)) {
        notes_.issues.push_back({model::ObjectIssue::Kind::Undefined, "interface", g.nameif, ref(g.line)});
        note(g.line, "access-group names interface " + g.nameif + ", which no nameif defines");
      }
      if (auto t = cfg_.acl_other_type.find(g.acl); t != cfg_.acl_other_type.end()) {
        note(g.line, t->second + " access list " + g.acl + " is not modelled");
        continue;
      }
      notes_.bound_acls.insert(g.acl);
      switch (g.dir) {
        case AccessGroup::Dir::In: in_[g.nameif] = &g; break;
        case AccessGroup::Dir::Out: out_[g.nameif] = &g; break;
        case AccessGroup::Dir::Global: global_ = &g; break;
      }
    }
  }

  bool has_port(const std::string& n) const {
    return std::any_of(ports_.begin(), ports_.end(), [&](const Port& p) { return p.name == n; });
  }

  const Port* port(const std::string& n) const {
    for (const auto& p : ports_)
      if (p.name == n) return &p;
    return nullptr;
  }

  /// The lowered entries of one ACL, computed once, without interface conditions.
  const std::vector<model::FilterEntry>& acl(const AccessGroup& g) {
    auto [it, fresh] = acls_.try_emplace(g.acl);
    if (!fresh) return it->second;
    std::vector<model::FilterEntry>& out = it->second;
    if (by_acl_.empty())
      for (const Ace& a : cfg_.aces) by_acl_[a.acl].push_back(&a);
    const auto found = by_acl_.find(g.acl);
    const bool any = found != by_acl_.end();
    for (const Ace* ap : any ? found->second : std::vector<const Ace*>{}) {
      const Ace& a = *ap;
      if (a.inactive) continue;  // `inactive`: kept in the config, matches nothing
      out.push_back(entry(a));
    }
    if (!any) {
      if (cfg_.acl_first_line.count(g.acl) == 0)
        notes_.issues.push_back({model::ObjectIssue::Kind::Undefined, "access-list", g.acl, ref(g.line)});
      // An ACL that is bound but not in the file (or only remarks): what it permits is unknown.
      model::FilterEntry e;
      e.match = PacketSet::all();
      e.action = Action::Permit;
      e.uncertain = true;
      e.uncertain_why = "access-list " + g.acl + " has no entries in this file";
      e.evidence.push_back(ref(g.line));
      e.normalized_text = "access-list " + g.acl + " (missing)";
      note(g.line, e.uncertain_why);
      out.push_back(std::move(e));
    }
    return out;
  }

  model::FilterEntry entry(const Ace& a) {
    model::FilterEntry e;
    e.action = a.permit ? Action::Permit : Action::Deny;
    e.evidence.push_back(ref(a.line));
    e.normalized_text = a.text;
    std::vector<std::string> why = a.conditions;
    if (a.standard) {
      // A standard ACL names destinations only (split tunnels, route maps); bound as an access
      // rule it is read that way.
      const AddrBounds d = resolver_.address(a.dst);
      why.insert(why.end(), d.why.begin(), d.why.end());
      e.match = address_set(d.over, true);
      note(a.line, "standard access list bound as an access rule: read as matching destinations");
      why.push_back("standard access list bound as an access rule");
    } else {
      const AddrBounds s = resolver_.address(a.src);
      const AddrBounds d = resolver_.address(a.dst);
      SvcBounds svc = resolver_.service(a.service);
      why.insert(why.end(), s.why.begin(), s.why.end());
      why.insert(why.end(), d.why.begin(), d.why.end());
      why.insert(why.end(), svc.why.begin(), svc.why.end());
      e.match = address_set(s.over, false) & address_set(d.over, true) & svc.over;
    }
    if (!a.time_range.empty()) {
      why.push_back("time-range " + a.time_range + " limits when the rule applies");
      note(a.line, "time-range " + a.time_range + " limits when the rule applies");
    }
    std::sort(why.begin(), why.end());
    why.erase(std::unique(why.begin(), why.end()), why.end());
    e.uncertain = !why.empty();
    for (const auto& w : why) e.uncertain_why += (e.uncertain_why.empty() ? "" : "; ") + w;
    if (cfg_.logging_enabled) {
      e.logged = a.log || (!a.permit && !a.log_disabled);
      if (!a.permit && !a.log && !a.log_disabled) notes_.relied.insert(assumption::kDenyLogged);
    }
    return e;
  }

  model::FilterEntry implicit_deny(const AccessGroup& g, std::optional<std::string> in,
                                   std::optional<std::string> out) {
    model::FilterEntry e;
    e.match = PacketSet::all();
    e.action = Action::Deny;
    if (in) e.in = model::InterfaceMatch{*in, false};
    if (out) e.out = model::InterfaceMatch{*out, false};
    e.evidence = {{cfg_.file, std::nullopt, std::nullopt, "implicit deny"}, ref(g.line)};
    e.normalized_text = "access-group " + g.acl + ": implicit deny";
    e.logged = cfg_.logging_enabled;
    if (e.logged) notes_.relied.insert(assumption::kDenyLogged);
    return e;
  }

  model::Filter interface_state() {
    model::Filter f{"interface state", {}, Action::Permit,
                    {cfg_.file, std::nullopt, std::nullopt, "interface up"}};
    for (const auto& p : ports_) {
      const int line = p.def->shutdown ? p.def->shutdown_line : p.def->management_only ? p.def->management_line : 0;
      if (line == 0) continue;
      const std::string why = p.def->shutdown ? "shutdown" : "management-only";
      for (bool in : {true, false}) {
        model::FilterEntry e;
        e.match = PacketSet::all();
        e.action = Action::Deny;
        (in ? e.in : e.out) = model::InterfaceMatch{p.name, false};
        e.evidence.push_back(ref(line));
        e.normalized_text = "interface " + p.name + ": " + why;
        f.entries.push_back(std::move(e));
      }
    }
    return f;
  }

  void append(std::vector<model::FilterEntry>& out, const std::vector<model::FilterEntry>& acl,
              const std::optional<std::string>& in, const std::optional<std::string>& outp) {
    for (const auto& t : acl) {
      model::FilterEntry e = t;
      if (in) e.in = model::InterfaceMatch{*in, false};
      if (outp) e.out = model::InterfaceMatch{*outp, false};
      out.push_back(std::move(e));
    }
  }

  model::Filter ingress() {
    model::Filter f{"access-group in", {}, Action::Deny,
                    {cfg_.file, std::nullopt, std::nullopt, "implicit deny"}};
    for (const auto& p : ports_) {
      const auto it = in_.find(p.name);
      if (it == in_.end()) continue;
      append(f.entries, acl(*it->second), p.name, std::nullopt);
      if (!global_) f.entries.push_back(implicit_deny(*it->second, p.name, std::nullopt));
    }
    if (global_) {
      append(f.entries, acl(*global_), std::nullopt, std::nullopt);
      f.entries.push_back(implicit_deny(*global_, std::nullopt, std::nullopt));
      for (const auto& p : ports_)
        if (in_.count(p.name) == 0) notes_.relied.insert(assumption::kGlobalReplacesLevels);
      return f;
    }
    // Security levels decide for interfaces without an in ACL.
    for (const auto& a : ports_) {
      if (in_.count(a.name) != 0) continue;
      for (const auto& b : ports_) {
        model::FilterEntry e;
        e.match = PacketSet::all();
        e.in = model::InterfaceMatch{a.name, false};
        e.out = model::InterfaceMatch{b.name, false};
        const bool same = a.name == b.name;
        bool permit = a.level > b.level;
        int line = a.def->level_line > 0 ? a.def->level_line : a.def->at.line;
        if (same) {
          permit = cfg_.same_security_intra;
          if (permit) line = cfg_.same_intra_line;
        } else if (a.level == b.level) {
          permit = cfg_.same_security_inter;
          if (permit) line = cfg_.same_inter_line;
        }
        e.action = permit ? Action::Permit : Action::Deny;
        e.evidence.push_back(ref(line));
        e.evidence.front().text = "security-level " + std::to_string(a.level) + " (" + a.name +
                                  ") to " + std::to_string(b.level) + " (" + b.name + "): " +
                                  (permit ? "permitted" : "denied") + " without an access rule";
        e.normalized_text = "security-level " + a.name + " " + std::to_string(a.level) + " -> " +
                            b.name + " " + std::to_string(b.level) + (permit ? " permit" : " deny");
        e.logged = !permit && cfg_.logging_enabled;
        f.entries.push_back(std::move(e));
      }
    }
    return f;
  }

  model::Filter same_security() {
    model::Filter f{"same-security-traffic", {}, Action::Permit,
                    {cfg_.file, std::nullopt, std::nullopt, "different security levels"}};
    for (const auto& a : ports_) {
      const bool ruled = global_ != nullptr || in_.count(a.name) != 0;
      for (const auto& b : ports_) {
        if (a.level != b.level) continue;
        const bool same = a.name == b.name;
        if (same ? cfg_.same_security_intra : cfg_.same_security_inter) continue;
        model::FilterEntry e;
        e.match = PacketSet::all();
        e.action = Action::Deny;
        e.in = model::InterfaceMatch{a.name, false};
        e.out = model::InterfaceMatch{b.name, false};
        e.evidence.push_back({cfg_.file, std::nullopt, std::nullopt,
                              same ? "same-security-traffic permit intra-interface is not set"
                                   : "same-security-traffic permit inter-interface is not set"});
        e.normalized_text = "same-security-traffic " + a.name + " -> " + b.name + " deny";
        f.entries.push_back(std::move(e));
        if (ruled) notes_.relied.insert(assumption::kSameSecurityOverAcl);
      }
    }
    return f;
  }

  model::Filter egress() {
    model::Filter f{"access-group out", {}, Action::Permit,
                    {cfg_.file, std::nullopt, std::nullopt, "no out access rule"}};
    for (const auto& p : ports_) {
      const auto it = out_.find(p.name);
      if (it == out_.end()) continue;
      append(f.entries, acl(*it->second), std::nullopt, p.name);
      f.entries.push_back(implicit_deny(*it->second, std::nullopt, p.name));
    }
    if (!f.entries.empty() && !cfg_.nats.empty()) notes_.relied.insert(assumption::kOutAclReal);
    return f;
  }

  const AsaConfig& cfg_;
  Resolver& resolver_;
  const std::vector<std::string_view>& lines_;
  StageNotes& notes_;
  std::vector<Port> ports_;
  std::map<std::string, const AccessGroup*> in_, out_;
  const AccessGroup* global_ = nullptr;
  std::map<std::string, std::vector<model::FilterEntry>> acls_;
  std::map<std::string, std::vector<const Ace*>> by_acl_;
};

}  // namespace

std::vector<model::Filter> build_stages(const AsaConfig& cfg, Resolver& resolver,
                                        const std::vector<std::string_view>& lines,
                                        StageNotes& notes) {
  return StageBuilder(cfg, resolver, lines, notes).run();
}

}  // namespace sanso::vendor::asa
