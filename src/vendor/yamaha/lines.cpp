#include "vendor/yamaha/lines.h"

#include "vendor/yamaha/commands.h"

namespace sanso::vendor::yamaha {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view first_word(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  std::size_t e = b;
  while (e < s.size() && !is_space(s[e])) ++e;
  return s.substr(b, e - b);
}

// A line that can continue a wrapped command: text that does not open a command of its own.
bool continues(std::string_view next) {
  const std::string_view w = first_word(next);
  if (w.empty() || w.front() == '#') return false;
  return !is_command_word(w);
}

}  // namespace

std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::vector<LogicalLine> logical_lines(const std::vector<std::string_view>& physical) {
  std::vector<LogicalLine> out;
  out.reserve(physical.size());
  for (std::size_t i = 0; i < physical.size(); ++i) {
    LogicalLine l{static_cast<int>(i + 1), static_cast<int>(i + 1), physical[i], {}};
    std::string_view piece = physical[i];
    // Only a statement wraps; a comment line of 79 characters is just a comment.
    const std::string_view w = first_word(piece);
    if (!w.empty() && w.front() != '#') {
      while (piece.size() == kWrapWidth && i + 1 < physical.size() && continues(physical[i + 1])) {
        if (l.joined.empty()) l.joined = std::string(l.piece);
        ++i;
        piece = physical[i];
        l.joined.append(piece);
        l.last = static_cast<int>(i + 1);
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace sanso::vendor::yamaha
