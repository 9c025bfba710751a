#include "vendor/nftables/iface.h"

namespace sanso::vendor::nftables {
namespace {
std::string_view stem(std::string_view p) { return is_wildcard(p) ? p.substr(0, p.size() - 1) : p; }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
}  // namespace

bool is_wildcard(std::string_view p) { return !p.empty() && p.back() == '*'; }

bool covers(std::string_view outer, std::string_view inner) {
  if (!is_wildcard(outer)) return !is_wildcard(inner) && outer == inner;
  return starts_with(stem(inner), stem(outer));
}

bool disjoint(std::string_view a, std::string_view b) {
  if (!is_wildcard(a) && !is_wildcard(b)) return a != b;
  if (!is_wildcard(a)) return !starts_with(a, stem(b));
  if (!is_wildcard(b)) return !starts_with(b, stem(a));
  return !starts_with(stem(a), stem(b)) && !starts_with(stem(b), stem(a));
}

std::optional<std::string> intersect(const std::string& a, const std::string& b) {
  if (covers(a, b)) return b;
  if (covers(b, a)) return a;
  return std::nullopt;
}

}  // namespace sanso::vendor::nftables
