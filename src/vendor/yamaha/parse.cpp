// RTX config text -> YamahaConfig. Structure only: which command a line is, which interface the
// `pp select` / `tunnel select` context gives `ip pp ...` / `ip tunnel ...`, and the words of
// each modelled command; what they mean is to_model's job.
#include "vendor/yamaha/parse.h"

#include <algorithm>

#include "vendor/yamaha/commands.h"
#include "vendor/yamaha/lines.h"
#include "vendor/yamaha/parse_commands.h"

namespace sanso::vendor::yamaha {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

void split_words(std::string_view s, Words& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
}

bool is_global_ip_word(std::string_view w) {
  for (std::string_view s : {"filter", "route", "routing", "host", "keepalive", "stealth", "icmp",
                             "fragment", "simple-service", "prefix", "multicast", "policy", "pim",
                             "ospf", "rip", "bgp", "tos", "forward", "flow", "source", "tcp", "nd",
                             "interface", "lan", "local", "inbound", "mtu", "rtadv"})
    if (w == s) return true;
  return false;
}

class Parser {
 public:
  Parser(const std::string& file, std::string_view text) : text_(text) {
    cfg_.file = file;
    physical_ = physical_lines(text);
    cfg_.lines = static_cast<int>(physical_.size());
  }

  YamahaConfig run() {
    auto logical = logical_lines(physical_);
    int last_statement = 0;
    for (LogicalLine& l : logical) {
      if (l.last > l.first) cfg_.rejoined.push_back(l.first);
      // words_ views the text where it stays for the whole statement: in at_.
      at_.line = l.first;
      at_.end_line = l.last;
      at_.text.assign(l.text());
      split_words(at_.text, words_);
      if (words_.empty() || words_[0].front() == '#') continue;
      if (words_[0].front() == '[') continue;  // a console prompt ("[RTX1210] >") in a capture
      ++cfg_.statements;
      last_statement = l.first;
      if (recognised(words_)) {
        ++cfg_.recognised;
      } else if (cfg_.first_unrecognised == 0) {
        cfg_.first_unrecognised = l.first;
      }
      statement();
    }
    const bool ends_inside = !text_.empty() && text_.back() != '\n';
    if (ends_inside && last_statement != 0) {
      cfg_.truncated_last_line =
          std::any_of(cfg_.unparsed.begin(), cfg_.unparsed.end(),
                      [&](const model::UnparsedLine& u) { return u.line == last_statement; });
    }
    return std::move(cfg_);
  }

 private:
  static bool recognised(const Words& w) {
    if (!is_command_word(w[0])) return false;
    if (w[0] != "ip" && w[0] != "ipv6") return true;
    return w.size() >= 2 && (is_interface_word(w[1]) || is_global_ip_word(w[1]));
  }

  void unparsed(const std::string& reason) {
    cfg_.unparsed.push_back({at_.line, at_.text, reason});
    for (int n = at_.line + 1; n <= at_.end_line; ++n) {
      cfg_.unparsed.push_back({n, std::string(physical_[static_cast<std::size_t>(n - 1)]),
                               "continuation of line " + std::to_string(at_.line) + ": " + reason});
    }
  }

  void note_interface(const std::string& name) {
    if (std::find(cfg_.interfaces.begin(), cfg_.interfaces.end(), name) == cfg_.interfaces.end())
      cfg_.interfaces.push_back(name);
  }

  // `pp` / `tunnel` through the selection context; other interface words as written. nullopt:
  // `pp` or `tunnel` with nothing selected.
  std::optional<std::string> peek(std::string_view w) const {
    if (w == "pp") {
      if (!pp_) return std::nullopt;
      return *pp_ == "anonymous" ? std::string("pp-anonymous") : "pp" + *pp_;
    }
    if (w == "tunnel") {
      if (!tunnel_) return std::nullopt;
      return "tunnel" + *tunnel_;
    }
    return std::string(w);
  }

