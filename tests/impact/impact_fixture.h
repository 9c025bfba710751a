#pragma once
// Snapshots of topology/example-city for the impact tests, loaded as `sanso impact` loads them,
// and candidate configs made from its files by small text edits.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/common.h"
#include "impact/impact.h"
#include "topology/load.h"
#include "vendor/vendor.h"

namespace sanso::impact::testing {

inline const std::string kCity = SANSO_SOURCE_DIR "/topology/example-city";

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::unique_ptr<Snapshot> load_city() {
  auto loaded = topology::load_topology(kCity);
  REQUIRE(loaded.topology);
  auto pack = cli::load_rules(&*loaded.topology, "");
  REQUIRE(pack);
  auto devices = cli::load_devices(*loaded.topology);
  REQUIRE(devices.errors.empty());
  policy::AuditOptions options;
  options.today = "2026-06-01";
  options.unsupported_devices = devices.unsupported;
  return build_snapshot(std::move(*loaded.topology), std::move(*pack), std::move(devices.devices),
                        options);
}

/// An iptables device model from config text; `path` is the file name its evidence cites.
inline DeviceChange change_of(const std::string& device, const std::string& path,
                              const std::string& text) {
  vendor::DeviceInput in;
  in.device_name = device;
  in.configs.push_back({path, text});
  auto r = vendor::load_device("iptables", in);
  REQUIRE(r.device);
  r.device->name = device;
  return {device, std::move(*r.device)};
}

/// `text` with `line` inserted before the first line that starts with `before`.
inline std::string insert_before(const std::string& text, const std::string& before,
                                 const std::string& line) {
  const auto at = text.find("\n" + before);
  REQUIRE(at != std::string::npos);
  return text.substr(0, at + 1) + line + "\n" + text.substr(at + 1);
}

/// A full after-snapshot: the example city with `changes` applied to its device models.
inline std::unique_ptr<Snapshot> city_with(const Snapshot& before, const std::vector<DeviceChange>& changes) {
  auto devices = before.devices;
  for (const auto& c : changes) devices[c.device] = c.model;
  return build_snapshot(before.topology, before.pack, std::move(devices), before.options);
}

inline const PairChange* pair(const std::vector<PairChange>& pairs, const std::string& from,
                              const std::string& to) {
  for (const auto& p : pairs) {
    if (p.from == from && p.to == to) return &p;
  }
  return nullptr;
}

}  // namespace sanso::impact::testing
