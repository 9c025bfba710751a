#pragma once
// The service words of allow entries (TOPOLOGY.md "Names"): tcp/N, udp/N, sctp/N, their N-M
// ranges, icmp, icmp/TYPE, icmpv6, icmpv6/TYPE, ip/PROTO and the named services of
// docs/services.md, whose one table lives in services.cpp.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "topology/topology.h"

namespace sanso::topology {

struct NamedService {
  std::string_view name;
  std::string_view definition;  ///< in service words, e.g. "tcp/3389 udp/3389"
  std::string_view description;
};

/// The named service table, in the order docs/services.md lists it.
std::span<const NamedService> named_services();

/// Parses one service word. On failure returns nullopt and sets `error` to a message such as
/// "unknown service 'smpt' in allow entry 'x' (expected ...)", `where` being "in allow entry 'x'".
std::optional<Service> parse_service(std::string_view text, std::string& error,
                                     std::string_view where = {});

/// The display protocols of screen transfer (rdp, ica, blast, pcoip, https) as one packet set:
/// a service is a display protocol iff this set contains its packets.
model::PacketSet display_protocols();

}  // namespace sanso::topology
