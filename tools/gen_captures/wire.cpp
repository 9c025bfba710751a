#include "wire.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace sanso::gen {

namespace {

constexpr std::uint8_t kHostTtl = 64;
constexpr std::uint8_t kRoutedTtl = 63;  // one router between the sender and this segment
constexpr std::uint16_t kMss = 1460;
constexpr std::uint16_t kClientWindow = 64240;
constexpr std::uint16_t kServerWindow = 65160;

/// A scenario that asks for something this capture point cannot record is a bug in the
/// scenario list, not an input error: stop loudly rather than write a wrong capture.
void require(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "sanso_gen_captures: internal error: %s\n", what.c_str());
  std::abort();
}

const Mac& mac_of(const Endpoint& e) {
  require(e.mac.has_value(), std::string(e.name) + " has no MAC on a captured segment");
  return *e.mac;
}

/// Initial sequence numbers: a fixed mix of the connection's 4-tuple (deterministic, spread out).
std::uint32_t initial_sequence(Ipv4 from, std::uint16_t from_port, Ipv4 to, std::uint16_t to_port) {
  std::uint32_t h = from.value ^ (to.value * 0x9e3779b1u) ^ (std::uint32_t{from_port} << 16 | to_port);
  h ^= h >> 16;  // murmur3's finaliser
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

}  // namespace

Wire::Wire(const CapturePoint& point, PcapFile& file, std::vector<ExpectedAlert>& alerts)
    : point_(point), file_(file), alerts_(alerts) {}

void Wire::next_scenario() {
  if (started_) now_ += kScenarioGapUsec;
  started_ = true;
}

Leg Wire::leg(const Endpoint& client, const Endpoint& server) const {
  if (point_.sees_segment(client.segment)) {
    const Segment& s = *client.segment;
    if (server.segment == client.segment) {
      return {s.vlan, mac_of(client), mac_of(server), kHostTtl, kHostTtl};
    }
    return {s.vlan, mac_of(client), s.gateway, kHostTtl, kRoutedTtl};
  }
  require(point_.sees_segment(server.segment), std::string(point_.name) + " sees neither " +
                                                   std::string(client.name) + " nor " +
                                                   std::string(server.name));
  const Segment& s = *server.segment;
  return {s.vlan, s.gateway, mac_of(server), kRoutedTtl, kHostTtl};
}

void Wire::send_frame(const Mac& dst, const Mac& src, std::uint16_t vlan, std::uint16_t ethertype,
                      ByteView payload) {
  started_ = true;
  file_.write(now_, ethernet_vlan(dst, src, vlan, ethertype, payload));
  now_ += kPacketGapUsec;
}

void Wire::send_ip(const Leg& leg, bool from_client, ByteView ip_packet) {
  const Mac& src = from_client ? leg.client_mac : leg.server_mac;
  const Mac& dst = from_client ? leg.server_mac : leg.client_mac;
  send_frame(dst, src, leg.vlan, kEtherIpv4, ip_packet);
}

void Wire::arp_request(const Endpoint& asker, Ipv4 target) {
  require(point_.sees_segment(asker.segment), "ARP from a segment this point does not see");
  const Bytes body = arp(1, mac_of(asker), asker.ip, Mac{}, target);
  send_frame(kBroadcast, mac_of(asker), asker.segment->vlan, kEtherArp, body);
}

void Wire::arp_reply(const Endpoint& claimant, const Endpoint& to) {
  require(point_.sees_segment(claimant.segment) && claimant.segment == to.segment,
          "ARP reply between segments");
  const Bytes body = arp(2, mac_of(claimant), claimant.ip, mac_of(to), to.ip);
  send_frame(mac_of(to), mac_of(claimant), claimant.segment->vlan, kEtherArp, body);
}

void Wire::expect(std::string_view scenario, std::string_view rule, Ipv4 initiator,
                  std::optional<Ipv4> responder, std::string_view proto,
                  std::optional<std::uint16_t> dport) {
  alerts_.push_back({point_.name, rule, initiator, responder, proto, dport, scenario});
}

