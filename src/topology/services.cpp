#include "topology/services.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace sanso::topology {

namespace {

// The one table of named services (docs/services.md mirrors it; a test keeps them in step).
constexpr std::array<NamedService, 47> kNamedServices = {{
    {"http", "tcp/80", "web"},
    {"https", "tcp/443", "web over TLS; also a display protocol (HTML5 screen transfer)"},
    {"http-alt", "tcp/8080", "web, alternative port (proxies)"},
    {"https-alt", "tcp/8443", "web over TLS, alternative port"},
    {"smtp", "tcp/25", "mail transfer"},
    {"submission", "tcp/587", "mail submission"},
    {"smtps", "tcp/465", "mail submission over TLS"},
    {"imap", "tcp/143", "mailbox access"},
    {"imaps", "tcp/993", "mailbox access over TLS"},
    {"pop3", "tcp/110", "mailbox download"},
    {"pop3s", "tcp/995", "mailbox download over TLS"},
    {"rdp", "tcp/3389 udp/3389", "Remote Desktop (display protocol)"},
    {"ica", "tcp/1494 tcp/2598", "Citrix ICA and session reliability (display protocol)"},
    {"blast", "tcp/22443 udp/22443 tcp/8443", "VMware Blast Extreme (display protocol)"},
    {"pcoip", "tcp/4172 udp/4172", "PC-over-IP (display protocol)"},
    {"vnc", "tcp/5900", "VNC remote display"},
    {"ssh", "tcp/22", "secure shell"},
    {"sftp", "tcp/22", "file transfer over SSH"},
    {"scp", "tcp/22", "file copy over SSH"},
    {"telnet", "tcp/23", "remote terminal, clear text"},
    {"ftp", "tcp/21", "file transfer (control connection)"},
    {"ftps", "tcp/990", "file transfer over TLS (implicit)"},
    {"tftp", "udp/69", "trivial file transfer"},
    {"smb", "tcp/445 tcp/139", "Windows file sharing"},
    {"nfs", "tcp/2049 udp/2049", "NFS file sharing"},
    {"dns", "udp/53 tcp/53", "name resolution"},
    {"ntp", "udp/123", "time synchronisation"},
    {"syslog", "udp/514 tcp/514", "log transfer"},
    {"syslog-tls", "tcp/6514", "log transfer over TLS"},
    {"snmp", "udp/161", "network management polling"},
    {"snmp-trap", "udp/162", "network management traps"},
    {"ldap", "tcp/389", "directory"},
    {"ldaps", "tcp/636", "directory over TLS"},
    {"kerberos", "tcp/88 udp/88", "authentication"},
    {"radius", "udp/1812 udp/1813", "network access authentication and accounting"},
    {"dhcp", "udp/67", "address assignment (to the server)"},
    {"mssql", "tcp/1433", "Microsoft SQL Server"},
    {"mysql", "tcp/3306", "MySQL / MariaDB"},
    {"postgresql", "tcp/5432", "PostgreSQL"},
    {"oracle", "tcp/1521", "Oracle listener"},
    {"winrm", "tcp/5985 tcp/5986", "Windows remote management"},
    {"wsus", "tcp/8530 tcp/8531", "Windows update distribution"},
    {"ipp", "tcp/631", "printing (IPP)"},
    {"lpd", "tcp/515", "printing (LPD)"},
    {"jetdirect", "tcp/9100", "printing (raw)"},
    {"ping", "icmp/8 icmpv6/128", "echo request"},
    {"bgp", "tcp/179", "routing"},
}};

constexpr std::string_view kExpected =
    "(expected tcp/N, udp/N, tcp/N-M, udp/N-M, icmp, icmp/TYPE, ip/PROTO or a named service "
    "of docs/services.md)";

std::optional<unsigned> parse_number(std::string_view s, unsigned lo, unsigned hi) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi)
    return std::nullopt;
  return v;
}

std::optional<std::uint8_t> port_protocol(std::string_view name) {
  if (name == "tcp") return model::kProtoTcp;
  if (name == "udp") return model::kProtoUdp;
  if (name == "sctp") return model::kProtoSctp;
  return std::nullopt;
}

