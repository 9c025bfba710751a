#pragma once
// Text -> physical lines and blank-separated words. ASA commands are one line each; a line that
// starts with a blank belongs to the block (mode) the last unindented command opened.
#include <string_view>
#include <vector>

namespace sanso::vendor::asa {

/// The file's physical lines, without the line break and a trailing '\r'. A final line without a
/// line break counts; an empty text has no lines.
std::vector<std::string_view> physical_lines(std::string_view text);

/// The words of one line (blank and tab separated), appended to `out` after clearing it.
void split_words(std::string_view line, std::vector<std::string_view>& out);

/// The line without leading and trailing blanks.
std::string_view trim(std::string_view s);

}  // namespace sanso::vendor::asa
