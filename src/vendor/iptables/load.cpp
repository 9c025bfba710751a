// The vendor table's entry for iptables: decide whether each file is an iptables-save dump at
// all (exit 2 territory), then parse and convert. Nothing here throws.
#include "vendor/iptables/load.h"

#include "vendor/iptables/ipset.h"
#include "vendor/iptables/parse.h"
#include "vendor/iptables/to_model.h"

namespace sanso::vendor::iptables {
namespace {

// Binary content: NUL or another control character no text dump holds. (Invalid UTF-8 alone is
// tolerated: comments in Shift_JIS are plausible in the field.)
std::optional<FormatError> binary_content(const SourceFile& f, const char* what) {
  int line = 1;
  for (const char ch : f.text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    const bool text_control = c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
    if (c < 0x20 && !text_control) {
      return FormatError{f.path, line,
                         std::string("not ") + what + ": binary content (control byte " +
                             std::to_string(c) + ")"};
    }
  }
  return std::nullopt;
}

// The first line that is neither blank nor a comment (0 when there is none).
int first_statement_line(std::string_view text) {
  const auto lines = physical_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto pos = lines[i].find_first_not_of(" \t\r\f\v");
    if (pos != std::string_view::npos && lines[i][pos] != '#') return static_cast<int>(i + 1);
  }
  return 0;
}

}  // namespace

LoadResult load(const DeviceInput& input) {
  LoadResult result;
  if (input.configs.empty()) {
    result.error = FormatError{"", 0, "iptables device '" + input.device_name +
                                          "' has no iptables-save dump"};
    return result;
  }
  std::vector<IptablesConfig> configs;
  for (const SourceFile& f : input.configs) {
    if (auto e = binary_content(f, "an iptables-save dump")) {
      result.error = std::move(e);
      return result;
    }
    IptablesConfig cfg = parse(f.path, f.text);
    if (cfg.table_lines == 0 && cfg.rule_lines == 0) {
      result.error = FormatError{f.path, first_statement_line(f.text),
                                 "not an iptables-save dump: no *table line and no -A line"};
      return result;
    }
    configs.push_back(std::move(cfg));
  }
  std::optional<IpsetConfig> ipsets;
  if (input.ipsets) {
    if (auto e = binary_content(*input.ipsets, "an ipset save file")) {
      result.error = std::move(e);
      return result;
    }
    ipsets = parse_ipsets(input.ipsets->path, input.ipsets->text);
  }
  result.device = to_model(input.device_name, configs, ipsets);
  return result;
}

}  // namespace sanso::vendor::iptables
