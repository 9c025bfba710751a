// The vendor table's entry for Cisco ASA: decide whether the file is an ASA configuration at all
// (exit-2 territory), then parse and convert. Nothing here throws.
#include "vendor/asa/load.h"

#include "vendor/asa/parse.h"
#include "vendor/asa/to_model.h"

namespace sanso::vendor::asa {
namespace {

// NUL or another control character no text configuration holds.
std::optional<FormatError> binary_content(const SourceFile& f) {
  int line = 1;
  for (const char ch : f.text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    const bool text_control = c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
    if (c < 0x20 && !text_control) {
      return FormatError{f.path, line,
                         "not a Cisco ASA configuration: binary content (control byte " +
                             std::to_string(c) + ")"};
    }
  }
  return std::nullopt;
}

int first_text_line(const std::vector<std::string_view>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find_first_not_of(" \t") != std::string_view::npos) return static_cast<int>(i + 1);
  return 0;
}

bool recognised(const AsaConfig& c) {
  if (c.version) return true;
  for (const auto& i : c.interfaces)
    if (i.nameif || i.security_level) return true;
  return !c.aces.empty() || !c.access_groups.empty() || !c.network_objects.empty() ||
         !c.groups.empty() || !c.nats.empty();
}

}  // namespace

LoadResult load(const DeviceInput& input) {
  LoadResult result;
  if (input.configs.size() != 1) {
    result.error = FormatError{input.configs.empty() ? "" : input.configs[1].path, 0,
                               "an ASA device reads exactly one configuration file (got " +
                                   std::to_string(input.configs.size()) + ")"};
    return result;
  }
  const SourceFile& f = input.configs.front();
  if (auto e = binary_content(f)) {
    result.error = std::move(e);
    return result;
  }
  const ParsedConfig parsed = parse(f.path, f.text);
  const AsaConfig& cfg = parsed.config;
  if (!recognised(cfg) || (!cfg.version && cfg.ios_version_line > 0)) {
    const bool ios = !cfg.version && cfg.ios_version_line > 0;
    result.error = FormatError{
        f.path, ios ? cfg.ios_version_line : first_text_line(parsed.lines),
        ios ? "not a Cisco ASA configuration: a 'version' line without 'ASA Version' (Cisco IOS?)"
            : "not a Cisco ASA configuration: no 'ASA Version', nameif, access-list or object line"};
    return result;
  }
  if (cfg.context_line > 0) {
    result.error = FormatError{f.path, cfg.context_line,
                               "this is the system configuration of a multiple-context ASA: give "
                               "each context's own configuration file"};
    return result;
  }
  if (cfg.saved_header && !cfg.end_marker) {
    // `show running-config` and saved configs open with ': Saved' and close with ': end'. Auditing
    // half a rule base would drop permits, so a cut-off file is an input error.
    result.error = FormatError{f.path, static_cast<int>(parsed.lines.size()),
                               "the configuration opens with ': Saved' but has no final ': end': "
                               "the file is truncated"};
    return result;
  }
  result.device = to_model(input.device_name, cfg, parsed.lines);
  return result;
}

}  // namespace sanso::vendor::asa
