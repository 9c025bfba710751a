#pragma once
// CliTree -> FortigateConfig for one VDOM: which blocks belong to it, and what each handled
// section says. Every command line is either read, deliberately ignored (sections.cpp says why),
// or noted in FortigateConfig::unparsed with the reason.
#include <optional>
#include <string>
#include <vector>

#include "vendor/fortigate/cli_tree.h"
#include "vendor/fortigate/config.h"

namespace sanso::vendor::fortigate {

/// The VDOMs a file defines: the entries of its `config vdom` blocks, in order. Empty when the
/// file has no VDOMs (everything is the root VDOM).
std::vector<std::string> vdom_names(const CliTree& tree);

/// Extracts `vdom` ("root" for a file without VDOMs). The caller has checked that it exists.
FortigateConfig extract(const std::string& file, const CliTree& tree, const std::string& vdom);

}  // namespace sanso::vendor::fortigate
