#include "vendor/yamaha/nat.h"

#include <charconv>
#include <set>

#include "vendor/yamaha/names.h"

namespace sanso::vendor::yamaha {
namespace {

using model::Family;
using model::PacketSet;

model::SourceRef ref(const std::string& file, const Where& w) {
  return {file, w.line, w.end_line > w.line ? std::optional<int>(w.end_line) : std::nullopt, w.text};
}

std::optional<model::IpRange> v4_range(std::string_view a) {
  const auto dash = a.find('-');
  if (dash == std::string_view::npos) {
    const auto r = model::parse_cidr(a);
    if (!r || r->family != Family::V4) return std::nullopt;
    return r;
  }
  const auto lo = model::parse_ip(a.substr(0, dash));
  const auto hi = model::parse_ip(a.substr(dash + 1));
  if (!lo || !hi || lo->family != Family::V4 || hi->family != Family::V4 || lo->value > hi->value)
    return std::nullopt;
  return model::IpRange{Family::V4, lo->value, hi->value};
}

std::optional<std::uint16_t> port(std::string_view s) {
  unsigned v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && v <= 65535)
    return static_cast<std::uint16_t>(v);
  if (const auto named = port_name(s); named && named->size() == 1 &&
                                       named->front().first == named->front().second)
    return named->front().first;
  return std::nullopt;
}

struct PortMap {
  std::uint16_t outer_lo, outer_hi;
  std::optional<std::uint16_t> inner;  ///< absent: the port is kept
};

// "80", "www", "8080=80", "20-21", "www,https".
std::optional<std::vector<PortMap>> port_maps(std::string_view text) {
  std::vector<PortMap> out;
  std::size_t b = 0;
  while (b <= text.size()) {
    std::size_t e = text.find(',', b);
    if (e == std::string_view::npos) e = text.size();
    const std::string_view item = text.substr(b, e - b);
    b = e + 1;
    const auto eq = item.find('=');
    if (eq != std::string_view::npos) {
      const auto o = port(item.substr(0, eq));
      const auto i = port(item.substr(eq + 1));
      if (!o || !i) return std::nullopt;
      out.push_back({*o, *o, *i});
      continue;
    }
    const auto dash = item.find('-');
    if (dash != std::string_view::npos) {
      const auto lo = port(item.substr(0, dash));
      const auto hi = port(item.substr(dash + 1));
      if (!lo || !hi || *lo > *hi) return std::nullopt;
      out.push_back({*lo, *hi, std::nullopt});
      continue;
    }
    const auto p = port(item);
    if (!p) return std::nullopt;
    out.push_back({*p, *p, std::nullopt});
  }
  return out;
}

std::optional<std::uint8_t> nat_protocol(std::string_view p) {
  if (p == "tcp") return model::kProtoTcp;
  if (p == "udp") return model::kProtoUdp;
  if (p == "icmp") return model::kProtoIcmp;
  if (p == "esp") return 50;
  if (p == "ah") return 51;
  if (p == "gre") return 47;
  unsigned v = 0;
  const auto r = std::from_chars(p.data(), p.data() + p.size(), v);
  if (!p.empty() && r.ec == std::errc() && r.ptr == p.data() + p.size() && v <= 255)
    return static_cast<std::uint8_t>(v);
  return std::nullopt;
}

class NatLowering {
 public:
  explicit NatLowering(const YamahaConfig& cfg) : cfg_(cfg) {}

