#pragma once
// Conjunction of iptables interface conditions (`-i eth1.96` on a jump, `! -i eth0` inside the
// chain). One InterfaceMatch cannot always hold the conjunction; then the result keeps the
// weaker condition (every packet the pair matches still matches) and says it is approximate.
#include <optional>

#include "model/device.h"

namespace sanso::vendor::iptables {

struct CombinedInterface {
  std::optional<model::InterfaceMatch> match;
  bool empty = false;        ///< no interface satisfies both
  bool approximate = false;  ///< `match` is weaker than the conjunction
};

CombinedInterface combine(const std::optional<model::InterfaceMatch>& a,
                          const std::optional<model::InterfaceMatch>& b);

/// Every interface satisfying `context` satisfies `condition`.
bool implies(const std::optional<model::InterfaceMatch>& context,
             const std::optional<model::InterfaceMatch>& condition);

}  // namespace sanso::vendor::iptables
