#pragma once
// FortiOS CLI text -> a tree of `config` blocks, `edit` entries and commands, with line numbers.
// Structure only: what a `set` key means is extract*.cpp's job. The grammar (FortiOS CLI
// reference, "CLI configuration commands"):
//   config <path words>      opens a table or a settings block (nested inside `edit` or `config`)
//   edit <name>              opens an entry of the table; `next` closes it
//   set|unset|append|select|unselect <key> [values...]     change one attribute
//   delete <name> | move <name> before|after <name> | rename <name> to <name> | purge
//   end                      closes the innermost `config`
// Values are words separated by blanks; "..." (and '...') quote, with backslash escapes, and may
// span several lines (certificates, scripts). `#` starts a comment line (backup headers).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanso::vendor::fortigate {

/// One command inside a block or an entry, e.g. `set srcintf "port1" "port2"`.
struct Command {
  int line = 0;      ///< first physical line
  int end_line = 0;  ///< last physical line (> line when a quoted value spans lines)
  std::string verb;  ///< set, unset, append, select, unselect, delete, move, rename, purge, ...
  std::vector<std::string> args;  ///< words after the verb, unquoted and unescaped
};

struct Block;

/// `edit NAME` ... `next`.
struct Entry {
  int line = 0;
  int end_line = 0;  ///< the `next` line (or the line that closed it implicitly)
  std::string name;
  std::vector<Command> commands;
  std::vector<Block> blocks;  ///< nested `config` blocks, in order
};

/// `config PATH` ... `end`.
struct Block {
  int line = 0;
  int end_line = 0;  ///< the `end` line
  std::string path;  ///< the words after `config`, joined by one blank ("firewall policy")
  std::vector<Command> commands;  ///< commands directly inside (settings blocks)
  std::vector<Entry> entries;     ///< `edit` entries (tables)
  std::vector<Block> blocks;      ///< nested blocks directly inside (no `edit` around them)
};

/// A line the tree builder could not place (stray `next`/`end`, text outside any block).
struct TreeProblem {
  int line = 0;
  std::string reason;
};

/// Where the text cannot be a FortiOS configuration at all, or stops in the middle of one.
struct TreeError {
  int line = 0;
  std::string message;
};

struct CliTree {
  std::vector<std::string_view> lines;  ///< physical lines (views into the text given to build)
  std::vector<Block> blocks;            ///< top-level blocks in order
  std::vector<TreeProblem> problems;
  std::optional<TreeError> error;       ///< truncated (unclosed block or quote) or no block at all
  /// From a backup header "#config-version=FGT60F-7.4.4-FW-build2662-240514:opmode=0:vdom=1:..."
  std::string header;
};

/// Splits into physical lines (a final line without '\n' counts; a trailing "\r" is dropped).
std::vector<std::string_view> physical_lines(std::string_view text);

/// Never throws; `text` must outlive the tree (lines are views into it).
CliTree build_tree(std::string_view text);

}  // namespace sanso::vendor::fortigate
