#pragma once
// The ASA's literal names for ports, ICMP types and IP protocols (the tables of the ASA CLI
// configuration guide, "Addresses, Protocols, and Ports"). docs/vendors/cisco-asa.md lists them;
// the device's assumptions say when a name was read through this table.
#include <cstdint>
#include <optional>
#include <string_view>

namespace sanso::vendor::asa {

/// A port written as a number (0-65535) or an ASA name, for TCP (`tcp` true) or UDP. Names that
/// exist for one protocol only (`www` is TCP, `snmp` UDP) are still accepted for the other, as
/// the ASA does in tcp-udp groups.
std::optional<std::uint16_t> port_number(std::string_view word, bool tcp);
/// Whether `word` is a name (not a number): reading it relied on the table.
bool is_port_name(std::string_view word);
/// An ICMP (`v6` false) or ICMPv6 type written as a number or a name.
std::optional<int> icmp_type(std::string_view word, bool v6);
/// `ip` is nullopt-every-protocol and is handled by the caller; other names and numbers 0-255.
std::optional<std::uint8_t> protocol_number(std::string_view word);

}  // namespace sanso::vendor::asa