  NatModel run() {
    std::set<std::uint32_t> used;
    for (const NatBinding& b : cfg_.nat_bindings) {
      for (std::uint32_t n : b.descriptors) {
        used.insert(n);
        const auto it = cfg_.nat.find(n);
        if (it == cfg_.nat.end()) {
          out_.issues.push_back({model::ObjectIssue::Kind::Undefined, "nat descriptor",
                                 std::to_string(n), ref(cfg_.file, b.at)});
          continue;
        }
        descriptor(it->second, b);
      }
    }
    for (const auto& [n, d] : cfg_.nat) {
      if (used.count(n) != 0) continue;
      const Where* w = d.type_at ? &*d.type_at
                       : d.outer_at ? &*d.outer_at
                       : !d.masquerade_static.empty() ? &d.masquerade_static.front().at
                       : !d.statics.empty() ? &d.statics.front().at
                       : d.incoming_at ? &*d.incoming_at : nullptr;
      if (w != nullptr)
        out_.issues.push_back({model::ObjectIssue::Kind::Unused, "nat descriptor", std::to_string(n),
                               ref(cfg_.file, *w)});
    }
    return std::move(out_);
  }

 private:
  void note(const Where& w, const std::string& why) {
    for (int l = w.line; l <= std::max(w.line, w.end_line); ++l) out_.notes[l].push_back(why);
  }

  void unmodelled(const Where& w, const std::string& why) {
    out_.unmodelled.push_back(ref(cfg_.file, w));
    note(w, why + ": crossings through this device are unproven");
  }

  void descriptor(const NatDescriptor& d, const NatBinding& b) {
    out_.bound = true;
    const std::string& type = d.type;
    if (type.empty() || type == "none") return;  // no translation
    if (type != "masquerade" && type != "nat" && type != "nat-masquerade") {
      return unmodelled(*d.type_at, "nat descriptor type " + type + " is not modelled");
    }
    const model::InterfaceMatch iface{b.iface, false};
    // Outer address: explicit addresses are known; ipcp, primary, secondary, dhcp, ... are
    // learnt at run time.
    std::optional<PacketSet> outer;
    if (!d.outer.empty()) {
      PacketSet s;
      bool known = true;
      for (const std::string& a : d.outer) {
        const auto r = v4_range(a);
        if (!r) {
          known = false;
          break;
        }
        s |= PacketSet::dst(*r);
      }
      if (known) outer = s;
    }
    // Inner side: `auto` (or nothing written) is every address.
    PacketSet inner = PacketSet::family(Family::V4);
    if (!d.inner.empty() && !(d.inner.size() == 1 && d.inner[0] == "auto")) {
      PacketSet s;
      for (const std::string& a : d.inner) {
        const auto r = v4_range(a);
        if (!r) {
          note(*d.inner_at, "inner address '" + a + "' not understood: taken as any");
          s = PacketSet::family(Family::V4);
          break;
        }
        s |= PacketSet::src(*r);
      }
      inner = s;
    }
    const model::SourceRef bind_ref = ref(cfg_.file, b.at);
    const Where& cite = d.type_at ? *d.type_at : b.at;
    out_.source.push_back({iface, inner, {ref(cfg_.file, cite), bind_ref}});

    for (const MasqueradeStatic& s : d.masquerade_static) masquerade_static(s, iface, outer, bind_ref);
    for (const StaticNat& s : d.statics) static_nat(s, iface, bind_ref);
    if (d.incoming == "forward") {
      const auto host = model::parse_ip(d.incoming_host);
      model::DestinationNat n;
      n.in = iface;
      n.match = PacketSet::family(Family::V4);
      if (!host || host->family != Family::V4) {
        note(*d.incoming_at, "forward host not understood: may send packets anywhere");
        n.to = model::full_range(Family::V4);
        n.uncertain = true;
        n.uncertain_why = "masquerade incoming forward host not understood";
      } else {
        n.to = model::IpRange{Family::V4, host->value, host->value};
        // Unsolicited packets to the outer address: a session of masquerade would take the rest
        // first, which the audit's connection-opening packets do not have.
        if (outer) n.match &= *outer;
        else {
          n.uncertain = true;
          n.uncertain_why = "outer address learnt at run time: which destinations are forwarded is unknown";
        }
      }
      n.evidence = {ref(cfg_.file, *d.incoming_at), bind_ref};
      out_.destination.push_back(std::move(n));
    }
  }

