// The text form. Statements end at a newline or ';' outside braces; a '{' opens either a block
// (table, chain, set bodies) or, inside a rule, an anonymous set that may span lines. Variables
// (`define`) are token lists spliced in where `$NAME` is written, keeping the line of the use so
// that evidence cites the rule.
#include "vendor/nftables/parse.h"

#include <algorithm>
#include <map>

#include "vendor/nftables/lexer.h"
#include "vendor/nftables/names.h"

namespace sanso::vendor::nftables {
namespace {

using Kind = Token::Kind;

std::optional<TableFamily> family_of(std::string_view w) {
  if (w == "ip") return TableFamily::Ip;
  if (w == "ip6") return TableFamily::Ip6;
  if (w == "inet") return TableFamily::Inet;
  if (w == "arp") return TableFamily::Arp;
  if (w == "bridge") return TableFamily::Bridge;
  if (w == "netdev") return TableFamily::Netdev;
  return std::nullopt;
}

// One statement's tokens (no newlines), variables expanded.
struct Stmt {
  std::vector<Token> tokens;
  int line = 0;
  int end_line = 0;
  std::string error;  // e.g. an undefined variable
  bool variables = false;  // a $NAME was expanded
  bool empty() const { return tokens.empty(); }
};

class Parser {
 public:
  Parser(const std::string& file, std::string_view text, NftConfig& cfg)
      : cfg_(cfg), lines_(physical_lines(text)) {
    cfg_.file = file;
    cfg_.lines = count_lines(text);
    LexResult lexed = lex(text);
    toks_ = std::move(lexed.tokens);
    iptables_nft_ = std::move(lexed.iptables_nft_tables);
    if (lexed.error) unparsed(lexed.error->line, lexed.error->line, lexed.error->reason);
  }

  void run() {
    while (true) {
      skip_separators();
      if (at_end()) return;
      top_statement();
    }
  }

 private:
  // ---- token access ----
  bool at_end() const { return pos_ >= toks_.size(); }
  const Token& cur() const { return toks_[pos_]; }
  bool cur_is(std::string_view t) const { return !at_end() && cur().is(t); }
  void skip_separators() {
    while (!at_end() && (cur().kind == Kind::Newline || cur().is(";"))) ++pos_;
  }
  void skip_newlines() {
    while (!at_end() && cur().kind == Kind::Newline) ++pos_;
  }

  std::string line_text(int line) const {
    if (line < 1 || line > static_cast<int>(lines_.size())) return "";
    std::string_view t = lines_[static_cast<std::size_t>(line - 1)];
    const auto b = t.find_first_not_of(" \t");
    if (b == std::string_view::npos) return "";
    const auto e = t.find_last_not_of(" \t");
    return std::string(t.substr(b, e - b + 1));
  }

  void unparsed(int first, int last, const std::string& reason) {
    for (int l = first; l <= std::max(first, last); ++l) {
      const bool seen = std::any_of(cfg_.unparsed.begin(), cfg_.unparsed.end(),
                                    [l](const model::UnparsedLine& u) { return u.line == l; });
      if (!seen) cfg_.unparsed.push_back({l, line_text(l), reason});
    }
  }

  // Tokens up to the end of the statement: a newline or ';' at depth 0, or a '}' at depth 0
  // (left for the enclosing block). With `stop_at_brace`, an opening '{' at depth 0 also ends
  // it (left in place): the header of a block.
  Stmt collect(bool stop_at_brace = false) {
    Stmt s;
    int depth = 0;
    s.line = at_end() ? 0 : cur().line;
    while (!at_end()) {
      Token& t = toks_[pos_];
      if (depth == 0 && (t.kind == Kind::Newline || t.is(";"))) break;
      if (depth == 0 && t.is("}")) break;
      if (depth == 0 && stop_at_brace && t.is("{")) break;
      if (t.is("{") || t.is("(")) ++depth;
      if (t.is("}") || t.is(")")) --depth;
      ++pos_;
      if (t.kind == Kind::Newline) continue;
      s.end_line = t.line;
      if (t.kind == Kind::Word && t.text.size() > 1 && t.text[0] == '$') {
        s.variables = true;
        expand(t, s, 0);
        continue;
      }
      s.tokens.push_back(std::move(t));  // each token is collected once
    }
    if (s.end_line == 0) s.end_line = s.line;
    return s;
  }

