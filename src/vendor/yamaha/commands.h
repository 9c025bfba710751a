#pragma once
// Which words open an RTX command, and which commands cannot change what the router forwards
// (so sanso reads them as understood without modelling them).
#include <string>
#include <string_view>
#include <vector>

namespace sanso::vendor::yamaha {

/// The first word of an RTX command (`ip`, `pp`, `nat`, `syslog`, ...). Used to tell a console
/// wrap's continuation from the next command and to recognise an RTX config at all.
bool is_command_word(std::string_view word);

/// A command that configures management, services, routing or tunnels' own signalling: it does
/// not add to or take from the packets the filters pass (DESIGN §6: reachability is decided by
/// filters, not routes), so it is understood without being modelled.
bool is_inert(const std::vector<std::string_view>& words);

/// `lan1`, `lan1/2` (802.1Q), `lan1.3` (port-based split), `bridge1`, `loopback1`, `pp`,
/// `tunnel`: the interface word of `ip IF ...` commands.
bool is_interface_word(std::string_view word);

}  // namespace sanso::vendor::yamaha
