// span-inet: the span port of the インターネット接続系 switch, trunking inet-dmz (VLAN 301) and
// inet-clients (VLAN 310).
#include "conversations.h"
#include "payloads.h"
#include "scenarios.h"

#include <algorithm>

namespace sanso::gen {

namespace {

/// RFC 1858 §3, tiny fragment: the first fragment carries only the first 8 bytes of the TCP
/// header (ports and sequence number), so a filter that looks for the flags in it finds none.
/// The second fragment, at offset 1, carries the rest of a SYN.
void tiny_fragment_syn(Wire& w, const Endpoint& from, const Endpoint& to, std::uint16_t dport) {
  const Leg leg = w.leg(from, to);
  const TcpHeader syn{.sport = w.ephemeral_port(), .dport = dport, .seq = 0x5ca1ab1e,
                      .flags = kSyn, .window = 64240, .mss = 1460};
  const Bytes segment = tcp(from.ip, to.ip, syn, {});
  const Ipv4Header h{.src = from.ip, .dst = to.ip, .proto = kProtoTcp, .id = w.next_ip_id(),
                     .ttl = leg.client_ttl};
  w.send_ip(leg, true, ipv4_fragment(h, segment, 0, 8, true));
  w.send_ip(leg, true, ipv4_fragment(h, segment, 8, segment.size() - 8, false));
}

/// RFC 1858 §4, overlapping fragments: the first fragment holds a whole TCP header that reads as
/// a harmless ACK; the second, at offset 1, rewrites bytes 8-15 (acknowledgement number, flags,
/// window) into a SYN; a third carries the rest of the data. The TCP checksum is valid for the
/// SYN reading only, as an attacker who wants the SYN to be accepted would compute it.
void overlapping_fragment_syn(Wire& w, const Endpoint& from, const Endpoint& to,
                              std::uint16_t dport) {
  const Leg leg = w.leg(from, to);
  const std::uint16_t sport = w.ephemeral_port();
  const Bytes data = text("overlap-test");  // 12 bytes: 4 in the first fragment, 8 in the last
  const TcpHeader decoy{.sport = sport, .dport = dport, .seq = 0x0ddba11, .ack = 0x1badcafe,
                        .flags = kAck, .window = 64240};
  const TcpHeader attack{.sport = sport, .dport = dport, .seq = 0x0ddba11, .flags = kSyn,
                         .window = 64240};
  const Bytes real = tcp(from.ip, to.ip, attack, data);
  Bytes shown = real;
  const Bytes decoy_segment = tcp(from.ip, to.ip, decoy, data);
  std::copy_n(decoy_segment.begin() + 8, 8, shown.begin() + 8);

  const Ipv4Header h{.src = from.ip, .dst = to.ip, .proto = kProtoTcp, .id = w.next_ip_id(),
                     .ttl = leg.client_ttl};
  w.send_ip(leg, true, ipv4_fragment(h, shown, 0, 24, true));
  w.send_ip(leg, true, ipv4_fragment(h, real, 8, 8, true));
  w.send_ip(leg, true, ipv4_fragment(h, real, 24, real.size() - 24, false));
}

}  // namespace

void write_span_inet(Wire& w) {
  // --- Normal work: none of it may raise an alert. ---

  // The Internet proxy fetches through the security cloud (the declared egress).
  w.next_scenario();
  {
    TcpSession s(w, city::inet_proxy, city::sc_relay, 8080);
    http_get(s, "update.example.com", "/pattern/latest.dat");
  }

  // The DMZ resolver forwards to the security cloud's DNS.
  w.next_scenario();
  {
    UdpFlow f(w, city::inet_dns, city::sc_relay, 53);
    dns(f, 0x5e01, "update.example.com", city::av_vendor.ip);
  }

  // mail-in seen from the Internet side: the relay delivers sanitized mail to lg-mail.
  w.next_scenario();
  {
    TcpSession s(w, city::mail_relay, city::lg_mail, 25);
    smtp(s, "lg-mail.city.example.jp", "mail-relay.city.example.jp");
  }

  // The security cloud's MTA delivers incoming mail to the relay.
  w.next_scenario();
  {
    TcpSession s(w, city::sc_relay, city::mail_relay, 25);
    smtp(s, "mail-relay.city.example.jp", "mx.seccloud.example.jp");
  }

  // --- Planted violations: each must raise exactly the alert recorded. ---

  // V11: an Internet terminal goes straight to the AV vendor, not through the security cloud.
  w.next_scenario();
  {
    TcpSession s(w, city::inet_pc_01, city::av_vendor, 443);
    https(s, "update.example.com");
    s.expect("V11", "INET-SECCLOUD");
  }

  // V12: a SYN to the mail relay split into a tiny first fragment.
  w.next_scenario();
  tiny_fragment_syn(w, city::sc_relay, city::mail_relay, 25);
  w.expect("V12", "MON-FRAG-EVASION", city::sc_relay.ip, city::mail_relay.ip, "tcp", 25);

  // V13: an ACK to the DMZ resolver that overlapping fragments turn into a SYN.
  w.next_scenario();
  overlapping_fragment_syn(w, city::sc_relay, city::inet_dns, 53);
  w.expect("V13", "MON-FRAG-EVASION", city::sc_relay.ip, city::inet_dns.ip, "tcp", 53);
}

}  // namespace sanso::gen
