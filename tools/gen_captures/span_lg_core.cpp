// span-lg-core: the span port of the LGWAN接続系 core switch (core-sw), trunking lg-clients
// (VLAN 210) and lg-servers (VLAN 220).
#include "conversations.h"
#include "payloads.h"
#include "scenarios.h"

namespace sanso::gen {

void write_span_lg_core(Wire& w) {
  // --- Normal work: none of it may raise an alert. ---

  // vdi (sanitized, screen-transfer): an LG terminal opens its Internet desktop.
  w.next_scenario();
  {
    TcpSession s(w, city::lg_pc_01, city::vdi_gw, 3389);
    rdp(s);
  }

  // mail-in (sanitized, mail-text): the mail relay delivers text-only mail to lg-mail.
  w.next_scenario();
  {
    TcpSession s(w, city::mail_relay, city::lg_mail, 25);
    smtp(s, "lg-mail.city.example.jp", "mail-relay.city.example.jp");
  }

  // cdr-download (sanitized, file-sanitize): a terminal fetches a sanitized file.
  w.next_scenario();
  {
    TcpSession s(w, city::lg_pc_01, city::cdr_box, 443);
    https(s, "cdr-box.city.example.jp");
  }

  // File sharing inside the tier.
  w.next_scenario();
  {
    TcpSession s(w, city::lg_pc_01, city::lg_file_01, 445);
    smb(s);
  }

  // lg-mail exchanges mail with the LGWAN mail service (LGWAN is the tier's own network).
  w.next_scenario();
  {
    TcpSession s(w, city::lg_mail, city::lgwan_mail, 25);
    smtp(s, "lgwan-mail.example.jp", "lg-mail.city.example.jp");
  }

  // Time from the tier's NTP server (policy.ntp_sources).
  w.next_scenario();
  {
    UdpFlow f(w, city::lg_pc_01, city::lg_ntp, 123);
    ntp(f);
  }

  // Name resolution at the tier's DNS server.
  w.next_scenario();
  {
    UdpFlow f(w, city::lg_pc_01, city::lg_dns, 53);
    dns(f, 0x1c01, "lg-file-01.city.example.jp", city::lg_file_01.ip);
  }

  // juki-to-print seen from the LGWAN side: it arrives through gw-mn, so the frame carries the
  // gateway's MAC, and this point does not see mn-servers: no MAC check applies here.
  w.next_scenario();
  {
    TcpSession s(w, city::juki_app, city::lg_print, 9100);
    print_job(s, "juminhyo-0002");
  }

  // A DNS answer whose query was not captured: the direction is unknown, and lg-dns:53 <->
  // lg-pc-02 is allowed either way.
  w.next_scenario();
  {
    UdpFlow f(w, city::lg_pc_02, city::lg_dns, 53, 53535);
    f.server_sends(dns_response(0x1c02, "lg-mail.city.example.jp", city::lg_mail.ip));
  }

  // --- Planted violations: each must raise exactly the alert recorded. ---

  // V6: the Internet proxy writes to the LG file server over SMB, around every sanitizer.
  w.next_scenario();
  {
    TcpSession s(w, city::inet_proxy, city::lg_file_01, 445);
    smb(s);
    s.expect("V6", "LG-IMPORT-SANITIZED");
  }

  // V7: the screen-transfer sanitizer opens RDP to an LG terminal: the display protocol runs in
  // the wrong direction for the vdi entry (lg-clients -> vdi-gw).
  w.next_scenario();
  {
    TcpSession s(w, city::vdi_gw, city::lg_pc_02, 3389);
    rdp(s);
    s.expect("V7", "LG-IMPORT-SANITIZED");
  }

  // V8: an LG terminal uses the Internet proxy (connection accepted, nothing sent yet).
  w.next_scenario();
  {
    TcpSession s(w, city::lg_pc_02, city::inet_proxy, 8080);
    s.syn();
    s.syn_ack();
    s.expect("V8", "LG-INET-SPLIT");
  }

  // V9: a private address no zone declares (a forgotten test network).
  w.next_scenario();
  {
    constexpr Endpoint kUndeclared{"192.168.5.10", ip(192, 168, 5, 10), std::nullopt, nullptr};
    TcpSession s(w, city::lg_pc_01, kUndeclared, 443);
    s.syn();
    s.expect("V9", "ZONE-ASSIGN");
  }

  // V10: NTP to lg-dns, which is not in policy.ntp_sources (no answer comes back).
  w.next_scenario();
  {
    UdpFlow f(w, city::lg_pc_01, city::lg_dns, 123);
    f.client_sends(ntp_request(f.now()));
    f.expect("V10", "TIME-SYNC");
  }
}

}  // namespace sanso::gen
