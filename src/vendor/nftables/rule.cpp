// The rule grammar of nft(8) as far as sanso reads it. Items follow each other without separators,
// so each item's extent is decided by its first word: a selector takes a fixed number of words
// (table below), a value is one word, a comma list, a braced set or a @reference; a statement
// takes the arguments its keyword allows.
#include "vendor/nftables/rule.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace sanso::vendor::nftables {
namespace {

using Kind = Token::Kind;

// Selector words taking one more word (the field).
constexpr std::array<std::string_view, 28> kTwoWord{
    "ip",  "ip6", "tcp",   "udp",  "udplite", "sctp", "dccp", "th",   "icmp", "icmpv6",
    "ether", "vlan", "arp", "meta", "rt",     "socket", "osf", "frag", "hbh",  "rt0",
    "rt2", "srh", "dst",   "mh",   "ah",      "esp",  "comp", "igmp"};
// Meta keys written without "meta".
constexpr std::array<std::string_view, 17> kOneWord{
    "iifname", "oifname", "iif", "oif", "iiftype", "oiftype", "mark", "priority", "skuid",
    "skgid", "rtclassid", "nftrace", "pkttype", "cpu", "iifgroup", "oifgroup", "cgroup"};
constexpr std::array<std::string_view, 27> kStatements{
    "accept", "drop", "reject", "queue", "continue", "return", "jump", "goto", "counter",
    "log", "limit", "comment", "dnat", "snat", "masquerade", "redirect", "notrack", "xt",
    "flow", "update", "add", "delete", "quota", "synproxy", "tproxy", "dup", "fwd"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& a, std::string_view w) {
  return std::find(a.begin(), a.end(), w) != a.end();
}

bool is_op(const Token& t) {
  static constexpr std::array<std::string_view, 12> kOps{"==", "!=", "<", ">", "<=", ">=",
                                                         "eq", "ne", "lt", "gt", "le", "ge"};
  return t.kind != Kind::String && in(kOps, t.text);
}

std::string canonical_op(const std::string& op) {
  if (op == "eq") return "==";
  if (op == "ne") return "!=";
  if (op == "lt") return "<";
  if (op == "gt") return ">";
  if (op == "le") return "<=";
  if (op == "ge") return ">=";
  return op;
}

class RuleParser {
 public:
  explicit RuleParser(const std::vector<Token>& t) : t_(t) {}

  ParsedRule run() {
    while (i_ < t_.size() && !out_.error) item();
    return std::move(out_);
  }

 private:
  bool end() const { return i_ >= t_.size(); }
  const Token& cur() const { return t_[i_]; }
  bool cur_is(std::string_view w) const { return !end() && cur().is(w); }

  bool selector_start(std::size_t k) const {
    if (k >= t_.size() || t_[k].kind != Kind::Word) return false;
    const std::string& w = t_[k].text;
    return in(kTwoWord, w) || in(kOneWord, w) || w == "ct" || w == "fib" || w == "numgen" ||
           w == "jhash" || w == "symhash" || (w.size() > 1 && w[0] == '@' && k + 1 < t_.size() &&
                                             t_[k + 1].is(","));
  }
  bool item_start(std::size_t k) const {
    return selector_start(k) || (k < t_.size() && t_[k].kind == Kind::Word && in(kStatements, t_[k].text));
  }

  void fail(std::string why) {
    if (!out_.error) out_.error = std::move(why);
  }

