#include "topology/yaml_read.h"

#include <charconv>
#include <set>

namespace sanso::topology::detail {

std::pair<int, int> position(const YAML::Node& n) {
  // Mark() throws on an invalid (zombie) node; a node without a position has line -1.
  if (!n.IsDefined()) return {0, 0};
  try {
    const YAML::Mark m = n.Mark();
    if (m.line < 0 || m.column < 0) return {0, 0};
    return {m.line + 1, m.column + 1};
  } catch (const YAML::Exception&) {
    return {0, 0};
  }
}

void Diag::error(const YAML::Node& at, std::string message, const YAML::Node& fallback) const {
  auto [line, column] = position(at);
  if (line == 0) std::tie(line, column) = position(fallback);
  error_at(line, column, std::move(message));
}

void Diag::error_at(int line, int column, std::string message) const {
  errors->push_back(LoadError{file, line, column, std::move(message)});
}

std::string describe_node(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  std::string text = n.Scalar();
  // Keep messages one readable line even for binary garbage.
  constexpr std::size_t kMax = 40;
  std::string shown;
  for (char c : text.substr(0, kMax)) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (text.size() > kMax) shown += "...";
  return "'" + shown + "'";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::optional<MapView> MapView::read(const Diag& d, const YAML::Node& node, std::string_view what,
                                     std::string where,
                                     std::initializer_list<std::string_view> allowed,
                                     const YAML::Node& fallback) {
  if (!node.IsMap()) {
    d.error(node, "expected a mapping for " + std::string(what) + ", got " + describe_node(node),
            fallback);
    return std::nullopt;
  }
  MapView view;
  view.node_ = node;
  view.where_ = std::move(where);
  std::vector<std::string> expected(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      d.error(key, "expected a name as key " + view.where_ + ", got " + describe_node(key), node);
      continue;
    }
    const std::string name = key.Scalar();
    if (!seen.insert(name).second) {
      d.error(key, "duplicate key '" + name + "' " + view.where_, node);
      continue;
    }
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      d.error(key,
              "unknown key '" + name + "' " + view.where_ + " (expected one of: " +
                  join(expected) + ")",
              node);
      continue;
    }
    view.fields_.push_back(Field{name, key, it->second});
  }
  return view;
}

const Field* MapView::get(std::string_view key) const {
  for (const auto& f : fields_)
    if (f.key == key) return &f;
  return nullptr;
}

const Field* MapView::require(const Diag& d, std::string_view key) const {
  if (const Field* f = get(key)) return f;
  d.error(node_, "missing key '" + std::string(key) + "' " + where_);
  return nullptr;
}

std::optional<std::string> read_text(const Diag& d, const Field& f, std::string_view where) {
  if (!f.value.IsScalar() || f.value.Scalar().empty()) {
    d.error(f.value,
            "expected a text value for '" + f.key + "' " + std::string(where) + ", got " +
                (f.value.IsScalar() ? std::string("an empty text") : describe_node(f.value)),
            f.key_node);
    return std::nullopt;
  }
  return f.value.Scalar();
}

std::optional<bool> read_bool(const Diag& d, const Field& f, std::string_view where) {
  if (f.value.IsScalar()) {
    const std::string& s = f.value.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  d.error(f.value,
          "expected true or false for '" + f.key + "' " + std::string(where) + ", got " +
              describe_node(f.value),
          f.key_node);
  return std::nullopt;
}

std::optional<std::int64_t> read_int(const Diag& d, const Field& f, std::string_view where,
                                     std::int64_t lo, std::int64_t hi) {
  if (f.value.IsScalar()) {
    const std::string& s = f.value.Scalar();
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc{} && end == s.data() + s.size() && v >= lo && v <= hi) return v;
  }
  d.error(f.value,
          "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
              " for '" + f.key + "' " + std::string(where) + ", got " + describe_node(f.value),
          f.key_node);
  return std::nullopt;
}

std::optional<std::vector<TextItem>> read_text_list(const Diag& d, const Field& f,
                                                    std::string_view where, bool scalar_ok) {
  const std::string expected = scalar_ok ? "a text or a list of texts" : "a list of texts";
  std::vector<TextItem> out;
  if (scalar_ok && f.value.IsScalar() && !f.value.Scalar().empty()) {
    out.push_back({f.value.Scalar(), f.value});
    return out;
  }
  if (!f.value.IsSequence()) {
    d.error(f.value,
            "expected " + expected + " for '" + f.key + "' " + std::string(where) + ", got " +
                describe_node(f.value),
            f.key_node);
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : f.value) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      d.error(item,
              "expected a text in the list '" + f.key + "' " + std::string(where) + ", got " +
                  describe_node(item),
              f.value);
      ok = false;
      continue;
    }
    out.push_back({item.Scalar(), item});
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace sanso::topology::detail
