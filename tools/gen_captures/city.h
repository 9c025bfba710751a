// Example City as the wire sees it: the segments, hosts and capture points of
// topology/example-city/network.yaml (copied, not parsed: the captures must not change when the
// parser does) plus the one thing the topology does not say, each segment's gateway MAC.
#pragma once

#include "packet.h"

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace sanso::gen {

struct Segment {
  std::string_view name;
  std::uint16_t vlan;
  /// The MAC of the router interface on this segment (invented: network.yaml gives devices no
  /// MACs). Every routed frame seen on the segment carries it, as the one gateway there.
  Mac gateway;
};

/// One end of a flow: an address, the MAC it sends from when it is on a captured segment, and
/// that segment (nullptr: somewhere no capture point sees at L2).
struct Endpoint {
  std::string_view name;
  Ipv4 ip;
  std::optional<Mac> mac;
  const Segment* segment = nullptr;
};

struct CapturePoint {
  std::string_view name;
  std::array<const Segment*, 2> sees;
  bool sees_segment(const Segment* s) const { return s != nullptr && (sees[0] == s || sees[1] == s); }
};

namespace city {

// Segments (network.yaml `segments:`). Gateway MACs follow the hosts' pattern 02:00:<net>:<.1>.
inline constexpr Segment mn_clients{"mn-clients", 110, mac("02:00:0a:01:0a:01")};
inline constexpr Segment mn_servers{"mn-servers", 120, mac("02:00:0a:01:14:01")};
inline constexpr Segment lg_clients{"lg-clients", 210, mac("02:00:0a:02:0a:01")};
inline constexpr Segment lg_servers{"lg-servers", 220, mac("02:00:0a:02:14:01")};
inline constexpr Segment inet_dmz{"inet-dmz", 301, mac("02:00:ac:10:01:01")};
inline constexpr Segment inet_clients{"inet-clients", 310, mac("02:00:ac:10:0a:01")};

// Capture points (network.yaml `monitor:`).
inline constexpr CapturePoint span_mn_core{"span-mn-core", {&mn_clients, &mn_servers}};
inline constexpr CapturePoint span_lg_core{"span-lg-core", {&lg_clients, &lg_servers}};
inline constexpr CapturePoint span_inet{"span-inet", {&inet_dmz, &inet_clients}};

// マイナンバー利用事務系
inline constexpr Endpoint mn_pc_01{"mn-pc-01", ip(10, 1, 10, 21), mac("02:00:0a:01:0a:15"), &mn_clients};
inline constexpr Endpoint mn_pc_02{"mn-pc-02", ip(10, 1, 10, 22), mac("02:00:0a:01:0a:16"), &mn_clients};
inline constexpr Endpoint juki_app{"juki-app", ip(10, 1, 20, 10), mac("02:00:0a:01:14:0a"), &mn_servers};
inline constexpr Endpoint zeimu_app{"zeimu-app", ip(10, 1, 20, 20), mac("02:00:0a:01:14:14"), &mn_servers};
inline constexpr Endpoint mn_link{"mn-link", ip(10, 1, 20, 40), mac("02:00:0a:01:14:28"), &mn_servers};
inline constexpr Endpoint mn_ntp{"mn-ntp", ip(10, 1, 20, 123), mac("02:00:0a:01:14:7b"), &mn_servers};

// LGWAN接続系
inline constexpr Endpoint lg_pc_01{"lg-pc-01", ip(10, 2, 10, 21), mac("02:00:0a:02:0a:15"), &lg_clients};
inline constexpr Endpoint lg_pc_02{"lg-pc-02", ip(10, 2, 10, 22), mac("02:00:0a:02:0a:16"), &lg_clients};
inline constexpr Endpoint lg_mail{"lg-mail", ip(10, 2, 20, 25), mac("02:00:0a:02:14:19"), &lg_servers};
inline constexpr Endpoint lg_file_01{"lg-file-01", ip(10, 2, 20, 30), mac("02:00:0a:02:14:1e"), &lg_servers};
inline constexpr Endpoint lg_print{"lg-print", ip(10, 2, 20, 35), mac("02:00:0a:02:14:23"), &lg_servers};
inline constexpr Endpoint lg_dns{"lg-dns", ip(10, 2, 20, 53), mac("02:00:0a:02:14:35"), &lg_servers};
inline constexpr Endpoint lg_ntp{"lg-ntp", ip(10, 2, 20, 123), mac("02:00:0a:02:14:7b"), &lg_servers};

// インターネット接続系
inline constexpr Endpoint mail_relay{"mail-relay", ip(172, 16, 1, 25), mac("02:00:ac:10:01:19"), &inet_dmz};
inline constexpr Endpoint vdi_gw{"vdi-gw", ip(172, 16, 1, 50), mac("02:00:ac:10:01:32"), &inet_dmz};
inline constexpr Endpoint inet_dns{"inet-dns", ip(172, 16, 1, 53), mac("02:00:ac:10:01:35"), &inet_dmz};
inline constexpr Endpoint cdr_box{"cdr-box", ip(172, 16, 1, 60), mac("02:00:ac:10:01:3c"), &inet_dmz};
inline constexpr Endpoint inet_proxy{"inet-proxy", ip(172, 16, 1, 80), mac("02:00:ac:10:01:50"), &inet_dmz};
inline constexpr Endpoint inet_pc_01{"inet-pc-01", ip(172, 16, 10, 21), mac("02:00:ac:10:0a:15"), &inet_clients};

// External partners and the world: no capture point sees their segments.
inline constexpr Endpoint lgwan_mail{"lgwan-mail", ip(10, 200, 16, 25), std::nullopt, nullptr};
inline constexpr Endpoint chuukan{"chuukan", ip(10, 201, 3, 4), std::nullopt, nullptr};
inline constexpr Endpoint sc_relay{"sc-relay", ip(198, 51, 100, 2), std::nullopt, nullptr};
inline constexpr Endpoint av_vendor{"av-vendor", ip(203, 0, 113, 10), std::nullopt, nullptr};

}  // namespace city
}  // namespace sanso::gen
