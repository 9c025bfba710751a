// The vendor table's entry for YAMAHA RTX: decide whether the file is an RTX config at all
// (exit 2 territory: binary content, no RTX command, mostly another vendor's commands, a file
// cut inside a command), then parse and convert. Nothing here throws.
#include "vendor/yamaha/load.h"

#include "vendor/yamaha/lines.h"
#include "vendor/yamaha/parse.h"
#include "vendor/yamaha/to_model.h"

namespace sanso::vendor::yamaha {
namespace {

constexpr const char* kWhat = "not a YAMAHA RTX config";

// NUL or another control character no config holds. (Invalid UTF-8 alone is tolerated: RTX
// writes comments and descriptions in Shift_JIS or EUC-JP when the console is set so.)
std::optional<FormatError> binary_content(const SourceFile& f) {
  int line = 1;
  for (const char ch : f.text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    const bool text_control = c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v' ||
                              c == 0x1b;  // ESC: console captures may hold terminal sequences
    if (c < 0x20 && !text_control) {
      return FormatError{f.path, line,
                         std::string(kWhat) + ": binary content (control byte " +
                             std::to_string(c) + ")"};
    }
  }
  return std::nullopt;
}

std::string line_text(const std::string& text, int line) {
  const auto lines = physical_lines(text);
  if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return "";
  std::string t(lines[static_cast<std::size_t>(line - 1)]);
  if (t.size() > 60) t = t.substr(0, 57) + "...";
  return t;
}

}  // namespace

LoadResult load(const DeviceInput& input) {
  LoadResult result;
  if (input.configs.size() != 1) {
    result.error = FormatError{
        input.configs.empty() ? "" : input.configs[1].path, 0,
        "yamaha-rtx device '" + input.device_name + "' takes one config file, " +
            std::to_string(input.configs.size()) + " given"};
    return result;
  }
  const SourceFile& f = input.configs.front();
  if (auto e = binary_content(f)) {
    result.error = std::move(e);
    return result;
  }
  YamahaConfig cfg = parse(f.path, f.text);
  if (cfg.recognised == 0) {
    result.error = FormatError{f.path, cfg.first_unrecognised,
                               std::string(kWhat) + ": no RTX command in the file"};
    return result;
  }
  // Another vendor's config shares a few command words with RTX (description, ip, ...): most
  // of its statements are still not RTX commands.
  if (cfg.recognised * 2 < cfg.statements) {
    result.error = FormatError{
        f.path, cfg.first_unrecognised,
        std::string(kWhat) + ": only " + std::to_string(cfg.recognised) + " of " +
            std::to_string(cfg.statements) + " statements are RTX commands (first other: '" +
            line_text(f.text, cfg.first_unrecognised) + "')"};
    return result;
  }
  if (cfg.truncated_last_line) {
    const int last = cfg.lines;
    result.error = FormatError{f.path, last,
                               "the file ends inside a command (truncated?): '" +
                                   line_text(f.text, last) + "' is not a complete RTX command"};
    return result;
  }
  result.device = to_model(input.device_name, cfg);
  return result;
}

}  // namespace sanso::vendor::yamaha
