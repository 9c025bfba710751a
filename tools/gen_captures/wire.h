// What one capture point records: frames on the VLANs it sees, a clock, and the flows that
// produce them (TCP sessions with real sequence numbers, UDP exchanges, ARP). Scenarios are
// written against this file, in terms of Example City's hosts, never raw frames.
//
// Where a flow is seen: each packet is recorded once, on the initiator's segment when the
// capture point sees it, otherwise on the responder's. On that segment a host sends from its
// own MAC; everything that came through a router carries the segment's gateway MAC, one hop
// lower TTL, and the segment's VLAN.
#pragma once

#include "city.h"
#include "packet.h"
#include "pcap_file.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sanso::gen {

/// One entry of expected-alerts.json: what `sanso monitor` must raise for a planted violation.
struct ExpectedAlert {
  std::string_view capture_point;
  std::string_view rule;
  Ipv4 initiator;
  std::optional<Ipv4> responder;  // none for ARP: the claimed address is the initiator
  std::string_view proto;         // "tcp", "udp" or "arp"
  std::optional<std::uint16_t> dport;
  std::string_view scenario;      // "V1".."V13", as in the README
};

/// How one flow looks at one capture point: its VLAN and what each end's frames carry.
struct Leg {
  std::uint16_t vlan;
  Mac client_mac;  // source MAC of frames from the client (its own, or the gateway's)
  Mac server_mac;
  std::uint8_t client_ttl;
  std::uint8_t server_ttl;
};

class Wire {
 public:
  /// 2026-04-01T00:30:00Z, when every example capture begins.
  static constexpr std::int64_t kStartUsec = 1'775'003'400'000'000;
  static constexpr std::int64_t kPacketGapUsec = 3'000;
  static constexpr std::int64_t kScenarioGapUsec = 250'000;

  Wire(const CapturePoint& point, PcapFile& file, std::vector<ExpectedAlert>& alerts);

  const CapturePoint& point() const { return point_; }
  std::int64_t now() const { return now_; }

  /// Leaves a quiet gap before the next scenario (none before the first).
  void next_scenario();

  /// Where and how the flow client -> server appears here; aborts if this point cannot see it.
  Leg leg(const Endpoint& client, const Endpoint& server) const;

  /// The next client port (49152 upwards, never reused within a file).
  std::uint16_t ephemeral_port() { return next_port_++; }
  std::uint16_t next_ip_id() { return next_ip_id_++; }

  /// Records an IPv4 packet sent by the client (or the server) of `leg`, then advances the clock.
  void send_ip(const Leg& leg, bool from_client, ByteView ip_packet);

  /// An ARP request from `asker` (broadcast on its segment) for `target`.
  void arp_request(const Endpoint& asker, Ipv4 target);
  /// An ARP reply to `to` saying that `claimant.ip` is at `claimant.mac`.
  void arp_reply(const Endpoint& claimant, const Endpoint& to);

  void expect(std::string_view scenario, std::string_view rule, Ipv4 initiator,
              std::optional<Ipv4> responder, std::string_view proto,
              std::optional<std::uint16_t> dport);

 private:
  void send_frame(const Mac& dst, const Mac& src, std::uint16_t vlan, std::uint16_t ethertype,
                  ByteView payload);

  const CapturePoint& point_;
  PcapFile& file_;
  std::vector<ExpectedAlert>& alerts_;
  std::int64_t now_ = kStartUsec;
  bool started_ = false;
  std::uint16_t next_port_ = 49152;
  std::uint16_t next_ip_id_ = 0x1000;
};

/// The ends, ports and leg shared by a TCP session and a UDP exchange.
class Flow {
 public:
  /// The flow's alert, as the monitor must name it (initiator = the client).
  void expect(std::string_view scenario, std::string_view rule);
  std::uint16_t sport() const { return sport_; }
  /// When the flow's next packet will be recorded (for payloads that carry a time).
  std::int64_t now() const { return wire_.now(); }

 protected:
  /// sport 0: the wire's next ephemeral port.
  Flow(Wire& wire, const Endpoint& client, const Endpoint& server, std::uint16_t dport,
       std::uint16_t sport, std::string_view proto);
  void send(bool from_client, std::uint8_t proto, ByteView transport);

  Wire& wire_;
  Endpoint client_;
  Endpoint server_;
  Leg leg_;
  std::uint16_t sport_;
  std::uint16_t dport_;
  std::string_view proto_;
};

class UdpFlow : public Flow {
 public:
  UdpFlow(Wire& wire, const Endpoint& client, const Endpoint& server, std::uint16_t dport,
          std::uint16_t sport = 0);
  void client_sends(ByteView payload);
  void server_sends(ByteView payload);
};

/// A TCP connection whose sequence and acknowledgement numbers follow the bytes sent.
class TcpSession : public Flow {
 public:
  TcpSession(Wire& wire, const Endpoint& client, const Endpoint& server, std::uint16_t dport);

  void syn();
  void syn_ack();
  void ack();
  void handshake() {
    syn();
    syn_ack();
    ack();
  }
  /// Data from one side (PSH, ACK), acknowledged by the other.
  void client_sends(ByteView payload);
  void server_sends(ByteView payload);
  /// The server refuses the SYN: RST, ACK (RFC 9293 §3.10.7.1).
  void server_resets();
  /// FIN from the client, FIN from the server, last ACK.
  void close();

 private:
  void segment(bool from_client, std::uint8_t flags, ByteView payload);

  std::uint32_t client_next_;  // the next sequence number each side sends
  std::uint32_t server_next_;
};

}  // namespace sanso::gen
