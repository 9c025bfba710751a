#pragma once
// One side of an impact check: a topology with its parsed devices, built into a network, lowered,
// walked and audited once.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "analysis/reachability.h"
#include "impact/pairs.h"
#include "model/device.h"
#include "policy/audit.h"
#include "policy/rule_pack.h"
#include "topology/topology.h"

namespace sanso::impact {

/// The network points into the topology and the device models: a Snapshot never moves (it lives
/// behind a unique_ptr).
struct Snapshot {
  topology::Topology topology;
  policy::RulePack pack;
  std::map<std::string, model::Device> devices;
  policy::AuditOptions options;
  std::unique_ptr<analysis::Network> network;
  std::vector<analysis::PathFlow> flows;
  analysis::WalkRecord walk;  ///< how `flows` were walked: a change resumes from it
  policy::AuditResult audit;
  policy::AuditMemo memo;     ///< what the audit computed per flow and group: a change reuses it
  PairMap zone_pairs;     ///< zone_pairs(network, flows)
  PairMap segment_pairs;  ///< segment_pairs(network, flows)

  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
};

/// Builds, lowers (with options.threads workers), walks and audits.
std::unique_ptr<Snapshot> build_snapshot(topology::Topology topology, policy::RulePack pack,
                                         std::map<std::string, model::Device> devices,
                                         policy::AuditOptions options);

}  // namespace sanso::impact
