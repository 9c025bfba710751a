// The vendor table's entry for FortiGate: decide whether the file is a FortiOS configuration at
// all and which VDOM the device is (exit-2 territory), then extract and convert. Nothing here
// throws.
#include "vendor/fortigate/load.h"

#include <algorithm>

#include "vendor/fortigate/cli_tree.h"
#include "vendor/fortigate/extract.h"
#include "vendor/fortigate/to_model.h"

namespace sanso::vendor::fortigate {
namespace {

// NUL or another control character no text configuration holds (Shift_JIS comments and UTF-8
// descriptions are text and pass).
std::optional<FormatError> binary_content(const SourceFile& f) {
  int line = 1;
  for (const char ch : f.text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    const bool text_control = c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
    if (c < 0x20 && !text_control) {
      return FormatError{f.path, line,
                         "not a FortiOS configuration: binary content (control byte " +
                             std::to_string(c) + ")"};
    }
  }
  return std::nullopt;
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

LoadResult load(const DeviceInput& input) {
  LoadResult result;
  if (input.configs.size() != 1) {
    result.error = FormatError{input.configs.empty() ? "" : input.configs[1].path, 0,
                               "a FortiGate device reads exactly one configuration file (got " +
                                   std::to_string(input.configs.size()) + ")"};
    return result;
  }
  const SourceFile& f = input.configs.front();
  if (auto e = binary_content(f)) {
    result.error = std::move(e);
    return result;
  }
  const CliTree tree = build_tree(f.text);
  if (tree.error) {
    result.error = FormatError{f.path, tree.error->line, tree.error->message};
    return result;
  }
  const auto vdoms = vdom_names(tree);
  std::string vdom = input.context.value_or("");
  if (vdoms.empty()) {
    if (!vdom.empty() && vdom != "root") {
      result.error = FormatError{f.path, 0, "context '" + vdom +
                                                "' names a VDOM, but this configuration has none "
                                                "(only 'root')"};
      return result;
    }
    vdom = "root";
  } else if (vdom.empty()) {
    if (vdoms.size() > 1) {
      result.error = FormatError{f.path, 0, "the configuration holds several VDOMs (" +
                                                list(vdoms) + "): name one with 'context:' (sanso parse: --context)"};
      return result;
    }
    vdom = vdoms.front();
  } else if (std::find(vdoms.begin(), vdoms.end(), vdom) == vdoms.end()) {
    result.error = FormatError{f.path, 0, "context '" + vdom + "' is not a VDOM of this "
                                              "configuration (VDOMs: " + list(vdoms) + ")"};
    return result;
  }
  const FortigateConfig cfg = extract(f.path, tree, vdom);
  result.device = to_model(input.device_name, cfg, tree.lines);
  return result;
}

}  // namespace sanso::vendor::fortigate
