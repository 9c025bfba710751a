// Application payloads for the example sessions: short but well-formed, so that a packet viewer
// shows a plausible conversation and no decoder trips over them. Nothing here is random: the
// "random" fields of TLS and the bulk of encrypted records come from a seeded generator.
#pragma once

#include "packet.h"

#include <cstdint>
#include <string_view>

namespace sanso::gen {

/// ASCII protocol lines (SMTP, HTTP) as bytes.
Bytes text(std::string_view s);

/// Deterministic filler (xorshift32 from `seed`): stands in for ciphertext and file contents.
Bytes filler(std::size_t n, std::uint32_t seed);

/// RFC 8446 ClientHello in a TLS record offering TLS 1.3; server_name only when not empty.
Bytes tls_client_hello(std::string_view server_name, std::uint32_t seed);
/// RFC 8446 ServerHello choosing TLS_AES_128_GCM_SHA256.
Bytes tls_server_hello(std::uint32_t seed);
/// An application_data record of `n` ciphertext bytes.
Bytes tls_application_data(std::size_t n, std::uint32_t seed);

/// MS-RDPBCGR X.224 Connection Request / Confirm in TPKT, negotiating TLS.
Bytes rdp_connection_request();
Bytes rdp_connection_confirm();

/// MS-SMB2 NEGOTIATE request (dialects 2.1, 3.0, 3.0.2) and response (3.0.2) over NetBIOS
/// session framing; the response carries the server time `usec`.
Bytes smb2_negotiate_request();
Bytes smb2_negotiate_response(std::int64_t usec);

/// A raw-port (tcp/9100) print job wrapped in PJL.
Bytes pjl_print_job(std::string_view job_name);

/// RFC 1035 query for an A record, recursion desired.
Bytes dns_query(std::uint16_t id, std::string_view name);
/// The response to dns_query(id, name) with one A record.
Bytes dns_response(std::uint16_t id, std::string_view name, Ipv4 address);

/// RFC 5905 client request (mode 3) sent at `usec` (Unix microseconds).
Bytes ntp_request(std::int64_t usec);
/// The server's reply (mode 4, stratum 1 on a GPS clock) to `request`, sent at `usec`.
Bytes ntp_reply(ByteView request, std::int64_t usec);

}  // namespace sanso::gen
