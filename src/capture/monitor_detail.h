#pragma once
// Small helpers the monitor's packet path (monitor.cpp) and its alert builders
// (monitor_alerts.cpp) share. Internal to src/capture.
#include <cstdint>
#include <string>

#include "capture/classifier.h"
#include "capture/flow_table.h"

namespace sanso::capture::monitor_detail {

inline constexpr std::uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58, kSctp = 132;

inline bool has_ports(std::uint8_t proto) { return proto == kTcp || proto == kUdp || proto == kSctp; }
inline bool is_icmp(std::uint8_t proto) { return proto == kIcmp || proto == kIcmp6; }

/// Ports that identify a service rather than a client: the well-known range and the registered
/// ports the topology's named services use. Used only to orient flows without a TCP handshake.
inline bool service_port(std::uint16_t p) {
  if (p < 1024) return true;
  switch (p) {
    case 1433: case 1494: case 1521: case 1812: case 1813: case 2049: case 2598: case 3268:
    case 3306: case 3389: case 4172: case 5060: case 5432: case 8080: case 8443: case 9100:
    case 22443:
      return true;
    default:
      return false;
  }
}

/// ICMP types that open an exchange (+1) or answer one (-1); 0 for errors and the rest.
inline int icmp_role(std::uint8_t proto, std::uint8_t type) {
  if (proto == kIcmp) {
    if (type == 8 || type == 13 || type == 15 || type == 17) return 1;
    if (type == 0 || type == 14 || type == 16 || type == 18) return -1;
    return 0;
  }
  if (type == 128 || type == 133 || type == 135 || type == 130) return 1;
  if (type == 129 || type == 134 || type == 136 || type == 131) return -1;
  return 0;
}

inline FlowFacts facts_of(const Flow& f, int orientation) {
  FlowFacts x;
  const auto fam = static_cast<model::Family>(f.key.family);
  const bool lo_first = orientation == 0;
  x.src = {fam, lo_first ? f.key.lo_ip : f.key.hi_ip};
  x.dst = {fam, lo_first ? f.key.hi_ip : f.key.lo_ip};
  x.proto = f.key.proto;
  x.has_ports = has_ports(f.key.proto);
  x.sport = lo_first ? f.key.lo_port : f.key.hi_port;
  x.dport = lo_first ? f.key.hi_port : f.key.lo_port;
  if (is_icmp(f.key.proto)) {
    x.has_icmp = true;
    x.icmp_type = f.first_icmp_type;
  }
  return x;
}

inline int initiator_orientation(const Flow& f) {
  switch (f.initiator) {
    case Initiator::Lo: return 0;
    case Initiator::Hi: return 1;
    case Initiator::Unknown: break;
  }
  return -1;
}

inline std::string tier_name(const topology::Zone* z) {
  return z == nullptr ? std::string() : std::string(topology::to_string(z->tier));
}

}  // namespace sanso::capture::monitor_detail
