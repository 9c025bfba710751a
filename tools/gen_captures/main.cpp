// sanso_gen_captures OUTDIR: writes the example captures of Example City (one pcap per capture
// point of topology/example-city/network.yaml) and expected-alerts.json into OUTDIR. The output
// depends on nothing but this program: run twice, it is byte for byte the same.
#include "expected_alerts.h"
#include "scenarios.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;
using namespace sanso::gen;

namespace {

struct CaptureJob {
  const CapturePoint& point;
  void (*write)(Wire&);
};

/// Writes OUTDIR/<point>.pcap; an empty string on success, else what went wrong.
std::string write_capture(const fs::path& dir, const CaptureJob& job,
                          std::vector<ExpectedAlert>& alerts) {
  std::string error;
  const std::string path = (dir / (std::string(job.point.name) + ".pcap")).string();
  std::optional<PcapFile> file = PcapFile::create(path, error);
  if (!file) return error;
  Wire wire(job.point, *file, alerts);
  job.write(wire);
  return file->close();
}

std::string write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return path.string() + ": write failed";
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string_view(argv[1]).starts_with("-")) {
    std::fprintf(stderr,
                 "usage: sanso_gen_captures OUTDIR\n"
                 "writes span-mn-core.pcap, span-lg-core.pcap, span-inet.pcap and\n"
                 "expected-alerts.json (the committed copies live in captures/example-city/)\n");
    return 2;
  }
  const fs::path dir = argv[1];
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "sanso_gen_captures: %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }

  const CaptureJob jobs[] = {
      {city::span_mn_core, write_span_mn_core},
      {city::span_lg_core, write_span_lg_core},
      {city::span_inet, write_span_inet},
  };
  std::vector<ExpectedAlert> alerts;
  for (const CaptureJob& job : jobs) {
    if (std::string error = write_capture(dir, job, alerts); !error.empty()) {
      std::fprintf(stderr, "sanso_gen_captures: %s\n", error.c_str());
      return 1;
    }
  }
  if (std::string error = write_text(dir / "expected-alerts.json", expected_alerts_json(alerts));
      !error.empty()) {
    std::fprintf(stderr, "sanso_gen_captures: %s\n", error.c_str());
    return 1;
  }
  std::printf("wrote %zu captures and %zu expected alerts to %s\n", std::size(jobs), alerts.size(),
              dir.c_str());
  return 0;
}
