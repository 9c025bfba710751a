// `sanso monitor --interface` on a real interface: a veth pair whose far end lives in a network
// namespace sends real packets with a known violation; the running monitor alerts, survives a
// SIGHUP with a broken topology (keeps the old one), serves /metrics, and on SIGTERM seals its log
// and exits 1 (alerts were raised). Needs root and iproute2 (CI runs as root); skips otherwise.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "run_sanso.h"

#ifdef SANSO_BINARY

using namespace sanso::test_cli;

namespace {

bool sh(const std::string& cmd) { return std::system(("{ " + cmd + "; } >/dev/null 2>&1").c_str()) == 0; }

const char* kTopology = R"(sanso: 1
name: veth town
zones: {}
segments:
  mn-lan: {zone: mynumber, cidr: 10.9.1.0/24}
  lg-lan: {zone: lgwan, cidr: 10.9.2.0/24}
hosts:
  mn-pc: {segment: mn-lan, ip: 10.9.1.2, role: terminal}
  lg-srv: {segment: lg-lan, ip: 10.9.2.1, role: server}
monitor:
  - {name: span-veth, interface: sanso-veth0, sees: [mn-lan, lg-lan]}
)";

struct Netns {
  bool ok = false;
  Netns() {
    sh("ip netns del sanso-test-ns; ip link del sanso-veth0");
    ok = sh("ip netns add sanso-test-ns") &&
         sh("ip link add sanso-veth0 type veth peer name sanso-veth1") &&
         sh("ip link set sanso-veth1 netns sanso-test-ns") &&
         sh("ip addr add 10.9.2.1/16 dev sanso-veth0 && ip link set sanso-veth0 up") &&
         sh("ip netns exec sanso-test-ns ip addr add 10.9.1.2/16 dev sanso-veth1") &&
         sh("ip netns exec sanso-test-ns ip link set sanso-veth1 up");
  }
  ~Netns() { sh("ip netns del sanso-test-ns; ip link del sanso-veth0"); }
};

bool wait_for(const std::function<bool()>& cond, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return cond();
}

}  // namespace

TEST_CASE("sanso monitor on a live veth pair: alert, reload, metrics, clean shutdown") {
  if (geteuid() != 0 || !sh("command -v ip")) {
    MESSAGE("skipped: needs root and iproute2 (CI runs it)");
    return;
  }
  Netns ns;
  if (!ns.ok) {
    MESSAGE("skipped: cannot create a network namespace here");
    return;
  }
  Scratch dir;
  const auto topo = dir.path() / "network.yaml";
  { std::ofstream(topo) << kTopology; }
  const std::string out = dir.file("out.jsonl"), err = dir.file("err.txt"), pid = dir.file("pid");
  const std::string log = dir.file("alerts.jsonl");
  const int port = 20000 + static_cast<int>(getpid() % 20000);
  const std::string cmd = "cd " + quoted(dir.path().string()) + " && (LC_ALL=C " + quoted(SANSO_BINARY) +
                          " monitor --interface sanso-veth0 --format json --alerts alerts.jsonl" +
                          " --metrics 127.0.0.1:" + std::to_string(port) + " >out.jsonl 2>err.txt & echo $! >pid)";
  REQUIRE(std::system(cmd.c_str()) == 0);
  REQUIRE(wait_for([&] { return !slurp(pid).empty(); }, 5));
  const std::string monitor_pid = slurp(pid).substr(0, slurp(pid).find('\n'));
  // Give the capture a moment to start, then open smb from mynumber into lgwan (a real SYN; the
  // RST that answers it does not matter).
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  sh("ip netns exec sanso-test-ns timeout 2 bash -c 'exec 3<>/dev/tcp/10.9.2.1/445'");
  CHECK_MESSAGE(wait_for([&] { return has(slurp(out), "\"MN-ISOLATE\""); }, 5), slurp(err));
  CHECK(has(slurp(out), "\"initiator_certainty\":\"syn\""));

  // A broken topology on SIGHUP is refused and the old one stays.
  { std::ofstream(topo) << "sanso: 1\nname: [broken\n"; }
  sh("kill -HUP " + monitor_pid);
  CHECK(wait_for([&] { return has(slurp(err), "reload failed"); }, 5));

  // /metrics answers on the loopback address.
  const std::string scrape = dir.file("metrics.txt");
  CHECK(wait_for([&] {
    sh("timeout 2 bash -c " + quoted("exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) +
                           " && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3 >" +
                           quoted(scrape)));
    return has(slurp(scrape), "sanso_alerts_total{rule=\"MN-ISOLATE\"} 1");
  }, 5));

  sh("kill -TERM " + monitor_pid);
  CHECK(wait_for([&] { return !sh("kill -0 " + monitor_pid); }, 5));
  CHECK(has(slurp(out), "\"type\":\"summary\""));
  const auto verify = run_sanso("verify-log " + quoted(log));
  CHECK_MESSAGE(verify.code == 0, (verify.out + verify.err));  // sealed at SIGTERM
}

#endif
