#pragma once
// model::Device: what every vendor parser produces, and the only thing analysis reads about a
// device. No vendor detail leaks past this header.
#include <optional>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/packet_set.h"
#include "model/source_ref.h"

namespace sanso::model {

enum class Action { Permit, Deny };

/// An interface condition of a rule. `pattern` is a vendor interface name; a trailing '+' (or
/// '*') makes it a prefix wildcard ("eth2+" matches "eth2", "eth2.10", ...).
struct InterfaceMatch {
  std::string pattern;
  bool negated = false;
};

bool interface_pattern_matches(const std::string& pattern, const std::string& name);
bool matches(const InterfaceMatch& m, const std::string& name);

/// One ordered rule, lowered. `match` holds the header conditions; `in`/`out` the interface
/// conditions (absent = any interface).
struct FilterEntry {
  PacketSet match;
  std::optional<InterfaceMatch> in;
  std::optional<InterfaceMatch> out;
  Action action = Action::Deny;
  /// The rule holds a condition sanso cannot decide offline (rate limit, unresolved set, mark,
  /// unknown match): it may or may not match. Analysis proves nothing through it: an uncertain
  /// permit makes what it could admit "unproven", an uncertain deny is not trusted to block.
  bool uncertain = false;
  std::string uncertain_why;
  /// The rule's own line first, then (for rules reached through user chains) each `-j` line that
  /// leads there, innermost first.
  std::vector<SourceRef> evidence;
  /// The rule's text normalised (whitespace collapsed, counters removed): the identity of a
  /// finding hashes this, never a line number.
  std::string normalized_text;
  /// Every packet this entry decides is logged: the rule's own log option, or (iptables) LOG
  /// rules that every packet of the entry's match passes before it (LOG-COLLECT).
  bool logged = false;
};

/// One ordered stage of filtering for forwarded packets (iptables: a chain of one table and hook
/// flattened; YAMAHA: the lists bound to one interface and direction). A forwarded packet must be
/// permitted by every stage of its device.
struct Filter {
  std::string name;  ///< "filter FORWARD", "raw PREROUTING", ...
  std::vector<FilterEntry> entries;
  /// What happens to a packet no entry matches. Vendors whose default differs per family or
  /// interface write it as explicit entries and leave this Permit.
  Action default_action = Action::Permit;
  SourceRef default_source;  ///< e.g. {file, line of ":FORWARD DROP", "policy DROP"}
};

struct Interface {
  std::string name;
  std::vector<IpRange> addresses;  ///< as configured (vendors whose configs hold addresses)
};

struct UnparsedLine {
  int line = 0;
  std::string text;
  std::string reason;  ///< what sanso did not understand, e.g. "unknown match -m recent"
};

/// How much of one config file sanso understood (DESIGN §5 "Coverage").
struct Coverage {
  std::string file;
  int lines = 0;
  std::vector<UnparsedLine> unparsed;
  int understood() const { return lines - static_cast<int>(unparsed.size()); }
};

/// Settings that checks read, where the config holds them.
struct DeviceSettings {
  std::optional<std::vector<std::string>> ntp_servers;
  std::optional<std::vector<std::string>> syslog_servers;
  std::optional<bool> logs_denied;  ///< the boundary logs what it drops
};

/// Destination NAT applied as packets enter the device, before its filters (iptables nat
/// PREROUTING DNAT). The list is first-match: the first entry whose `in` and `match` hold decides;
/// an entry without `to` stops the lookup and leaves the packet as it is.
struct DestinationNat {
  std::optional<InterfaceMatch> in;
  PacketSet match;
  std::optional<IpRange> to;  ///< new destination: any address of the range
  /// New destination port range (TCP, UDP, SCTP packets); absent: the port is kept.
  std::optional<std::pair<std::uint16_t, std::uint16_t>> to_ports;
  bool uncertain = false;  ///< may or may not match (as FilterEntry::uncertain)
  std::string uncertain_why;
  std::vector<SourceRef> evidence;
};

/// One source NAT rule, lowered (see Device::source_nat).
struct SourceNat {
  std::optional<InterfaceMatch> out;  ///< leaving interface condition
  PacketSet match;                    ///< packets (as filtered) it may rewrite
  std::vector<SourceRef> evidence;
};

/// A named object of the vendor's config (iptables user chain, ipset; address or service objects
/// elsewhere) defined but never used, or used but never defined (NET-ROUTE-FILTER-CONSISTENCY).
struct ObjectIssue {
  enum class Kind { Unused, Undefined };
  Kind kind = Kind::Unused;
  std::string object_type;  ///< "chain", "ipset", ...
  std::string name;
  SourceRef where;  ///< the definition (unused) or the first line that uses it (undefined)
};

struct Device {
  std::string name;
  std::string vendor;
  std::vector<Interface> interfaces;
  std::vector<Filter> transit;
  /// Address families whose forwarding behaviour the configs define; crossings of any other
  /// family through this device are unproven (an iptables device given no ip6tables-save dump).
  std::vector<Family> families;
  /// NAT the model does not apply: every crossing through the device is unproven.
  std::vector<SourceRef> unmodelled_nat;
  std::vector<DestinationNat> destination_nat;
  /// Source NAT after filtering (iptables SNAT, MASQUERADE): the packets it names leave with a
  /// source address the config does not state. Where they are delivered next is unaffected
  /// (their origin is known); a device further on may see any source, so what passes it there is
  /// unproven. Order within the NAT chain is ignored: an entry that may apply is taken to apply.
  std::vector<SourceNat> source_nat;
  DeviceSettings settings;
  std::vector<ObjectIssue> object_issues;
  std::vector<Coverage> coverage;
  /// Semantic assumptions the conversion relied on that no vendor document confirmed.
  std::vector<std::string> assumptions;
};

}  // namespace sanso::model
