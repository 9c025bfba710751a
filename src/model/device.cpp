#include "model/device.h"

#include <string_view>

namespace sanso::model {

bool interface_pattern_matches(const std::string& pattern, const std::string& name) {
  // iptables writes the wildcard as '+', other vendors as '*'; both mean "any suffix".
  if (!pattern.empty() && (pattern.back() == '+' || pattern.back() == '*')) {
    const std::string_view prefix(pattern.data(), pattern.size() - 1);
    return std::string_view(name).starts_with(prefix);
  }
  return pattern == name;
}

bool matches(const InterfaceMatch& m, const std::string& name) {
  return interface_pattern_matches(m.pattern, name) != m.negated;
}

}  // namespace sanso::model
