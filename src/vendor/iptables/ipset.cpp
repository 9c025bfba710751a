// `ipset save` reader. Only the two set types whose members are plain addresses are modelled
// (hash:ip, hash:net); any other type, or an element that changes membership at run time
// (timeout, nomatch exceptions), makes the set uncertain rather than guessed.
#include "vendor/iptables/ipset.h"

#include "vendor/iptables/parse.h"

namespace sanso::vendor::iptables {
namespace {

void mark_uncertain(IpSet& s, const std::string& why) {
  if (!s.uncertain) s.uncertain = why;
}

IpSet* find_mutable(IpsetConfig& cfg, std::string_view name) {
  for (IpSet& s : cfg.sets)
    if (s.name == name) return &s;
  return nullptr;
}

void read_create(IpsetConfig& cfg, int n, std::string_view raw, const std::vector<Token>& t) {
  if (t.size() < 3) {
    cfg.unparsed.push_back({n, std::string(raw), "create without a name and type"});
    return;
  }
  IpSet s;
  s.line = n;
  s.name = t[1].text;
  s.type = t[2].text;
  for (std::size_t i = 3; i < t.size(); ++i) {
    if (t[i].text == "family" && i + 1 < t.size()) {
      if (t[i + 1].text == "inet6") s.family = model::Family::V6;
      ++i;
    } else if (t[i].text == "timeout") {
      mark_uncertain(s, "set " + s.name + " has timeouts: its members change at run time");
    }
  }
  if (s.type != "hash:ip" && s.type != "hash:net")
    mark_uncertain(s, "set type " + s.type + " is not modelled");
  cfg.sets.push_back(std::move(s));
}

void read_add(IpsetConfig& cfg, int n, std::string_view raw, const std::vector<Token>& t) {
  IpSet* s = t.size() >= 3 ? find_mutable(cfg, t[1].text) : nullptr;
  if (s == nullptr) {
    cfg.unparsed.push_back({n, std::string(raw), "add to a set that was not created"});
    return;
  }
  if (s->type != "hash:ip" && s->type != "hash:net") return;  // already uncertain
  const std::string& elem = t[2].text;
  auto range = elem.find('-') != std::string::npos ? model::parse_ip_range(elem)
                                                   : model::parse_cidr(elem);
  if (!range || range->family != s->family) {
    mark_uncertain(*s, "set " + s->name + " has an element sanso cannot read: " + elem);
    cfg.unparsed.push_back({n, std::string(raw), "unreadable set element " + elem});
    return;
  }
  for (std::size_t i = 3; i < t.size(); ++i) {
    if (t[i].text == "nomatch")
      mark_uncertain(*s, "set " + s->name + " has nomatch exceptions");
    if (t[i].text == "timeout")
      mark_uncertain(*s, "set " + s->name + " has timeouts: its members change at run time");
  }
  s->members.push_back(*range);
}

}  // namespace

IpsetConfig parse_ipsets(const std::string& file, std::string_view text) {
  IpsetConfig cfg;
  cfg.file = file;
  const auto lines = physical_lines(text);
  cfg.lines = static_cast<int>(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int n = static_cast<int>(i + 1);
    std::vector<Token> t;
    std::string err;
    if (!tokenize(lines[i], t, err)) {
      cfg.unparsed.push_back({n, std::string(lines[i]), err});
      continue;
    }
    if (t.empty() || (!t[0].quoted && t[0].text.front() == '#')) continue;
    if (t[0].text == "create" || t[0].text == "-N") {
      read_create(cfg, n, lines[i], t);
    } else if (t[0].text == "add" || t[0].text == "-A") {
      read_add(cfg, n, lines[i], t);
    } else {
      cfg.unparsed.push_back({n, std::string(lines[i]), "not an ipset save line"});
    }
  }
  return cfg;
}

const IpSet* find_set(const IpsetConfig& cfg, std::string_view name) {
  for (const IpSet& s : cfg.sets)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace sanso::vendor::iptables
