#pragma once
// The name tables of RTX filters: port mnemonics, and the applications of `ip filter dynamic`.
// docs/vendors/yamaha-rtx.md lists both tables; where a mapping is sanso's reading rather than a
// vendor document's, the docs say so.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace sanso::vendor::yamaha {

using PortRange = std::pair<std::uint16_t, std::uint16_t>;

/// A port mnemonic -> its ports (`ftp` is 20 and 21, `ftpdata` 20, `www` 80, ...).
std::optional<std::vector<PortRange>> port_name(std::string_view name);

/// What the router tracks for one application of `ip filter dynamic N SRC DST APP`.
struct DynamicApp {
  /// The connections that trigger tracking: protocol and destination ports.
  std::vector<std::pair<std::uint8_t, PortRange>> trigger;
  /// New connections in the reverse direction the application's handling admits (FTP active
  /// data from port 20, TFTP's data from the server's new port, media of SIP/NetMeeting):
  /// protocol and source ports. Empty: only the tracked connections' own replies.
  std::vector<std::pair<std::uint8_t, PortRange>> related_reverse;
};

/// `ftp`, `www`, `domain`, `tcp`, `udp`, `ping`, ...
std::optional<DynamicApp> dynamic_app(std::string_view name);

}  // namespace sanso::vendor::yamaha
