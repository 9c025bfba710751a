#pragma once
// Shared helpers of the FortiGate tests: load a config text as a device, build packets, and
// evaluate the device the way analysis does (analysis::DeviceBehavior).
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "analysis/device_behavior.h"
#include "model/device.h"
#include "model/packet_set.h"
#include "vendor/fortigate/load.h"

namespace sanso::test::fortigate {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline vendor::LoadResult load_text(const std::string& text,
                                    std::optional<std::string> context = std::nullopt,
                                    const std::string& file = "fgt.conf") {
  vendor::DeviceInput in;
  in.device_name = "fgt";
  in.configs.push_back({file, text});
  in.context = std::move(context);
  return vendor::fortigate::load(in);
}

/// Loads the text as one device (must load without error).
inline model::Device device(const std::string& text,
                            std::optional<std::string> context = std::nullopt) {
  auto r = load_text(text, std::move(context));
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message + " line " + std::to_string(r.error->line) : ""));
  REQUIRE(r.device);
  return *r.device;
}

inline const model::Filter& policies(const model::Device& d) {
  REQUIRE(d.transit.size() == 1);
  return d.transit.front();
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

/// The entry that decides packet p from `in` to `out` as DeviceBehavior::decide sees it
/// (uncertain denies are skipped there); nullopt = the stage default.
inline std::optional<std::size_t> deciding(const model::Device& d, const model::Packet& p,
                                           const std::string& in, const std::string& out) {
  analysis::DeviceBehavior b("fgt", analysis::Knowledge::Modelled, &d);
  const auto ds = b.decide(p, in, out);
  REQUIRE(ds.size() == 1);
  return ds.front().entry;
}

/// Whether the device certainly forwards p (must), may forward it (may), from `in` to `out`.
struct Fate {
  bool may = false;
  bool must = false;
};
inline Fate fate(const model::Device& d, const model::Packet& p, const std::string& in,
                 const std::string& out) {
  analysis::DeviceBehavior b("fgt", analysis::Knowledge::Modelled, &d);
  const auto& pp = b.between(in, out);
  return {pp.may.contains(p), pp.must.contains(p)};
}

inline int line_of(const model::FilterEntry& e) {
  return e.evidence.empty() ? 0 : e.evidence.front().line.value_or(0);
}

inline const model::UnparsedLine* unparsed_at(const model::Device& d, int line) {
  for (const auto& u : d.coverage.at(0).unparsed)
    if (u.line == line) return &u;
  return nullptr;
}

}  // namespace sanso::test::fortigate
