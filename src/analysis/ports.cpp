#include "analysis/ports.h"

#include <algorithm>
#include <set>

namespace sanso::analysis {
namespace {

constexpr char kOtherMarker = '\x01';

bool is_prefix_pattern(const std::string& p) {
  return !p.empty() && (p.back() == '+' || p.back() == '*');
}

std::string stem(const std::string& p) { return is_prefix_pattern(p) ? p.substr(0, p.size() - 1) : p; }

/// The most specific topology key matching `name` (exact beats prefix, longer prefix beats
/// shorter), or nullptr.
const std::pair<const std::string, std::string>* owner_of(
    const std::map<std::string, std::string>& keys, const std::string& name) {
  const std::pair<const std::string, std::string>* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& kv : keys) {
    if (!model::interface_pattern_matches(kv.first, name)) continue;
    const std::size_t len = is_prefix_pattern(kv.first) ? stem(kv.first).size() : SIZE_MAX;
    if (best == nullptr || len > best_len) {
      best = &kv;
      best_len = len;
    }
  }
  return best;
}

void collect_patterns(const model::Device& device, std::set<std::string>& out) {
  for (const auto& filter : device.transit) {
    for (const auto& entry : filter.entries) {
      if (entry.in) out.insert(entry.in->pattern);
      if (entry.out) out.insert(entry.out->pattern);
    }
  }
}

}  // namespace

std::string display_name(const Port& port) {
  std::string out;
  for (char c : port.name) {
    if (c == kOtherMarker) {
      out += "<other>";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<Port> device_ports(const topology::Device& topology_device, const model::Device* device) {
  std::set<std::string> patterns;
  if (device != nullptr) collect_patterns(*device, patterns);

  // Candidate representatives: each topology key, each config name, each config prefix region.
  std::set<std::string> candidates;
  for (const auto& kv : topology_device.interfaces) {
    candidates.insert(is_prefix_pattern(kv.first) ? stem(kv.first) + kOtherMarker : kv.first);
  }
  std::set<std::string> config_exact;
  for (const auto& p : patterns) {
    if (is_prefix_pattern(p)) {
      candidates.insert(stem(p) + kOtherMarker);
    } else {
      candidates.insert(p);
      config_exact.insert(p);
    }
  }

  std::vector<Port> ports;
  for (const auto& name : candidates) {
    const auto* owner = owner_of(topology_device.interfaces, name);
    if (owner != nullptr) {
      ports.push_back({name, owner->second});
      continue;
    }
    // Only an exact name the config filters on counts as an unattached interface; a wildcard's
    // other names may simply not exist on the device.
    if (config_exact.count(name) != 0) ports.push_back({name, ""});
  }
  return ports;
}

}  // namespace sanso::analysis
