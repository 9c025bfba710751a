#pragma once
// The loader's working state, shared by the section readers (load_*.cpp). Loading runs in three
// passes: read every section (types, values, names), resolve references once every name is known
// (resolve.cpp), then check address placement (check_addresses.cpp). Internal to the module.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "topology/load.h"
#include "topology/yaml_read.h"

namespace sanso::topology::detail {

/// The kinds sharing the one namespace of TOPOLOGY.md "Names".
enum class NameKind { Zone, Segment, Host, Device, Allow };
std::string_view to_string(NameKind k);

struct Pos {
  std::string file;
  int line = 0;
  int column = 0;
};

struct NameDecl {
  NameKind kind = NameKind::Zone;
  Pos pos;  ///< line 0: a built-in tier zone
};

/// A name used somewhere that must denote one of `allowed` kinds.
struct Ref {
  std::string name;
  std::vector<NameKind> allowed;
  Pos pos;
  std::string what;  ///< "'zone' of segment 'lg-wifi'"
};

/// The from/to of an allow entry: resolved into its Endpoint kind.
struct EndpointRef {
  std::size_t allow_index = 0;
  bool is_from = true;
  Pos pos;
};

struct LoadState {
  Diag diag;  ///< reports against network.yaml
  Topology topo;
  std::map<std::string, NameDecl> names;
  std::vector<Ref> refs;
  std::vector<EndpointRef> endpoints;
  std::map<std::pair<std::size_t, std::size_t>, Pos> ip_pos;    ///< (host, interface) -> ip
  std::map<std::pair<std::size_t, std::size_t>, Pos> cidr_pos;  ///< (segment, cidr) -> cidr

  Pos pos_of(const YAML::Node& n) const;
  /// Claims `name` in the one namespace; reports a clash with the earlier declaration.
  bool declare(const std::string& name, NameKind kind, const Pos& at);
  void refer(const std::string& name, std::vector<NameKind> allowed, const Pos& at,
             std::string what);
};

/// Reads a whole file; nullopt with `error` set ("cannot read file: ...") when it cannot.
std::optional<std::string> read_file(const std::string& path, std::string& error);
/// `relative` against the directory of network.yaml (absolute paths stay as they are).
std::string resolve_path(const std::string& directory, const std::string& relative);

void read_policy(LoadState& s, const Field& f);
void read_zones(LoadState& s, const Field& f);
void read_segments(LoadState& s, const Field& f);
void read_hosts(LoadState& s, const Field& f);
/// Reads the CSV files listed under inventory_files: (after hosts, so names clash in file order).
void read_inventory_files(LoadState& s, const Field& f);
void read_devices(LoadState& s, const Field& f);
void read_allow(LoadState& s, const Field& f);
void read_monitor(LoadState& s, const Field& f);
void read_waivers(LoadState& s, const Field& f);

void resolve_references(LoadState& s);
void check_addresses(LoadState& s);

}  // namespace sanso::topology::detail
