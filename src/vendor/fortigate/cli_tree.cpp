// FortiOS CLI text -> CliTree. One pass over the text: a scanner reads one command (a line, or
// several when a quoted value holds newlines) into words, and a stack of open blocks and entries
// places it. Unclosed blocks at the end of the file mean a truncated file: auditing half a policy
// table would silently drop permits, so that is an error, not a coverage note.
#include "vendor/fortigate/cli_tree.h"

namespace sanso::vendor::fortigate {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// One scanned command: its words and the lines it spans.
struct Scanned {
  int line = 0;
  int end_line = 0;
  std::vector<std::string> words;
  bool comment = false;
  std::optional<TreeError> error;  // unterminated quote
};

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }

  // Reads the next command (possibly empty: a blank line).
  void next(Scanned& out) {
    out.words.clear();
    out.comment = false;
    out.error.reset();
    out.line = line_;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '#') {
      out.comment = true;
      skip_to_line_end();
      out.end_line = out.line;
      consume_newline();
      return;
    }
    std::string word;
    bool in_word = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') break;
      if (is_blank(c)) {
        if (in_word) out.words.push_back(std::move(word));
        word.clear();
        in_word = false;
        ++pos_;
        continue;
      }
      in_word = true;
      if (c == '"' || c == '\'') {
        if (!quoted(c, word)) {
          out.error = TreeError{out.line, "a quoted value opened on this line is never closed: the "
                                          "file is truncated"};
          out.end_line = line_;
          return;
        }
        continue;
      }
      if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') {
        word.push_back(text_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      word.push_back(c);
      ++pos_;
    }
    if (in_word) out.words.push_back(std::move(word));
    out.end_line = line_;
    consume_newline();
  }

 private:
  // Reads a quoted run starting at the quote character into `word`; false if never closed.
  bool quoted(char q, std::string& word) {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == q) {
        ++pos_;
        return true;
      }
      if (c == '\\' && pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] == '\n') ++line_;
        word.push_back(text_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == '\n') ++line_;
      word.push_back(c);
      ++pos_;
    }
    return false;
  }

  void skip_to_line_end() {
    const auto nl = text_.find('\n', pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl;
  }

  void consume_newline() {
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// An open `config` block or `edit` entry.
struct Frame {
  bool is_entry = false;
  Block block;
  Entry entry;
};

class Builder {
 public:
  explicit Builder(CliTree& tree) : tree_(tree) {}

  void command(Scanned& s) {
    const std::string& verb = s.words.front();
    if (verb == "config") return open_block(s);
    if (verb == "edit") return open_entry(s);
    if (verb == "next") return next(s);
    if (verb == "end") return end(s);
    if (stack_.empty()) {
      tree_.problems.push_back({s.line, "'" + verb + "' outside any config block"});
      return;
    }
    Command c{s.line, s.end_line, verb, {}};
    c.args.assign(std::make_move_iterator(s.words.begin() + 1),
                  std::make_move_iterator(s.words.end()));
    Frame& f = stack_.back();
    (f.is_entry ? f.entry.commands : f.block.commands).push_back(std::move(c));
  }

  // Closes what is still open at the end of the text: the file was cut short.
  void finish(int last_line) {
    for (const Frame& f : stack_) {
      if (f.is_entry) continue;
      if (!tree_.error) {
        tree_.error = TreeError{f.block.line, "'config " + f.block.path +
                                                  "' is never closed by 'end': the file is "
                                                  "truncated"};
      }
      break;
    }
    while (!stack_.empty()) close_top(last_line);
  }

 private:
  void open_block(Scanned& s) {
    Frame f;
    f.block.line = s.line;
    for (std::size_t i = 1; i < s.words.size(); ++i) {
      if (i > 1) f.block.path += ' ';
      f.block.path += s.words[i];
    }
    if (f.block.path.empty()) tree_.problems.push_back({s.line, "'config' without a path"});
    stack_.push_back(std::move(f));
  }

  void open_entry(Scanned& s) {
    if (!stack_.empty() && stack_.back().is_entry) close_top(s.line);  // a missing `next`
    if (stack_.empty()) {
      tree_.problems.push_back({s.line, "'edit' outside any config block"});
      return;
    }
    Frame f;
    f.is_entry = true;
    f.entry.line = s.line;
    if (s.words.size() >= 2) f.entry.name = std::move(s.words[1]);
    if (s.words.size() != 2)
      tree_.problems.push_back({s.line, "'edit' takes exactly one name"});
    stack_.push_back(std::move(f));
  }

  void next(const Scanned& s) {
    if (stack_.empty() || !stack_.back().is_entry) {
      tree_.problems.push_back({s.line, "'next' outside an edit entry"});
      return;
    }
    close_top(s.line);
  }

  void end(const Scanned& s) {
    if (!stack_.empty() && stack_.back().is_entry) close_top(s.line);  // `end` closes both
    if (stack_.empty()) {
      tree_.problems.push_back({s.line, "'end' without an open config block"});
      return;
    }
    close_top(s.line);
  }

  void close_top(int line) {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.is_entry) {
      f.entry.end_line = line;
      stack_.back().block.entries.push_back(std::move(f.entry));  // an entry's parent is a block
      return;
    }
    f.block.end_line = line;
    if (stack_.empty()) {
      tree_.blocks.push_back(std::move(f.block));
    } else if (stack_.back().is_entry) {
      stack_.back().entry.blocks.push_back(std::move(f.block));
    } else {
      stack_.back().block.blocks.push_back(std::move(f.block));
    }
  }

  CliTree& tree_;
  std::vector<Frame> stack_;
};

}  // namespace

std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    start = end + 1;
  }
  return out;
}

CliTree build_tree(std::string_view text) {
  CliTree tree;
  tree.lines = physical_lines(text);
  Scanner scanner(text);
  Builder builder(tree);
  Scanned s;
  int first_statement = 0;
  while (!scanner.done()) {
    scanner.next(s);
    if (s.error) {
      tree.error = s.error;
      break;
    }
    if (s.comment) {
      if (s.line == 1 || tree.header.empty()) {
        const std::string_view l = tree.lines[static_cast<std::size_t>(s.line - 1)];
        if (l.find("#config-version=") != std::string_view::npos) tree.header = std::string(l);
      }
      continue;
    }
    if (s.words.empty()) continue;
    if (first_statement == 0) first_statement = s.line;
    builder.command(s);
  }
  builder.finish(static_cast<int>(tree.lines.size()));
  if (!tree.error && tree.blocks.empty()) {
    tree.error = TreeError{first_statement,
                           "not a FortiOS configuration: no 'config ... end' block"};
  }
  return tree;
}

}  // namespace sanso::vendor::fortigate
