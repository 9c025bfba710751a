#include "payloads.h"

#include <cassert>

namespace sanso::gen {

Bytes text(std::string_view s) { return ByteWriter().text(s).take(); }

Bytes filler(std::size_t n, std::uint32_t seed) {
  std::uint32_t x = seed | 1;  // xorshift32 must not start at zero
  Bytes out(n);
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return out;
}

namespace {

/// A TLS record around one handshake message (RFC 8446 §4, §5.1).
Bytes tls_handshake_record(std::uint16_t record_version, std::uint8_t type, ByteView body) {
  ByteWriter w;
  w.u8(0x16).be16(record_version).be16(static_cast<std::uint16_t>(4 + body.size()));
  w.u8(type).be24(static_cast<std::uint32_t>(body.size())).bytes(body);
  return w.take();
}

constexpr std::uint16_t kX25519 = 0x001d;

}  // namespace

Bytes tls_client_hello(std::string_view server_name, std::uint32_t seed) {
  const auto name_length = static_cast<std::uint16_t>(server_name.size());
  ByteWriter ext;
  if (!server_name.empty()) {  // server_name with one host_name (RFC 6066 §3)
    ext.be16(0x0000).be16(name_length + 5).be16(name_length + 3);
    ext.u8(0).be16(name_length).text(server_name);
  }
  ext.be16(0x000a).be16(4).be16(2).be16(kX25519);                  // supported_groups
  ext.be16(0x000d).be16(6).be16(4).be16(0x0403).be16(0x0804);      // signature_algorithms
  ext.be16(0x002b).be16(3).u8(2).be16(0x0304);                     // supported_versions: 1.3
  ext.be16(0x0033).be16(38).be16(36).be16(kX25519).be16(32);       // key_share
  ext.bytes(filler(32, seed ^ 0x6b657973));

  ByteWriter hello;
  hello.be16(0x0303).bytes(filler(32, seed));  // legacy_version, random
  hello.u8(0);                                 // no legacy session id
  hello.be16(6).be16(0x1301).be16(0x1302).be16(0x1303);
  hello.u8(1).u8(0);                           // compression: null only
  hello.be16(static_cast<std::uint16_t>(ext.size())).bytes(ext.view());
  return tls_handshake_record(0x0301, 1, hello.view());
}

Bytes tls_server_hello(std::uint32_t seed) {
  ByteWriter ext;
  ext.be16(0x002b).be16(2).be16(0x0304);                        // supported_versions: 1.3
  ext.be16(0x0033).be16(36).be16(kX25519).be16(32).bytes(filler(32, seed ^ 0x6b657973));
  ByteWriter hello;
  hello.be16(0x0303).bytes(filler(32, seed)).u8(0);
  hello.be16(0x1301).u8(0);                                     // TLS_AES_128_GCM_SHA256, null
  hello.be16(static_cast<std::uint16_t>(ext.size())).bytes(ext.view());
  return tls_handshake_record(0x0303, 2, hello.view());
}

Bytes tls_application_data(std::size_t n, std::uint32_t seed) {
  ByteWriter w;
  w.u8(0x17).be16(0x0303).be16(static_cast<std::uint16_t>(n)).bytes(filler(n, seed));
  return w.take();
}

// TPKT (RFC 1006) + X.224 TPDU + RDP_NEG_REQ/RSP asking for / choosing PROTOCOL_SSL.
Bytes rdp_connection_request() {
  ByteWriter w;
  w.u8(3).u8(0).be16(19);                          // TPKT version 3, length
  w.u8(14).u8(0xe0).be16(0).be16(0).u8(0);         // X.224 CR: LI, code, dst-ref, src-ref, class
  w.u8(1).u8(0).le16(8).le32(1);                   // RDP_NEG_REQ, requestedProtocols = SSL
  return w.take();
}

Bytes rdp_connection_confirm() {
  ByteWriter w;
  w.u8(3).u8(0).be16(19);
  w.u8(14).u8(0xd0).be16(0).be16(0x1234).u8(0);    // X.224 CC
  w.u8(2).u8(0).le16(8).le32(1);                   // RDP_NEG_RSP, selectedProtocol = SSL
  return w.take();
}

namespace {

/// NetBIOS session message + the 64-byte SMB2 sync header for NEGOTIATE (MS-SMB2 §2.2.1.2).
Bytes smb2_negotiate(bool response, ByteView body) {
  ByteWriter w;
  w.u8(0).be24(static_cast<std::uint32_t>(64 + body.size()));  // NetBIOS session message
  w.u8(0xfe).text("SMB").le16(64);                // ProtocolId, StructureSize
  w.le16(response ? 1 : 0).le32(0);               // CreditCharge, Status
  w.le16(0).le16(1);                              // Command NEGOTIATE, credits
  w.le32(response ? 1 : 0).le32(0).le64(0);       // Flags (SERVER_TO_REDIR), NextCommand, MessageId
  w.le32(0).le32(0).le64(0).zeros(16);            // Reserved, TreeId, SessionId, Signature
  w.bytes(body);
  return w.take();
}

}  // namespace

Bytes smb2_negotiate_request() {
  ByteWriter body;
  body.le16(36).le16(3).le16(1).le16(0).le32(0x7f);  // size, dialects, signing enabled, caps
  body.bytes(filler(16, 0x736d6263)).le64(0);        // ClientGuid, ClientStartTime
  body.le16(0x0210).le16(0x0300).le16(0x0302);
  return smb2_negotiate(false, body.view());
}

Bytes smb2_negotiate_response(std::int64_t usec) {
  // FILETIME: 100 ns ticks since 1601-01-01.
  const auto filetime = static_cast<std::uint64_t>(usec) * 10 + 116444736000000000ULL;
  ByteWriter body;
  body.le16(65).le16(1).le16(0x0302).le16(0);        // size, signing enabled, dialect 3.0.2
  body.bytes(filler(16, 0x736d6273)).le32(0x2f);     // ServerGuid, capabilities
  body.le32(8 << 20).le32(8 << 20).le32(8 << 20);    // max transact, read, write
  body.le64(filetime).le64(0);                       // SystemTime, ServerStartTime
  body.le16(128).le16(0).le32(0);                    // empty security buffer after the body
  return smb2_negotiate(true, body.view());
}

Bytes pjl_print_job(std::string_view job_name) {
  constexpr std::string_view kUel = "\x1b%-12345X";  // PJL universal exit language
  ByteWriter w;
  w.text(kUel).text("@PJL JOB NAME=\"").text(job_name).text("\"\r\n");
  w.text("@PJL ENTER LANGUAGE=PCL\r\n");
  w.text("\x1b" "E").text("RESIDENT RECORD (COPY) - EXAMPLE CITY\r\n").text("\x1b" "E");
  w.text(kUel).text("@PJL EOJ NAME=\"").text(job_name).text("\"\r\n").text(kUel);
  return w.take();
}

namespace {

void dns_name(ByteWriter& w, std::string_view name) {
  while (!name.empty()) {
    const auto dot = name.find('.');
    const auto label = name.substr(0, dot);
    assert(!label.empty() && label.size() < 64);
    w.u8(static_cast<std::uint8_t>(label.size())).text(label);
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  w.u8(0);
}

constexpr std::uint16_t kTypeA = 1;
constexpr std::uint16_t kClassIn = 1;

}  // namespace

Bytes dns_query(std::uint16_t id, std::string_view name) {
  ByteWriter w;
  w.be16(id).be16(0x0100).be16(1).be16(0).be16(0).be16(0);  // RD; one question
  dns_name(w, name);
  w.be16(kTypeA).be16(kClassIn);
  return w.take();
}

Bytes dns_response(std::uint16_t id, std::string_view name, Ipv4 address) {
  ByteWriter w;
  w.be16(id).be16(0x8180).be16(1).be16(1).be16(0).be16(0);  // QR RD RA, NOERROR; one answer
  dns_name(w, name);
  w.be16(kTypeA).be16(kClassIn);
  w.be16(0xc00c).be16(kTypeA).be16(kClassIn).be32(300);     // name: pointer to the question
  w.be16(4).ip(address);
  return w.take();
}

namespace {

/// RFC 5905 64-bit timestamp: seconds since 1900 and a binary fraction.
void ntp_timestamp(ByteWriter& w, std::int64_t usec) {
  constexpr std::uint64_t kUnixToNtp = 2'208'988'800;
  const auto micros = static_cast<std::uint64_t>(usec);
  w.be32(static_cast<std::uint32_t>(micros / 1'000'000 + kUnixToNtp));
  w.be32(static_cast<std::uint32_t>((micros % 1'000'000 << 32) / 1'000'000));
}

}  // namespace

Bytes ntp_request(std::int64_t usec) {
  ByteWriter w;
  w.u8(0x23).u8(0).u8(6).u8(0xe9);  // LI 0, version 4, mode 3 (client); poll 2^6; precision
  w.zeros(4 + 4 + 4 + 8 + 8 + 8);   // root delay, dispersion, refid, reference/origin/receive
  ntp_timestamp(w, usec);           // transmit
  return w.take();
}

Bytes ntp_reply(ByteView request, std::int64_t usec) {
  assert(request.size() >= 48);
  ByteWriter w;
  w.u8(0x24).u8(1).u8(6).u8(0xe8);          // mode 4 (server), stratum 1
  w.be32(0).be32(0x00000010).text("GPS").u8(0);  // root delay, dispersion, reference id
  ntp_timestamp(w, usec - 64'000'000);      // reference: last synchronised a minute ago
  w.bytes(request.subspan(40, 8));          // origin = the client's transmit timestamp
  ntp_timestamp(w, usec - 1'000);           // receive
  ntp_timestamp(w, usec - 900);             // transmit
  return w.take();
}

}  // namespace sanso::gen
