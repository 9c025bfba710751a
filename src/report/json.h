#pragma once
// The audit as JSON (DESIGN §5 "Audit JSON"): the minimum every version keeps, plus more fields.
#include <nlohmann/json.hpp>

#include "model/device.h"
#include "policy/audit.h"
#include "topology/topology.h"

namespace sanso::report {

nlohmann::json witness_json(const model::Packet& p, bool show_mac);
nlohmann::json coverage_json(const std::string& device, const std::string& vendor,
                             const model::Coverage& c);
nlohmann::json audit_json(const topology::Topology& topology, const policy::AuditResult& result);

}  // namespace sanso::report
