// inventory_files: CSV lists of registered hosts (mac,ip,segment[,name]). A header line is
// optional and may order the columns; '#' starts a comment line. Errors name the CSV's line.
#include <algorithm>
#include <array>
#include <cctype>

#include "topology/load_state.h"

namespace sanso::topology::detail {

namespace {

enum class Column { Mac, Ip, Segment, Name };
constexpr std::array<std::string_view, 4> kColumnNames = {"mac", "ip", "segment", "name"};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    out.push_back(trim(line.substr(start, comma == std::string_view::npos ? line.npos
                                                                         : comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class CsvReader {
 public:
  CsvReader(LoadState& s, std::string path) : s_(s), path_(std::move(path)) {}

  void read(const std::string& text) {
    int line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + start, end - start);
      ++line_no;
      start = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const std::string trimmed = trim(line);
      if (trimmed.empty() || trimmed.front() == '#') continue;
      row(split_fields(line), line_no);
    }
  }

 private:
  void error(int line, std::string message) {
    s_.diag.errors->push_back({path_, line, 0, std::move(message)});
  }

  void row(const std::vector<std::string>& fields, int line) {
    if (!seen_row_ && lower(fields.front()) == "mac") {
      seen_row_ = true;
      header(fields, line);
      return;
    }
    seen_row_ = true;
    if (fields.size() < 3 || fields.size() > columns_.size()) {
      error(line, "expected " + std::to_string(columns_.size() == 4 ? 3 : columns_.size()) +
                      (columns_.size() == 4 ? " or 4" : "") + " fields (" + layout() +
                      "), got " + std::to_string(fields.size()));
      return;
    }
    std::array<std::string, 4> v;
    for (std::size_t i = 0; i < fields.size(); ++i)
      v[static_cast<std::size_t>(columns_[i])] = fields[i];
    host(v, line);
  }

  void header(const std::vector<std::string>& fields, int line) {
    std::vector<Column> cols;
    for (const auto& f : fields) {
      auto it = std::find(kColumnNames.begin(), kColumnNames.end(), lower(f));
      if (it == kColumnNames.end()) {
        error(line, "unknown column '" + f + "' (expected mac, ip, segment and optionally name)");
        return;
      }
      const auto c = static_cast<Column>(it - kColumnNames.begin());
      if (std::find(cols.begin(), cols.end(), c) != cols.end()) {
        error(line, "duplicate column '" + f + "'");
        return;
      }
      cols.push_back(c);
    }
    for (Column c : {Column::Mac, Column::Ip, Column::Segment}) {
      if (std::find(cols.begin(), cols.end(), c) == cols.end()) {
        error(line, "missing column '" + std::string(kColumnNames[static_cast<std::size_t>(c)]) +
                        "' in the header");
        return;
      }
    }
    columns_ = cols;
  }

  std::string layout() const {
    std::string out;
    for (Column c : columns_) {
      if (!out.empty()) out += ",";
      out += kColumnNames[static_cast<std::size_t>(c)];
    }
    return out;
  }

  void host(const std::array<std::string, 4>& v, int line) {
    const std::string& mac = v[0];
    const std::string& ip = v[1];
    const std::string& segment = v[2];
    if (segment.empty()) return error(line, "missing segment");
    if (mac.empty() && ip.empty()) return error(line, "expected a MAC or an IP address, got neither");
    HostInterface iface;
    iface.segment = segment;
    iface.line = line;
    if (!mac.empty()) {
      iface.mac = model::parse_mac(mac);
      if (!iface.mac)
        return error(line, "invalid MAC address '" + mac +
                               "' (expected six hex bytes such as 02:00:0a:01:0a:15)");
    }
    if (!ip.empty()) {
      iface.ip = model::parse_ip(ip);
      if (!iface.ip)
        return error(line, "invalid IP address '" + ip + "' (expected an IPv4 or IPv6 address)");
    }
    Host h;
    // Rows without a name are known by their address, which is also what reports show.
    h.name = !v[3].empty() ? v[3] : (!ip.empty() ? ip : mac);
    h.role = HostRole::Terminal;
    h.from_inventory_file = true;
    h.file = path_;
    h.line = line;
    const Pos pos{path_, line, 0};
    if (!s_.declare(h.name, NameKind::Host, pos)) return;
    s_.refer(segment, {NameKind::Segment}, pos, "'segment' of host '" + h.name + "'");
    if (iface.ip) s_.ip_pos[{s_.topo.hosts.size(), 0}] = pos;
    h.interfaces.push_back(iface);
    s_.topo.hosts.push_back(std::move(h));
  }

  LoadState& s_;
  std::string path_;
  bool seen_row_ = false;
  std::vector<Column> columns_ = {Column::Mac, Column::Ip, Column::Segment, Column::Name};
};

}  // namespace

void read_inventory_files(LoadState& s, const Field& f) {
  if (f.value.IsNull()) return;
  auto items = read_text_list(s.diag, f, "at top level", false);
  if (!items) return;
  for (const auto& item : *items) {
    s.topo.inventory_files.push_back(item.text);
    const std::string path = resolve_path(s.topo.directory, item.text);
    std::string error;
    auto text = read_file(path, error);
    if (!text) {
      s.diag.error(item.node, "inventory file '" + item.text + "' (" + path + "): " + error);
      continue;
    }
    CsvReader(s, path).read(*text);
  }
}

}  // namespace sanso::topology::detail
