#pragma once
// Shared helpers of the ASA tests: load a config text as a device, build packets, and evaluate
// the device the way analysis does (analysis::DeviceBehavior).
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "analysis/device_behavior.h"
#include "model/device.h"
#include "model/packet_set.h"
#include "vendor/asa/load.h"

namespace sanso::test::asa {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline vendor::LoadResult load_text(const std::string& text, const std::string& file = "asa.cfg") {
  vendor::DeviceInput in;
  in.device_name = "asa";
  in.configs.push_back({file, text});
  return vendor::asa::load(in);
}

/// Two interfaces (inside 100 at 10.1.0.0/24, outside 0 at 203.0.113.0/24) and a DMZ at 50;
/// tests append their own lines.
inline const char* kBase =
    "ASA Version 9.8(4)\n"
    "interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.1 255.255.255.0\n"
    "interface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.1.0.1 255.255.255.0\n"
    "interface GigabitEthernet0/2\n nameif dmz\n security-level 50\n ip address 172.16.1.1 255.255.255.0\n";

/// Loads the text as one device (must load without error).
inline model::Device device(const std::string& text) {
  auto r = load_text(text);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message + " line " + std::to_string(r.error->line) : ""));
  REQUIRE(r.device);
  return *r.device;
}

inline model::u128 ip(const char* text) {
  const auto a = model::parse_ip(text);
  REQUIRE(a);
  return a->value;
}

inline model::Packet tcp(const char* src, const char* dst, std::uint16_t dport,
                         std::uint16_t sport = 49152) {
  model::Packet p;
  p.family = model::parse_ip(src)->family;
  p.src = ip(src);
  p.dst = ip(dst);
  p.proto = model::kProtoTcp;
  p.sport = sport;
  p.dport = dport;
  p.tcp_flags = model::kTcpSyn;
  return p;
}

inline model::Packet udp(const char* src, const char* dst, std::uint16_t dport) {
  model::Packet p = tcp(src, dst, dport);
  p.tcp_flags = 0;
  p.proto = model::kProtoUdp;
  return p;
}

inline model::Packet icmp(const char* src, const char* dst, std::uint8_t type, std::uint8_t code = 0) {
  model::Packet p = tcp(src, dst, 0, 0);
  p.tcp_flags = 0;
  p.proto = p.family == model::Family::V4 ? model::kProtoIcmp : model::kProtoIcmpv6;
  p.icmp_type = type;
  p.icmp_code = code;
  return p;
}

inline model::Packet proto(const char* src, const char* dst, std::uint8_t number) {
  model::Packet p = tcp(src, dst, 0, 0);
  p.tcp_flags = 0;
  p.proto = number;
  return p;
}

/// Whether the device certainly forwards p (must), may forward it (may), from `in` to `out`,
/// after its destination NAT (as reachability applies it).
struct Fate {
  bool may = false;
  bool must = false;
};
inline Fate fate(const model::Device& d, const model::Packet& p, const std::string& in,
                 const std::string& out) {
  analysis::DeviceBehavior b("asa", analysis::Knowledge::Modelled, &d);
  const auto one = model::PacketSet::of(p);
  const auto t = b.translate(one, one, in);
  const auto& pp = b.between(in, out);
  return {pp.may.intersects(t.may), !t.must.empty() && pp.must.contains(t.must)};
}

/// The evidence line of the entry deciding p in stage `stage` (0 = the stage default).
inline int deciding_line(const model::Device& d, const model::Packet& p, const std::string& in,
                         const std::string& out, const std::string& stage) {
  analysis::DeviceBehavior b("asa", analysis::Knowledge::Modelled, &d);
  for (const auto& dec : b.decide(p, in, out)) {
    const auto& f = d.transit.at(dec.stage);
    if (f.name != stage) continue;
    if (!dec.entry) return 0;
    return f.entries.at(*dec.entry).evidence.front().line.value_or(0);
  }
  return -1;
}

inline const model::Filter* stage(const model::Device& d, const std::string& name) {
  for (const auto& f : d.transit)
    if (f.name == name) return &f;
  return nullptr;
}

inline const model::UnparsedLine* unparsed_at(const model::Device& d, int line) {
  for (const auto& u : d.coverage.at(0).unparsed)
    if (u.line == line) return &u;
  return nullptr;
}

inline bool relies(const model::Device& d, const std::string& start) {
  for (const auto& a : d.assumptions)
    if (a.rfind(start, 0) == 0) return true;
  return false;
}

}  // namespace sanso::test::asa
