#include "capture/alert_gate.h"

namespace sanso::capture {

void AlertGate::forget_old(Nanos now) {
  while (!order_.empty() &&
         (now - order_.front().first >= options_.dedupe_window ||
          seen_.size() > options_.max_identities)) {
    auto it = seen_.find(order_.front().second);
    // An identity re-alerted later has a newer entry further back; drop only its own record.
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

AlertGate::Decision AlertGate::admit(const std::string& id, const policy::RuleDef* rule,
                                     Nanos now) {
  forget_old(now);
  if (seen_.contains(id)) {
    ++repeats_;
    return Decision::Repeat;
  }
  auto [it, fresh] = windows_.try_emplace(rule, RuleWindow{now, 0, 0});
  RuleWindow& w = it->second;
  // A window past its end whose aggregate nobody collected (due() not called) starts again; its
  // suppressed count stays pending for flush().
  if (!fresh && now - w.start >= options_.rate_window && w.suppressed == 0) w = RuleWindow{now, 0, 0};
  if (w.emitted >= options_.max_per_rule) {
    ++w.suppressed;
    ++suppressed_;
    return Decision::Suppressed;
  }
  ++w.emitted;
  seen_.emplace(id, now);
  order_.emplace_back(now, id);
  return Decision::Emit;
}

std::vector<AlertAggregate> AlertGate::due(Nanos now) {
  std::vector<AlertAggregate> out;
  for (auto& [rule, w] : windows_) {
    if (now - w.start < options_.rate_window) continue;
    if (w.suppressed > 0) out.push_back({rule, w.start, w.start + options_.rate_window, w.suppressed});
    w = RuleWindow{now, 0, 0};
  }
  return out;
}

std::vector<AlertAggregate> AlertGate::flush() {
  std::vector<AlertAggregate> out;
  for (auto& [rule, w] : windows_) {
    if (w.suppressed > 0) out.push_back({rule, w.start, w.start + options_.rate_window, w.suppressed});
    w = RuleWindow{};
  }
  return out;
}

}  // namespace sanso::capture