  std::optional<Selector> selector() {
    Selector s;
    const std::string w = cur().text;
    s.words.push_back(w);
    ++i_;
    auto take = [&] {
      if (end() || cur().kind != Kind::Word) return false;
      s.words.push_back(cur().text);
      ++i_;
      return true;
    };
    if (w.size() > 1 && w[0] == '@') {  // raw payload @base,offset,length
      while (!end() && (cur().is(",") || (cur().kind == Kind::Word && s.words.size() < 5))) {
        s.words.push_back(cur().text);
        ++i_;
      }
      return s;
    }
    if (in(kOneWord, w)) return s;
    if (w == "ct") {
      if (!take()) return std::nullopt;
      const std::string& k = s.words.back();
      if (k == "original" || k == "reply") {
        if (!take()) return std::nullopt;
        if (s.words.back() == "ip" || s.words.back() == "ip6") take();
      }
      return s;
    }
    if (w == "fib") {
      while (!end()) {
        const std::string x = cur().text;
        s.words.push_back(x);
        ++i_;
        if (x == "oif" || x == "oifname" || x == "type") break;
      }
      return s;
    }
    if (w == "numgen" || w == "jhash" || w == "symhash") {
      while (!end() && !is_op(cur()) && !cur().is("{") && !cur().is("vmap") && !cur().is("map") &&
             !item_start(i_)) {
        s.words.push_back(cur().text);
        ++i_;
      }
      return s;
    }
    if (!take()) return std::nullopt;
    if ((w == "tcp" || w == "ip" || w == "ip6") && s.words.back() == "option") {
      take();  // option name
      static constexpr std::array<std::string_view, 10> kFields{
          "kind", "length", "size", "left", "right", "count", "subtype", "tsval", "tsecr", "value"};
      if (!end() && in(kFields, cur().text)) take();
    }
    return s;
  }

  // One value: a braced or parenthesised block, or a word with its comma list.
  std::vector<Token> value() {
    std::vector<Token> v;
    if (end()) return v;
    if (cur().is("{") || cur().is("(")) {
      const std::string open = cur().text;
      const std::string close = open == "{" ? "}" : ")";
      int depth = 0;
      while (!end()) {
        const Token& t = cur();
        v.push_back(t);
        ++i_;
        if (t.is(open)) ++depth;
        if (t.is(close) && --depth == 0) break;
      }
      return v;
    }
    v.push_back(cur());
    ++i_;
    while (!end() && cur().is(",") && i_ + 1 < t_.size()) {
      v.push_back(cur());
      v.push_back(t_[i_ + 1]);
      i_ += 2;
    }
    return v;
  }

  // An expression on the right of `set` or a mask: a value, a selector, joined by bit operators.
  std::vector<Token> expression() {
    std::vector<Token> v;
    while (!end()) {
      if (selector_start(i_)) {
        const std::size_t from = i_;
        if (!selector()) return v;
        v.insert(v.end(), t_.begin() + static_cast<std::ptrdiff_t>(from),
                 t_.begin() + static_cast<std::ptrdiff_t>(i_));
      } else {
        const auto x = value();
        v.insert(v.end(), x.begin(), x.end());
      }
      if (!end() && (cur().is("and") || cur().is("or") || cur().is("xor") || cur().is("&") ||
                     cur().is("|") || cur().is("^") || cur().is("<<") || cur().is(">>"))) {
        v.push_back(cur());
        ++i_;
        continue;
      }
      return v;
    }
    return v;
  }

  void item() {
    if (selector_start(i_)) return selector_item();
    const Token& t = cur();
    if (t.kind == Kind::Word && in(kStatements, t.text)) return statement();
    fail("'" + t.text + "' is not an expression or statement sanso reads");
  }

  void selector_item() {
    std::vector<Selector> keys;
    while (true) {
      auto s = selector();
      if (!s) return fail("selector not understood");
      keys.push_back(std::move(*s));
      if (cur_is(".") && selector_start(i_ + 1)) {
        ++i_;
        continue;
      }
      break;
    }
    if (cur_is("vmap")) {
      ++i_;
      VmapItem v{std::move(keys), value()};
      if (v.value.empty()) return fail("vmap without a map");
      out_.items.push_back(std::move(v));
      return;
    }
    if (cur_is("set")) {
      ++i_;
      StmtItem s{"set", expression(), std::move(keys)};
      out_.items.push_back(std::move(s));
      return;
    }
    MatchItem m;
    m.keys = std::move(keys);
    if (cur_is("&")) {
      ++i_;
      while (!end() && !is_op(cur())) {
        m.mask.push_back(cur());
        ++i_;
      }
      if (end()) return fail("mask without a comparison");
    }
    if (!end() && is_op(cur())) {
      m.op = canonical_op(cur().text);
      ++i_;
    }
    if (end()) return fail("selector " + m.keys.front().text() + " without a value");
    m.value = value();
    if (cur_is("/") && !m.value.empty()) {
      ++i_;
      m.value_mask = value();
    }
    out_.items.push_back(std::move(m));
  }

