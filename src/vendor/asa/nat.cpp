// NAT lowering. Section order of destination NAT (CLI configuration guide, "NAT Rule Order"):
// section 1 twice NAT in file order, section 2 object NAT (static before dynamic, fewer real
// addresses first), section 3 twice NAT `after-auto`. Only static rules translate destinations.
#include "vendor/asa/nat.h"

#include <algorithm>
#include <tuple>

#include "vendor/asa/assumptions.h"
#include "vendor/asa/lines.h"

namespace sanso::vendor::asa {
namespace {

using model::Family;
using model::PacketSet;

model::u128 size_of(const Ranges& r) {
  model::u128 n = 0;
  for (const auto& x : r) n += x.hi - x.lo + 1;
  return n;
}

/// The one range an address set is, when it is one.
std::optional<model::IpRange> single(const Ranges& r) {
  if (r.size() != 1) return std::nullopt;
  return r.front();
}

struct Ordered {
  std::tuple<int, model::u128, model::u128, int> key;  // section, real size, real lo, line
  model::DestinationNat nat;
};

class NatLowerer {
 public:
  NatLowerer(const AsaConfig& cfg, Resolver& r, const std::vector<std::string_view>& lines,
             model::Device& d, NatNotes& notes)
      : cfg_(cfg), resolver_(r), lines_(lines), d_(d), notes_(notes) {}

  void run() {
    for (int l : cfg_.legacy_nat_lines) d_.unmodelled_nat.push_back(ref(l));
    for (const NatRule& n : cfg_.nats) {
      if (n.inactive) continue;
      if (!n.bad.empty()) {
        d_.unmodelled_nat.push_back(ref(n.at.line));
        continue;
      }
      if (n.twice) {
        twice(n);
      } else {
        object(n);
      }
    }
    std::stable_sort(dnat_.begin(), dnat_.end(),
                     [](const Ordered& a, const Ordered& b) { return a.key < b.key; });
    for (auto& o : dnat_) d_.destination_nat.push_back(std::move(o.nat));
    if (!dnat_.empty()) notes_.relied.insert(assumption::kNatOrder);
  }

 private:
  model::SourceRef ref(int line) const {
    model::SourceRef r{cfg_.file, line, std::nullopt, {}};
    if (line >= 1 && static_cast<std::size_t>(line) <= lines_.size())
      r.text = std::string(trim(lines_[static_cast<std::size_t>(line - 1)]));
    return r;
  }

  void note(int line, const std::string& why) {
    auto [it, fresh] = notes_.lines.try_emplace(line, why);
    if (!fresh && it->second.find(why) == std::string::npos) it->second += "; " + why;
  }

  std::optional<model::InterfaceMatch> iface(const std::string& name) const {
    if (name == "any") return std::nullopt;
    return model::InterfaceMatch{name, false};
  }

  AddrBounds mapped_of_object(const NatRule& n) {
    if (n.mapped_term.kind == AddrTerm::Kind::Interface) {
      if (n.mapped_if == "any") return {{}, {}, {"interface PAT/NAT on 'any' interface"}};
      AddrTerm t;
      t.kind = AddrTerm::Kind::Interface;
      t.name = n.mapped_if;
      t.line = n.at.line;
      return resolver_.address(t);
    }
    if (n.mapped_term.kind == AddrTerm::Kind::Object) return resolver_.named_address(n.mapped_term.name, n.mapped_if, n.at.line);
    return resolver_.address(n.mapped_term);
  }

  /// A destination NAT entry from `match` to `real` on packets entering `in`.
  void dnat(int section, const NatRule& n, const std::string& in, PacketSet match,
            const AddrBounds& real, const AddrBounds& mapped, std::vector<std::string> why,
            std::optional<std::pair<std::uint16_t, std::uint16_t>> to_ports) {
    model::DestinationNat e;
    e.in = iface(in);
    e.match = std::move(match);
    e.evidence.push_back(ref(n.at.line));
    e.to_ports = to_ports;
    why.insert(why.end(), real.why.begin(), real.why.end());
    why.insert(why.end(), mapped.why.begin(), mapped.why.end());
    const auto r = single(real.over);
    const bool identity = real.why.empty() && mapped.why.empty() && real.over == mapped.over && !to_ports;
    if (!identity) {
      if (r) {
        e.to = *r;
      } else if (!real.over.empty()) {
        // Several ranges (a group): any address of their hull, flagged.
        e.to = model::IpRange{real.over.front().family, real.over.front().lo, real.over.front().hi};
        for (const auto& x : real.over)
          if (x.family == e.to->family) e.to->hi = std::max(e.to->hi, x.hi);
        why.push_back("a real address set of several ranges is modelled as their hull");
      } else {
        e.to = model::full_range(Family::V4);
        why.push_back("the real address of the translation is unknown");
      }
      if (size_of(real.over) > 1 && size_of(mapped.over) > 1)
        why.push_back("a range mapped one-to-one is modelled as any address of the range");
    }
    std::sort(why.begin(), why.end());
    why.erase(std::unique(why.begin(), why.end()), why.end());
    e.uncertain = !why.empty();
    for (const auto& w : why) e.uncertain_why += (e.uncertain_why.empty() ? "" : "; ") + w;
    if (e.uncertain) note(n.at.line, e.uncertain_why);
    // Twice NAT keeps file order within its section; object NAT orders by real address space.
    const auto lo = real.over.empty() || n.twice ? model::u128{0} : real.over.front().lo;
    const auto size = n.twice ? model::u128{0} : size_of(real.over);
    dnat_.push_back({{section, size, lo, n.at.line}, std::move(e)});
  }

