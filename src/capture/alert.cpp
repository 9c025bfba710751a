#include "capture/alert.h"

#include <fmt/format.h>

#include "policy/finding.h"

namespace sanso::capture {

std::string_view to_string(AlertKind k) {
  switch (k) {
    case AlertKind::Flow: return "flow";
    case AlertKind::Arp: return "arp";
    case AlertKind::Device: return "device";
    case AlertKind::Fragment: return "fragment";
  }
  return "flow";
}

std::string proto_label(std::uint8_t proto) {
  switch (proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1: return "icmp";
    case 58: return "ipv6-icmp";
    case 132: return "sctp";
    default: return fmt::format("ip/{}", proto);
  }
}

std::string alert_identity(const std::string& rule, const model::IpAddress& initiator,
                           const std::optional<model::IpAddress>& responder,
                           const std::string& proto, std::optional<std::uint16_t> dport) {
  const std::string dport_text = dport ? fmt::format("{}", *dport) : std::string("-");
  return policy::identity_hash({rule, model::format_ip(initiator),
                                responder ? model::format_ip(*responder) : std::string("-"), proto,
                                dport_text});
}

}  // namespace sanso::capture
