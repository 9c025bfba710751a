// The sources on real public captures (../shared/captures/real, see its README): a read error in
// the middle of a file, pcapng (including libpcap's one-link-type limit), invalid versions, link
// types. Skipped visibly when the captures are absent.
#include <doctest/doctest.h>

#include <filesystem>

#include "pcap_writer.h"

namespace {

using namespace sanso::capture;
using namespace sanso::capture::test;

const std::string kReal = std::string(SANSO_SHARED_DIR) + "/captures/real/";

bool have(const std::string& rel) {
  if (std::filesystem::exists(kReal + rel)) return true;
  MESSAGE("skipped: " << kReal + rel << " is absent");
  return false;
}

struct Result {
  std::vector<Delivered> packets;
  SourceStats stats;
  std::vector<SourceError> errors;
  bool opened = false;
};

Result read_inputs(std::vector<std::string> inputs) {
  Result r;
  SourceOptions o;
  o.inputs = std::move(inputs);
  auto source = PacketSource::open(o, r.errors);
  if (!source) return r;
  r.opened = true;
  r.packets = read_all(*source);
  r.stats = source->stats();
  return r;
}

}  // namespace

// libpcap words it differently from capinfos's "File has 16711424-byte packet" in the README.
TEST_CASE("a read error mid-file keeps the packets before it and goes on with the next file") {
  if (!have("malformed/suri-bug-6875-fuzz.pcap") || !have("linktypes/zeek-linux_dlt_sll2.pcap")) return;
  Result r = read_inputs({kReal + "malformed/suri-bug-6875-fuzz.pcap", kReal + "linktypes/zeek-linux_dlt_sll2.pcap"});
  REQUIRE(r.opened);
  CHECK(r.packets.size() == 1 + 6);
  REQUIRE(r.stats.read_errors.size() == 1);
  CHECK(r.stats.read_errors[0].render() ==
        kReal + "malformed/suri-bug-6875-fuzz.pcap: read error after 1 packets: "
                "invalid packet capture length 1409179648, bigger than snaplen of 65535");
  CHECK(r.stats.files_read == 2);
}

TEST_CASE("pcapng files are read, mixed link types stop with a recorded error") {
  if (!have("pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng")) return;
  Result r = read_inputs({kReal + "pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng", kReal + "pcapng/tcpdump-empty.pcapng"});
  REQUIRE(r.opened);
  CHECK(r.packets.size() == 30);
  CHECK(r.stats.read_errors.empty());
  CHECK(r.stats.files_read == 2);

  r = read_inputs({kReal + "pcapng/ppp-pcapng-example.pcapng"});
  REQUIRE(r.opened);
  CHECK(r.packets.size() == 59);
  REQUIRE(r.stats.read_errors.size() == 1);
  CHECK(r.stats.read_errors[0].message ==
        "read error after 59 packets: an interface has a type 113 different from the type of the "
        "first interface (libpcap reads one link type per pcapng file; the rest of the file is skipped)");

  r = read_inputs({kReal + "pcapng/ppp-many_interfaces-1.pcapng"});
  REQUIRE(r.opened);  // a pcapng file, only unreadable from its first packet on
  CHECK(r.packets.empty());
  CHECK(r.stats.read_errors.size() == 1);
}

TEST_CASE("invalid capture versions: fatal when named, recorded inside a directory") {
  if (!have("malformed/libpcap-pcap-invalid-version-2.pcap")) return;
  Result r = read_inputs({kReal + "malformed/libpcap-pcap-invalid-version-1.pcap",
                          kReal + "malformed/libpcap-pcap-invalid-version-2.pcap",
                          kReal + "malformed/libpcap-pcapng-invalid-vers-1.pcapng"});
  CHECK_FALSE(r.opened);
  CHECK(render(r.errors) ==
        kReal + "malformed/libpcap-pcap-invalid-version-1.pcap: archaic pcap savefile format\n" +
        kReal + "malformed/libpcap-pcap-invalid-version-2.pcap: unsupported pcap savefile version 2.5\n" +
        kReal + "malformed/libpcap-pcapng-invalid-vers-1.pcapng: unsupported pcapng savefile version 0.1\n");

  // The whole malformed/ folder: every file is read or recorded, none is fatal, nothing hangs.
  r = read_inputs({kReal + "malformed"});
  REQUIRE_MESSAGE(r.opened, render(r.errors));
  CHECK(r.stats.read_errors.size() >= 5);
  MESSAGE("malformed/: " << r.packets.size() << " packets, errors:\n" << render(r.stats.read_errors));
}

TEST_CASE("link types of real captures") {
  if (!have("linktypes/ppp-sll.pcap")) return;
  struct Case { const char* file; LinkType link; std::size_t packets; };
  for (Case c : {Case{"linktypes/ppp-sll.pcap", LinkType::LinuxSll, 518},
                 Case{"linktypes/zeek-linux_dlt_sll2.pcap", LinkType::LinuxSll2, 6},
                 Case{"linktypes/ppp-raw_ip.pcap", LinkType::RawIp, 100},
                 Case{"linktypes/ndpi-rdp-null.pcap", LinkType::Null, 20},
                 Case{"linktypes/tcpdump-nflog.pcap", LinkType::Unsupported, 4},
                 Case{"pcapng/tcpdump-OSPFv2_Capture_FINAL.pcapng", LinkType::Ethernet, 30}}) {
    CAPTURE(c.file);
    Result r = read_inputs({kReal + c.file});
    REQUIRE(r.opened);
    REQUIRE(r.packets.size() == c.packets);
    CHECK(r.packets.front().link == c.link);
  }
}
