#pragma once
// Shared helpers of the nftables tests: load a ruleset given as text, and ask the device what it
// forwards between two ports the way analysis does (every stage, DNAT applied).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "analysis/device_behavior.h"
#include "model/device.h"
#include "vendor/nftables/load.h"

namespace sanso::test::nft {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

inline vendor::LoadResult load_text(const std::string& text, const std::string& name = "fw.nft") {
  vendor::DeviceInput in;
  in.device_name = "fw";
  in.configs.push_back({name, text});
  return vendor::nftables::load(in);
}

inline model::Device device(const std::string& text) {
  auto r = load_text(text);
  REQUIRE_MESSAGE(!r.error, (r.error ? r.error->message : ""));
  return *r.device;
}

inline model::Packet tcp(const char* src, const char* dst, std::uint16_t dport) {
  model::Packet p;
  p.family = model::parse_ip(src)->family;
  p.src = model::parse_ip(src)->value;
  p.dst = model::parse_ip(dst)->value;
  p.proto = model::kProtoTcp;
  p.sport = 49152;
  p.dport = dport;
  p.tcp_flags = model::kTcpSyn;
  return p;
}

inline model::Packet udp(const char* src, const char* dst, std::uint16_t dport) {
  model::Packet p = tcp(src, dst, dport);
  p.proto = model::kProtoUdp;
  p.tcp_flags = 0;
  return p;
}

/// Forwarded for sure (must) / possibly (may) from `in` to `out`.
struct Verdicts {
  bool must = false;
  bool may = false;
};

inline Verdicts forwards(const model::Device& d, const model::Packet& p, const std::string& in = "eth0",
                         const std::string& out = "eth1") {
  analysis::DeviceBehavior b("fw", analysis::Knowledge::Modelled, &d);
  const auto t = b.translate(model::PacketSet::of(p), model::PacketSet::of(p), in);
  const auto& pp = b.between(in, out);
  return {pp.must.intersects(t.must), pp.may.intersects(t.may)};
}

inline bool permits(const model::Device& d, const model::Packet& p, const std::string& in = "eth0",
                    const std::string& out = "eth1") {
  const Verdicts v = forwards(d, p, in, out);
  REQUIRE_MESSAGE(v.must == v.may, "verdict unproven");
  return v.must;
}

inline const model::Coverage& coverage(const model::Device& d) { return d.coverage.at(0); }

}  // namespace sanso::test::nft
