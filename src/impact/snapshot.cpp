#include "impact/snapshot.h"

namespace sanso::impact {

std::unique_ptr<Snapshot> build_snapshot(topology::Topology topology, policy::RulePack pack,
                                         std::map<std::string, model::Device> devices,
                                         policy::AuditOptions options) {
  auto s = std::make_unique<Snapshot>();
  s->topology = std::move(topology);
  s->pack = std::move(pack);
  s->devices = std::move(devices);
  s->options = std::move(options);
  s->network = std::make_unique<analysis::Network>(s->topology, s->devices);
  s->network->lower_all(s->options.threads);
  s->flows = analysis::compute_reachability(*s->network, s->walk);
  s->audit = policy::run_audit_on(s->topology, s->pack, s->options, *s->network, s->flows,
                                  nullptr, &s->memo);
  s->zone_pairs = zone_pairs(*s->network, s->flows);
  s->segment_pairs = segment_pairs(*s->network, s->flows);
  return s;
}

}  // namespace sanso::impact