std::optional<std::uint8_t> ip_protocol(std::string_view name) {
  if (auto p = port_protocol(name)) return p;
  if (name == "icmp") return model::kProtoIcmp;
  if (name == "icmpv6") return model::kProtoIcmpv6;
  if (name == "gre") return std::uint8_t{47};
  if (name == "esp") return std::uint8_t{50};
  if (name == "ah") return std::uint8_t{51};
  if (name == "ospf") return std::uint8_t{89};
  if (name == "vrrp") return std::uint8_t{112};
  if (auto n = parse_number(name, 0, 255)) return static_cast<std::uint8_t>(*n);
  return std::nullopt;
}

/// One word without named services: proto/ports, icmp[/T], icmpv6[/T], ip/P.
std::optional<Service> parse_word(std::string_view text, std::string& error,
                                  const std::string& in) {
  Service s;
  s.text = std::string(text);
  const auto slash = text.find('/');
  const std::string_view head = text.substr(0, slash);
  const std::string_view tail = slash == text.npos ? std::string_view{} : text.substr(slash + 1);
  if (head == "icmp" || head == "icmpv6") {
    const std::uint8_t p = head == "icmp" ? model::kProtoIcmp : model::kProtoIcmpv6;
    s.port_count = 1;
    if (slash == text.npos) {
      s.packets = model::PacketSet::icmp(p, 0, 255);
      return s;
    }
    auto type = parse_number(tail, 0, 255);
    if (!type) {
      error = "invalid ICMP type '" + std::string(tail) + "' in service '" + s.text + "'" + in +
              " (expected 0 to 255)";
      return std::nullopt;
    }
    s.packets = model::PacketSet::icmp(p, static_cast<std::uint8_t>(*type),
                                       static_cast<std::uint8_t>(*type));
    return s;
  }
  if (head == "ip" && slash != text.npos) {
    auto p = ip_protocol(tail);
    if (!p) {
      error = "invalid protocol '" + std::string(tail) + "' in service '" + s.text + "'" + in +
              " (expected 0 to 255 or a name such as gre, esp)";
      return std::nullopt;
    }
    s.packets = model::PacketSet::proto(*p);
    const bool has_ports =
        *p == model::kProtoTcp || *p == model::kProtoUdp || *p == model::kProtoSctp;
    s.port_count = has_ports ? 65535 : 1;
    s.exact = false;
    return s;
  }
  auto proto = port_protocol(head);
  if (!proto || slash == text.npos) return std::nullopt;
  const auto dash = tail.find('-');
  auto lo = parse_number(tail.substr(0, dash), 1, 65535);
  auto hi = dash == tail.npos ? lo : parse_number(tail.substr(dash + 1), 1, 65535);
  if (!lo || !hi || *lo > *hi) {
    error = "invalid port '" + std::string(tail) + "' in service '" + s.text + "'" + in +
            " (expected a port or a range N-M of ports from 1 to 65535)";
    return std::nullopt;
  }
  s.packets = model::PacketSet::dport(*proto, static_cast<std::uint16_t>(*lo),
                                      static_cast<std::uint16_t>(*hi));
  s.port_count = static_cast<int>(*hi - *lo + 1);
  s.exact = *lo == *hi;
  return s;
}

}  // namespace

std::span<const NamedService> named_services() { return kNamedServices; }

std::optional<Service> parse_service(std::string_view text, std::string& error,
                                     std::string_view where) {
  // (not `" " + std::string(where)`: GCC 12 -O3 warns -Wrestrict on it, a known false positive)
  std::string in;
  if (!where.empty()) in.append(" ").append(where);
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const NamedService& named : kNamedServices) {
    if (named.name != lowered) continue;
    Service s;
    s.text = std::string(text);
    std::string_view def = named.definition;
    while (!def.empty()) {
      const auto space = def.find(' ');
      std::string ignored;
      // The table is ours: every word parses (a test checks it).
      if (auto part = parse_word(def.substr(0, space), ignored, in)) {
        s.packets |= part->packets;
        s.port_count += part->port_count;
        s.exact = s.exact && part->exact;
      }
      def = space == def.npos ? std::string_view{} : def.substr(space + 1);
    }
    return s;
  }
  error.clear();
  auto s = parse_word(lowered, error, in);
  if (s) {
    s->text = std::string(text);
    return s;
  }
  if (error.empty())
    error = "unknown service '" + std::string(text) + "'" + in + " " + std::string(kExpected);
  return std::nullopt;
}

model::PacketSet display_protocols() {
  model::PacketSet out;
  std::string ignored;
  for (std::string_view name : {"rdp", "ica", "blast", "pcoip", "https"})
    if (auto s = parse_service(name, ignored)) out |= s->packets;
  return out;
}

}  // namespace sanso::topology
