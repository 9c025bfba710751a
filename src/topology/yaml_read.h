#pragma once
// Typed reading of yaml-cpp nodes with errors as values. Only these helpers touch node contents,
// so the checks (unknown keys, duplicate keys, wrong types) and their wording are the same for
// every section of network.yaml. Internal to the topology module.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "topology/load.h"

namespace sanso::topology::detail {

/// Where errors go, and which file they name.
struct Diag {
  std::string file;
  std::vector<LoadError>* errors = nullptr;

  /// Reports at `at`, or at `fallback` when `at` has no position (null values, missing nodes).
  void error(const YAML::Node& at, std::string message, const YAML::Node& fallback = {}) const;
  void error_at(int line, int column, std::string message) const;
};

/// 1-based (line, column) of a node; (0, 0) when it has none.
std::pair<int, int> position(const YAML::Node& n);

/// "a mapping", "a list", "nothing", "the text 'abc'": what was found instead of the expected.
std::string describe_node(const YAML::Node& n);

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

/// A mapping whose keys were checked against the allowed set.
class MapView {
 public:
  /// `what` names the mapping in messages ("segment 'mn-clients'", "policy"); `where` is the
  /// phrase used after a key ("in segment 'mn-clients'", "at top level"). Reports a non-mapping
  /// (returns nullopt), non-text keys, duplicate keys and unknown keys (those are skipped).
  static std::optional<MapView> read(const Diag& d, const YAML::Node& node, std::string_view what,
                                     std::string where,
                                     std::initializer_list<std::string_view> allowed,
                                     const YAML::Node& fallback = {});

  const Field* get(std::string_view key) const;
  /// Like get(), reporting "missing key" when absent.
  const Field* require(const Diag& d, std::string_view key) const;
  const std::vector<Field>& fields() const { return fields_; }
  const YAML::Node& node() const { return node_; }
  const std::string& where() const { return where_; }

 private:
  YAML::Node node_;
  std::string where_;
  std::vector<Field> fields_;
};

/// A non-empty scalar value.
std::optional<std::string> read_text(const Diag& d, const Field& f, std::string_view where);
std::optional<bool> read_bool(const Diag& d, const Field& f, std::string_view where);
std::optional<std::int64_t> read_int(const Diag& d, const Field& f, std::string_view where,
                                     std::int64_t lo, std::int64_t hi);

struct TextItem {
  std::string text;
  YAML::Node node;
};
/// A list of non-empty scalars; with `scalar_ok` a single scalar is a list of one.
std::optional<std::vector<TextItem>> read_text_list(const Diag& d, const Field& f,
                                                    std::string_view where, bool scalar_ok);

/// One of the spellings to_string(E) gives for `values`.
template <typename E>
std::optional<E> read_enum(const Diag& d, const Field& f, std::string_view where,
                           std::initializer_list<E> values) {
  auto text = read_text(d, f, where);
  if (!text) return std::nullopt;
  std::vector<std::string> names;
  for (E v : values) {
    if (to_string(v) == *text) return v;
    names.emplace_back(to_string(v));
  }
  d.error(f.value, "invalid value '" + *text + "' for '" + f.key + "' " + std::string(where) +
                       " (expected one of: " + join(names) + ")");
  return std::nullopt;
}

}  // namespace sanso::topology::detail
