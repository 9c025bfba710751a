#include "model/address.h"

#include <doctest/doctest.h>

using namespace sanso::model;

namespace {
constexpr u128 v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (u128{a} << 24) | (u128{b} << 16) | (u128{c} << 8) | u128{d};
}
}  // namespace

TEST_CASE("parse_ip: IPv4 and IPv6, rejecting malformed text") {
  CHECK(parse_ip("10.1.20.5") == IpAddress{Family::V4, v4(10, 1, 20, 5)});
  CHECK(parse_ip("0.0.0.0") == IpAddress{Family::V4, 0});
  CHECK(parse_ip("255.255.255.255") == IpAddress{Family::V4, v4(255, 255, 255, 255)});
  CHECK(parse_ip("::") == IpAddress{Family::V6, 0});
  CHECK(parse_ip("::1") == IpAddress{Family::V6, 1});
  CHECK(parse_ip("2001:DB8::1") == IpAddress{Family::V6, (u128{0x20010db8} << 96) | 1});
  CHECK(parse_ip("::ffff:10.0.0.1") == IpAddress{Family::V6, (u128{0xffff} << 32) | v4(10, 0, 0, 1)});
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.1 ", " 10.0.0.1", "1.2.3.4.5",
                          "10.0.0.-1", "abc", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
                          "10.0.0.1/24"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_ip(bad));
  }
  // Longer than any address form: rejected without overflowing the copy.
  CHECK_FALSE(parse_ip(std::string(100, '1')));
}

TEST_CASE("parse_cidr masks host bits and bounds the prefix") {
  CHECK(parse_cidr("10.0.0.0/8") == IpRange{Family::V4, v4(10, 0, 0, 0), v4(10, 255, 255, 255)});
  CHECK(parse_cidr("10.1.2.3/24") == IpRange{Family::V4, v4(10, 1, 2, 0), v4(10, 1, 2, 255)});
  CHECK(parse_cidr("10.1.2.3") == IpRange{Family::V4, v4(10, 1, 2, 3), v4(10, 1, 2, 3)});
  CHECK(parse_cidr("10.1.2.3/32") == IpRange{Family::V4, v4(10, 1, 2, 3), v4(10, 1, 2, 3)});
  CHECK(parse_cidr("1.2.3.4/0") == full_range(Family::V4));
  CHECK(parse_cidr("::/0") == full_range(Family::V6));
  CHECK(parse_cidr("2001:db8::5/32") ==
        IpRange{Family::V6, u128{0x20010db8} << 96, (u128{0x20010db8} << 96) | ((u128{1} << 96) - 1)});
  CHECK(parse_cidr("2001:db8::5/128") == IpRange{Family::V6, (u128{0x20010db8} << 96) | 5,
                                                 (u128{0x20010db8} << 96) | 5});
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8",
                          "::/129", "10.0.0.0/0008", "/8", "10.0.0.0/ 8"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_cidr(bad));
  }
}

TEST_CASE("parse_ip_range") {
  CHECK(parse_ip_range("10.0.0.1-10.0.0.9") == IpRange{Family::V4, v4(10, 0, 0, 1), v4(10, 0, 0, 9)});
  CHECK(parse_ip_range("10.0.0.1-10.0.0.1") == IpRange{Family::V4, v4(10, 0, 0, 1), v4(10, 0, 0, 1)});
  CHECK(parse_ip_range("::1-::ff") == IpRange{Family::V6, 1, 0xff});
  CHECK_FALSE(parse_ip_range("10.0.0.9-10.0.0.1"));
  CHECK_FALSE(parse_ip_range("10.0.0.1-::2"));
  CHECK_FALSE(parse_ip_range("10.0.0.1"));
  CHECK_FALSE(parse_ip_range("10.0.0.1-"));
  CHECK_FALSE(parse_ip_range("10.0.0.1-10.0.0.2-10.0.0.3"));
}

TEST_CASE("parse_mac accepts ':' or '-' in any case and nothing else") {
  CHECK(parse_mac("02:00:0a:01:0a:15") == 0x02000a010a15ULL);
  CHECK(parse_mac("02-00-0A-01-0A-15") == 0x02000a010a15ULL);
  CHECK(parse_mac("ff:ff:ff:ff:ff:ff") == 0xffffffffffffULL);
  for (const char* bad : {"XX:XX:XX:XX:XX:XX", "02:00:0a:01:0a", "02:00:0a:01:0a:15:00",
                          "02:00-0a:01:0a:15", "0200.0a01.0a15", "2:0:a:1:a:15", "02:00:0a:01:0a:1g",
                          "", "02 00 0a 01 0a 15"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_mac(bad));
  }
  CHECK(format_mac(0x02000a010a15ULL) == "02:00:0a:01:0a:15");
}

TEST_CASE("format_ip writes dotted quads and compressed lower-case IPv6") {
  CHECK(format_ip(Family::V4, v4(192, 168, 0, 1)) == "192.168.0.1");
  CHECK(format_ip(Family::V6, 0) == "::");
  CHECK(format_ip(Family::V6, 1) == "::1");
  CHECK(format_ip(*parse_ip("2001:DB8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");
  CHECK(format_ip(*parse_ip("2001:db8:0:0:0:0:0:0")) == "2001:db8::");
  CHECK(format_ip(Family::V4, u128{1} << 32) == "invalid-ipv4");
  for (const char* text : {"10.1.20.5", "0.0.0.0", "fe80::1", "2001:db8:1:2:3:4:5:6"}) {
    CHECK(format_ip(*parse_ip(text)) == text);
  }
}

TEST_CASE("format_range: CIDR when exact, bare host, else lo-hi") {
  CHECK(format_range(*parse_cidr("10.0.0.0/24")) == "10.0.0.0/24");
  CHECK(format_range(*parse_cidr("10.0.0.7/32")) == "10.0.0.7");
  CHECK(format_range(full_range(Family::V4)) == "0.0.0.0/0");
  CHECK(format_range(full_range(Family::V6)) == "::/0");
  CHECK(format_range(*parse_cidr("2001:db8::/64")) == "2001:db8::/64");
  CHECK(format_range(*parse_ip_range("10.0.0.1-10.0.0.9")) == "10.0.0.1-10.0.0.9");
  CHECK(format_range(*parse_ip_range("10.0.0.0-10.0.1.127")) == "10.0.0.0-10.0.1.127");
  CHECK(prefix_length(*parse_cidr("10.0.0.0/31")) == 31);
  CHECK(prefix_length(*parse_ip_range("10.0.0.1-10.0.0.2")) == std::nullopt);
  CHECK(prefix_length(IpRange{Family::V4, 5, 4}) == std::nullopt);
}

TEST_CASE("range containment and overlap respect the family") {
  const IpRange a = *parse_cidr("10.0.0.0/8");
  const IpRange b = *parse_cidr("10.1.0.0/16");
  const IpRange c = *parse_cidr("11.0.0.0/8");
  CHECK(contains(a, b));
  CHECK_FALSE(contains(b, a));
  CHECK(overlaps(a, b));
  CHECK_FALSE(overlaps(a, c));
  const IpRange v6 = {Family::V6, a.lo, a.hi};
  CHECK_FALSE(overlaps(a, v6));
  CHECK_FALSE(contains(full_range(Family::V6), a));
  CHECK(family_max(Family::V4) == 0xffffffffu);
}
