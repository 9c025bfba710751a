// iptables-save text -> IptablesConfig. Structure only: which option belongs to which module and
// which words are the target; what they mean is to_model's job.
#include "vendor/iptables/parse.h"

#include <cctype>

namespace sanso::vendor::iptables {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "-A" followed by whitespace or the end of the line.
bool is_command(std::string_view s, std::string_view cmd) {
  return starts_with(s, cmd) && (s.size() == cmd.size() || is_space(s[cmd.size()]));
}

// Options of the base match that take exactly one argument, and those that take none.
bool is_base_option_with_arg(std::string_view o) {
  return o == "-s" || o == "--source" || o == "--src" || o == "-d" || o == "--destination" ||
         o == "--dst" || o == "-i" || o == "--in-interface" || o == "-o" ||
         o == "--out-interface" || o == "-p" || o == "--protocol";
}
bool is_base_flag(std::string_view o) {
  return o == "-f" || o == "--fragment" || o == "-4" || o == "--ipv4" || o == "-6" ||
         o == "--ipv6";
}

bool is_option_word(const Token& t) {
  return !t.quoted && t.text.size() >= 2 && t.text[0] == '-';
}
bool is_bang(const Token& t) { return !t.quoted && t.text == "!"; }

// Reads the words after "-A CHAIN" into `rule`; sets rule.garbled on the first problem.
void parse_rule_words(const std::vector<Token>& toks, std::size_t i, Rule& rule) {
  rule.modules.push_back(MatchModule{});
  std::size_t current = 0;  // module receiving module options
  bool pending_negation = false;
  auto garble = [&rule](std::string why) { rule.garbled = std::move(why); };
  while (i < toks.size()) {
    const Token& t = toks[i];
    if (is_bang(t)) {
      if (pending_negation) return garble("'!' written twice");
      pending_negation = true;
      ++i;
      continue;
    }
    if (!is_option_word(t)) return garble("unexpected word '" + t.text + "'");
    const std::string& name = t.text;
    if (name == "-m" || name == "--match") {
      if (pending_negation) return garble("'!' before -m");
      if (i + 1 >= toks.size()) return garble("-m without a module name");
      rule.modules.push_back(MatchModule{toks[i + 1].text, {}});
      current = rule.modules.size() - 1;
      i += 2;
      continue;
    }
    if (name == "-j" || name == "--jump" || name == "-g" || name == "--goto") {
      if (pending_negation) return garble("'!' before the target");
      if (i + 1 >= toks.size()) return garble(name + " without a target");
      Target target;
      target.kind = (name == "-g" || name == "--goto") ? TargetKind::Goto : TargetKind::Jump;
      target.name = toks[i + 1].text;
      for (std::size_t k = i + 2; k < toks.size(); ++k) target.args.push_back(toks[k].text);
      rule.target = std::move(target);
      return;
    }
    Option opt{pending_negation, name, {}};
    pending_negation = false;
    ++i;
    if (is_base_option_with_arg(name) || is_base_flag(name)) {
      if (is_base_option_with_arg(name)) {
        // Old dumps wrote the negation inside: "-s ! 10.0.0.0/8".
        if (i + 1 < toks.size() && is_bang(toks[i]) && !is_option_word(toks[i + 1])) {
          opt.negated = true;
          ++i;
        }
        if (i >= toks.size() || is_option_word(toks[i]) || is_bang(toks[i]))
          return garble(name + " without an argument");
        opt.args.push_back(toks[i].text);
        ++i;
      }
      rule.modules[0].options.push_back(std::move(opt));
      continue;
    }
    if (i + 1 < toks.size() && is_bang(toks[i]) && !is_option_word(toks[i + 1])) {
      opt.negated = true;
      ++i;
    }
    while (i < toks.size() && !is_option_word(toks[i]) && !is_bang(toks[i])) {
      opt.args.push_back(toks[i].text);
      ++i;
    }
    rule.modules[current].options.push_back(std::move(opt));
  }
  if (pending_negation) garble("'!' at the end of the rule");
}

// "[12:345] " counter prefix of `iptables-save -c`.
std::string_view strip_counters(std::string_view s) {
  if (s.empty() || s.front() != '[') return s;
  const auto close = s.find(']');
  if (close == std::string_view::npos) return s;
  return trim(s.substr(close + 1));
}

std::optional<model::Family> family_of_address(std::string_view a) {
  if (a.find(':') != std::string_view::npos) return model::Family::V6;
  if (a.find('.') != std::string_view::npos) return model::Family::V4;
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(const std::string& file) { cfg_.file = file; }

  IptablesConfig run(std::string_view text) {
    const auto lines = physical_lines(text);
    cfg_.lines = static_cast<int>(lines.size());
    for (std::size_t n = 0; n < lines.size(); ++n) line(static_cast<int>(n + 1), lines[n]);
    if (table_ && !cfg_.tables.back().committed) {
      const Table& t = cfg_.tables.back();
      unparsed(t.line, "*" + t.name, "table not committed (no COMMIT line): iptables-restore "
                                     "would not load it");
    }
    if (seen_v4_ != seen_v6_) cfg_.address_family = seen_v4_ ? model::Family::V4 : model::Family::V6;
    return std::move(cfg_);
  }

 private:
  void unparsed(int line, std::string_view text, std::string reason) {
    cfg_.unparsed.push_back(model::UnparsedLine{line, std::string(text), std::move(reason)});
  }

  void line(int n, std::string_view raw) {
    const std::string_view s = trim(raw);
    if (s.empty()) return;
    if (s.front() == '#') return comment(s);
    if (s.front() == '*') return table(n, s);
    if (s.front() == ':') return chain(n, s);
    if (s == "COMMIT") {
      if (!table_) return unparsed(n, raw, "COMMIT outside a table");
      cfg_.tables.back().committed = true;
      table_ = false;
      return;
    }
    const std::string_view body = strip_counters(s);
    if (is_command(body, "-A") || is_command(body, "--append")) return rule(n, raw, body);
    if (body.size() >= 2 && body[0] == '-')
      return unparsed(n, raw, "unsupported command (only -A is read)");
    unparsed(n, raw, "not an iptables-save line");
  }

  void comment(std::string_view s) {
    if (cfg_.declared_family || s.find("Generated by") == std::string_view::npos) return;
    if (s.find("ip6tables-save") != std::string_view::npos)
      cfg_.declared_family = model::Family::V6;
    else if (s.find("iptables-save") != std::string_view::npos)
      cfg_.declared_family = model::Family::V4;
  }

  void table(int n, std::string_view s) {
    ++cfg_.table_lines;
    if (table_ && !cfg_.tables.back().committed) {
      const Table& t = cfg_.tables.back();
      unparsed(t.line, "*" + t.name, "table not committed (no COMMIT line): iptables-restore "
                                     "would not load it");
    }
    Table t;
    t.line = n;
    t.name = std::string(trim(s.substr(1)));
    cfg_.tables.push_back(std::move(t));
    table_ = true;
  }

  void chain(int n, std::string_view s) {
    if (!table_) return unparsed(n, s, "chain declaration outside a table");
    std::vector<Token> toks;
    std::string err;
    if (!tokenize(s.substr(1), toks, err) || toks.empty())
      return unparsed(n, s, "chain declaration without a name");
    ChainDecl c{n, std::string(s), toks[0].text, std::nullopt};
    if (toks.size() >= 2 && toks[1].text != "-") c.policy = toks[1].text;
    cfg_.tables.back().chains.push_back(std::move(c));
  }

  void rule(int n, std::string_view raw, std::string_view body) {
    ++cfg_.rule_lines;
    if (!table_) return unparsed(n, raw, "rule outside a table (no *table line before it)");
    Rule r;
    r.line = n;
    r.text = std::string(trim(raw));
    std::vector<Token> toks;
    std::string err;
    if (!tokenize(body, toks, err)) {
      r.garbled = err;
      // Still place it in its chain: "-A CHAIN ..." names the chain before any quote.
      const auto space = body.find_first_of(" \t");
      const auto words = space == std::string_view::npos ? std::string_view() : trim(body.substr(space));
      r.chain = std::string(words.substr(0, words.find_first_of(" \t\"'")));
    } else if (toks.size() < 2) {
      r.garbled = "-A without a chain name";
    } else {
      r.chain = toks[1].text;
      parse_rule_words(toks, 2, r);
      note_families(r);
    }
    cfg_.tables.back().rules.push_back(std::move(r));
  }

  void note_families(const Rule& r) {
    if (r.modules.empty()) return;
    for (const Option& o : r.modules[0].options) {
      if (o.args.empty()) continue;
      if (o.name != "-s" && o.name != "-d" && o.name != "--source" && o.name != "--destination")
        continue;
      const auto f = family_of_address(o.args[0]);
      if (f == model::Family::V4) seen_v4_ = true;
      if (f == model::Family::V6) seen_v6_ = true;
    }
  }

  IptablesConfig cfg_;
  bool table_ = false;  // inside *table ... COMMIT
  bool seen_v4_ = false;
  bool seen_v6_ = false;
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

bool tokenize(std::string_view line, std::vector<Token>& out, std::string& error) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i >= line.size()) break;
    Token tok;
    while (i < line.size() && !is_space(line[i])) {
      const char c = line[i];
      if (c == '"' || c == '\'') {
        tok.quoted = true;
        ++i;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == c) {
            closed = true;
            ++i;
            break;
          }
          // iptables-save escapes '"' and '\' inside double quotes.
          if (c == '"' && line[i] == '\\' && i + 1 < line.size()) ++i;
          tok.text.push_back(line[i]);
          ++i;
        }
        if (!closed) {
          error = std::string("unterminated ") + (c == '"' ? "double" : "single") + " quote";
          return false;
        }
        continue;
      }
      tok.text.push_back(c);
      ++i;
    }
    out.push_back(std::move(tok));
  }
  return true;
}

IptablesConfig parse(const std::string& file, std::string_view text) {
  return Parser(file).run(text);
}

}  // namespace sanso::vendor::iptables
