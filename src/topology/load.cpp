// Entry points of the loader: read the file, parse YAML, run the passes, order the errors.
#include "topology/load.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <yaml-cpp/depthguard.h>

#include "topology/load_state.h"

namespace sanso::topology {

std::string LoadError::render() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out + ": " + message;
}

namespace detail {

std::string_view to_string(NameKind k) {
  switch (k) {
    case NameKind::Zone: return "zone";
    case NameKind::Segment: return "segment";
    case NameKind::Host: return "host";
    case NameKind::Device: return "device";
    case NameKind::Allow: return "allow entry";
  }
  return "?";
}

Pos LoadState::pos_of(const YAML::Node& n) const {
  auto [line, column] = position(n);
  return Pos{diag.file, line, column};
}

bool LoadState::declare(const std::string& name, NameKind kind, const Pos& at) {
  auto [it, inserted] = names.emplace(name, NameDecl{kind, at});
  if (inserted) return true;
  const NameDecl& old = it->second;
  if (old.pos.line == 0) {
    diag.errors->push_back({at.file, at.line, at.column,
                            "name '" + name + "' of this " + std::string(to_string(kind)) +
                                " is the built-in tier zone '" + name + "'"});
    return false;
  }
  // Report at whichever declaration comes second in the file, naming the first.
  const bool old_first = old.pos.file != at.file ||
                         std::tie(old.pos.line, old.pos.column) < std::tie(at.line, at.column);
  const Pos& second = old_first ? at : old.pos;
  const Pos& first = old_first ? old.pos : at;
  const NameKind first_kind = old_first ? old.kind : kind;
  const NameKind second_kind = old_first ? kind : old.kind;
  diag.errors->push_back({second.file, second.line, second.column,
                          "duplicate name '" + name + "': this " +
                              std::string(to_string(second_kind)) + " has the name of the " +
                              std::string(to_string(first_kind)) + " at " + first.file + ":" +
                              std::to_string(first.line)});
  return false;
}

void LoadState::refer(const std::string& name, std::vector<NameKind> allowed, const Pos& at,
                      std::string what) {
  refs.push_back(Ref{name, std::move(allowed), at, std::move(what)});
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "cannot read file: it is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::filesystem::exists(path, ec) ? "cannot read file: permission denied"
                                              : "cannot read file: no such file";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "cannot read file: read error";
    return std::nullopt;
  }
  return text.str();
}

std::string resolve_path(const std::string& directory, const std::string& relative) {
  std::filesystem::path p(relative);
  if (p.is_absolute() || directory.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(directory) / p).lexically_normal().string();
}

namespace {

void add_tier_zones(LoadState& s) {
  for (Tier t : {Tier::Mynumber, Tier::Lgwan, Tier::Internet}) {
    Zone z;
    z.name = std::string(to_string(t));
    z.tier = t;
    z.is_tier = true;
    s.topo.zones.push_back(z);
    s.names.emplace(z.name, NameDecl{NameKind::Zone, Pos{s.diag.file, 0, 0}});
  }
}

void read_top_level(LoadState& s, const YAML::Node& root) {
  const Diag& d = s.diag;
  auto top = MapView::read(d, root, "the whole file", "at top level",
                           {"sanso", "name", "policy", "zones", "segments", "hosts",
                            "inventory_files", "devices", "allow", "monitor", "waivers"});
  if (!top) return;
  if (const Field* f = top->require(d, "sanso")) {
    if (!f->value.IsScalar() || f->value.Scalar() != "1")
      d.error(f->value, "unsupported format version " + describe_node(f->value) +
                            " (expected sanso: 1)", f->key_node);
  }
  if (const Field* f = top->get("name"))
    if (auto v = read_text(d, *f, top->where())) s.topo.name = *v;
  // Fixed order: names are declared zones first, so references and clashes read naturally.
  if (const Field* f = top->get("policy")) read_policy(s, *f);
  add_tier_zones(s);
  if (const Field* f = top->get("zones")) read_zones(s, *f);
  if (const Field* f = top->get("segments")) read_segments(s, *f);
  if (const Field* f = top->get("hosts")) read_hosts(s, *f);
  if (const Field* f = top->get("inventory_files")) read_inventory_files(s, *f);
  if (const Field* f = top->get("devices")) read_devices(s, *f);
  if (const Field* f = top->get("allow")) read_allow(s, *f);
  if (const Field* f = top->get("monitor")) read_monitor(s, *f);
  if (const Field* f = top->get("waivers")) read_waivers(s, *f);
  resolve_references(s);
  check_addresses(s);
}

void sort_errors(std::vector<LoadError>& errors, const std::string& main_file) {
  std::stable_sort(errors.begin(), errors.end(), [&](const LoadError& a, const LoadError& b) {
    return std::make_tuple(a.file != main_file, a.file, a.line, a.column) <
           std::make_tuple(b.file != main_file, b.file, b.line, b.column);
  });
}

}  // namespace
}  // namespace detail

LoadResult load_topology_text(const std::string& yaml_text, const std::string& path) {
  LoadResult result;
  detail::LoadState s;
  s.diag = detail::Diag{path, &result.errors};
  s.topo.path = path;
  s.topo.directory = std::filesystem::path(path).parent_path().string();
  try {
    YAML::Node root = YAML::Load(yaml_text);
    detail::read_top_level(s, root);
  } catch (const YAML::DeepRecursion& e) {
    result.errors.push_back({path, e.mark.line + 1, e.mark.column + 1,
                             "invalid YAML: nested too deeply"});
  } catch (const YAML::Exception& e) {
    // Syntax errors (and yaml-cpp's nesting limit) carry a mark; anything else has none.
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    const int column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
    result.errors.push_back({path, line, column, "invalid YAML: " + e.msg});
  } catch (const std::exception& e) {
    result.errors.push_back({path, 0, 0, std::string("cannot load topology: ") + e.what()});
  }
  detail::sort_errors(result.errors, path);
  if (result.errors.empty()) result.topology = std::move(s.topo);
  return result;
}

LoadResult load_topology(const std::string& path) {
  std::error_code ec;
  std::string file = path;
  if (std::filesystem::is_directory(path, ec))
    file = (std::filesystem::path(path) / "network.yaml").string();
  std::string error;
  auto text = detail::read_file(file, error);
  if (!text) return LoadResult{std::nullopt, {LoadError{file, 0, 0, error}}};
  return load_topology_text(*text, file);
}

}  // namespace sanso::topology
