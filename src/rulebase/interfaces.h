#pragma once
// Interface conditions as finite sets: the names a filter's patterns can tell apart fall into
// classes, each with a representative name, so "some interface satisfies both conditions" and
// "every interface satisfying A satisfies B" become exact tests over the representatives.
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"

namespace sanso::rulebase {

/// Representative names of every class of interface names the patterns distinguish: each exact
/// name, each wildcard's stem, the stem followed by a byte no name contains ("any other name
/// under this prefix"), and one name no pattern matches. A name's class is decided by which
/// patterns it matches; every class has a representative here.
std::vector<std::string> interface_classes(
    const std::vector<const std::optional<model::InterfaceMatch>*>& conditions);

/// Which of `classes` satisfy the condition (absent: all).
std::vector<char> satisfying(const std::optional<model::InterfaceMatch>& condition,
                             const std::vector<std::string>& classes);

}  // namespace sanso::rulebase