  std::optional<std::string> resolve(std::string_view w) {
    auto name = peek(w);
    if (!name) unparsed("'" + std::string(w) + "' with no " + std::string(w) + " selected (" +
                        std::string(w) + " select N)");
    return name;
  }

  void select(std::optional<std::string>& ctx, std::string_view kind) {
    // pp select N|anonymous|none, tunnel select N|none
    if (words_.size() != 3) return unparsed("expected: " + std::string(kind) + " select N");
    const std::string_view v = words_[2];
    if (v == "none") {
      ctx.reset();
      return;
    }
    const bool anonymous = kind == "pp" && v == "anonymous";
    if (!anonymous && !filter_number(v)) {
      return unparsed("'" + std::string(v) + "' is not a " + std::string(kind) + " number");
    }
    ctx = std::string(v);
  }

  void statement() {
    const Words& w = words_;
    const std::string_view c = w[0];
    if ((c == "pp" || c == "tunnel") && w.size() >= 2 && w[1] == "select")
      return select(c == "pp" ? pp_ : tunnel_, c);
    if (c == "no" && w.size() == 3 && w[2] == "select" && (w[1] == "pp" || w[1] == "tunnel")) {
      (w[1] == "pp" ? pp_ : tunnel_).reset();
      return;
    }
    if (c == "ip" || c == "ipv6") return ip(c == "ip" ? model::Family::V4 : model::Family::V6);
    if (c == "ethernet") return ethernet();
    if (c == "nat" && w.size() >= 2 && w[1] == "descriptor") {
      if (is_inert(w)) return;
      if (auto e = read_nat(w, at_, cfg_.nat)) unparsed(*e);
      return;
    }
    if (c == "bridge" && w.size() >= 2 && w[1] == "member") {
      if (w.size() < 4) return unparsed("expected: bridge member bridgeN IF...");
      BridgeMembers b{at_, std::string(w[2]), {}};
      note_interface(b.bridge);
      for (std::size_t i = 3; i < w.size(); ++i) {
        b.members.emplace_back(w[i]);
        note_interface(b.members.back());
      }
      cfg_.bridges.push_back(std::move(b));
      return;
    }
    if (c == "syslog" && w.size() >= 2 && w[1] == "host") {
      if (w.size() < 3) return unparsed("syslog host without an address");
      for (std::size_t i = 2; i < w.size(); ++i)
        cfg_.syslog_hosts.push_back(Where{at_.line, at_.end_line, std::string(w[i])});
      return;
    }
    // The NTP client: `ntpdate HOST`, usually run by `schedule at ... * ntpdate HOST`.
    const auto ntp = std::find(w.begin(), w.end(), std::string_view("ntpdate"));
    if ((c == "ntpdate" || c == "schedule") && ntp != w.end()) {
      if (ntp + 1 == w.end()) return unparsed("ntpdate without a server");
      cfg_.ntp_servers.push_back(Where{at_.line, at_.end_line, std::string(*(ntp + 1))});
      return;
    }
    if (c == "vlan" && w.size() >= 2 && is_interface_word(w[1])) note_interface(std::string(w[1]));
    if (is_inert(w)) return;
    unparsed("not an RTX command sanso knows");
  }

  void ip(model::Family family) {
    const Words& w = words_;
    if (w.size() >= 3 && w[1] == "filter") {
      if (w[2] == "dynamic") {
        DynamicFilter d = read_dynamic_filter(w, 3, family, at_);
        if (d.garbled) unparsed("dynamic filter not understood: " + *d.garbled);
        cfg_.dynamic_filters.push_back(std::move(d));
        return;
      }
      if (w[2] == "set") return unparsed("filter sets (ip filter set) are not modelled");
      if (is_inert(w)) return;
      IpFilter f = read_ip_filter(w, 2, family, at_);
      if (f.garbled) unparsed("filter not understood: " + *f.garbled);
      cfg_.filters.push_back(std::move(f));
      return;
    }
    if (w.size() >= 2 && w[1] == "policy") {
      cfg_.unmodelled.push_back({at_, "", "policy filters (ip policy ...) are not modelled"});
      return unparsed("policy filters (ip policy ...) are not modelled");
    }
    if (w.size() >= 2 && w[1] == "route") {
      for (std::size_t i = 2; i + 1 < w.size(); ++i)
        if (w[i] == "filter") cfg_.route_filter_refs.emplace_back(w[i + 1]);
      return;
    }
    if (w.size() >= 3 && is_interface_word(w[1])) return ip_interface(family);
    if (is_inert(w)) return;
    unparsed("not an RTX command sanso knows");
  }

