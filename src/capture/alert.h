#pragma once
// A monitor alert (DESIGN §5 "Monitor alerts"): the rule, tiers and message of the audit's
// finding, with the observed flow instead of a witness packet.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/flow_table.h"
#include "capture/packet.h"
#include "policy/rule_pack.h"

namespace sanso::capture {

struct ObservedEnd {
  model::IpAddress ip;
  std::optional<std::uint16_t> port;
  std::uint64_t mac = 0;      ///< 0: not seen
  std::string host;           ///< registered host name, "" when unknown
  std::string segment;        ///< "" when no segment claims the address
  std::uint64_t packets = 0;  ///< packets and bytes this end sent
  std::uint64_t bytes = 0;
};

struct Observed {
  std::string capture_point;
  std::uint16_t vlan = 0;
  std::uint16_t inner_vlan = 0;
  Nanos first_seen = 0;
  Nanos last_seen = 0;
  std::string proto;  ///< "tcp", "udp", "icmp", "ipv6-icmp", "arp", "ip/N"
  ObservedEnd initiator;
  std::optional<ObservedEnd> responder;  ///< none for ARP claims and device sightings
  std::optional<std::uint8_t> icmp_type, icmp_code;
  Certainty certainty = Certainty::Unknown;
};

enum class AlertKind : std::uint8_t { Flow, Arp, Device, Fragment };
std::string_view to_string(AlertKind k);

struct Alert {
  AlertKind kind = AlertKind::Flow;
  const policy::RuleDef* rule = nullptr;
  std::vector<std::string> also_breaks;
  std::string from_tier, to_tier, from_zone, to_zone;  ///< "" where unknown
  policy::Text message;
  Observed observed;
  std::string closest_allow;  ///< the allow entry it came closest to, "" when none
  std::string id;             ///< identity hash: rule, initiator, responder, proto, dport
  Nanos time = 0;             ///< capture time of the packet that raised it
};

/// DESIGN §5: identity = (rule, initiator, responder, proto, dport); 16 hex digits.
std::string alert_identity(const std::string& rule, const model::IpAddress& initiator,
                           const std::optional<model::IpAddress>& responder,
                           const std::string& proto, std::optional<std::uint16_t> dport);

/// An aggregate that replaces a flood: `suppressed` alerts of one rule within one window.
struct AlertAggregate {
  const policy::RuleDef* rule = nullptr;
  Nanos window_start = 0, window_end = 0;
  std::uint64_t suppressed = 0;
};

/// Where alerts go (stdout, the tamper-evident file, syslog): implemented by the CLI.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void alert(const Alert& a) = 0;
  virtual void aggregate(const AlertAggregate& a) = 0;
};

/// "tcp", "udp", "icmp", "ipv6-icmp", "sctp", else "ip/N".
std::string proto_label(std::uint8_t proto);

}  // namespace sanso::capture
