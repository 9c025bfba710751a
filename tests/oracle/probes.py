"""Choosing a burst of probes from a ruleset's features.

Most probes aim at one rule: its protocol, addresses on or just beside its prefixes' and ranges'
boundaries, ports on or beside its port ranges, its MAC. The rest mix values from the whole
ruleset. So each rule is seen matching and just missing, and both verdicts are well represented.
Every probe has a conntrack tuple of its own (two probes of one connection would meet the NAT
decision of the first) and never an address of the lab's own network.
"""
import ipaddress

from packets import OTHER_PROTOS, PROTO_ICMP, PROTO_OTHER, PROTO_TCP, PROTO_UDP, Probe

COMMON_PORTS = [22, 53, 80, 123, 443, 1023, 1024, 3389, 8080, 49152, 65535]
PROTO_WEIGHTS = [(PROTO_TCP, 45), (PROTO_UDP, 30), (PROTO_ICMP, 17), (PROTO_OTHER, 8)]

#: Addresses no probe may carry: the kernel treats them as martians or special (0/8, loopback,
#: link-local, multicast, class E, broadcast), or the lab uses them (192.0.2.0/24).
_MARTIAN = [ipaddress.IPv4Network(n) for n in
            ("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "192.0.2.0/24", "224.0.0.0/3")]


def usable(addr):
    if not 0 <= addr <= 0xFFFFFFFF:
        return False
    a = ipaddress.IPv4Address(addr)
    return not any(a in n for n in _MARTIAN)


def boundary_points(rng, ranges):
    """Values on and just beside each range, and one inside."""
    out = []
    for lo, hi in ranges:
        out += [lo - 1, lo, hi, hi + 1, rng.randint(lo, hi)]
    return out


def port_points(rng, ranges):
    return [p for p in boundary_points(rng, ranges) if 1 <= p <= 65535]


def random_mac(rng):
    return "02:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(5))


class ProbeChooser:
    """side(addr) -> "src", "dst" or None says which end an address may stand at."""

    def __init__(self, rng, rules, side, nat, extra_src=(), extra_dst=()):
        self.rng = rng
        self.nat = nat
        self.rules = rules
        self.side = side
        self.macs = sorted({m for r in rules for m in r.macs}) or [random_mac(rng)]
        self.macs.append(random_mac(rng))
        self.src_all = self._addresses([x for r in rules for x in r.src + r.dst], "src")
        self.src_all += [a for a in extra_src if side(a) == "src"]
        self.dst_all = self._addresses([x for r in rules for x in r.dst + r.src], "dst")
        self.dst_all += [a for a in extra_dst if side(a) == "dst"]
        ports = [x for r in rules for x in r.sport + r.dport]
        self.ports = sorted(set(port_points(rng, ports))) + COMMON_PORTS

    def _addresses(self, ranges, end):
        pts = boundary_points(self.rng, ranges)
        return sorted({a for a in pts if usable(a) and self.side(a) == end})

    def _pick(self, own, fallback, p_own=0.85):
        if own and (self.rng.random() < p_own or not fallback):
            return self.rng.choice(own)
        return self.rng.choice(fallback)

    def one(self, rule):
        rng = self.rng
        r = rule
        protos = [p for p in (r.protos if r else ()) if p != 0]
        if protos and rng.random() < 0.8:
            proto = rng.choice(sorted(protos))
            if proto not in (PROTO_TCP, PROTO_UDP, PROTO_ICMP) and proto not in OTHER_PROTOS:
                proto = rng.choice(OTHER_PROTOS)
        else:
            proto = rng.choices([p for p, _ in PROTO_WEIGHTS], [w for _, w in PROTO_WEIGHTS])[0]
            if proto == PROTO_OTHER:
                proto = rng.choice(OTHER_PROTOS)
        src = self._pick(self._addresses(r.src, "src") if r else [], self.src_all)
        dst = self._pick(self._addresses(r.dst + r.dnat, "dst") if r else [], self.dst_all)
        mac = self._pick(sorted(r.macs) if r else [], self.macs, 0.8)
        if proto in (PROTO_TCP, PROTO_UDP):
            sport = self._pick(port_points(rng, r.sport) if r else [],
                               self.ports + [rng.randint(32768, 60999)] * 8, 0.7)
            dport = self._pick(port_points(rng, r.dport) if r else [], self.ports, 0.85)
            return Probe(proto, src, dst, sport, dport, src_mac=mac)
        if proto == PROTO_ICMP:
            types = (r.icmp_types if r else set()) & {8, 13}
            itype = rng.choice(sorted(types)) if types and rng.random() < 0.8 else \
                rng.choice([8, 8, 8, 13])
            return Probe(proto, src, dst, icmp_type=itype, src_mac=mac)
        return Probe(proto, src, dst, src_mac=mac)

    def choose(self, n, aimed_share=0.7):
        """n probes (fewer only if the tuples run out), each with its own conntrack tuple."""
        if not self.src_all or not self.dst_all:
            return []
        seen, out = set(), []
        attempts = 0
        while len(out) < n and attempts < n * 20:
            attempts += 1
            rule = self.rng.choice(self.rules) if self.rules and \
                self.rng.random() < aimed_share else None
            p = self.one(rule)
            p = Probe(p.proto, str(ipaddress.IPv4Address(p.src)),
                      str(ipaddress.IPv4Address(p.dst)), p.sport, p.dport, p.icmp_type, p.src_mac)
            key = p.conntrack_key(self.nat)
            if key is not None and key in seen:
                continue
            seen.add(key)
            out.append(p)
        return out
