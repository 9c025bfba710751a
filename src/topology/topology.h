#pragma once
// The topology of TOPOLOGY.md as loaded and validated: every key of the format, with the
// network.yaml line each item was declared on. Names are resolved: a reference that loads is a
// reference that exists.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/address.h"
#include "model/packet_set.h"

namespace sanso::topology {

enum class Tier { Mynumber, Lgwan, Internet };
enum class Model { Alpha, AlphaPrime, Beta, BetaPrime };
enum class ExceptionDirection { ImportOnly, Bidirectional };
enum class MnWlan { Forbidden, EnterpriseEapTls };
enum class Medium { Wired, Wireless };
enum class ZoneRole { None, PublicBody, Egress };
enum class HostRole { Terminal, Server, Sanitizer, MnLinkServer, Network, Sensor };
enum class SanitizeMethod { MailText, ScreenTransfer, FileSanitize };
enum class AllowKind { Specific, Sanitized, PublicBody, MnScreen, Necessary };

std::string_view to_string(Tier);
std::string_view to_string(Model);
std::string_view to_string(ExceptionDirection);
std::string_view to_string(MnWlan);
std::string_view to_string(HostRole);
std::string_view to_string(SanitizeMethod);
std::string_view to_string(AllowKind);
std::string_view to_string(ZoneRole);   ///< "none", "public-body", "egress"
std::string_view to_string(Medium);     ///< "wired", "wireless"

struct Policy {
  Model model = Model::Alpha;
  ExceptionDirection mn_exception_direction = ExceptionDirection::ImportOnly;
  MnWlan mn_wlan = MnWlan::Forbidden;
  bool mn_screen_transfer = false;
  std::vector<model::IpAddress> ntp_sources;
  std::vector<model::IpAddress> log_collectors;
  std::vector<std::string> rule_packs;  ///< paths relative to network.yaml
  int line = 0;
};

struct Zone {
  std::string name;
  Tier tier = Tier::Mynumber;
  bool external = false;
  bool dedicated_link = false;  ///< link: dedicated
  ZoneRole role = ZoneRole::None;
  bool is_tier = false;         ///< one of the three built-in zones mynumber, lgwan, internet
  int line = 0;                 ///< 0 for the built-in tier zones
};

struct Segment {
  std::string name;
  std::string zone;
  std::vector<model::IpRange> cidrs;
  std::optional<int> vlan;
  bool inventory_complete = false;
  Medium medium = Medium::Wired;
  std::vector<std::string> reaches;  ///< zone names
  int line = 0;
  bool is_catch_all() const;         ///< holds 0.0.0.0/0 or ::/0
};

struct HostInterface {
  std::string segment;
  std::optional<model::IpAddress> ip;
  std::optional<std::uint64_t> mac;
  int line = 0;
};

struct Host {
  std::string name;
  std::vector<HostInterface> interfaces;  ///< the short form {segment, ip, mac} is one interface
  HostRole role = HostRole::Terminal;
  std::optional<SanitizeMethod> method;   ///< sanitizers only
  bool from_inventory_file = false;
  std::string file;                       ///< network.yaml or the inventory CSV
  int line = 0;
};

struct Device {
  std::string name;
  std::optional<std::string> vendor;      ///< absent: a device without config (forwards all)
  std::vector<std::string> configs;       ///< paths as written (relative to network.yaml)
  std::optional<std::string> context;
  std::optional<std::string> ipsets;      ///< path as written
  std::map<std::string, std::string> interfaces;  ///< vendor interface name (maybe "eth2+") -> segment
  std::optional<std::vector<std::string>> settings_ntp;
  std::optional<std::vector<std::string>> settings_syslog;
  int settings_line = 0;  ///< the `settings:` key (0: none)
  int line = 0;
};

/// One side of an allow entry, resolved.
struct Endpoint {
  enum class Kind { Host, Segment, Zone } kind = Kind::Host;
  std::string name;
};

struct Service {
  std::string text;          ///< as written ("smtp", "tcp/443", ...)
  model::PacketSet packets;  ///< protocol and destination ports (other fields free)
  int port_count = 0;        ///< number of distinct (proto, port) pairs; a range counts each port
  bool exact = true;         ///< false for "ip/PROTO" without ports or a range wider than one port
};

struct AllowEntry {
  std::string id;
  AllowKind kind = AllowKind::Specific;
  std::optional<SanitizeMethod> method;
  Endpoint from;
  Endpoint to;
  std::vector<Service> services;
  std::optional<std::string> reason;
  int line = 0;
};

struct CapturePoint {
  std::string name;
  std::string interface;
  std::vector<std::string> sees;  ///< segment names
  int line = 0;
};

struct WaiverMatch {
  std::string rule;
  std::optional<std::string> device;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> text;  ///< the permitting rule's normalised text
};

struct Waiver {
  WaiverMatch finding;
  std::string reason;
  std::optional<std::string> owner;
  std::optional<std::string> expires;  ///< YYYY-MM-DD
  int line = 0;
};

struct Topology {
  std::string path;       ///< the network.yaml that was loaded
  std::string directory;  ///< its directory: config paths are relative to it
  int format_version = 1;
  std::string name;
  Policy policy;
  std::vector<Zone> zones;        ///< the three tiers first, then declared zones in file order
  std::vector<Segment> segments;  ///< file order
  std::vector<Host> hosts;        ///< file order, then inventory files
  std::vector<std::string> inventory_files;
  std::vector<Device> devices;
  std::vector<AllowEntry> allow;
  std::vector<CapturePoint> monitor;
  std::vector<Waiver> waivers;

  const Zone* find_zone(const std::string& name) const;
  const Segment* find_segment(const std::string& name) const;
  const Host* find_host(const std::string& name) const;
  const Device* find_device(const std::string& name) const;
  const AllowEntry* find_allow(const std::string& id) const;
  Tier tier_of_zone(const std::string& zone) const;
};

}  // namespace sanso::topology
