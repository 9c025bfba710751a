// `nft -j list ruleset` -> NftConfig. Rules are rendered into the text form's tokens (the
// rendering follows what `nft list ruleset` prints for the same expression), so one grammar and
// one lowering serve both forms. An expression this renderer does not know becomes the word
// "unknown-json-expression", which the rule grammar reports as not understood (uncertain).
#include "vendor/nftables/json.h"

#include <nlohmann/json.hpp>

#include "vendor/nftables/lexer.h"
#include "vendor/nftables/parse.h"
#include "vendor/nftables/names.h"

namespace sanso::vendor::nftables {
namespace {

using nlohmann::json;
using Kind = Token::Kind;

class Renderer {
 public:
  explicit Renderer(int line) : line_(line) {}
  std::vector<Token> take() { return std::move(out_); }

  void word(const std::string& w) { out_.push_back({Kind::Word, w, line_}); }
  void punct(const std::string& p) { out_.push_back({Kind::Punct, p, line_}); }

  void statement(const json& s) {
    if (!s.is_object() || s.empty()) return unknown();
    const std::string k = s.begin().key();
    const json& v = s.begin().value();
    if (k == "match") return match(v);
    if (k == "accept" || k == "drop" || k == "continue" || k == "return" || k == "notrack" ||
        k == "masquerade" || k == "redirect" || k == "queue" || k == "reject") {
      word(k);
      if (k == "redirect" && v.is_object() && v.contains("port")) {
        word("to");
        word(":" + scalar(v["port"]));
      }
      return;
    }
    if (k == "jump" || k == "goto") {
      word(k);
      word(v.value("target", std::string("?")));
      return;
    }
    if (k == "counter" || k == "log" || k == "comment" || k == "mangle" || k == "flow") {
      if (k == "log") word("log");
      if (k == "mangle") {  // `KEY set VALUE`: a header rewrite or a mark
        expr(v.value("key", json()));
        word("set");
        word("unknown-json-value");
      }
      return;
    }
    if (k == "limit" || k == "quota") {
      word(k);
      return;
    }
    if (k == "vmap") {
      expr(v.value("key", json()));
      word("vmap");
      map_body(v.value("data", json()), true);
      return;
    }
    if (k == "dnat" || k == "snat") return nat(k, v);
    if (k == "xt") {
      word("xt");
      word(v.value("type", std::string("match")));
      word(v.value("name", std::string("?")));
      return;
    }
    unknown();
  }

  void unknown() { word("unknown-json-expression"); }

  static std::string scalar(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return "?";
  }

  void match(const json& m) {
    expr(m.value("left", json()));
    const std::string op = m.value("op", std::string("=="));
    if (op == "in") {
      // flag match: implicit operator
    } else if (op != "==") {
      punct(op);
    } else if (!m.value("right", json()).is_array()) {
      // "==" printed implicitly, as nft does (a list value keeps its flag semantics)
    } else {
      punct("==");
    }
    value(m.value("right", json()));
  }

  void expr(const json& e) {
    if (e.is_object() && e.contains("payload")) {
      const auto& p = e["payload"];
      if (p.contains("protocol")) {
        word(p["protocol"].get<std::string>());
        word(p.value("field", std::string("?")));
        return;
      }
      return unknown();
    }
    if (e.is_object() && e.contains("meta")) {
      word("meta");
      word(e["meta"].value("key", std::string("?")));
      return;
    }
    if (e.is_object() && e.contains("ct")) {
      word("ct");
      const auto& c = e["ct"];
      if (c.contains("dir")) word(c["dir"].get<std::string>());
      if (c.contains("family")) word(c["family"].get<std::string>());
      word(c.value("key", std::string("?")));
      return;
    }
    if (e.is_object() && e.contains("concat")) {
      bool first = true;
      for (const auto& x : e["concat"]) {
        if (!first) word(".");
        first = false;
        expr(x);
      }
      return;
    }
    if (e.is_object() && e.contains("tcp option")) {
      word("tcp");
      word("option");
      word(e["tcp option"].value("name", std::string("?")));
      if (e["tcp option"].contains("field")) word(e["tcp option"]["field"].get<std::string>());
      return;
    }
    if (e.is_object() && e.contains("fib")) {
      word("fib");
      word("unknown");
      word("type");
      return;
    }
    unknown();
  }

