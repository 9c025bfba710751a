// A name matches a set of exact patterns (at most one: the one it equals) and a chain of wildcard
// stems (those it starts with, ordered by length). If the name equals a pattern's string it
// behaves as that string; otherwise it behaves as its longest matching stem followed by a byte no
// pattern contains, or, with no matching stem, as a name nothing matches. Those strings are the
// representatives.
#include "rulebase/interfaces.h"

#include <algorithm>

namespace sanso::rulebase {
namespace {

constexpr char kOther = '\x01';  // no interface name or pattern contains it

bool is_wild(const std::string& p) { return !p.empty() && (p.back() == '+' || p.back() == '*'); }

}  // namespace

std::vector<std::string> interface_classes(
    const std::vector<const std::optional<model::InterfaceMatch>*>& conditions) {
  std::vector<std::string> out{std::string(1, kOther)};
  for (const auto* c : conditions) {
    if (c == nullptr || !*c) continue;
    const std::string& p = (*c)->pattern;
    if (is_wild(p)) {
      const std::string stem = p.substr(0, p.size() - 1);
      out.push_back(stem);
      out.push_back(stem + kOther);
    } else {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<char> satisfying(const std::optional<model::InterfaceMatch>& condition,
                             const std::vector<std::string>& classes) {
  std::vector<char> out(classes.size(), 1);
  if (!condition) return out;
  for (std::size_t i = 0; i < classes.size(); ++i) out[i] = model::matches(*condition, classes[i]) ? 1 : 0;
  return out;
}

}  // namespace sanso::rulebase
