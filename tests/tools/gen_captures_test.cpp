// The example captures in captures/example-city/ are exactly what tools/gen_captures writes:
// runs the generator (SANSO_GEN_CAPTURES) into a temp dir and compares byte for byte, so a
// changed scenario cannot go unnoticed and a hand-edited capture cannot drift from its source.
#include <doctest/doctest.h>

#include "../scratch_dir.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kCommitted = fs::path(SANSO_SOURCE_DIR) / "captures" / "example-city";

using Scratch = sanso::test::ScratchDir;

std::vector<unsigned char> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t le32(const std::vector<unsigned char>& b, std::size_t at) {
  return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 |
         std::uint32_t{b[at + 3]} << 24;
}

}  // namespace

#ifdef SANSO_GEN_CAPTURES

TEST_CASE("the committed example captures are what the generator writes") {
  constexpr std::array kOutputs = {"span-mn-core.pcap", "span-lg-core.pcap", "span-inet.pcap",
                                   "expected-alerts.json"};
  const std::string kRegenerate =
      "regenerate with: build/<dir>/sanso_gen_captures captures/example-city";
  Scratch out;
  const std::string command = std::string("\"") + SANSO_GEN_CAPTURES + "\" \"" + out.path().string() +
                              "\" > \"" + (out.path() / "stdout.txt").string() + "\" 2>&1";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0,
                  "the generator failed: " << std::string(SANSO_GEN_CAPTURES));
  for (const char* name : kOutputs) {
    const std::string committed = "captures/example-city/" + std::string(name);
    REQUIRE_MESSAGE(fs::exists(kCommitted / name), committed << " is missing; " << kRegenerate);
    const bool same = read_bytes(out.path() / name) == read_bytes(kCommitted / name);
    CHECK_MESSAGE(same, committed << " differs from the generator's output; " << kRegenerate);
  }
}

#else

TEST_CASE("the committed example captures are what the generator writes") {
  MESSAGE("skipped: sanso_gen_captures is not built (SANSO_BUILD_TOOLS=OFF)");
}

#endif

TEST_CASE("the example captures are microsecond Ethernet pcaps starting 2026-04-01T00:30:00Z") {
  constexpr std::uint32_t kStart = 1'775'003'400;
  for (const std::string name : {"span-mn-core.pcap", "span-lg-core.pcap", "span-inet.pcap"}) {
    CAPTURE(name);
    const auto b = read_bytes(kCommitted / name);
    REQUIRE(b.size() > 24);
    CHECK(le32(b, 0) == 0xa1b2c3d4);  // microsecond magic, written little-endian on x86
    CHECK(le32(b, 16) == 262144);     // snaplen
    CHECK(le32(b, 20) == 1);          // DLT_EN10MB
    // Walk the records: whole frames, every one 802.1Q-tagged, time never going back.
    std::size_t at = 24;
    std::uint64_t previous = 0;
    int records = 0;
    while (at + 16 <= b.size()) {
      const std::uint64_t usec = std::uint64_t{le32(b, at)} * 1'000'000 + le32(b, at + 4);
      const std::uint32_t caplen = le32(b, at + 8);
      REQUIRE(caplen == le32(b, at + 12));
      REQUIRE(at + 16 + caplen <= b.size());
      CHECK(usec >= previous);
      if (records == 0) CHECK(usec == std::uint64_t{kStart} * 1'000'000);
      CHECK((b[at + 16 + 12] == 0x81 && b[at + 16 + 13] == 0x00));
      previous = usec;
      at += 16 + caplen;
      ++records;
    }
    CHECK(at == b.size());
    CHECK(records > 20);
  }
}
