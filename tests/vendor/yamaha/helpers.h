#pragma once
// Shared helpers of the YAMAHA RTX tests: load a config from text or tests/data/yamaha, build
// packets, and ask analysis::DeviceBehavior what happens to one.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "analysis/device_behavior.h"
#include "model/device.h"
#include "model/packet_set.h"
#include "vendor/yamaha/load.h"

namespace sanso::test::yamaha {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::string data_path(const std::string& name) {
  return std::string(SANSO_SOURCE_DIR) + "/tests/data/yamaha/" + name;
}

inline vendor::LoadResult load_text(const std::string& text, const std::string& file = "rtx.conf") {
  vendor::DeviceInput in;
  in.device_name = "rtx";
  in.configs.push_back({file, text});
  return vendor::yamaha::load(in);
}

/// Loads config text (must load without error).
inline model::Device device(const std::string& text, const std::string& file = "rtx.conf") {
  auto r = load_text(text, file);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  REQUIRE(r.device);
  return *r.device;
}

inline model::Device data_device(const std::string& name) {
  return device(read_text(data_path(name)), name);
}

inline const model::Filter* find_stage(const model::Device& d, const std::string& name) {
  for (const auto& f : d.transit)
    if (f.name == name) return &f;
  return nullptr;
}

inline const model::Filter& stage(const model::Device& d, const std::string& name) {
  const auto* f = find_stage(d, name);
  REQUIRE_MESSAGE(f != nullptr, "no stage " << name);
  return *f;
}

inline model::u128 ip(const char* text) {
  const auto a = model::parse_ip(text);
  REQUIRE(a);
  return a->value;
}

inline model::Packet tcp(const char* src, const char* dst, std::uint16_t dport,
                         std::uint8_t flags = model::kTcpSyn, std::uint16_t sport = 49152) {
  model::Packet p;
  p.family = model::parse_ip(src)->family;
  p.src = ip(src);
  p.dst = ip(dst);
  p.proto = model::kProtoTcp;
  p.sport = sport;
  p.dport = dport;
  p.tcp_flags = flags;
  return p;
}

inline model::Packet udp(const char* src, const char* dst, std::uint16_t dport,
                         std::uint16_t sport = 49152) {
  model::Packet p = tcp(src, dst, dport, 0, sport);
  p.proto = model::kProtoUdp;
  return p;
}

inline model::Packet icmp(const char* src, const char* dst, std::uint8_t type, std::uint8_t code = 0) {
  model::Packet p = tcp(src, dst, 0, 0, 0);
  p.proto = p.family == model::Family::V4 ? model::kProtoIcmp : model::kProtoIcmpv6;
  p.icmp_type = type;
  p.icmp_code = code;
  return p;
}

inline model::Packet proto(const char* src, const char* dst, std::uint8_t number) {
  model::Packet p = tcp(src, dst, 0, 0, 0);
  p.proto = number;
  return p;
}

/// What the device does with `p` from `in` to `out`, as analysis decides it: Permit when every
/// stage permits. `why` receives the deciding entries' first evidence lines (0: implicit).
inline model::Action fate(const model::Device& d, const model::Packet& p, const std::string& in,
                          const std::string& out, std::vector<int>* lines = nullptr) {
  analysis::DeviceBehavior b(d.name, analysis::Knowledge::Modelled, &d);
  model::Action result = model::Action::Permit;
  for (const auto& dec : b.decide(p, in, out)) {
    if (dec.action == model::Action::Deny) result = model::Action::Deny;
    if (lines != nullptr && dec.entry) {
      const auto& e = d.transit[dec.stage].entries[*dec.entry];
      lines->push_back(e.evidence.empty() ? -1 : e.evidence.front().line.value_or(0));
    }
  }
  return result;
}

/// The may/must bounds of one port pair (analysis::DeviceBehavior::between).
struct Bounds {
  model::PacketSet may, must;
};
inline Bounds bounds(const model::Device& d, const std::string& in, const std::string& out) {
  analysis::DeviceBehavior b(d.name, analysis::Knowledge::Modelled, &d);
  const auto& pp = b.between(in, out);
  return {pp.may, pp.must};
}

inline std::size_t count_reason(const model::Coverage& c, const std::string& fragment) {
  std::size_t n = 0;
  for (const auto& u : c.unparsed) n += u.reason.find(fragment) != std::string::npos ? 1 : 0;
  return n;
}

inline bool has_assumption(const model::Device& d, const std::string& fragment) {
  for (const auto& a : d.assumptions)
    if (a.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace sanso::test::yamaha
