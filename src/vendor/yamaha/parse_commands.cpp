#include "vendor/yamaha/parse_commands.h"

#include <charconv>

namespace sanso::vendor::yamaha {
namespace {

bool is_action(std::string_view a) {
  for (std::string_view base : {"pass", "reject", "restrict"}) {
    if (a == base) return true;
    if (a.substr(0, base.size()) != base) continue;
    const std::string_view suffix = a.substr(base.size());
    if (suffix == "-log" || suffix == "-nolog") return true;
  }
  return false;
}

bool is_ethernet_action(std::string_view a) {
  return a == "pass" || a == "pass-log" || a == "pass-nolog" || a == "reject" ||
         a == "reject-log" || a == "reject-nolog";
}

std::optional<std::uint32_t> number(std::string_view w) {
  std::uint32_t v = 0;
  const auto r = std::from_chars(w.data(), w.data() + w.size(), v);
  if (r.ec != std::errc() || r.ptr != w.data() + w.size()) return std::nullopt;
  return v;
}

// Filter numbers up to the end of the line or the next keyword.
std::optional<std::string> read_numbers(const Words& w, std::size_t& i,
                                        std::vector<std::uint32_t>& out) {
  while (i < w.size()) {
    const auto n = filter_number(w[i]);
    if (!n) {
      if (w[i].find('=') != std::string_view::npos || w[i] == "in" || w[i] == "out" ||
          w[i] == "dynamic")
        return std::nullopt;
      return "'" + std::string(w[i]) + "' is not a filter number";
    }
    out.push_back(*n);
    ++i;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> filter_number(std::string_view w) {
  const auto n = number(w);
  if (!n || *n == 0) return std::nullopt;
  return n;
}

IpFilter read_ip_filter(const Words& w, std::size_t i, model::Family family, const Where& at) {
  IpFilter f;
  f.at = at;
  f.family = family;
  auto garble = [&f](std::string why) {
    f.garbled = std::move(why);
    return f;
  };
  if (i >= w.size()) return garble("filter number missing");
  const auto n = filter_number(w[i]);
  if (!n) return garble("'" + std::string(w[i]) + "' is not a filter number");
  f.number = *n;
  if (++i >= w.size()) return garble("action missing");
  f.action = std::string(w[i]);
  if (!is_action(w[i])) return garble("unknown action '" + f.action + "'");
  if (++i >= w.size()) return garble("source address missing");
  std::string* fields[] = {&f.src, &f.dst, &f.proto, &f.sport, &f.dport};
  for (std::string* field : fields) {
    if (i >= w.size()) break;
    *field = std::string(w[i++]);
  }
  if (i < w.size()) return garble("unexpected word '" + std::string(w[i]) + "' after the ports");
  return f;
}

DynamicFilter read_dynamic_filter(const Words& w, std::size_t i, model::Family family,
                                  const Where& at) {
  DynamicFilter d;
  d.at = at;
  d.family = family;
  auto garble = [&d](std::string why) {
    d.garbled = std::move(why);
    return d;
  };
  if (i >= w.size()) return garble("filter number missing");
  const auto n = filter_number(w[i]);
  if (!n) return garble("'" + std::string(w[i]) + "' is not a filter number");
  d.number = *n;
  if (i + 3 >= w.size()) return garble("source, destination and application expected");
  d.src = std::string(w[i + 1]);
  d.dst = std::string(w[i + 2]);
  i += 3;
  if (w[i] != "filter") {
    d.app = std::string(w[i++]);
  } else {
    ++i;
    if (auto e = read_numbers(w, i, d.trigger)) return garble(*e);
    if (d.trigger.empty()) return garble("'filter' without filter numbers");
    while (i < w.size() && (w[i] == "in" || w[i] == "out")) {
      auto& list = w[i] == "in" ? d.in : d.out;
      ++i;
      if (auto e = read_numbers(w, i, list)) return garble(*e);
    }
  }
  for (; i < w.size(); ++i) {
    if (w[i].find('=') == std::string_view::npos)
      return garble("unexpected word '" + std::string(w[i]) + "'");
    d.options.emplace_back(w[i]);
  }
  return d;
}

EthernetFilter read_ethernet_filter(const Words& w, std::size_t i, const Where& at) {
  EthernetFilter f;
  f.at = at;
  auto garble = [&f](std::string why) {
    f.garbled = std::move(why);
    return f;
  };
  if (i >= w.size()) return garble("filter number missing");
  const auto n = filter_number(w[i]);
  if (!n) return garble("'" + std::string(w[i]) + "' is not a filter number");
  f.number = *n;
  if (++i >= w.size()) return garble("action missing");
  f.action = std::string(w[i]);
  if (!is_ethernet_action(w[i])) return garble("unknown action '" + f.action + "'");
  if (++i >= w.size()) return garble("source MAC address missing");
  f.src = std::string(w[i++]);
  if (f.src == "dhcp-bind" || f.src == "dhcp-not-bind") {
    for (; i < w.size(); ++i) f.rest.emplace_back(w[i]);
    return f;
  }
  if (i < w.size()) f.dst = std::string(w[i++]);
  for (; i < w.size(); ++i) f.rest.emplace_back(w[i]);
  return f;
}

std::variant<Binding, std::string> read_binding(const Words& w, std::size_t i, BindingKind kind,
                                                std::string iface, const Where& at) {
  Binding b;
  b.at = at;
  b.kind = kind;
  b.iface = std::move(iface);
  if (i >= w.size()) return std::string("direction (in or out) missing");
  if (w[i] == "in") {
    b.dir = Direction::In;
  } else if (w[i] == "out") {
    b.dir = Direction::Out;
  } else {
    return "'" + std::string(w[i]) + "' is not a direction (in or out)";
  }
  ++i;
  if (auto e = read_numbers(w, i, b.filters)) return *e;
  if (i < w.size() && w[i] == "dynamic" && kind != BindingKind::Ethernet) {
    ++i;
    if (auto e = read_numbers(w, i, b.dynamic)) return *e;
    if (b.dynamic.empty()) return std::string("'dynamic' without filter numbers");
  }
  if (i < w.size()) return "unexpected word '" + std::string(w[i]) + "'";
  if (b.filters.empty() && b.dynamic.empty()) return std::string("no filter numbers");
  return b;
}

std::optional<std::string> read_nat(const Words& w, const Where& at,
                                    std::map<std::uint32_t, NatDescriptor>& nat) {
  // w[0..1] = "nat descriptor"
  if (w.size() < 4) return std::string("incomplete nat descriptor command");
  auto descriptor = [&nat](std::uint32_t n) -> NatDescriptor& {
    NatDescriptor& d = nat[n];
    d.number = n;
    return d;
  };
  const std::string_view sub = w[2];
  if (sub == "type") {
    const auto n = number(w[3]);
    if (!n || w.size() != 5) return std::string("expected: nat descriptor type N TYPE");
    NatDescriptor& d = descriptor(*n);
    d.type_at = at;
    d.type = std::string(w[4]);
    return std::nullopt;
  }
  if (sub == "address" && w.size() >= 6 && (w[3] == "outer" || w[3] == "inner")) {
    const auto n = number(w[4]);
    if (!n) return "'" + std::string(w[4]) + "' is not a descriptor number";
    NatDescriptor& d = descriptor(*n);
    auto& list = w[3] == "outer" ? d.outer : d.inner;
    (w[3] == "outer" ? d.outer_at : d.inner_at) = at;
    list.clear();
    for (std::size_t i = 5; i < w.size(); ++i) list.emplace_back(w[i]);
    return std::nullopt;
  }
  if (sub == "masquerade" && w[3] == "static") {
    if (w.size() < 8 || w.size() > 9)
      return std::string("expected: nat descriptor masquerade static N ID INNER PROTO [PORTS]");
    const auto n = number(w[4]);
    if (!n) return "'" + std::string(w[4]) + "' is not a descriptor number";
    MasqueradeStatic s{at, std::string(w[5]), std::string(w[6]), std::string(w[7]), std::nullopt};
    if (w.size() == 9) s.ports = std::string(w[8]);
    descriptor(*n).masquerade_static.push_back(std::move(s));
    return std::nullopt;
  }
  if (sub == "masquerade" && w[3] == "incoming") {
    if (w.size() < 6 || w.size() > 7)
      return std::string("expected: nat descriptor masquerade incoming N ACTION [HOST]");
    const auto n = number(w[4]);
    if (!n) return "'" + std::string(w[4]) + "' is not a descriptor number";
    NatDescriptor& d = descriptor(*n);
    d.incoming_at = at;
    d.incoming = std::string(w[5]);
    d.incoming_host = w.size() == 7 ? std::string(w[6]) : std::string();
    return std::nullopt;
  }
  if (sub == "static") {
    if (w.size() < 6 || w.size() > 7)
      return std::string("expected: nat descriptor static N ID OUTER=INNER [COUNT]");
    const auto n = number(w[3]);
    if (!n) return "'" + std::string(w[3]) + "' is not a descriptor number";
    const std::string_view pair = w[5];
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return std::string("expected OUTER=INNER");
    StaticNat s{at, std::string(w[4]), std::string(pair.substr(0, eq)),
                std::string(pair.substr(eq + 1)), 1};
    if (w.size() == 7) {
      const auto c = number(w[6]);
      if (!c || *c == 0) return "'" + std::string(w[6]) + "' is not an address count";
      s.count = *c;
    }
    descriptor(*n).statics.push_back(std::move(s));
    return std::nullopt;
  }
  return "nat descriptor " + std::string(sub) + " is not modelled";
}

std::variant<std::monostate, model::IpRange, std::string> read_address(const Words& w,
                                                                       std::size_t i,
                                                                       model::Family family) {
  if (i >= w.size()) return std::string("address missing");
  const std::string_view a = w[i];
  // Addresses learnt at run time (DHCP, IPCP, prefixes delegated by RA or DHCPv6-PD).
  if (a == "dhcp" || a == "ipcp" || a == "auto" || a.find('@') != std::string_view::npos)
    return std::monostate{};
  std::optional<model::IpRange> r;
  const auto slash = a.find('/');
  if (slash != std::string_view::npos && a.find('.', slash) != std::string_view::npos) {
    // ADDR/NETMASK
    const auto addr = model::parse_ip(a.substr(0, slash));
    const auto mask = model::parse_ip(a.substr(slash + 1));
    if (addr && mask && addr->family == model::Family::V4 && mask->family == model::Family::V4) {
      const auto m = static_cast<std::uint32_t>(mask->value);
      const std::uint32_t inv = ~m;
      if ((inv & (inv + 1)) == 0) {  // contiguous
        const auto net = static_cast<std::uint32_t>(addr->value) & m;
        r = model::IpRange{model::Family::V4, net, net | inv};
      }
    }
  } else {
    r = model::parse_cidr(a);
  }
  if (!r || r->family != family) return "'" + std::string(a) + "' is not an address of this family";
  return *r;
}

}  // namespace sanso::vendor::yamaha
