#pragma once
// The monitor's packet path: decode -> flow table -> classify each new flow once -> alerts.
// Single-threaded and driven by capture time (a fake clock in tests is just packet timestamps and
// tick()); the daemon around it (signals, metrics, syslog) lives in src/service and src/cli.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <set>
#include <utility>
#include <vector>

#include "capture/alert.h"
#include "capture/alert_gate.h"
#include "capture/classifier.h"
#include "capture/decode/decoder.h"
#include "capture/flow_table.h"

namespace sanso::capture {

struct MonitorOptions {
  std::size_t max_flows = 1'000'000;  ///< hard bound: the oldest idle flow is evicted beyond it
  FlowTimeouts timeouts;
  DecoderLimits decoder;
  AlertGateOptions gate;
  std::size_t max_devices = 65'536;   ///< unregistered devices remembered (alerted once each)
  /// Packets decoded ahead of the one being judged (at most Monitor::kRing - 1), so that their
  /// flow-table lines are fetched while earlier packets are processed. 0: each packet is fully
  /// processed before packet() returns (tests, step by step). tick(), reload() and finish()
  /// process everything pending first.
  std::size_t lookahead = 0;
};

/// Counters for the summary and /metrics (a copy; cheap enough to take once a second).
struct MonitorCounters {
  std::uint64_t packets = 0, bytes = 0;
  std::uint64_t not_tracked = 0;             ///< packets without an L3 worth tracking
  std::uint64_t fragments_unattributed = 0;  ///< later fragments whose first was never seen
  DecodeStats decode;
  AnomalyCounters anomalies;
  FlowTableStats flows;
  std::size_t flow_memory_bytes = 0;
  std::map<std::string, std::uint64_t> flows_by_tier_pair;  ///< "mynumber>lgwan", "lgwan", "unzoned"
  std::map<std::string, std::uint64_t> alerts_by_rule;      ///< emitted alerts
  std::uint64_t alerts = 0, repeats = 0, suppressed = 0, aggregates = 0;
  std::uint64_t devices_alerted = 0, devices_untracked = 0;
  std::uint64_t reloads = 0, reload_alerts = 0;
  Nanos first_ts = 0, last_ts = 0;
};

class Monitor {
 public:
  Monitor(std::shared_ptr<const Classifier> classifier, MonitorOptions options, AlertSink& sink);

  void packet(const RawPacket& raw);
  /// Timeouts, fragment expiry and closed rate windows at time `now` (capture time, or the wall
  /// clock while a live capture is idle).
  void tick(Nanos now);
  /// Swaps in a new classifier (SIGHUP) keeping every flow, and re-evaluates each live flow once:
  /// only flows that were clean and now break a rule alert.
  void reload(std::shared_ptr<const Classifier> classifier);
  /// End of input: pending aggregates are emitted, flows end.
  void finish();

  MonitorCounters counters() const;
  const Classifier& classifier() const { return *classifier_; }

 private:
  struct Pending {
    Decoded d;
    FlowKey key;
    std::uint64_t hash = 0;
    bool lo_to_hi = true;
    bool flow = false;  ///< joins a flow (not ARP, not an unattributable fragment)
  };
  static constexpr std::size_t kRing = 16;
  void drain(std::size_t keep);
  void process(const Pending& p);
  void on_flow_packet(const Pending& p);
  void on_arp(const Decoded& d);
  /// MN-SPECIFIC-COMM: an ARP packet or IPv6 neighbor advertisement (`nd`) says `claimed` is at
  /// the packet's MAC, and that address is a specific communication's source with another MAC.
  void on_address_claim(const Decoded& d, const model::IpAddress& claimed, bool nd);
  void on_fragment_anomaly(const Decoded& d);
  void check_device(const Decoded& d, const model::IpAddress& src);
  void classify(Flow& f);
  /// The judgement of one orientation, from the cache when an equal one was made before.
  const Judgement& judge(const FlowFacts& f);
  /// Judges a flow (both orientations when its direction is unknown); nullptr-free: returns the
  /// judgement to report and sets `orientation`; `breaks` says whether it alerts.
  const Judgement& judge_flow(const Flow& f, int& orientation, bool& breaks);
  void alert_flow(const Flow& f, const Judgement& j, int orientation, Nanos now);
  void alert_mac(const Flow& f, int orientation, const std::string& entry, Nanos now);
  /// De-duplication and rate limit for an alert about to be built (aggregates due are sent first).
  bool admit(const std::string& id, const policy::RuleDef* rule, Nanos now);
  void emit(Alert a, Nanos now);
  void end_flow(Flow& f, FlowTable::EndReason why);
  Observed observe(const Flow& f, int orientation) const;
  /// One packet's observation (ARP claims, devices, fragments): its sender as the initiator.
  Observed observe_packet(const Decoded& d, const model::IpAddress& sender, std::uint64_t mac,
                          std::string proto) const;
  /// A packet's capture time, never before the monitor's clock.
  Nanos packet_time(const Decoded& d) const { return d.ts > now_ ? d.ts : now_; }
  std::string end_label(const model::IpAddress& ip) const;

  std::shared_ptr<const Classifier> classifier_;
  MonitorOptions options_;
  AlertSink& sink_;
  Decoder decoder_;
  FlowTable flows_;
  AlertGate gate_;
  std::array<Pending, kRing> ring_{};
  std::size_t head_ = 0, count_ = 0;
  Nanos now_ = 0;
  /// An unregistered device: its MAC when that is unknown (address empty), else its address.
  using DeviceKey = std::pair<std::uint64_t, model::IpAddress>;
  std::set<DeviceKey> devices_;  ///< unregistered devices already alerted (bounded)
  /// Flows by (from tier, to tier, same zone), indexed by tier + 1 (0: unzoned); named in counters().
  std::uint64_t tier_pairs_[4][4][2] = {};
  /// The flow of the previous packet: bursts of one flow skip the hash lookup.
  FlowKey last_key_{};
  std::uint32_t last_index_ = 0;
  bool last_valid_ = false;

  struct JudgeKey {
    const void* src_host;
    const void* src_place;
    const void* dst_host;
    const void* dst_place;
    std::uint16_t service;  ///< dport, or ICMP type << 8 | code
    std::uint8_t proto;
    std::uint8_t flags;     ///< bit 0: ports present, 1: ICMP, 2: approved NTP server
    friend bool operator==(const JudgeKey&, const JudgeKey&) = default;
  };
  struct JudgeKeyHash {
    std::size_t operator()(const JudgeKey& k) const;
  };
  /// Verdicts by what they depend on: most flows of a network repeat a few (place, service) pairs,
  /// and the crossing checks are set operations worth not repeating per flow. Bounded (cleared
  /// when full) and dropped on reload.
  std::unordered_map<JudgeKey, Judgement, JudgeKeyHash> judged_;
  static constexpr std::size_t kMaxJudged = 1 << 16;
  Judgement within_zone_[2];
  /// Where recent addresses belong: servers and gateways recur in flow after flow. Direct-mapped,
  /// dropped on reload (a Place points into the classifier's topology).
  const Place& locate(const model::IpAddress& a);
  struct Located {
    model::IpAddress address;
    Place place;
    bool valid = false;
  };
  static constexpr std::size_t kLocateCache = 4096;
  std::vector<Located> located_ = std::vector<Located>(kLocateCache);
  int within_next_ = 0;
  MonitorCounters counters_;
};

}  // namespace sanso::capture
