// Malformed input is never fatal: mutated valid packets of every kind, under ASan and UBSan.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "capture/decode/decoder.h"
#include "packet_builder.h"

using namespace sanso::capture;
using namespace sanso::capture::test;

TEST_CASE("robustness: random mutations of valid packets decode without faults") {
  Bytes erspan3;
  erspan3.u16(0x1000).u16(0x22eb).u32(1).u16(0x2000).u16(0).u32(0).u16(0).u16(1).zeros(8);
  erspan3.append(ethernet(0x8100).append(vlan_tag(0x86dd, 5)).append(ipv6(44, frag6(6, 0, true, 3).append(tcp(1, 2)))));
  Bytes ns;
  ns.u8(135).u8(0).u16(0).u32(0).ip6(kIp6B).u8(1).u8(1).mac(kMacA);
  Bytes pppoe = ethernet(0x8864);
  pppoe.u8(0x11).u8(0).u16(1).u16(42).u16(0x0021).append(ipv4(17, udp(1, 2, 6)));
  const std::vector<Bytes> seeds = {
      ethernet(0x0800).append(ipv4(6, tcp(1, 2, kSyn, 8), 0, 1, 8)),
      ethernet(0x88a8).append(vlan_tag(0x8100, 1)).append(vlan_tag(0x0800, 2)).append(ipv4(47, erspan3)),
      ethernet(0x86dd).append(ipv6(0, ext8(43).append(ext8(60)).append(ext8(58)).append(ns))),
      ethernet(0x0800).append(ipv4(17, udp(1, 2, 30), 0x2000, 9)),
      ethernet(0x0800).append(ipv4(17, udp(1, 2, 30), 0x0003, 9)),
      pppoe,
  };
  const LinkType links[] = {LinkType::Ethernet, LinkType::LinuxSll, LinkType::LinuxSll2, LinkType::RawIp,
                            LinkType::Null, LinkType::Loop};
  std::mt19937 rng(12345);
  Decoder dec(DecoderLimits{.max_fragments = 8});
  Decoded d;
  std::uint64_t decoded = 0;
  for (int i = 0; i < 30000; ++i) {
    const Bytes& seed = seeds[static_cast<std::size_t>(i) % seeds.size()];
    std::vector<std::uint8_t> p(seed.b);
    for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips) {
      p[rng() % p.size()] = static_cast<std::uint8_t>(rng());
    }
    p.resize(rng() % (p.size() + 1));  // and a random cut, exactly sized for ASan
    const RawPacket r{p.data(), static_cast<std::uint32_t>(p.size()),
                      static_cast<std::uint32_t>(seed.size() + rng() % 3000),
                      static_cast<Nanos>(i) * 1000, links[(i / 6) % 6]};
    decoded += dec.decode(r, d) ? 1 : 0;
  }
  dec.finish();
  CHECK(dec.stats().packets == 30000);
  CHECK(decoded > 0);
  CHECK(dec.fragments_tracked() == 0);
}