  void expand(const Token& use, Stmt& s, int depth) {
    const auto it = defines_.find(use.text.substr(1));
    if (it == defines_.end() || depth > 16) {
      if (s.error.empty()) s.error = "undefined variable " + use.text;
      return;
    }
    for (Token t : it->second) {
      if (t.kind == Kind::Word && t.text.size() > 1 && t.text[0] == '$') {
        Token inner = t;
        inner.line = use.line;
        expand(inner, s, depth + 1);
        continue;
      }
      t.line = use.line;
      s.tokens.push_back(std::move(t));
    }
  }

  // Skips a block whose '{' is the current token (nested braces included).
  int skip_block() {
    int depth = 0;
    int last = at_end() ? 0 : cur().line;
    while (!at_end()) {
      const Token& t = cur();
      last = t.line;
      ++pos_;
      if (t.is("{")) ++depth;
      if (t.is("}") && --depth == 0) return last;
    }
    return -last;  // not closed
  }

  // ---- top level ----
  void top_statement() {
    const Token& first = cur();
    const std::string w = first.kind == Kind::Word ? first.text : "";
    if (w == "table") {
      ++pos_;
      table_statement(first.line);
      return;
    }
    if (w == "define" || w == "redefine") return define_statement();
    if (w == "add" || w == "create" || w == "insert") return command();
    Stmt s = collect();
    if (s.empty()) {
      if (!at_end() && cur().is("}")) {
        unparsed(cur().line, cur().line, "'}' without an open block");
        ++pos_;
      }
      return;
    }
    if (w == "undefine" && s.tokens.size() == 2) {
      defines_.erase(s.tokens[1].text);
      ++cfg_.statements;
      return;
    }
    if (w == "flush") return flush(s);
    if (w == "include")
      return unparsed(s.line, s.end_line, "include is not followed: the rules it adds are not seen");
    if (w == "list" || w == "describe" || w == "monitor") {
      ++cfg_.statements;  // prints only; the ruleset is unchanged
      return;
    }
    unparsed(s.line, s.end_line,
             w.empty() ? "not an nftables statement" : "statement '" + w + "' is not modelled");
  }

  void define_statement() {
    Stmt s = collect();
    // define NAME = VALUE
    if (s.tokens.size() < 4 || !s.tokens[2].is("=") || !s.error.empty()) {
      unparsed(s.line, s.end_line, s.error.empty() ? "define not understood" : s.error);
      return;
    }
    defines_[s.tokens[1].text] = std::vector<Token>(s.tokens.begin() + 3, s.tokens.end());
    ++cfg_.statements;
  }

  void flush(const Stmt& s) {
    const auto& t = s.tokens;
    if (t.size() == 2 && t[1].is("ruleset")) {
      cfg_.tables.clear();
      ++cfg_.statements;
      return;
    }
    if (t.size() >= 3 && (t[1].is("table") || t[1].is("chain"))) {
      std::size_t i = 2;
      TableFamily f = TableFamily::Ip;
      const bool table = t[1].is("table");
      const std::size_t words = t.size() - 2;
      if (words == (table ? 2u : 3u)) {
        const auto fam = family_of(t[2].text);
        if (!fam) return unparsed(s.line, s.end_line, "unknown family " + t[2].text);
        f = *fam;
        i = 3;
      }
      Table* tb = find_table(f, t[i].text);
      if (tb != nullptr) {
        for (Chain& c : tb->chains) {
          if (table || (i + 1 < t.size() && c.name == t[i + 1].text)) c.rules.clear();
        }
      }
      ++cfg_.statements;
      return;
    }
    unparsed(s.line, s.end_line, "flush of this kind is not modelled");
  }

  Table* find_table(TableFamily f, const std::string& name) {
    for (Table& t : cfg_.tables)
      if (t.family == f && t.name == name) return &t;
    return nullptr;
  }

  Table& table(TableFamily f, const std::string& family_word, const std::string& name, int line) {
    if (Table* t = find_table(f, name)) return *t;
    Table t;
    t.family = f;
    t.family_name = family_word;
    t.name = name;
    t.line = line;
    const std::string key = std::string(family_name(f)) + " " + name;
    t.iptables_nft = std::find(iptables_nft_.begin(), iptables_nft_.end(), key) != iptables_nft_.end();
    cfg_.tables.push_back(std::move(t));
    return cfg_.tables.back();
  }

