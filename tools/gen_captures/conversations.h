// Whole conversations of the services Example City runs, on a flow already placed on the wire:
// what a normal session of each protocol looks like, so that scenarios read as one line each.
#pragma once

#include "wire.h"

#include <string_view>

namespace sanso::gen {

/// Handshake, a TLS 1.3 ClientHello/ServerHello and one encrypted exchange, close.
void https(TcpSession& s, std::string_view server_name);
/// Handshake, SMTP banner, EHLO, QUIT, close (the relay checks the peer before sending mail).
void smtp(TcpSession& s, std::string_view server_name, std::string_view client_name);
/// Handshake, X.224 connection request/confirm negotiating TLS, the TLS hello, close.
void rdp(TcpSession& s);
/// Handshake, SMB2 NEGOTIATE request and response, close.
void smb(TcpSession& s);
/// Handshake, one PJL job to the printer's raw port, close.
void print_job(TcpSession& s, std::string_view job_name);
/// Handshake, an HTTP/1.1 GET through the proxy and its 200 response, close.
void http_get(TcpSession& s, std::string_view host, std::string_view path);
/// An NTP request and the server's reply.
void ntp(UdpFlow& f);
/// A DNS A query for `name` and the answer `address`.
void dns(UdpFlow& f, std::uint16_t id, std::string_view name, Ipv4 address);

}  // namespace sanso::gen