  void ip_interface(model::Family family) {
    const Words& w = words_;
    const std::string_view sub = w[2];
    const bool modelled = sub == "secure" || sub == "address" || sub == "nat";
    if (!modelled) {
      if (!is_inert(w)) return unparsed(std::string(w[0]) + " IF " + std::string(sub) + " is not modelled");
      if (auto iface = peek(w[1])) note_interface(*iface);
      return;
    }
    const auto iface = resolve(w[1]);
    if (!iface) return;
    note_interface(*iface);
    if (sub == "secure") {
      if (w.size() < 4 || w[3] != "filter") return unparsed("expected: secure filter in|out ...");
      if (w.size() >= 5 && w[4] == "name") {
        cfg_.unmodelled.push_back({at_, *iface, "filter sets (secure filter name) are not modelled"});
        return unparsed("filter sets (secure filter name) are not modelled");
      }
      auto b = read_binding(w, 4, family == model::Family::V4 ? BindingKind::Ip : BindingKind::Ipv6,
                            *iface, at_);
      if (auto* e = std::get_if<std::string>(&b)) return unparsed("secure filter not understood: " + *e);
      cfg_.bindings.push_back(std::move(std::get<Binding>(b)));
      return;
    }
    if (sub == "address") {
      auto a = read_address(w, 3, family);
      if (auto* e = std::get_if<std::string>(&a)) return unparsed(*e);
      if (auto* r = std::get_if<model::IpRange>(&a))
        cfg_.addresses.push_back({at_, *iface, *r});
      return;
    }
    // ip IF nat descriptor N...
    if (family != model::Family::V4 || w.size() < 5 || w[3] != "descriptor")
      return unparsed("expected: ip IF nat descriptor N...");
    NatBinding nb{at_, *iface, {}};
    for (std::size_t i = 4; i < w.size(); ++i) {
      const auto n = filter_number(w[i]);
      if (!n) return unparsed("'" + std::string(w[i]) + "' is not a descriptor number");
      nb.descriptors.push_back(*n);
    }
    cfg_.nat_bindings.push_back(std::move(nb));
  }

  void ethernet() {
    const Words& w = words_;
    if (w.size() >= 2 && w[1] == "filter") {
      EthernetFilter f = read_ethernet_filter(w, 2, at_);
      if (f.garbled) unparsed("ethernet filter not understood: " + *f.garbled);
      cfg_.ethernet_filters.push_back(std::move(f));
      return;
    }
    if (w.size() >= 3 && is_interface_word(w[1]) && w[2] == "filter") {
      const auto iface = resolve(w[1]);
      if (!iface) return;
      note_interface(*iface);
      auto b = read_binding(w, 3, BindingKind::Ethernet, *iface, at_);
      if (auto* e = std::get_if<std::string>(&b)) return unparsed("ethernet filter binding not understood: " + *e);
      cfg_.bindings.push_back(std::move(std::get<Binding>(b)));
      return;
    }
    if (is_inert(w)) return;
    unparsed("not an RTX command sanso knows");
  }

  std::string_view text_;
  YamahaConfig cfg_;
  std::vector<std::string_view> physical_;
  Words words_;
  Where at_;
  std::optional<std::string> pp_, tunnel_;
};

}  // namespace

YamahaConfig parse(const std::string& file, std::string_view text) { return Parser(file, text).run(); }

}  // namespace sanso::vendor::yamaha
