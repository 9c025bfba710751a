#pragma once
// The readers of the modelled commands, one per command family. Each reads the words of one
// logical line and returns what was written, or the reason it could not read it.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vendor/yamaha/config.h"

namespace sanso::vendor::yamaha {

using Words = std::vector<std::string_view>;

/// Reads a filter number (1 .. 2^32-1).
std::optional<std::uint32_t> filter_number(std::string_view w);

/// `ip filter N ACTION ...` from the word after "filter". Always returns a filter; a problem is
/// written to IpFilter::garbled.
IpFilter read_ip_filter(const Words& w, std::size_t i, model::Family family, const Where& at);

/// `ip filter dynamic N ...` from the word after "dynamic".
DynamicFilter read_dynamic_filter(const Words& w, std::size_t i, model::Family family,
                                  const Where& at);

/// `ethernet filter N ...` from the word after "filter".
EthernetFilter read_ethernet_filter(const Words& w, std::size_t i, const Where& at);

/// `... filter in|out N... [dynamic D...]` from the word after "filter"; an error text when it
/// is not one.
std::variant<Binding, std::string> read_binding(const Words& w, std::size_t i, BindingKind kind,
                                                std::string iface, const Where& at);

/// `nat descriptor ...` (type, address outer|inner, masquerade static|incoming, static) into the
/// descriptor table; an error text when it is not one of those.
std::optional<std::string> read_nat(const Words& w, const Where& at,
                                    std::map<std::uint32_t, NatDescriptor>& nat);

/// `ip IF address ADDR/LEN` (`ipv6 IF address ...`) from the word after "address". nullopt with
/// no error: an address sanso cannot know offline (dhcp, ipcp, ra-prefix@...).
std::variant<std::monostate, model::IpRange, std::string> read_address(const Words& w,
                                                                       std::size_t i,
                                                                       model::Family family);

}  // namespace sanso::vendor::yamaha