  void atom(const json& v) {
    if (v.is_string()) {
      const std::string s = v.get<std::string>();
      out_.push_back({s.size() > 1 && s[0] == '@' ? Kind::Word : Kind::String, s, line_});
      return;
    }
    if (v.is_number_integer()) return word(std::to_string(v.get<long long>()));
    if (v.is_object() && v.contains("prefix")) {
      return word(v["prefix"].value("addr", std::string("?")) + "/" +
                  std::to_string(v["prefix"].value("len", 0)));
    }
    if (v.is_object() && v.contains("range") && v["range"].is_array() && v["range"].size() == 2) {
      Renderer lo(line_), hi(line_);
      lo.atom(v["range"][0]);
      hi.atom(v["range"][1]);
      const auto a = lo.take(), b = hi.take();
      if (a.size() == 1 && b.size() == 1) return word(a[0].text + "-" + b[0].text);
      return unknown();
    }
    if (v.is_object() && v.contains("concat")) {
      bool first = true;
      for (const auto& x : v["concat"]) {
        if (!first) word(".");
        first = false;
        atom(x);
      }
      return;
    }
    if (v.is_object() && v.contains("elem")) return atom(v["elem"].value("val", json()));
    if (v.is_object() && v.size() == 1) {  // a verdict: {"accept": null}, {"jump": {"target": x}}
      const std::string k = v.begin().key();
      const json& x = v.begin().value();
      word(k);
      if (x.is_object() && x.contains("target")) word(x["target"].get<std::string>());
      return;
    }
    unknown();
  }

  // Strings in values are words in the text form except interface names and comments, which
  // nft quotes: a string that names a keyword or number stays a word.
  void value(const json& v) {
    if (v.is_object() && v.contains("set")) return set_body(v["set"]);
    if (v.is_array()) {  // a flag list: established,related
      bool first = true;
      for (const auto& x : v) {
        if (!first) punct(",");
        first = false;
        atom(x);
      }
      return;
    }
    atom(v);
  }

  void set_body(const json& elems) {
    punct("{");
    bool first = true;
    for (const auto& e : elems.is_array() ? elems : json::array({elems})) {
      if (!first) punct(",");
      first = false;
      atom(e);
    }
    punct("}");
  }

  void map_body(const json& data, bool verdicts) {
    if (data.is_string()) return word(data.get<std::string>());
    if (!data.is_object() || !data.contains("set")) return unknown();
    punct("{");
    bool first = true;
    for (const auto& pair : data["set"]) {
      if (!first) punct(",");
      first = false;
      if (!pair.is_array() || pair.size() != 2) {
        unknown();
        continue;
      }
      atom(pair[0]);
      word(":");
      atom(pair[1]);
    }
    punct("}");
    (void)verdicts;
  }

  void nat(const std::string& k, const json& v) {
    word(k);
    if (v.is_object() && v.contains("family")) word(v["family"].get<std::string>());
    if (!v.is_object() || !v.contains("addr")) return;
    const json& a = v["addr"];
    if (a.is_object() && a.contains("map")) {
      word("to");
      expr(a["map"].value("key", json()));
      word("map");
      map_body(a["map"].value("data", json()), false);
      return;
    }
    word("to");
    Renderer r(line_);
    r.atom(a);
    auto t = r.take();
    if (t.size() != 1) return unknown();
    std::string target = t[0].text;
    if (v.contains("port")) {
      if (target.find(':') != std::string::npos) target = "[" + target + "]";
      target += ":" + scalar(v["port"]);
    }
    word(target);
  }

  int line_;
  std::vector<Token> out_;
};

// Lines where each object of `kind` starts, in order ("rule": ...).
std::vector<int> object_lines(std::string_view text, std::string_view kind) {
  std::vector<int> out;
  const std::string key = "\"" + std::string(kind) + "\"";
  int line = 1;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c != '"') continue;
    if (text.compare(i, key.size(), key) == 0) {
      std::size_t j = i + key.size();
      while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\t' || text[j] == '\r')) ++j;
      if (j < text.size() && text[j] == ':') {
        j++;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\t' || text[j] == '\r')) ++j;
        if (j < text.size() && text[j] == '{') out.push_back(line);
      }
    }
    in_string = true;
  }
  return out;
}

std::optional<TableFamily> family_of(const std::string& w) {
  if (w == "ip") return TableFamily::Ip;
  if (w == "ip6") return TableFamily::Ip6;
  if (w == "inet") return TableFamily::Inet;
  if (w == "arp") return TableFamily::Arp;
  if (w == "bridge") return TableFamily::Bridge;
  if (w == "netdev") return TableFamily::Netdev;
  return std::nullopt;
}

Table* find_table(NftConfig& cfg, const json& o) {
  const auto fam = family_of(o.value("family", std::string("ip")));
  const std::string name = o.value("table", o.value("name", std::string()));
  for (Table& t : cfg.tables)
    if (fam && t.family == *fam && t.name == name) return &t;
  return nullptr;
}

}  // namespace

