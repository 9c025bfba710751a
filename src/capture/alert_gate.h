#pragma once
// De-duplication and rate limiting of alerts (DESIGN §5, issue 3 item 4): an identity alerts once
// per window and later sightings are counted; a rule alerts at most `max_per_rule` times per rate
// window and the rest of a flood becomes one aggregate with its count. Both bounded in memory and
// driven by capture time, so a replay gives the same alerts as the live run did.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture/alert.h"

namespace sanso::capture {

struct AlertGateOptions {
  Nanos dedupe_window = 3600 * kSecond;
  std::size_t max_identities = 100'000;
  Nanos rate_window = 60 * kSecond;
  std::uint32_t max_per_rule = 20;
};

class AlertGate {
 public:
  explicit AlertGate(AlertGateOptions options = {}) : options_(options) {}

  enum class Decision { Emit, Repeat, Suppressed };
  Decision admit(const std::string& id, const policy::RuleDef* rule, Nanos now);
  /// Aggregates of rate windows that have closed by `now` (call before admit() at `now`).
  std::vector<AlertAggregate> due(Nanos now);
  /// Every pending aggregate (end of input, shutdown).
  std::vector<AlertAggregate> flush();

  std::uint64_t repeats() const { return repeats_; }
  std::uint64_t suppressed() const { return suppressed_; }
  std::size_t identities() const { return seen_.size(); }

 private:
  struct RuleWindow {
    Nanos start = 0;
    std::uint32_t emitted = 0;
    std::uint64_t suppressed = 0;
  };
  void forget_old(Nanos now);

  AlertGateOptions options_;
  std::unordered_map<std::string, Nanos> seen_;    ///< identity -> time it alerted
  std::deque<std::pair<Nanos, std::string>> order_;  ///< alert order, for expiry and the bound
  std::map<const policy::RuleDef*, RuleWindow> windows_;
  std::uint64_t repeats_ = 0, suppressed_ = 0;
};

}  // namespace sanso::capture
