#pragma once
// Physical lines -> logical commands, with console wrapping undone.
//
// How RTX wraps (docs/vendors/yamaha-rtx.md "Console-wrapped lines"): `show config` written to a
// terminal breaks every command longer than the console width after 79 characters with a bare
// CRLF: no continuation marker, no indentation, and the break may fall inside a word ("20010" /
// "0 200102"). A configuration saved by TFTP/SFTP or to a file (.rtfg) is never wrapped. So a
// physical line of exactly 79 characters followed by a line that does not start with an RTX
// command word is one command; the pieces are joined with nothing between them.
#include <string>
#include <string_view>
#include <vector>

namespace sanso::vendor::yamaha {

/// The console width minus one: the length of every wrapped piece but the last.
inline constexpr std::size_t kWrapWidth = 79;

/// Splits into physical lines (a final line without '\n' counts; a trailing "\r" is dropped).
std::vector<std::string_view> physical_lines(std::string_view text);

struct LogicalLine {
  int first = 0;  ///< 1-based physical line numbers
  int last = 0;
  std::string_view piece;  ///< the physical line (first == last)
  std::string joined;      ///< the pieces joined (first < last)
  /// The command's text, trailing whitespace kept as written.
  std::string_view text() const { return last > first ? std::string_view(joined) : piece; }
};

/// Joins console-wrapped pieces (see above). Blank and comment lines stay lines of their own.
/// Unjoined lines view `physical`'s text, which must outlive the result.
std::vector<LogicalLine> logical_lines(const std::vector<std::string_view>& physical);

}  // namespace sanso::vendor::yamaha
