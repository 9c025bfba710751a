#pragma once
// The one table of vendors: name -> parse and convert. Analysis sees only model::Device.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/device.h"

namespace sanso::vendor {

/// A config file already read into memory. `path` is as written in network.yaml (or on the
/// command line); parsers never open files themselves.
struct SourceFile {
  std::string path;
  std::string text;
};

struct DeviceInput {
  std::string device_name;
  std::vector<SourceFile> configs;   ///< iptables: the iptables-save and ip6tables-save dumps
  std::optional<SourceFile> ipsets;  ///< iptables: `ipset save` output
  std::optional<std::string> context;
};

/// A file that cannot be this vendor's format at all (binary, empty of any recognisable
/// statement): the audit stops with exit 2 naming file and line.
struct FormatError {
  std::string file;
  int line = 0;
  std::string message;
};

struct LoadResult {
  std::optional<model::Device> device;
  std::optional<FormatError> error;
};

/// Vendors of TOPOLOGY.md, implemented or not.
bool is_known_vendor(std::string_view vendor);
/// Vendors this build can read.
bool is_supported_vendor(std::string_view vendor);
std::vector<std::string_view> supported_vendors();

LoadResult load_device(std::string_view vendor, const DeviceInput& input);

}  // namespace sanso::vendor