  // After `table`: [FAMILY] NAME [{ body }].
  void table_statement(int line) {
    Stmt head = collect(true);
    std::vector<std::string> words;
    for (const Token& t : head.tokens) words.push_back(t.text);
    TableFamily f = TableFamily::Ip;
    std::string fam_word = "ip";
    std::string name;
    if (words.size() == 1) {
      name = words[0];
    } else if (words.size() == 2 && family_of(words[0])) {
      f = *family_of(words[0]);
      fam_word = words[0];
      name = words[1];
    } else {
      unparsed(line, head.end_line, "table statement not understood");
      if (cur_is("{")) skip_block();
      return;
    }
    ++cfg_.statements;
    // Index, not reference: chains and sets are appended to the table while its body is read.
    table(f, fam_word, name, line);
    const std::size_t idx = static_cast<std::size_t>(find_table(f, name) - cfg_.tables.data());
    if (cur_is("{")) {
      ++pos_;
      table_body(idx, line);
    }
  }

  void table_body(std::size_t idx, int open_line) {
    while (true) {
      skip_separators();
      if (at_end()) {
        unparsed(open_line, open_line, "table block is not closed (file truncated?)");
        return;
      }
      if (cur().is("}")) {
        ++pos_;
        return;
      }
      const Token& first = cur();
      const std::string w = first.kind == Kind::Word ? first.text : "";
      if (w == "chain") {
        ++pos_;
        Stmt head = collect(true);
        if (head.tokens.size() != 1) {
          unparsed(first.line, head.end_line, "chain statement not understood");
          if (cur_is("{")) skip_block();
          continue;
        }
        ++cfg_.statements;
        Chain& c = chain(idx, head.tokens[0].text, first.line);
        const std::size_t ci = static_cast<std::size_t>(&c - cfg_.tables[idx].chains.data());
        if (cur_is("{")) {
          ++pos_;
          chain_body(idx, ci, first.line);
        }
        continue;
      }
      if (w == "set" || w == "map") {
        ++pos_;
        Stmt head = collect(true);
        if (head.tokens.size() != 1 || !cur_is("{")) {
          unparsed(first.line, head.end_line, w + " statement not understood");
          if (cur_is("{")) skip_block();
          continue;
        }
        ++pos_;
        set_body(idx, head.tokens[0].text, w == "map", first.line);
        continue;
      }
      if (w == "flags") {
        Stmt s = collect();
        for (const Token& t : s.tokens)
          if (t.is("dormant")) cfg_.tables[idx].dormant = true;
        ++cfg_.statements;
        continue;
      }
      if (w == "comment") {
        collect();
        continue;
      }
      if (w == "flowtable" || w == "counter" || w == "quota" || w == "limit" || w == "ct" ||
          w == "secmark" || w == "synproxy") {
        // Stateful objects: what rules do with them is judged at the rule. A flowtable only
        // offloads established flows; the packets sanso audits open connections.
        Stmt s = collect(true);
        if (cur_is("{")) skip_block();
        ++cfg_.statements;
        (void)s;
        continue;
      }
      Stmt s = collect();
      unparsed(s.line, s.end_line, w.empty() ? "not understood inside a table" : "'" + w + "' inside a table is not modelled");
    }
  }

  Chain& chain(std::size_t table_idx, const std::string& name, int line) {
    auto& chains = cfg_.tables[table_idx].chains;
    for (Chain& c : chains)
      if (c.name == name) return c;
    chains.push_back(Chain{name, line, std::nullopt, {}, false});
    return chains.back();
  }

  void chain_body(std::size_t ti, std::size_t ci, int open_line) {
    while (true) {
      skip_separators();
      if (at_end()) {
        cfg_.tables[ti].chains[ci].truncated = true;
        unparsed(open_line, open_line, "chain block is not closed (file truncated?)");
        return;
      }
      if (cur().is("}")) {
        ++pos_;
        return;
      }
      Stmt s = collect();
      if (s.empty()) continue;
      chain_statement(ti, ci, s);
    }
  }

