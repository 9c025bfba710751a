#include "cli/common.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "vendor/vendor.h"

#ifndef SANSO_SOURCE_DIR
#define SANSO_SOURCE_DIR ""
#endif

namespace sanso::cli {
namespace fs = std::filesystem;

namespace {
std::string fmt_error(const std::string& file, int line, const std::string& message) {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}
}  // namespace

report::Lang choose_lang(const std::string& flag) {
  if (flag == "ja") return report::Lang::Ja;
  if (flag == "en") return report::Lang::En;
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    return std::string(v).rfind("ja", 0) == 0 ? report::Lang::Ja : report::Lang::En;
  }
  return report::Lang::En;
}

std::optional<std::string> find_rule_pack(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path().parent_path() / "share/sanso/rules/three-tier.yaml");
    candidates.push_back(exe.parent_path() / "rules/three-tier.yaml");
  }
  candidates.push_back(fs::path(SANSO_SOURCE_DIR) / "rules/three-tier.yaml");
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fs::exists(path, ec) ? "cannot be read (permission denied?)" : "no such file";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

unsigned worker_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::clamp(hw, 1u, 8u);
}

LoadedDevices load_devices(const topology::Topology& topology) {
  LoadedDevices out;
  const fs::path dir = topology.directory;
  // Read every file first (I/O errors are reported in topology order), then parse the devices
  // in parallel: parsing is pure and each device is independent.
  struct Job {
    const topology::Device* device;
    vendor::DeviceInput input;
    vendor::LoadResult result;
  };
  std::vector<Job> jobs;
  for (const auto& d : topology.devices) {
    if (!d.vendor) continue;
    if (!vendor::is_supported_vendor(*d.vendor)) {
      out.unsupported[d.name] = "vendor '" + *d.vendor +
                                "' is not supported by this version: nothing it forwards is proven";
      continue;
    }
    vendor::DeviceInput input;
    input.device_name = d.name;
    input.context = d.context;
    bool ok = true;
    auto read = [&](const std::string& rel) -> std::optional<vendor::SourceFile> {
      std::string error;
      auto text = read_file((dir / rel).string(), error);
      if (!text) {
        out.errors.push_back(fmt_error(topology.path, d.line, "device '" + d.name +
                                                                  "': config '" + rel + "' " + error));
        ok = false;
        return std::nullopt;
      }
      return vendor::SourceFile{rel, std::move(*text)};
    };
    for (const auto& c : d.configs) {
      if (auto f = read(c)) input.configs.push_back(std::move(*f));
    }
    if (d.ipsets) input.ipsets = read(*d.ipsets);
    if (ok) jobs.push_back({&d, std::move(input), {}});
  }

  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t j = next++; j < jobs.size(); j = next++) {
      jobs[j].result = vendor::load_device(*jobs[j].device->vendor, jobs[j].input);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<std::size_t>(worker_threads(), jobs.size()); ++t) {
    pool.emplace_back(work);
  }
  work();
  for (auto& t : pool) t.join();

  for (auto& job : jobs) {
    if (job.result.error) {
      const auto& e = *job.result.error;
      out.errors.push_back(fmt_error(e.file, e.line, "device '" + job.device->name + "': " + e.message));
      continue;
    }
    if (!job.result.device) continue;
    job.result.device->name = job.device->name;
    out.devices.emplace(job.device->name, std::move(*job.result.device));
  }
  return out;
}

std::optional<policy::RulePack> load_rules(const topology::Topology* topology,
                                           const std::string& rules_flag) {
  const auto path = find_rule_pack(rules_flag);
  if (!path) {
    std::fputs("sanso: cannot find the rule pack rules/three-tier.yaml (give --rules PATH)\n", stderr);
    return std::nullopt;
  }
  auto load = policy::load_rule_pack(*path);
  if (!load.pack) {
    for (const auto& e : load.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
    return std::nullopt;
  }
  if (topology != nullptr) {
    for (const auto& extra : topology->policy.rule_packs) {
      auto more = policy::load_rule_pack((fs::path(topology->directory) / extra).string(), &*load.pack);
      if (!more.pack) {
        for (const auto& e : more.errors) std::fprintf(stderr, "%s\n", e.render().c_str());
        return std::nullopt;
      }
      const auto errors = policy::merge_rule_pack(*load.pack, *more.pack);
      if (!errors.empty()) {
        for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.render().c_str());
        return std::nullopt;
      }
    }
  }
  return load.pack;
}

}  // namespace sanso::cli
