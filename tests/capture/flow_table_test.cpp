#include "capture/flow_table.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <vector>

namespace sc = sanso::capture;

namespace {

sc::FlowKey key(unsigned lo, unsigned hi, std::uint16_t lport = 1000, std::uint16_t hport = 80) {
  sc::FlowKey k;
  k.lo_ip = lo;
  k.hi_ip = hi;
  k.lo_port = lport;
  k.hi_port = hport;
  k.proto = 6;
  return k;
}

struct Ended {
  std::vector<std::pair<sc::FlowKey, sc::FlowTable::EndReason>> list;
  void operator()(sc::Flow& f, sc::FlowTable::EndReason why) { list.emplace_back(f.key, why); }
};

}  // namespace

TEST_CASE("flow key: both directions of a conversation share one key") {
  sc::Decoded d;
  d.l3 = sc::Decoded::L3::Ipv4;
  d.src = *sanso::model::parse_ip("10.0.0.9");
  d.dst = *sanso::model::parse_ip("10.0.0.1");
  d.proto = 6;
  d.has_ports = true;
  d.sport = 50000;
  d.dport = 445;
  bool fwd = false, back = true;
  const auto k1 = sc::flow_key_of(d, 0, fwd);
  std::swap(d.src, d.dst);
  std::swap(d.sport, d.dport);
  const auto k2 = sc::flow_key_of(d, 0, back);
  CHECK(k1 == k2);
  CHECK(fwd != back);
  CHECK(sc::hash_flow_key(k1) == sc::hash_flow_key(k2));
  d.vlan = 10;  // another VLAN is another flow (the routed copy on a trunk)
  CHECK_FALSE(sc::flow_key_of(d, 0, back) == k2);
}

TEST_CASE("flow table: find, create and the memory bound evicts the oldest idle flow") {
  sc::FlowTable t(3, {});
  Ended ended;
  const auto a = t.find_or_create(key(1, 2), 10 * sc::kSecond, ended);
  CHECK(a.created);
  t.touch(a.index, 10 * sc::kSecond, sc::TimeoutClass::TcpEstablished);
  const auto b = t.find_or_create(key(3, 4), 20 * sc::kSecond, ended);
  t.touch(b.index, 20 * sc::kSecond, sc::TimeoutClass::Udp);
  const auto c = t.find_or_create(key(5, 6), 30 * sc::kSecond, ended);
  t.touch(c.index, 30 * sc::kSecond, sc::TimeoutClass::TcpOpening);
  CHECK_FALSE(t.find_or_create(key(1, 2), 31 * sc::kSecond, ended).created);
  // Flow a is busy again at 40 s: b (last seen 20 s) is now the oldest idle flow.
  t.touch(a.index, 40 * sc::kSecond, sc::TimeoutClass::TcpEstablished);
  const auto d = t.find_or_create(key(7, 8), 41 * sc::kSecond, ended);
  CHECK(d.created);
  REQUIRE(ended.list.size() == 1);
  CHECK(ended.list[0].first == key(3, 4));
  CHECK(ended.list[0].second == sc::FlowTable::EndReason::Evicted);
  CHECK(t.size() == 3);
  CHECK(t.stats().evicted == 1);
  CHECK(t.find_or_create(key(3, 4), 42 * sc::kSecond, ended).created);  // gone, made again
}

TEST_CASE("flow table: idle timeouts by class, exact to the relink granularity") {
  sc::FlowTimeouts to;
  to.idle = {5 * sc::kSecond, 100 * sc::kSecond, 2 * sc::kSecond, 10 * sc::kSecond,
             3 * sc::kSecond, 10 * sc::kSecond};
  sc::FlowTable t(100, to);
  Ended ended;
  const auto udp = t.find_or_create(key(1, 2), 0, ended);
  t.touch(udp.index, 0, sc::TimeoutClass::Udp);
  const auto tcp = t.find_or_create(key(3, 4), 0, ended);
  t.touch(tcp.index, 0, sc::TimeoutClass::TcpEstablished);
  t.expire(10 * sc::kSecond, ended);  // udp idle 10 s: within timeout + granularity
  CHECK(ended.list.empty());
  t.expire(11 * sc::kSecond + 1, ended);
  REQUIRE(ended.list.size() == 1);
  CHECK(ended.list[0].first == key(1, 2));
  CHECK(ended.list[0].second == sc::FlowTable::EndReason::Idle);
  // Activity keeps a flow alive; closing shortens its life.
  t.touch(tcp.index, 50 * sc::kSecond, sc::TimeoutClass::TcpClosing);
  t.expire(52 * sc::kSecond, ended);
  CHECK(ended.list.size() == 1);
  t.expire(53 * sc::kSecond + 1, ended);
  CHECK(ended.list.size() == 2);
  CHECK(t.size() == 0);
}

TEST_CASE("flow table: random inserts and removals agree with a map (backward-shift deletion)") {
  std::mt19937 rng(7);
  sc::FlowTimeouts to;
  to.idle.fill(5 * sc::kSecond);
  sc::FlowTable t(100000, to);
  std::map<unsigned, sc::Nanos> alive;  // key lo ip -> last touch
  Ended ended;
  sc::Nanos now = 0;
  for (int step = 0; step < 20000; ++step) {
    now += sc::kSecond / 50;
    const unsigned k = rng() % 3000;
    const auto f = t.find_or_create(key(k, 100000), now, ended);
    CHECK(f.created == !alive.contains(k));
    t.touch(f.index, now, sc::TimeoutClass::Udp);
    alive[k] = now;
    if (step % 500 == 0) {
      ended.list.clear();
      t.expire(now, ended);
      for (const auto& [ek, why] : ended.list) {
        const auto lo = static_cast<unsigned>(ek.lo_ip);
        REQUIRE(alive.contains(lo));
        CHECK(now - alive[lo] >= 5 * sc::kSecond);  // never expired early
        alive.erase(lo);
      }
      for (const auto& [lo, last] : alive) CHECK(now - last < 7 * sc::kSecond);  // never late
    }
  }
  CHECK(t.size() == alive.size());
}

TEST_CASE("flow table: a flow record stays small (1 M flows in well under 300 MB)") {
  CHECK(sizeof(sc::Flow) + sizeof(sc::FlowMacs) <= 160);
}