  void chain_statement(std::size_t ti, std::size_t ci, Stmt& s) {
    Chain& c = cfg_.tables[ti].chains[ci];
    const Token& first = s.tokens.front();
    if (first.is("type")) return base_chain(c, s);
    if (first.is("policy")) {
      if (!c.base || s.tokens.size() != 2) return unparsed(s.line, s.end_line, "policy not understood");
      c.base->policy = s.tokens[1].text;
      c.base->policy_line = s.line;
      ++cfg_.statements;
      return;
    }
    if (first.is("comment") || first.is("device") || first.is("devices")) {
      if (c.base && (first.is("device") || first.is("devices"))) c.base->device = join_tokens(s.tokens, 1);
      ++cfg_.statements;
      return;
    }
    if (!s.error.empty()) return unparsed(s.line, s.end_line, s.error);
    add_rule(c, s, false);
  }

  void add_rule(Chain& c, Stmt& s, bool front) {
    Rule r;
    r.line = s.line;
    r.end_line = s.end_line;
    r.text = s.line == s.end_line && !has_variable(s) ? line_text(s.line) : join_tokens(s.tokens);
    // A line holding several statements (`...; policy drop;`) or a trailing ';' cites its tokens.
    if (r.text.find(';') != std::string::npos) r.text = join_tokens(s.tokens);
    r.tokens = std::move(s.tokens);
    ++cfg_.statements;
    if (front) c.rules.insert(c.rules.begin(), std::move(r));
    else c.rules.push_back(std::move(r));
  }

  static bool has_variable(const Stmt& s) { return s.variables; }

  // type T hook H [device D] priority P
  void base_chain(Chain& c, const Stmt& s) {
    BaseChain b;
    b.line = s.line;
    b.text = join_tokens(s.tokens);
    const auto& t = s.tokens;
    std::size_t i = 0;
    while (i < t.size()) {
      const std::string& k = t[i].text;
      if ((k == "type" || k == "hook" || k == "device") && i + 1 < t.size()) {
        if (k == "type") b.type = t[i + 1].text;
        else if (k == "hook") b.hook = t[i + 1].text;
        else b.device = t[i + 1].text;
        i += 2;
        continue;
      }
      if (k == "priority" && i + 1 < t.size()) {
        std::string p;
        for (std::size_t j = i + 1; j < t.size(); ++j) p += t[j].text;
        b.priority_text = p;
        b.priority = priority_value(p);
        break;
      }
      return unparsed(s.line, s.end_line, "base chain statement not understood");
    }
    if (b.type.empty() || b.hook.empty())
      return unparsed(s.line, s.end_line, "base chain without type or hook");
    if (!b.priority) {
      // A priority sanso cannot read leaves the order of chains on the hook unknown.
      unparsed(s.line, s.end_line, "chain priority " + b.priority_text + " not understood");
    }
    if (c.base) {
      b.policy = c.base->policy;
      b.policy_line = c.base->policy_line;
    }
    c.base = std::move(b);
    ++cfg_.statements;
  }

  void set_body(std::size_t ti, const std::string& name, bool is_map, int open_line) {
    SetDecl d;
    d.name = name;
    d.is_map = is_map;
    d.line = open_line;
    while (true) {
      skip_separators();
      if (at_end()) {
        unparsed(open_line, open_line, "set block is not closed (file truncated?)");
        break;
      }
      if (cur().is("}")) {
        d.end_line = cur().line;
        ++pos_;
        break;
      }
      Stmt s = collect();
      if (s.empty()) continue;
      if (!s.error.empty()) {
        unparsed(s.line, s.end_line, s.error);
        continue;
      }
      set_statement(d, s);
    }
    auto& sets = cfg_.tables[ti].sets;
    for (SetDecl& old : sets) {
      if (old.name != d.name) continue;
      for (Element& e : d.elements) old.elements.push_back(std::move(e));
      return;
    }
    ++cfg_.statements;
    sets.push_back(std::move(d));
  }

