#pragma once
// FortiOS's predefined services (ALL, HTTP, HTTPS, DNS, PING, ...). A full backup defines them
// as ordinary `firewall service custom` entries, which then win; partial exports (`show` of one
// section) leave them out, and policies still name them. The table is sanso's, written from the
// FortiOS factory-default configuration; docs/vendors/fortigate.md lists it.
#include <optional>
#include <string_view>

#include "model/packet_set.h"

namespace sanso::vendor::fortigate {

/// The packets of predefined service `name`; nullopt when FortiOS has no such default service.
std::optional<model::PacketSet> predefined_service(std::string_view name);

}  // namespace sanso::vendor::fortigate