NftConfig parse_json(const std::string& file, std::string_view text, std::optional<JsonError>& error) {
  NftConfig cfg;
  cfg.file = file;
  cfg.json = true;
  cfg.lines = count_lines(text);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // The byte offset of the error, as a line.
    int line = 1;
    for (std::size_t i = 0; i < e.byte && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
    error = JsonError{line, e.what()};
    return cfg;
  }
  if (!doc.is_object() || !doc.contains("nftables") || !doc["nftables"].is_array()) {
    error = JsonError{1, "no \"nftables\" array"};
    return cfg;
  }
  const auto rule_lines = object_lines(text, "rule");
  const auto chain_lines = object_lines(text, "chain");
  const auto table_lines = object_lines(text, "table");
  const auto set_lines = object_lines(text, "set");
  const auto map_lines = object_lines(text, "map");
  std::size_t ri = 0, ci = 0, ti = 0, si = 0, mi = 0;
  auto at = [](const std::vector<int>& v, std::size_t& i) { return i < v.size() ? v[i++] : 1; };
  for (const json& item : doc["nftables"]) {
    if (!item.is_object() || item.empty()) continue;
    const std::string kind = item.begin().key();
    const json& o = item.begin().value();
    if (kind == "metainfo") continue;
    if (kind == "table") {
      const int line = at(table_lines, ti);
      const auto fam = family_of(o.value("family", std::string("ip")));
      if (!fam) {
        cfg.unparsed.push_back({line, "", "unknown family"});
        continue;
      }
      Table t;
      t.family = *fam;
      t.family_name = o.value("family", std::string("ip"));
      t.name = o.value("name", std::string());
      t.line = line;
      if (o.contains("flags")) {
        const auto& f = o["flags"];
        t.dormant = (f.is_string() && f == "dormant") ||
                    (f.is_array() && std::find(f.begin(), f.end(), "dormant") != f.end());
      }
      cfg.tables.push_back(std::move(t));
      ++cfg.statements;
      continue;
    }
    if (kind == "chain") {
      const int line = at(chain_lines, ci);
      Table* t = find_table(cfg, o);
      if (t == nullptr) {
        cfg.unparsed.push_back({line, "", "chain of an unknown table"});
        continue;
      }
      Chain c;
      c.name = o.value("name", std::string());
      c.line = line;
      if (o.contains("hook")) {
        BaseChain b;
        b.type = o.value("type", std::string("filter"));
        b.hook = o.value("hook", std::string());
        if (o.contains("prio") && o["prio"].is_number_integer()) b.priority = o["prio"].get<int>();
        b.priority_text = o.contains("prio") ? o["prio"].dump() : "0";
        if (o.contains("policy")) b.policy = o["policy"].get<std::string>();
        if (o.contains("dev") && o["dev"].is_string()) b.device = o["dev"].get<std::string>();
        b.line = line;
        b.policy_line = o.contains("policy") ? line : 0;
        b.text = "type " + b.type + " hook " + b.hook + " priority " + b.priority_text;
        c.base = std::move(b);
      }
      t->chains.push_back(std::move(c));
      ++cfg.statements;
      continue;
    }
    if (kind == "set" || kind == "map") {
      const int line = kind == "set" ? at(set_lines, si) : at(map_lines, mi);
      Table* t = find_table(cfg, o);
      if (t == nullptr) continue;
      SetDecl d;
      d.name = o.value("name", std::string());
      d.is_map = kind == "map";
      d.line = line;
      d.end_line = line;
      if (o.contains("flags")) {
        for (const auto& f : o["flags"].is_array() ? o["flags"] : json::array({o["flags"]}))
          if (f.is_string()) d.flags.push_back(f.get<std::string>());
      }
      d.has_timeout = o.contains("timeout");
      if (o.contains("elem")) {
        for (const json& e : o["elem"]) {
          Element el;
          el.line = line;
          const json key = d.is_map && e.is_array() && e.size() == 2 ? e[0] : e;
          Renderer k(line);
          if (key.is_object() && key.contains("elem")) k.value(key["elem"].value("val", json()));
          else k.value(key);
          el.key = k.take();
          if (d.is_map && e.is_array() && e.size() == 2) {
            Renderer v(line);
            v.value(e[1]);
            el.value = v.take();
          }
          d.elements.push_back(std::move(el));
        }
      }
      t->sets.push_back(std::move(d));
      ++cfg.statements;
      continue;
    }
    if (kind == "rule") {
      const int line = at(rule_lines, ri);
      Table* t = find_table(cfg, o);
      Chain* c = nullptr;
      if (t != nullptr)
        for (Chain& x : t->chains)
          if (x.name == o.value("chain", std::string())) c = &x;
      if (c == nullptr) {
        cfg.unparsed.push_back({line, "", "rule of an unknown chain"});
        continue;
      }
      Renderer r(line);
      if (o.contains("expr") && o["expr"].is_array())
        for (const json& s : o["expr"]) r.statement(s);
      Rule rule;
      rule.line = line;
      rule.end_line = line;
      rule.tokens = r.take();
      rule.text = join_tokens(rule.tokens);
      c->rules.push_back(std::move(rule));
      ++cfg.statements;
      continue;
    }
    // element, flowtable, counter, ... objects of the listing
    ++cfg.statements;
  }
  if (cfg.statements == 0) error = JsonError{1, "no table, chain or rule object"};
  return cfg;
}

}  // namespace sanso::vendor::nftables
