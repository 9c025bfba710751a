#include "conversations.h"

#include "payloads.h"

#include <string>

namespace sanso::gen {

void https(TcpSession& s, std::string_view server_name) {
  const std::uint32_t seed = s.sport() * 2654435761u;  // differs per session, fixed per file
  s.handshake();
  s.client_sends(tls_client_hello(server_name, seed));
  s.server_sends(tls_server_hello(seed + 1));
  s.client_sends(tls_application_data(180, seed + 2));
  s.server_sends(tls_application_data(620, seed + 3));
  s.close();
}

void smtp(TcpSession& s, std::string_view server_name, std::string_view client_name) {
  const std::string name(server_name);
  s.handshake();
  s.server_sends(text("220 " + name + " ESMTP\r\n"));
  s.client_sends(text("EHLO " + std::string(client_name) + "\r\n"));
  s.server_sends(text("250-" + name + "\r\n250-SIZE 20480000\r\n250 8BITMIME\r\n"));
  s.client_sends(text("QUIT\r\n"));
  s.server_sends(text("221 2.0.0 Bye\r\n"));
  s.close();
}

void rdp(TcpSession& s) {
  const std::uint32_t seed = s.sport() * 2654435761u;
  s.handshake();
  s.client_sends(rdp_connection_request());
  s.server_sends(rdp_connection_confirm());
  s.client_sends(tls_client_hello("", seed));
  s.server_sends(tls_server_hello(seed + 1));
  s.close();
}

void smb(TcpSession& s) {
  s.handshake();
  s.client_sends(smb2_negotiate_request());
  s.server_sends(smb2_negotiate_response(s.now()));
  s.close();
}

void print_job(TcpSession& s, std::string_view job_name) {
  s.handshake();
  s.client_sends(pjl_print_job(job_name));
  s.close();
}

void http_get(TcpSession& s, std::string_view host, std::string_view path) {
  const Bytes body = filler(64, s.sport());
  s.handshake();
  s.client_sends(text("GET http://" + std::string(host) + std::string(path) + " HTTP/1.1\r\nHost: " +
                      std::string(host) + "\r\nUser-Agent: pattern-update/2.1\r\n\r\n"));
  ByteWriter response;
  response.text("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n");
  response.text("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n").bytes(body);
  s.server_sends(response.view());
  s.close();
}

void ntp(UdpFlow& f) {
  const Bytes request = ntp_request(f.now());
  f.client_sends(request);
  f.server_sends(ntp_reply(request, f.now()));
}

void dns(UdpFlow& f, std::uint16_t id, std::string_view name, Ipv4 address) {
  f.client_sends(dns_query(id, name));
  f.server_sends(dns_response(id, name, address));
}

}  // namespace sanso::gen
