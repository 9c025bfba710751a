#include "impact/explain.h"

#include <fmt/format.h>

namespace sanso::impact {
namespace {

std::string action_word(model::Action a) { return a == model::Action::Permit ? "permit" : "deny"; }

}  // namespace

std::vector<RuleDecision> explain_path(const std::vector<HopRef>& path, const model::Packet& p,
                                       const BehaviorLookup& lookup) {
  std::vector<RuleDecision> out;
  for (const auto& hop : path) {
    const analysis::DeviceBehavior* b = lookup(hop.device);
    if (b == nullptr) {
      out.push_back({hop.device, "", "unknown", "", std::nullopt, "device not in this snapshot"});
      continue;
    }
    switch (b->knowledge()) {
      case analysis::Knowledge::NoConfig:
        out.push_back({hop.device, "", "forward", "", std::nullopt,
                       "device without config: forwards everything between its segments"});
        continue;
      case analysis::Knowledge::Unsupported:
        out.push_back({hop.device, "", "unknown", "", std::nullopt, "vendor not supported"});
        continue;
      case analysis::Knowledge::Modelled:
        break;
    }
    const auto& dev = *b->device();
    for (const auto& d : b->decide(p, hop.in_port, hop.out_port)) {
      const auto& stage = dev.transit[d.stage];
      RuleDecision r{hop.device, stage.name, action_word(d.action), "", std::nullopt, ""};
      const model::SourceRef* ref = nullptr;
      if (d.entry) {
        const auto& ev = stage.entries[*d.entry].evidence;
        if (!ev.empty()) ref = &ev.front();
      } else if (!stage.default_source.text.empty()) {
        ref = &stage.default_source;
      }
      if (ref != nullptr) {
        r.file = ref->file;
        r.line = ref->line;
        r.text = ref->text;
      } else {
        r.text = fmt::format("no rule: default policy {}", r.action);
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace sanso::impact
