#pragma once
// The semantic readings of the YAMAHA RTX conversion that no vendor document confirmed (or that
// depend on run-time state sanso cannot see). Each is written into model::Device::assumptions
// when, and only when, the conversion relied on it for the device at hand; docs/vendors/
// yamaha-rtx.md "Assumptions" explains each with its evidence.
#include <string_view>

namespace sanso::vendor::yamaha::assumption {

inline constexpr std::string_view kNoListPasses =
    "yamaha-rtx: an interface with no secure filter list for a direction passes every packet in "
    "that direction (consistent with every sample; not stated by a command reference page)";
inline constexpr std::string_view kRestrictPasses =
    "yamaha-rtx: restrict filters are read as pass: they pass while the line is connected "
    "(ip filter reference), and a line that is not connected carries no packet either";
inline constexpr std::string_view kStaticBeforeDynamic =
    "yamaha-rtx: within one secure filter list the static filters decide a connection-opening "
    "packet first; a dynamic filter may pass only what they leave undecided (uncertain entries), "
    "and the replies of tracked connections are not audited packets";
inline constexpr std::string_view kRelatedConnections =
    "yamaha-rtx: connections a dynamic filter admits after its trigger (FTP data, TFTP, SIP and "
    "NetMeeting media, the in/out lists of the user form) may pass in the direction they are "
    "admitted (uncertain entries)";
inline constexpr std::string_view kEthernetDiscard =
    "yamaha-rtx: a frame that matches no filter of a bound ethernet filter list is discarded, as "
    "for IP lists (suggested by the samples' final 'pass * *' filter; not stated by a document)";
inline constexpr std::string_view kNatOrder =
    "yamaha-rtx: on an interface with a NAT descriptor, received packets are translated before "
    "its secure filter in list and sent packets after its secure filter out list (read from the "
    "vendor's port-forwarding template)";
inline constexpr std::string_view kUndefinedFilter =
    "yamaha-rtx: a filter number bound in a list but never defined matches no packet";
inline constexpr std::string_view kTcpFlagsClear =
    "yamaha-rtx: TCP flags FIN, PSH, URG, ECE and CWR are clear in audited packets (tcpfin, and "
    "tcpflag= needing one of them set, match nothing)";
inline constexpr std::string_view kIcmpErrorTypes =
    "yamaha-rtx: icmp-error is ICMP types 3, 4, 5, 11 and 12 and icmp-info every other type";
inline constexpr std::string_view kPortNames =
    "yamaha-rtx: port names are read with sanso's mnemonic table (docs/vendors/yamaha-rtx.md), "
    "ftp standing for ports 20 and 21";
inline constexpr std::string_view kTcpFlagKeywords =
    "yamaha-rtx: tcpsyn matches TCP with SYN set, tcprst with RST set, established with ACK set";
inline constexpr std::string_view kIcmp6Alone =
    "yamaha-rtx: icmp6 alone in an ipv6 filter takes the port fields as ICMPv6 type and code, as "
    "icmp does in ip filters";
inline constexpr std::string_view kBridge =
    "yamaha-rtx: filters bound to a bridge interface apply to port bridgeN (routed packets); "
    "packets bridged between its members meet only the members' own lists";
inline constexpr std::string_view kRejoined =
    "yamaha-rtx: physical lines of exactly 79 characters followed by a line that is not an RTX "
    "command were joined as one console-wrapped command";

}  // namespace sanso::vendor::yamaha::assumption