  void masquerade_static(const MasqueradeStatic& s, const model::InterfaceMatch& iface,
                         const std::optional<PacketSet>& outer, const model::SourceRef& bind_ref) {
    const auto inner = model::parse_ip(s.inner_ip);
    const auto proto = nat_protocol(s.proto);
    std::optional<std::vector<PortMap>> maps = std::vector<PortMap>{};
    const bool ported = proto && (*proto == model::kProtoTcp || *proto == model::kProtoUdp);
    if (ported) maps = s.ports ? port_maps(*s.ports) : std::nullopt;
    auto base = [&]() {
      model::DestinationNat n;
      n.in = iface;
      n.match = PacketSet::family(Family::V4);
      if (outer) n.match &= *outer;
      else {
        n.uncertain = true;
        n.uncertain_why = "outer address learnt at run time (ipcp, dhcp, primary): which "
                          "destinations the static entry translates is unknown";
      }
      n.evidence = {ref(cfg_.file, s.at), bind_ref};
      return n;
    };
    if (!inner || inner->family != Family::V4 || !proto || !maps) {
      note(s.at, "masquerade static entry not understood: may send packets anywhere");
      model::DestinationNat n = base();
      n.to = model::full_range(Family::V4);
      n.to_ports = std::make_pair(std::uint16_t{0}, std::uint16_t{65535});
      n.uncertain = true;
      n.uncertain_why = "masquerade static entry not understood";
      out_.destination.push_back(std::move(n));
      return;
    }
    const model::IpRange to{Family::V4, inner->value, inner->value};
    if (!ported) {
      model::DestinationNat n = base();
      n.match &= PacketSet::proto(*proto);
      n.to = to;
      out_.destination.push_back(std::move(n));
      return;
    }
    for (const PortMap& m : *maps) {
      model::DestinationNat n = base();
      n.match &= PacketSet::dport(*proto, m.outer_lo, m.outer_hi);
      n.to = to;
      if (m.inner) n.to_ports = std::make_pair(*m.inner, *m.inner);
      out_.destination.push_back(std::move(n));
    }
  }

  void static_nat(const StaticNat& s, const model::InterfaceMatch& iface,
                  const model::SourceRef& bind_ref) {
    const auto outer = model::parse_ip(s.outer);
    const auto inner = model::parse_ip(s.inner);
    if (!outer || !inner || outer->family != Family::V4 || inner->family != Family::V4 ||
        outer->value + s.count - 1 > model::family_max(Family::V4) ||
        inner->value + s.count - 1 > model::family_max(Family::V4)) {
      return unmodelled(s.at, "static NAT entry not understood");
    }
    // One entry per address keeps the 1:1 mapping exact; past 256 addresses, one entry that may
    // send any outer address to any inner one (over-approximation, marked uncertain).
    constexpr std::uint32_t kExact = 256;
    const std::uint32_t n = s.count <= kExact ? s.count : 1;
    for (std::uint32_t i = 0; i < n; ++i) {
      model::DestinationNat d;
      d.in = iface;
      const model::u128 o = outer->value + i, in = inner->value + i;
      if (s.count <= kExact) {
        d.match = PacketSet::dst({Family::V4, o, o});
        d.to = model::IpRange{Family::V4, in, in};
      } else {
        d.match = PacketSet::dst({Family::V4, o, o + s.count - 1});
        d.to = model::IpRange{Family::V4, in, in + s.count - 1};
        d.uncertain = true;
        d.uncertain_why = "static NAT of more than 256 addresses is taken as any-to-any";
      }
      d.evidence = {ref(cfg_.file, s.at), bind_ref};
      out_.destination.push_back(std::move(d));
    }
  }

  const YamahaConfig& cfg_;
  NatModel out_;
};

}  // namespace

NatModel lower_nat(const YamahaConfig& cfg) { return NatLowering(cfg).run(); }

}  // namespace sanso::vendor::yamaha
