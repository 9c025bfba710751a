// Service words and the named service table (docs/services.md mirrors it).
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "topology/services.h"

using namespace sanso;
using namespace sanso::topology;

namespace {
Service parse(const char* text) {
  std::string error;
  auto s = parse_service(text, error);
  REQUIRE_MESSAGE(s, error);
  return *s;
}
std::string error_of(const char* text) {
  std::string error;
  CHECK_FALSE(parse_service(text, error, "in allow entry 'x'"));
  return error;
}
}  // namespace

TEST_CASE("literal service words") {
  CHECK(parse("tcp/443").packets.same_as(model::PacketSet::dport(model::kProtoTcp, 443, 443)));
  CHECK(parse("TCP/443").port_count == 1);
  const Service range = parse("udp/8000-8010");
  CHECK(range.port_count == 11);
  CHECK_FALSE(range.exact);
  CHECK(parse("udp/7-7").exact);
  CHECK(parse("icmp/8").packets.same_as(model::PacketSet::icmp(model::kProtoIcmp, 8, 8)));
  CHECK(parse("icmp").exact);
  const Service gre = parse("ip/gre");
  CHECK_FALSE(gre.exact);
  CHECK(gre.packets.same_as(model::PacketSet::proto(47)));
  CHECK(parse("ip/6").port_count == 65535);
  CHECK(error_of("tcp/65536") ==
        "invalid port '65536' in service 'tcp/65536' in allow entry 'x' (expected a port or a "
        "range N-M of ports from 1 to 65535)");
  CHECK(error_of("tcp") ==
        "unknown service 'tcp' in allow entry 'x' (expected tcp/N, udp/N, tcp/N-M, udp/N-M, "
        "icmp, icmp/TYPE, ip/PROTO or a named service of docs/services.md)");
  CHECK_FALSE(error_of("ip/300").empty());
  CHECK_FALSE(error_of("icmp/x").empty());
  CHECK_FALSE(error_of("tcp/1-").empty());
}

TEST_CASE("named services expand to their ports") {
  const Service rdp = parse("rdp");
  CHECK(rdp.text == "rdp");
  CHECK(rdp.port_count == 2);
  CHECK(rdp.exact);
  CHECK(rdp.packets.same_as(model::PacketSet::dport(model::kProtoTcp, 3389, 3389) |
                            model::PacketSet::dport(model::kProtoUdp, 3389, 3389)));
  CHECK(parse("blast").port_count == 3);
  CHECK(parse("smtp").packets.same_as(model::PacketSet::dport(model::kProtoTcp, 25, 25)));
  CHECK(display_protocols().contains(parse("https").packets));
  CHECK(display_protocols().contains(parse("tcp/1494").packets));
  CHECK_FALSE(display_protocols().contains(parse("smb").packets));
}

TEST_CASE("the table parses, names are unique, and docs/services.md lists every entry") {
  std::set<std::string_view> names;
  std::ifstream in(std::string(SANSO_SOURCE_DIR) + "/docs/services.md");
  std::stringstream doc;
  doc << in.rdbuf();
  for (const NamedService& n : named_services()) {
    CHECK_MESSAGE(names.insert(n.name).second, n.name);
    std::string def(n.definition);
    std::size_t start = 0;
    std::string listed;
    while (start < def.size()) {
      const auto space = def.find(' ', start);
      const std::string word = def.substr(start, space - start);
      std::string error;
      CHECK_MESSAGE(parse_service(word, error), word);
      listed += (listed.empty() ? "" : ", ") + word;
      start = space == std::string::npos ? def.size() : space + 1;
    }
    const std::string row = "| `" + std::string(n.name) + "` | " + listed + " |";
    CHECK_MESSAGE(doc.str().find(row) != std::string::npos, row);
  }
  for (const char* required : {"smtp", "submission", "smtps", "https", "http", "rdp", "ica",
                               "blast", "pcoip", "smb", "ntp", "dns", "syslog", "ssh", "ftp",
                               "sftp", "ldap", "ldaps", "kerberos", "snmp", "imap", "imaps",
                               "pop3", "pop3s", "nfs", "telnet", "mssql"})
    CHECK_MESSAGE(names.count(required) == 1, required);
}
