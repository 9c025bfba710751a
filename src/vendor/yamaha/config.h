#pragma once
// YamahaConfig: what one YAMAHA RTX config (`show config` output or a saved .rtfg file) says, as
// written. No semantics here (to_model.cpp interprets): filter fields stay text, interface names
// are resolved only as far as the `pp select` / `tunnel select` context requires, and a command
// that could not be read keeps its line with the reason.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/address.h"
#include "model/device.h"

namespace sanso::vendor::yamaha {

/// Where a command was written: its logical line (a console-wrapped command spans several
/// physical lines, first..last) and its text with the wrap undone.
struct Where {
  int line = 0;
  int end_line = 0;
  std::string text;
};

enum class Direction { In, Out };

/// `ip filter N ACTION SRC [DST [PROTO [SPORT [DPORT]]]]` (also `ipv6 filter`): omitted trailing
/// fields are written here as "*" (the command reference gives them that meaning).
struct IpFilter {
  Where at;
  model::Family family = model::Family::V4;
  std::uint32_t number = 0;
  std::string action;  ///< pass, pass-log, reject-nolog, restrict, ...
  std::string src = "*", dst = "*", proto = "*", sport = "*", dport = "*";
  /// Set when the line could not be read as a filter (too many fields, bad number, ...); the
  /// fields then hold what was read before the problem.
  std::optional<std::string> garbled;
};

/// `ip filter dynamic N SRC DST APP [opt=...]...` or the user form
/// `ip filter dynamic N SRC DST filter F... [in G...] [out H...] [opt=...]...`.
struct DynamicFilter {
  Where at;
  model::Family family = model::Family::V4;
  std::uint32_t number = 0;
  std::string src = "*", dst = "*";
  std::string app;  ///< empty for the user form
  std::vector<std::uint32_t> trigger, in, out;  ///< the user form's filter lists
  std::vector<std::string> options;             ///< syslog=off, timeout=60, ...
  std::optional<std::string> garbled;
};

/// `ethernet filter N ACTION SRC-MAC [DST-MAC [OFFSET BYTES...]]`, or the DHCP forms
/// `ethernet filter N ACTION dhcp-bind|dhcp-not-bind [SCOPE]`.
struct EthernetFilter {
  Where at;
  std::uint32_t number = 0;
  std::string action;
  std::string src = "*", dst = "*";
  std::vector<std::string> rest;  ///< offset/byte-list or DHCP scope words
  std::optional<std::string> garbled;
};

enum class BindingKind { Ip, Ipv6, Ethernet };

/// `ip IF secure filter in|out N... [dynamic D...]` (`ipv6 IF secure filter ...`,
/// `ethernet IF filter in|out N...`). `iface` is resolved: `ip pp ...` inside `pp select 1` is
/// "pp1", inside `pp select anonymous` "pp-anonymous"; `ip tunnel ...` inside `tunnel select 2`
/// is "tunnel2".
struct Binding {
  Where at;
  BindingKind kind = BindingKind::Ip;
  std::string iface;
  Direction dir = Direction::In;
  std::vector<std::uint32_t> filters;
  std::vector<std::uint32_t> dynamic;
};

/// `ip IF address ADDR/LEN` (`ipv6 IF address ADDR/LEN`).
struct InterfaceAddress {
  Where at;
  std::string iface;
  model::IpRange subnet;  ///< the connected prefix (host bits cleared)
};

/// One `nat descriptor masquerade static N ID INNER PROTO [OUTER=]INNER-PORTS` line.
struct MasqueradeStatic {
  Where at;
  std::string id;
  std::string inner_ip;
  std::string proto;
  std::optional<std::string> ports;  ///< absent for esp/gre-like protocols without ports
};

/// One `nat descriptor static N ID OUTER=INNER [COUNT]` line.
struct StaticNat {
  Where at;
  std::string id;
  std::string outer, inner;
  std::uint32_t count = 1;
};

/// Everything written for one `nat descriptor ... N`.
struct NatDescriptor {
  std::uint32_t number = 0;
  std::optional<Where> type_at;
  std::string type;  ///< nat, masquerade, nat-masquerade, none (as written)
  std::optional<Where> outer_at;
  std::vector<std::string> outer;  ///< address words as written: ipcp, primary, 203.0.113.1, a-b
  std::optional<Where> inner_at;
  std::vector<std::string> inner;  ///< auto, or ranges
  std::vector<MasqueradeStatic> masquerade_static;
  std::vector<StaticNat> statics;
  std::optional<Where> incoming_at;
  std::string incoming;  ///< through, reject, discard, forward
  std::string incoming_host;
  /// Lines of this descriptor sanso records but does not model (other sub-commands).
  std::vector<Where> other;
};

/// `ip IF nat descriptor N...`.
struct NatBinding {
  Where at;
  std::string iface;
  std::vector<std::uint32_t> descriptors;
};

/// `bridge member bridgeN IF...`.
struct BridgeMembers {
  Where at;
  std::string bridge;
  std::vector<std::string> members;
};

/// A command that may change what passes and that sanso does not model (`ip IF secure filter
/// name SET`, `ip policy filter ...`): the conversion makes the interface (or the device) unproven.
struct Unmodelled {
  Where at;
  std::string iface;  ///< empty: the whole device
  std::string why;
};

struct YamahaConfig {
  std::string file;
  int lines = 0;  ///< physical lines
  std::vector<IpFilter> filters;  ///< ip and ipv6 filters, in file order
  std::vector<DynamicFilter> dynamic_filters;
  std::vector<EthernetFilter> ethernet_filters;
  std::vector<Binding> bindings;
  std::vector<InterfaceAddress> addresses;
  std::vector<std::string> interfaces;  ///< every interface name the config mentions, first-seen order
  std::map<std::uint32_t, NatDescriptor> nat;
  std::vector<NatBinding> nat_bindings;
  std::vector<BridgeMembers> bridges;
  std::vector<Unmodelled> unmodelled;
  std::vector<Where> syslog_hosts;  ///< `syslog host ADDR` (text = the address)
  std::vector<Where> ntp_servers;   ///< `ntpdate HOST` (also inside `schedule at ...`)
  std::vector<std::string> route_filter_refs;  ///< filter numbers used by `ip route ... filter N`
  /// Logical lines that joined console-wrapped physical lines: first physical line of each.
  std::vector<int> rejoined;
  /// Lines the parser could not read (unknown commands, malformed modelled commands, ...).
  std::vector<model::UnparsedLine> unparsed;
  int statements = 0;   ///< logical lines that are neither blank nor comments
  int recognised = 0;   ///< statements whose command sanso knows as an RTX command
  int first_unrecognised = 0;  ///< line of the first statement that is not an RTX command
  /// The file does not end with a newline and its last statement was not understood.
  bool truncated_last_line = false;
};

}  // namespace sanso::vendor::yamaha