  void set_statement(SetDecl& d, const Stmt& s) {
    const auto& t = s.tokens;
    const std::string& k = t.front().text;
    if (k == "type" || k == "typeof") {
      d.typeof_key = k == "typeof";
      std::string part;
      bool value = false;
      for (std::size_t i = 1; i < t.size(); ++i) {
        if (t[i].is(":")) {
          value = true;
          d.key_types.push_back(part);
          part.clear();
          continue;
        }
        if (t[i].is(".") && !value) {
          d.key_types.push_back(part);
          part.clear();
          continue;
        }
        part += (part.empty() ? "" : " ") + t[i].text;
      }
      if (value) d.value_type = part;
      else d.key_types.push_back(part);
      return;
    }
    if (k == "flags") {
      for (std::size_t i = 1; i < t.size(); ++i)
        if (!t[i].is(",")) d.flags.push_back(t[i].text);
      return;
    }
    if (k == "timeout") {
      d.has_timeout = true;
      return;
    }
    if (k == "elements") {
      // elements = { ... }
      if (t.size() < 4 || !t[1].is("=") || !t[2].is("{") || !t.back().is("}"))
        return unparsed(s.line, s.end_line, "elements not understood");
      const std::vector<Token> inner(t.begin() + 3, t.end() - 1);
      for (Element& e : split_elements(inner, d.is_map)) d.elements.push_back(std::move(e));
      return;
    }
    if (k == "size" || k == "policy" || k == "counter" || k == "comment" || k == "auto-merge" ||
        k == "gc-interval") {
      return;
    }
    unparsed(s.line, s.end_line, "set option '" + k + "' is not modelled");
  }

  // ---- commands: add/create/insert ... ----
  void command() {
    const Token verb = cur();
    ++pos_;
    if (at_end()) return;
    const std::string what = cur().text;
    if (what == "table") {
      ++pos_;
      return table_statement(verb.line);
    }
    if (what == "chain") {
      ++pos_;
      Stmt head = collect(true);
      auto loc = locate(head.tokens, 2);
      if (!loc) {
        unparsed(verb.line, head.end_line, "chain command not understood");
        if (cur_is("{")) skip_block();
        return;
      }
      Table& tb = table(loc->family, loc->family_word, loc->table, verb.line);
      const std::size_t ti = static_cast<std::size_t>(&tb - cfg_.tables.data());
      Chain& c = chain(ti, loc->rest.front().text, verb.line);
      const std::size_t ci = static_cast<std::size_t>(&c - cfg_.tables[ti].chains.data());
      ++cfg_.statements;
      if (cur_is("{")) {
        ++pos_;
        chain_body(ti, ci, verb.line);
      }
      return;
    }
    if (what == "set" || what == "map") {
      ++pos_;
      Stmt head = collect(true);
      auto loc = locate(head.tokens, 2);
      if (!loc || !cur_is("{")) {
        unparsed(verb.line, head.end_line, what + " command not understood");
        if (cur_is("{")) skip_block();
        return;
      }
      Table& tb = table(loc->family, loc->family_word, loc->table, verb.line);
      const std::size_t ti = static_cast<std::size_t>(&tb - cfg_.tables.data());
      ++pos_;
      set_body(ti, loc->rest.front().text, what == "map", verb.line);
      return;
    }
    Stmt s = collect();
    if (!s.error.empty()) return unparsed(verb.line, s.end_line, s.error);
    if (what == "rule") return rule_command(verb, s);
    if (what == "element") return element_command(verb, s);
    if (what == "flowtable" || what == "counter" || what == "quota" || what == "limit") {
      ++cfg_.statements;
      return;
    }
    unparsed(verb.line, s.end_line, verb.text + " " + what + " is not modelled");
  }

  struct Location {
    TableFamily family = TableFamily::Ip;
    std::string family_word = "ip";
    std::string table;
    std::vector<Token> rest;  // what follows the table name
  };

  // [FAMILY] TABLE REST... where REST has at least `min_rest - 1` tokens.
  std::optional<Location> locate(const std::vector<Token>& t, std::size_t min_words) {
    Location loc;
    std::size_t i = 0;
    if (t.size() > min_words && t[0].kind == Kind::Word && family_of(t[0].text)) {
      loc.family = *family_of(t[0].text);
      loc.family_word = t[0].text;
      i = 1;
    }
    if (t.size() < i + min_words) return std::nullopt;
    loc.table = t[i].text;
    loc.rest.assign(t.begin() + static_cast<std::ptrdiff_t>(i + 1), t.end());
    return loc;
  }

