// Decides whether each file is an nftables ruleset at all (exit-2 territory), picks the text or
// JSON reader, then converts. Nothing here throws.
#include "vendor/nftables/load.h"

#include "vendor/nftables/json.h"
#include "vendor/nftables/parse.h"
#include "vendor/nftables/to_model.h"

namespace sanso::vendor::nftables {
namespace {

std::optional<FormatError> binary_content(const SourceFile& f) {
  int line = 1;
  for (const char ch : f.text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    const bool text_control = c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
    if (c < 0x20 && !text_control)
      return FormatError{f.path, line, "not an nftables ruleset: binary content (control byte " +
                                           std::to_string(c) + ")"};
  }
  return std::nullopt;
}

bool looks_like_json(std::string_view text) {
  const auto pos = text.find_first_not_of(" \t\r\n\f\v");
  return pos != std::string_view::npos && text[pos] == '{';
}

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
    result.error = FormatError{"", 0, "nftables device '" + input.device_name + "' has no ruleset file"};
    return result;
  }
  std::vector<NftConfig> configs;
  for (const SourceFile& f : input.configs) {
    if (auto e = binary_content(f)) {
      result.error = std::move(e);
      return result;
    }
    if (looks_like_json(f.text)) {
      std::optional<JsonError> err;
      NftConfig cfg = parse_json(f.path, f.text, err);
      if (err) {
        result.error = FormatError{f.path, err->line, "not an nft -j ruleset: " + err->message};
        return result;
      }
      configs.push_back(std::move(cfg));
      continue;
    }
    NftConfig cfg = parse_text(f.path, f.text);
    if (cfg.statements == 0) {
      result.error = FormatError{f.path, first_statement_line(f.text),
                                 "not an nftables ruleset: no table, chain, rule or define statement"};
      return result;
    }
    configs.push_back(std::move(cfg));
  }
  result.device = to_model(input.device_name, configs);
  return result;
}

}  // namespace sanso::vendor::nftables