  void take_while(StmtItem& s, bool (*pred)(const Token&)) {
    while (!end() && !item_start(i_) && pred(cur())) {
      s.args.push_back(cur());
      ++i_;
    }
  }

  void statement() {
    StmtItem s;
    s.keyword = cur().text;
    ++i_;
    const std::string& k = s.keyword;
    auto one = [&] {
      if (!end()) {
        s.args.push_back(cur());
        ++i_;
      }
    };
    auto any = [](const Token&) { return true; };
    if (k == "jump" || k == "goto" || k == "comment") {
      one();
      if (s.args.empty()) return fail(k + " without an argument");
    } else if (k == "reject") {
      if (cur_is("with")) {
        one();
        one();  // icmp, icmpv6, icmpx, tcp
        if (cur_is("type")) one();
        one();  // the type, or "reset"
      }
    } else if (k == "xt" || k == "flow") {
      one();
      one();
    } else if (k == "update" || k == "add" || k == "delete") {
      one();  // @set
      if (cur_is("{")) {
        for (const Token& t : value()) s.args.push_back(t);
      }
    } else if (k == "dnat" || k == "snat" || k == "masquerade" || k == "redirect") {
      nat_args(s);
    } else if (k == "counter" || k == "log" || k == "limit" || k == "quota" || k == "queue" ||
               k == "synproxy" || k == "tproxy" || k == "dup" || k == "fwd") {
      // Arguments are words that start no other item ("prefix", "\"x\"", "rate", "10/second",
      // "packets", "0", ...).
      take_while(s, any);
    }
    out_.items.push_back(std::move(s));
  }

  // dnat|snat [ip|ip6] [addr . port | prefix] to EXPR [flags]; masquerade|redirect [to :PORT] [flags]
  void nat_args(StmtItem& s) {
    while (!end() && !cur().is("to") && !item_start(i_) &&
           (cur().is("ip") || cur().is("ip6") || cur().is("addr") || cur().is(".") ||
            cur().is("port") || cur().is("prefix"))) {
      s.args.push_back(cur());
      ++i_;
    }
    // "ip" is also a selector start: inside nat it is the address family.
    while (!end() && (cur().is("ip") || cur().is("ip6")) && i_ + 1 < t_.size() &&
           (t_[i_ + 1].is("to") || t_[i_ + 1].is("addr") || t_[i_ + 1].is("prefix"))) {
      s.args.push_back(cur());
      ++i_;
      while (!end() && (cur().is("addr") || cur().is(".") || cur().is("port") || cur().is("prefix"))) {
        s.args.push_back(cur());
        ++i_;
      }
    }
    if (cur_is("to")) {
      s.args.push_back(cur());
      ++i_;
      if (selector_start(i_)) {
        while (true) {
          auto sel = selector();
          if (!sel) return fail("nat map key not understood");
          s.keys.push_back(std::move(*sel));
          if (cur_is(".") && selector_start(i_ + 1)) {
            ++i_;
            continue;
          }
          break;
        }
        if (!cur_is("map")) return fail("nat expression not understood");
        s.args.push_back(cur());
        ++i_;
        for (const Token& t : value()) s.args.push_back(t);
      } else {
        for (const Token& t : value()) s.args.push_back(t);
        // "to 10.0.0.1 : 80" written with spaces
        if (cur_is(":") && i_ + 1 < t_.size()) {
          s.args.push_back(cur());
          s.args.push_back(t_[i_ + 1]);
          i_ += 2;
        }
      }
    }
    while (!end() && (cur().is("persistent") || cur().is("random") || cur().is("fully-random") ||
                      cur().is(","))) {
      s.args.push_back(cur());
      ++i_;
    }
  }

  const std::vector<Token>& t_;
  std::size_t i_ = 0;
  ParsedRule out_;
};

}  // namespace

std::string Selector::text() const {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

ParsedRule parse_rule(const std::vector<Token>& tokens) { return RuleParser(tokens).run(); }

}  // namespace sanso::vendor::nftables
