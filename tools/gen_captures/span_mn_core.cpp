// span-mn-core: the span port of the マイナンバー利用事務系 core switch, trunking mn-clients
// (VLAN 110) and mn-servers (VLAN 120). Both segments are `inventory: complete`.
#include "conversations.h"
#include "payloads.h"
#include "scenarios.h"

namespace sanso::gen {

void write_span_mn_core(Wire& w) {
  // --- Normal work: none of it may raise an alert. ---

  // juki-to-print (specific communication): a certificate printed on the LGWAN printer, sent from
  // juki-app's registered MAC.
  w.next_scenario();
  {
    TcpSession s(w, city::juki_app, city::lg_print, 9100);
    print_job(s, "juminhyo-0001");
  }

  // national-link (public-body): mn-link talks to the 中間サーバー over LGWAN.
  w.next_scenario();
  {
    TcpSession s(w, city::mn_link, city::chuukan, 443);
    https(s, "chuukan.example.jp");
  }

  // A terminal uses the resident register application (inside the tier).
  w.next_scenario();
  {
    TcpSession s(w, city::mn_pc_01, city::juki_app, 443);
    https(s, "juki-app.city.example.jp");
  }

  // Time from the tier's own NTP server (policy.ntp_sources).
  w.next_scenario();
  {
    UdpFlow f(w, city::mn_pc_01, city::mn_ntp, 123);
    ntp(f);
  }

  // juki-app resolves mn-link's MAC before its next job; mn-link answers with its own MAC.
  w.next_scenario();
  w.arp_request(city::juki_app, city::mn_link.ip);
  w.arp_reply(city::mn_link, city::juki_app);

  // --- Planted violations: each must raise exactly the alert recorded. ---

  // V1: a mynumber terminal opens SMB on the LGWAN file server (gw-mn drops it: SYN only).
  w.next_scenario();
  {
    TcpSession s(w, city::mn_pc_02, city::lg_file_01, 445);
    s.syn();
    s.expect("V1", "MN-ISOLATE");
  }

  // V2: juki-app's address and the printer service, but from mn-pc-02's MAC on the server VLAN:
  // someone borrowed the specific communication's identity.
  w.next_scenario();
  {
    constexpr Endpoint kSpoofer{"juki-app's IP from mn-pc-02's MAC", city::juki_app.ip,
                                city::mn_pc_02.mac, &city::mn_servers};
    TcpSession s(w, kSpoofer, city::lg_print, 9100);
    s.syn();
    s.expect("V2", "MN-SPECIFIC-COMM");
  }

  // V3: zeimu-app's MAC claims juki-app's address (ARP cache poisoning of mn-link).
  w.next_scenario();
  {
    constexpr Endpoint kPoisoner{"juki-app's IP at zeimu-app's MAC", city::juki_app.ip,
                                 city::zeimu_app.mac, &city::mn_servers};
    w.arp_reply(kPoisoner, city::mn_link);
    w.expect("V3", "MN-SPECIFIC-COMM", city::juki_app.ip, std::nullopt, "arp", std::nullopt);
  }

  // V4: a mynumber terminal asks a public resolver on the Internet (no reply comes back).
  w.next_scenario();
  {
    constexpr Endpoint kPublicResolver{"8.8.8.8", ip(8, 8, 8, 8), std::nullopt, nullptr};
    UdpFlow f(w, city::mn_pc_01, kPublicResolver, 53);
    f.client_sends(dns_query(0x4d4e, "example.com"));
    f.expect("V4", "MN-NO-INTERNET-PATH");
  }

  // V5: an unregistered device on the client VLAN reaches juki-app twice: one alert per device.
  w.next_scenario();
  {
    constexpr Endpoint kIntruder{"unregistered device", ip(10, 1, 10, 99), mac("02:00:de:ad:be:ef"),
                                 &city::mn_clients};
    TcpSession web(w, kIntruder, city::juki_app, 443);
    https(web, "juki-app.city.example.jp");
    web.expect("V5", "NET-NO-UNAUTH-DEVICE");
    TcpSession admin(w, kIntruder, city::juki_app, 8443);
    admin.syn();
    admin.server_resets();
  }
}

}  // namespace sanso::gen