  void snat(const NatRule& n, const std::string& out, PacketSet match) {
    model::SourceNat s;
    s.out = iface(out);
    s.match = std::move(match);
    s.evidence.push_back(ref(n.at.line));
    d_.source_nat.push_back(std::move(s));
  }

  void object(const NatRule& n) {
    const AddrBounds real = resolver_.named_address(n.object, n.real_if, n.at.line);
    if (!n.is_static) {
      snat(n, n.mapped_if, address_set(real.over, false));
      return;
    }
    const AddrBounds mapped = mapped_of_object(n);
    PacketSet match = address_set(mapped.over, true);
    std::optional<std::pair<std::uint16_t, std::uint16_t>> to_ports;
    std::vector<std::string> why;
    if (mapped.over.empty()) {
      match = PacketSet::family(Family::V4);
      why.push_back("the mapped address is unknown");
    }
    PacketSet real_src = address_set(real.over, false);
    if (n.port_proto) {
      match &= PacketSet::dport(*n.port_proto, *n.mapped_port, *n.mapped_port);
      to_ports = std::make_pair(*n.real_port, *n.real_port);
      real_src &= PacketSet::sport(*n.port_proto, *n.real_port, *n.real_port);
    }
    dnat(1, n, n.mapped_if, std::move(match), real, mapped, std::move(why), to_ports);
    if (!(real.over == mapped.over)) snat(n, n.mapped_if, std::move(real_src));
  }

  /// A twice-NAT service pair read as a destination port translation: both objects must be
  /// `service P destination eq X` of one protocol.
  bool service_ports(const NatRule& n, std::uint8_t& proto, std::uint16_t& real, std::uint16_t& mapped,
                     std::string& why) {
    const ServiceObject* r = resolver_.service_object(n.svc_real);
    const ServiceObject* m = resolver_.service_object(n.svc_mapped);
    auto one = [](const ServiceObject* o, std::uint8_t& p, std::uint16_t& port) {
      if (o == nullptr || o->terms.size() != 1) return false;
      const SvcTerm& t = o->terms.front();
      if (t.kind != SvcTerm::Kind::Proto || !t.proto || !t.sport.any()) return false;
      if (t.dport.ranges.size() != 1 || t.dport.ranges[0].first != t.dport.ranges[0].second) return false;
      p = *t.proto;
      port = t.dport.ranges[0].first;
      return true;
    };
    std::uint8_t pm = 0;
    if (!one(r, proto, real) || !one(m, pm, mapped) || pm != proto) {
      why = "twice NAT service " + n.svc_real + " " + n.svc_mapped +
            " is not a single destination port translation";
      return false;
    }
    return true;
  }

  void twice(const NatRule& n) {
    const int section = n.after_auto ? 2 : 0;
    const AddrBounds r = resolver_.named_address(n.src_real, n.real_if, n.at.line);
    const AddrBounds m = resolver_.named_address(n.src_mapped, n.mapped_if, n.at.line);
    const bool has_dst = !n.dst_real.empty();
    const AddrBounds dm = has_dst ? resolver_.named_address(n.dst_mapped, n.real_if, n.at.line) : AddrBounds{};
    const AddrBounds dr = has_dst ? resolver_.named_address(n.dst_real, n.mapped_if, n.at.line) : AddrBounds{};
    std::vector<std::string> why;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> to_ports;
    PacketSet svc_mapped = PacketSet::all();
    if (!n.svc_real.empty()) {
      std::uint8_t proto = 0;
      std::uint16_t rp = 0, mp = 0;
      std::string w;
      if (service_ports(n, proto, rp, mp, w)) {
        svc_mapped = PacketSet::dport(proto, mp, mp);
        if (rp != mp) to_ports = std::make_pair(rp, rp);
      } else {
        why.push_back(w);
      }
    }
    // Forward: packets from the real side to the mapped destination.
    if (has_dst) {
      dnat(section, n, n.real_if,
           address_set(r.over, false) & address_set(dm.over, true) & svc_mapped, dr, dm, why, to_ports);
    }
    // Reverse of a static source: packets from the mapped side to the mapped source.
    if (n.is_static && !n.unidirectional) {
      PacketSet match = address_set(m.over, true) & svc_mapped;
      if (has_dst) match &= address_set(dr.over, false);
      dnat(section, n, n.mapped_if, std::move(match), r, m, why, has_dst ? std::nullopt : to_ports);
    }
    if (!(r.over == m.over) || !r.why.empty() || !m.why.empty()) {
      PacketSet s = address_set(r.over, false);
      if (has_dst) s &= address_set(dm.over, true);
      snat(n, n.mapped_if, std::move(s));
    }
  }

  const AsaConfig& cfg_;
  Resolver& resolver_;
  const std::vector<std::string_view>& lines_;
  model::Device& d_;
  NatNotes& notes_;
  std::vector<Ordered> dnat_;
};

}  // namespace

void lower_nat(const AsaConfig& cfg, Resolver& resolver, const std::vector<std::string_view>& lines,
               model::Device& d, NatNotes& notes) {
  NatLowerer(cfg, resolver, lines, d, notes).run();
}

}  // namespace sanso::vendor::asa