Flow::Flow(Wire& wire, const Endpoint& client, const Endpoint& server, std::uint16_t dport,
           std::uint16_t sport, std::string_view proto)
    : wire_(wire),
      client_(client),
      server_(server),
      leg_(wire.leg(client, server)),
      sport_(sport != 0 ? sport : wire.ephemeral_port()),
      dport_(dport),
      proto_(proto) {}

void Flow::expect(std::string_view scenario, std::string_view rule) {
  wire_.expect(scenario, rule, client_.ip, server_.ip, proto_, dport_);
}

void Flow::send(bool from_client, std::uint8_t proto, ByteView transport) {
  Ipv4Header h;
  h.src = from_client ? client_.ip : server_.ip;
  h.dst = from_client ? server_.ip : client_.ip;
  h.proto = proto;
  h.id = wire_.next_ip_id();
  h.ttl = from_client ? leg_.client_ttl : leg_.server_ttl;
  h.dont_fragment = true;  // path MTU discovery, as Linux and Windows send
  wire_.send_ip(leg_, from_client, ipv4(h, transport));
}

UdpFlow::UdpFlow(Wire& wire, const Endpoint& client, const Endpoint& server, std::uint16_t dport,
                 std::uint16_t sport)
    : Flow(wire, client, server, dport, sport, "udp") {}

void UdpFlow::client_sends(ByteView payload) {
  send(true, kProtoUdp, udp(client_.ip, server_.ip, sport_, dport_, payload));
}

void UdpFlow::server_sends(ByteView payload) {
  send(false, kProtoUdp, udp(server_.ip, client_.ip, dport_, sport_, payload));
}

TcpSession::TcpSession(Wire& wire, const Endpoint& client, const Endpoint& server,
                       std::uint16_t dport)
    : Flow(wire, client, server, dport, 0, "tcp"),
      client_next_(initial_sequence(client.ip, sport_, server.ip, dport)),
      server_next_(initial_sequence(server.ip, dport, client.ip, sport_)) {}

void TcpSession::segment(bool from_client, std::uint8_t flags, ByteView payload) {
  std::uint32_t& seq = from_client ? client_next_ : server_next_;
  TcpHeader h;
  h.sport = from_client ? sport_ : dport_;
  h.dport = from_client ? dport_ : sport_;
  h.seq = seq;
  h.ack = (flags & kAck) != 0 ? (from_client ? server_next_ : client_next_) : 0;
  h.flags = flags;
  h.window = (flags & kRst) != 0 ? 0 : from_client ? kClientWindow : kServerWindow;
  h.mss = (flags & kSyn) != 0 ? kMss : 0;
  const Ipv4 src = from_client ? client_.ip : server_.ip;
  const Ipv4 dst = from_client ? server_.ip : client_.ip;
  send(from_client, kProtoTcp, tcp(src, dst, h, payload));
  // SYN and FIN each take one sequence number (RFC 9293 §3.4).
  seq += static_cast<std::uint32_t>(payload.size()) + ((flags & kSyn) != 0) + ((flags & kFin) != 0);
}

void TcpSession::syn() { segment(true, kSyn, {}); }
void TcpSession::syn_ack() { segment(false, kSyn | kAck, {}); }
void TcpSession::ack() { segment(true, kAck, {}); }

void TcpSession::client_sends(ByteView payload) {
  segment(true, kPsh | kAck, payload);
  segment(false, kAck, {});
}

void TcpSession::server_sends(ByteView payload) {
  segment(false, kPsh | kAck, payload);
  segment(true, kAck, {});
}

void TcpSession::server_resets() {
  // A SYN without ACK is answered with SEQ=0, ACK=SEG.SEQ+SEG.LEN.
  server_next_ = 0;
  segment(false, kRst | kAck, {});
}

void TcpSession::close() {
  segment(true, kFin | kAck, {});
  segment(false, kFin | kAck, {});
  segment(true, kAck, {});
}

}  // namespace sanso::gen