  // add|insert rule [FAMILY] TABLE CHAIN RULE...
  void rule_command(const Token& verb, Stmt& s) {
    std::vector<Token> t(s.tokens.begin() + 1, s.tokens.end());
    auto loc = locate(t, 3);
    if (!loc) return unparsed(verb.line, s.end_line, "rule command not understood");
    if (loc->rest.front().is("position") || loc->rest.front().is("index") ||
        loc->rest.front().is("handle") || (loc->rest.size() > 1 && (loc->rest[1].is("position") ||
                                                                    loc->rest[1].is("index") ||
                                                                    loc->rest[1].is("handle")))) {
      return unparsed(verb.line, s.end_line, "rule placed by position/index/handle is not modelled");
    }
    Table& tb = table(loc->family, loc->family_word, loc->table, verb.line);
    const std::size_t ti = static_cast<std::size_t>(&tb - cfg_.tables.data());
    Chain& c = chain(ti, loc->rest.front().text, verb.line);
    Stmt rule;
    rule.line = s.line;
    rule.end_line = s.end_line;
    rule.variables = s.variables;
    rule.tokens.assign(loc->rest.begin() + 1, loc->rest.end());
    if (rule.tokens.empty()) return unparsed(verb.line, s.end_line, "rule command without a rule");
    add_rule(c, rule, verb.is("insert"));
    // The evidence text is the command as written, variables expanded.
    (verb.is("insert") ? c.rules.front() : c.rules.back()).text =
        s.line == s.end_line && !has_variable(s) ? line_text(s.line) : verb.text + " " + join_tokens(s.tokens);
  }

  // add element [FAMILY] TABLE SET { ... }
  void element_command(const Token& verb, const Stmt& s) {
    std::vector<Token> t(s.tokens.begin() + 1, s.tokens.end());
    auto loc = locate(t, 3);
    if (!loc || loc->rest.size() < 3 || !loc->rest[1].is("{") || !loc->rest.back().is("}"))
      return unparsed(verb.line, s.end_line, "element command not understood");
    Table* tb = find_table(loc->family, loc->table);
    SetDecl* d = nullptr;
    if (tb != nullptr)
      for (SetDecl& x : tb->sets)
        if (x.name == loc->rest[0].text) d = &x;
    if (d == nullptr) return unparsed(verb.line, s.end_line, "element for an unknown set");
    const std::vector<Token> inner(loc->rest.begin() + 2, loc->rest.end() - 1);
    for (Element& e : split_elements(inner, d->is_map)) d->elements.push_back(std::move(e));
    ++cfg_.statements;
  }

  NftConfig& cfg_;
  std::vector<std::string_view> lines_;
  std::vector<Token> toks_;
  std::vector<std::string> iptables_nft_;
  std::size_t pos_ = 0;
  std::map<std::string, std::vector<Token>> defines_;
};

bool is_element_option(const Token& t) {
  return t.kind == Kind::Word &&
         (t.text == "counter" || t.text == "timeout" || t.text == "expires" || t.text == "comment");
}

}  // namespace

std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::vector<Element> split_elements(const std::vector<Token>& inner, bool is_map) {
  std::vector<Element> out;
  Element cur;
  bool in_value = false;
  bool skipping = false;  // after a per-element option
  int depth = 0;
  auto flush = [&] {
    if (!cur.key.empty()) out.push_back(std::move(cur));
    cur = Element{};
    in_value = false;
    skipping = false;
  };
  for (const Token& t : inner) {
    if (t.kind == Kind::Newline) continue;
    if (depth == 0 && t.is(",")) {
      flush();
      continue;
    }
    if (t.is("{")) ++depth;
    if (t.is("}")) --depth;
    if (depth == 0 && is_element_option(t)) skipping = true;
    if (skipping) continue;
    if (cur.key.empty() && cur.line == 0) cur.line = t.line;
    if (is_map && depth == 0 && !in_value && t.is(":")) {
      in_value = true;
      continue;
    }
    (in_value ? cur.value : cur.key).push_back(t);
  }
  flush();
  return out;
}

NftConfig parse_text(const std::string& file, std::string_view text) {
  NftConfig cfg;
  Parser(file, text, cfg).run();
  std::sort(cfg.unparsed.begin(), cfg.unparsed.end(),
            [](const model::UnparsedLine& a, const model::UnparsedLine& b) { return a.line < b.line; });
  return cfg;
}

}  // namespace sanso::vendor::nftables
