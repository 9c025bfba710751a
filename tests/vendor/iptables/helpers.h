#pragma once
// Shared helpers of the iptables tests: read a data file, build packets, and evaluate a
// flattened filter the way analysis does (first entry whose interfaces and match hold).
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "model/device.h"
#include "model/packet_set.h"
#include "vendor/iptables/load.h"

namespace sanso::test::iptables {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::string data_path(const std::string& name) {
  return std::string(SANSO_SOURCE_DIR) + "/tests/data/iptables/" + name;
}

inline vendor::SourceFile data_file(const std::string& name) {
  return {name, read_text(data_path(name))};
}

/// Loads the named data files as one device (must load without error).
inline model::Device load_device(std::vector<std::string> names,
                                 std::optional<std::string> ipsets = std::nullopt) {
  vendor::DeviceInput in;
  in.device_name = "fw";
  for (const auto& n : names) in.configs.push_back(data_file(n));
  if (ipsets) in.ipsets = data_file(*ipsets);
  auto r = vendor::iptables::load(in);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  REQUIRE(r.device);
  return *r.device;
}

inline const model::Filter& stage(const model::Device& d, const std::string& name) {
  for (const auto& f : d.transit)
    if (f.name == name) return f;
  FAIL("no stage " << name);
  return d.transit.front();
}

inline model::u128 ip(const char* text) {
  const auto a = model::parse_ip(text);
  REQUIRE(a);
  return a->value;
}

inline model::Packet tcp(const char* src, const char* dst, std::uint16_t dport,
                         std::uint8_t flags = model::kTcpSyn) {
  model::Packet p;
  p.family = model::parse_ip(src)->family;
  p.src = ip(src);
  p.dst = ip(dst);
  p.proto = model::kProtoTcp;
  p.sport = 49152;
  p.dport = dport;
  p.tcp_flags = flags;
  return p;
}

inline model::Packet udp(const char* src, const char* dst, std::uint16_t dport) {
  model::Packet p = tcp(src, dst, dport, 0);
  p.proto = model::kProtoUdp;
  return p;
}

inline model::Packet icmp(const char* src, const char* dst, std::uint8_t type) {
  model::Packet p = tcp(src, dst, 0, 0);
  p.dport = 0;
  p.sport = 0;
  p.proto = p.family == model::Family::V4 ? model::kProtoIcmp : model::kProtoIcmpv6;
  p.icmp_type = type;
  return p;
}

inline bool iface_ok(const std::optional<model::InterfaceMatch>& m, const std::string& name) {
  return !m || model::matches(*m, name);
}

/// The first entry that matches the packet arriving on `in` and leaving on `out`.
inline const model::FilterEntry* first_match(const model::Filter& f, const model::Packet& p,
                                             const std::string& in = "eth0",
                                             const std::string& out = "eth1") {
  for (const auto& e : f.entries)
    if (iface_ok(e.in, in) && iface_ok(e.out, out) && e.match.contains(p)) return &e;
  return nullptr;
}

/// The first entry that certainly matches (uncertain entries only "may" match).
inline const model::FilterEntry* first_certain_match(const model::Filter& f,
                                                     const model::Packet& p,
                                                     const std::string& in = "eth0",
                                                     const std::string& out = "eth1") {
  for (const auto& e : f.entries)
    if (!e.uncertain && iface_ok(e.in, in) && iface_ok(e.out, out) && e.match.contains(p))
      return &e;
  return nullptr;
}

/// The first-match permitted set of a filter whose entries carry no interface condition.
inline model::PacketSet permitted_set(const model::Filter& f) {
  model::PacketSet seen, permitted;
  for (const auto& e : f.entries) {
    REQUIRE(!e.in);
    REQUIRE(!e.out);
    if (e.action == model::Action::Permit) permitted |= e.match - seen;
    seen |= e.match;
  }
  return permitted;
}

inline std::vector<int> evidence_lines(const model::FilterEntry& e) {
  std::vector<int> out;
  for (const auto& r : e.evidence) out.push_back(r.line.value_or(0));
  return out;
}

inline const model::Coverage& coverage_of(const model::Device& d, const std::string& file) {
  for (const auto& c : d.coverage)
    if (c.file == file) return c;
  FAIL("no coverage for " << file);
  return d.coverage.front();
}

}  // namespace sanso::test::iptables
