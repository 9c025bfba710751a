// Interface patterns are names or prefixes ("eth1+" = "eth1" followed by anything, nothing
// included), so inclusion and disjointness of two patterns are decidable by prefix tests.
#include "vendor/iptables/iface.h"

#include <string_view>

namespace sanso::vendor::iptables {
namespace {

bool is_wild(std::string_view p) { return !p.empty() && (p.back() == '+' || p.back() == '*'); }
std::string_view stem(std::string_view p) { return is_wild(p) ? p.substr(0, p.size() - 1) : p; }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Every name matching b matches a.
bool covers(std::string_view a, std::string_view b) {
  if (!is_wild(a)) return !is_wild(b) && a == b;
  return starts_with(stem(b), stem(a));
}

bool disjoint(std::string_view a, std::string_view b) {
  if (!is_wild(a) && !is_wild(b)) return a != b;
  if (!is_wild(a)) return !starts_with(a, stem(b));
  if (!is_wild(b)) return !starts_with(b, stem(a));
  return !starts_with(stem(a), stem(b)) && !starts_with(stem(b), stem(a));
}

}  // namespace

CombinedInterface combine(const std::optional<model::InterfaceMatch>& a,
                          const std::optional<model::InterfaceMatch>& b) {
  if (!a) return {b, false, false};
  if (!b) return {a, false, false};
  if (!a->negated && !b->negated) {
    if (covers(a->pattern, b->pattern)) return {b, false, false};
    if (covers(b->pattern, a->pattern)) return {a, false, false};
    return {std::nullopt, true, false};  // prefixes that are not nested never overlap
  }
  if (a->negated && b->negated) {
    if (covers(a->pattern, b->pattern)) return {a, false, false};
    if (covers(b->pattern, a->pattern)) return {b, false, false};
    return {a, false, true};
  }
  const model::InterfaceMatch& pos = a->negated ? *b : *a;
  const model::InterfaceMatch& neg = a->negated ? *a : *b;
  if (covers(neg.pattern, pos.pattern)) return {std::nullopt, true, false};
  if (disjoint(neg.pattern, pos.pattern)) return {pos, false, false};
  return {pos, false, true};
}

bool implies(const std::optional<model::InterfaceMatch>& context,
             const std::optional<model::InterfaceMatch>& condition) {
  if (!condition) return true;
  if (!context) return false;
  if (!context->negated && !condition->negated) return covers(condition->pattern, context->pattern);
  if (context->negated && condition->negated) return covers(context->pattern, condition->pattern);
  if (!context->negated) return disjoint(context->pattern, condition->pattern);
  return false;
}

}  // namespace sanso::vendor::iptables
