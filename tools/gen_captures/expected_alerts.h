// expected-alerts.json: the alerts the planted violations must raise, for the end-to-end test.
#pragma once

#include "wire.h"

#include <string>
#include <vector>

namespace sanso::gen {

/// "10.1.20.10"
std::string dotted(Ipv4 a);

/// A JSON list, one object per line (stable diffs), keys in a fixed order, ending in a newline.
std::string expected_alerts_json(const std::vector<ExpectedAlert>& alerts);

}  // namespace sanso::gen
