#pragma once
// Text of one iptables-save / ip6tables-save dump -> IptablesConfig (what was written).
#include <string>
#include <string_view>
#include <vector>

#include "vendor/iptables/config.h"

namespace sanso::vendor::iptables {

/// One word of a rule line. `quoted` words ("a b") are always values, never options.
struct Token {
  std::string text;
  bool quoted = false;
};

/// Shell-like split of one line: whitespace separates, "..." (with \" and \\ escapes) and '...'
/// group. Returns false (with `error` set) on an unterminated quote.
bool tokenize(std::string_view line, std::vector<Token>& out, std::string& error);

/// Never fails: lines it cannot read are listed in IptablesConfig::unparsed, or kept as garbled
/// rules when they are `-A` lines (so that to_model can place an uncertain entry there).
IptablesConfig parse(const std::string& file, std::string_view text);

/// Splits into physical lines (a final line without '\n' counts; a trailing "\r" is dropped).
std::vector<std::string_view> physical_lines(std::string_view text);

}  // namespace sanso::vendor::iptables
