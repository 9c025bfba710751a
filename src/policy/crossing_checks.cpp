#include "policy/crossing_checks.h"

namespace sanso::policy {
namespace {

using topology::AllowKind;
using topology::Tier;

/// The `method` parameter of a sanitize-method rule.
std::optional<topology::SanitizeMethod> method_param(const RuleDef& rule) {
  auto it = rule.params.find("method");
  if (it == rule.params.end() || it->second.empty()) return std::nullopt;
  for (auto m : {topology::SanitizeMethod::MailText, topology::SanitizeMethod::ScreenTransfer,
                 topology::SanitizeMethod::FileSanitize}) {
    if (it->second.front() == topology::to_string(m)) return m;
  }
  return std::nullopt;
}

bool touches_mynumber(const CrossingContext& c) {
  return c.from.tier == Tier::Mynumber || c.to.tier == Tier::Mynumber;
}

bool lgwan_internet(const CrossingContext& c) {
  return (c.from.tier == Tier::Lgwan && c.to.tier == Tier::Internet) ||
         (c.from.tier == Tier::Internet && c.to.tier == Tier::Lgwan);
}

class MnNoInternetPath final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "mn-no-internet-path"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return c.from.tier == Tier::Mynumber && c.to.tier == Tier::Internet;
  }
};

class MnSpecificComm final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "mn-specific-comm"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return touches_mynumber(c) && exceeds_declared(c, AllowKind::Specific);
  }
};

class MnNationalViaLgwan final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "mn-national-via-lgwan"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    if (!touches_mynumber(c)) return false;
    const bool public_body = c.from.role == topology::ZoneRole::PublicBody ||
                             c.to.role == topology::ZoneRole::PublicBody;
    return public_body || exceeds_declared(c, AllowKind::PublicBody);
  }
};

class MnIsolate final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "mn-isolate"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return touches_mynumber(c) && c.from.tier != c.to.tier;
  }
};

class SanitizeMethod final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "sanitize-method"; }
  bool fits(const CrossingContext& c, const RuleDef& rule) const override {
    if (!lgwan_internet(c)) return false;
    const auto method = method_param(rule);
    return method && bypasses_sanitized(c, *method);
  }
};

class LgImportSanitized final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "lg-import-sanitized"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return c.from.tier == Tier::Internet && c.to.tier == Tier::Lgwan;
  }
};

class LgNoInternet final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "lg-no-internet"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return c.from.tier == Tier::Lgwan && c.to.tier == Tier::Internet && c.to.external;
  }
};

class LgInetSplit final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "lg-inet-split"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override { return lgwan_internet(c); }
};

class InetSeccloud final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "inet-seccloud"; }
  bool fits(const CrossingContext& c, const RuleDef& rule) const override {
    return c.from.tier == c.to.tier && c.intra_tier_result == rule.id;
  }
};

class ZoneDefaultDeny final : public CrossingCheck {
 public:
  std::string_view kind() const override { return "zone-default-deny"; }
  bool fits(const CrossingContext& c, const RuleDef&) const override {
    return c.from.tier != c.to.tier &&
           (c.rule_any_source || c.rule_any_destination || c.rule_any_service);
  }
};

}  // namespace

bool exceeds_declared(const CrossingContext& c, topology::AllowKind kind,
                      std::optional<topology::SanitizeMethod> method) {
  for (const auto& d : c.allowances.entries()) {
    if (d.entry->kind != kind) continue;
    if (method && d.entry->method != method) continue;
    if (d.packets.intersects(c.rule_hit)) return true;
  }
  return false;
}

bool bypasses_sanitized(const CrossingContext& c, topology::SanitizeMethod method) {
  if (exceeds_declared(c, AllowKind::Sanitized, method)) return true;
  for (const auto& d : c.allowances.entries()) {
    if (d.entry->kind != AllowKind::Sanitized || d.entry->method != method) continue;
    if (d.destination.intersects(c.uncovered)) return true;
  }
  return false;
}

std::string declared_entry_of(const CrossingContext& c, const RuleDef& rule) {
  std::optional<AllowKind> kind;
  std::optional<topology::SanitizeMethod> method;
  if (rule.check == "mn-specific-comm") kind = AllowKind::Specific;
  if (rule.check == "mn-national-via-lgwan") kind = AllowKind::PublicBody;
  if (rule.check == "sanitize-method") {
    kind = AllowKind::Sanitized;
    method = method_param(rule);
  }
  if (!kind) return {};
  for (const auto& d : c.allowances.entries()) {
    if (d.entry->kind != *kind || (method && d.entry->method != method)) continue;
    if (d.packets.intersects(c.rule_hit) || d.destination.intersects(c.uncovered) ||
        d.endpoints.intersects(c.uncovered)) {
      return "'" + d.entry->id + "'";
    }
  }
  return {};
}

const std::vector<std::unique_ptr<CrossingCheck>>& crossing_checks() {
  // Immutable after construction; DESIGN §5 precedence order.
  static const std::vector<std::unique_ptr<CrossingCheck>> checks = [] {
    std::vector<std::unique_ptr<CrossingCheck>> v;
    v.push_back(std::make_unique<MnNoInternetPath>());
    v.push_back(std::make_unique<MnSpecificComm>());
    v.push_back(std::make_unique<MnNationalViaLgwan>());
    v.push_back(std::make_unique<MnIsolate>());
    v.push_back(std::make_unique<SanitizeMethod>());
    v.push_back(std::make_unique<LgImportSanitized>());
    v.push_back(std::make_unique<LgNoInternet>());
    v.push_back(std::make_unique<LgInetSplit>());
    v.push_back(std::make_unique<InetSeccloud>());
    v.push_back(std::make_unique<ZoneDefaultDeny>());
    return v;
  }();
  return checks;
}

}  // namespace sanso::policy
