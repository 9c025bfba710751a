"""Random nftables rulesets (`nft -f` text) over the grammar sanso's nftables parser models
(docs/vendors/nftables.md), seeded and reproducible.

Generated: tables of family ip or inet; one to three base chains on the forward hook with
different priorities and policies (and sometimes a filter chain on prerouting or postrouting),
regular chains reached by jump/goto (only to later chains: no loops) with return; matches
ip saddr/daddr (addresses, prefixes, ranges, !=, anonymous sets, named sets), meta l4proto /
ip protocol, tcp/udp/th sport/dport (values, ranges, sets, !=), icmp type, ct state (values,
lists, !=), iifname/oifname (names, "x*" wildcards, sets, !=), ether saddr; concatenations
(ip saddr . th dport, with anonymous or named sets); verdict maps (anonymous and named, on
iifname, ip saddr, th dport, ct state); statements counter, comment, log; verdicts accept,
drop, reject, jump, goto, return, continue; dnat to one address (optional port) in a nat
prerouting chain, masquerade and snat in nat postrouting.

Not generated (not modelled exactly, docs/oracle.md): ICMP codes, tcp flags, meta mark and
other run-time state, dynamic sets (add/update), limits and quotas, dnat to ranges or maps.
"""
import ipaddress
import random

import gen_iptables
from features import nft_features
from gen_iptables import DST_POOLS, SRC_POOLS, side_of
from packets import OTHER_PROTOS

PRIORITIES = ["filter", "-10", "0", "10", "filter + 5", "mangle", "-150", "100"]
STATES = ["new", "established", "related", "invalid", "untracked"]


class NftGenerator:
    def __init__(self, rng):
        self.rng = rng
        self.base = gen_iptables.Generator(rng)  # shares the address, port and name choosers
        self.in_name, self.out_name = self.base.in_name, self.base.out_name
        self.family = rng.choice(["ip", "inet", "inet"])
        self.sets = []   # declaration lines (inside the table)
        self.nat = False

    # ---- values -------------------------------------------------------------------------
    def addr(self, end):
        b, rng = self.base, self.rng
        r = rng.random()
        if r < 0.6:
            a = b.address(b.pools_for(end))
            return a
        if r < 0.8:
            return b.addr_range(end)
        return str(b.host(b.pools_for(end)))

    def addr_set(self, end):
        # nft refuses overlapping elements in one anonymous set: keep them disjoint.
        items, nets = [], []
        for _ in range(self.rng.randint(2, 4)):
            a = self.addr(end)
            n = self._span(a)
            if any(n[0] <= m[1] and m[0] <= n[1] for m in nets):
                continue
            nets.append(n)
            items.append(a)
        return "{ " + ", ".join(items) + " }"

    @staticmethod
    def _span(text):
        if "-" in text:
            a, b = text.split("-")
            return int(ipaddress.IPv4Address(a)), int(ipaddress.IPv4Address(b))
        n = ipaddress.IPv4Network(text, strict=False)
        return int(n.network_address), int(n.broadcast_address)

    def port(self):
        return self.base.port()

    def port_value(self):
        rng = self.rng
        a = self.port()
        r = rng.random()
        if r < 0.5:
            return str(a)
        if r < 0.75:
            return f"{a}-{min(65535, a + rng.choice([1, 10, 100, 1000, 20000]))}"
        items, spans = [], []
        for _ in range(rng.randint(2, 5)):
            lo = self.port()
            hi = lo if rng.random() < 0.6 else min(65535, lo + rng.choice([5, 50, 500]))
            if any(lo <= s[1] and s[0] <= hi for s in spans):
                continue
            spans.append((lo, hi))
            items.append(str(lo) if lo == hi else f"{lo}-{hi}")
        return "{ " + ", ".join(items) + " }"

    def iface(self, own, other):
        rng = self.rng
        stem = own.rstrip("0123456789.")
        pick = rng.choice([own, own, f"{stem}*", f"{own[:2]}*", other,
                           rng.choice(gen_iptables.OTHER_NAMES), "ppp*"])
        if rng.random() < 0.15:
            return "{ " + ", ".join(f'"{n}"' for n in sorted({pick, own if
                                                              rng.random() < 0.5 else other})) + " }"
        return f'"{pick}"'

    def op(self, p=0.15):
        return "!= " if self.rng.random() < p else ""

    def named_set(self, kind):
        """Declares a named set; returns '@name'."""
        rng = self.rng
        name = f"s{len(self.sets)}"
        if kind == "src" or kind == "dst":
            elems, spans = [], []
            for _ in range(rng.randint(1, 5)):
                a = self.addr(kind)
                s = self._span(a)
                if any(s[0] <= t[1] and t[0] <= s[1] for t in spans):
                    continue
                spans.append(s)
                elems.append(a)
            self.sets.append(f"set {name} {{ type ipv4_addr; flags interval; "
                             f"elements = {{ {', '.join(elems)} }} }}")
        elif kind == "port":
            elems = sorted({self.port() for _ in range(rng.randint(1, 5))})
            self.sets.append(f"set {name} {{ type inet_service; "
                             f"elements = {{ {', '.join(map(str, elems))} }} }}")
        else:  # concatenation ip saddr . th dport
            elems = sorted({f"{self.base.host(self.base.pools_for('src'))} . {self.port()}"
                            for _ in range(rng.randint(1, 5))})
            self.sets.append(f"set {name} {{ type ipv4_addr . inet_service; "
                             f"elements = {{ {', '.join(elems)} }} }}")
        return "@" + name

    # ---- rules --------------------------------------------------------------------------
    def matches(self, hook):
        rng = self.rng
        m = []
        proto = None
        if rng.random() < 0.4:
            v = self.addr_set("src") if rng.random() < 0.15 else \
                self.named_set("src") if rng.random() < 0.1 else self.addr("src")
            m.append(f"ip saddr {self.op()}{v}")
        if rng.random() < 0.4:
            v = self.addr_set("dst") if rng.random() < 0.15 else \
                self.named_set("dst") if rng.random() < 0.1 else self.addr("dst")
            m.append(f"ip daddr {self.op()}{v}")
        if hook != "postrouting" and rng.random() < 0.25:
            m.append(f"iifname {self.op(0.2)}{self.iface(self.in_name, self.out_name)}")
        if hook != "prerouting" and rng.random() < 0.25:
            m.append(f"oifname {self.op(0.2)}{self.iface(self.out_name, self.in_name)}")
        r = rng.random()
        if r < 0.3:
            proto = "tcp"
        elif r < 0.5:
            proto = "udp"
        elif r < 0.6:
            proto = "icmp"
        elif r < 0.68:
            proto = "th"
            m.append(f"meta l4proto {rng.choice(['{ tcp, udp }', 'tcp', 'udp'])}")
        elif r < 0.74:
            which = rng.choice(["meta l4proto", "ip protocol"])
            m.append(f"{which} {self.op(0.3)}{rng.choice(['tcp', 'udp', 'icmp', str(OTHER_PROTOS[0]), str(OTHER_PROTOS[1])])}")
        if proto in ("tcp", "udp", "th"):
            if rng.random() < 0.3:
                m.append(f"{proto} sport {self.op()}{self.port_value()}")
            if rng.random() < 0.6:
                v = self.named_set("port") if rng.random() < 0.1 else self.port_value()
                m.append(f"{proto} dport {self.op()}{v}")
            elif proto in ("tcp", "udp"):
                m.append(f"meta l4proto {proto}")
        if proto == "icmp":
            t = rng.choice(["echo-request", "timestamp-request", "echo-reply",
                            "destination-unreachable", "{ echo-request, timestamp-request }"])
            m.append(f"icmp type {self.op()}{t}")
        # Only in rules without another protocol match: nft 1.0.6 cannot list a rule whose
        # protocols contradict before a concatenation (payload_expr_complete assertion).
        if not any(x.startswith(("meta l4proto", "ip protocol")) for x in m) and proto is None \
                and rng.random() < 0.1:
            v = self.named_set("concat") if rng.random() < 0.5 else \
                "{ " + ", ".join(f"{self.base.host(SRC_POOLS)} . {self.port()}"
                                 for _ in range(rng.randint(1, 3))) + " }"
            # th dport of a portless protocol reads other header bytes: keep to tcp and udp.
            m.append(f"meta l4proto {{ tcp, udp }} ip saddr . th dport {v}")
        if hook in ("prerouting", "forward") and rng.random() < 0.08:
            m.append(f"ether saddr {self.op()}{self.base.mac()}")
        if rng.random() < 0.2:
            states = rng.sample(STATES, rng.randint(1, 3))
            if rng.random() < 0.5:
                states = sorted(set(states) | {"new"})
            v = states[0] if len(states) == 1 else (
                ",".join(states) if rng.random() < 0.5 else "{ " + ", ".join(states) + " }")
            m.append(f"ct state {'!= ' if len(states) == 1 and rng.random() < 0.2 else ''}{v}")
        if rng.random() < 0.1:
            m.append("counter")
        return m, proto

    def verdict(self, hook, later, in_regular):
        rng = self.rng
        v = rng.choices(["accept", "drop", "reject", "jump", "goto", "return", "continue", "log"],
                        [30, 25, 8 if hook in ("forward", "input") else 0, 14, 5,
                         8 if in_regular else 2, 2, 4])[0]
        if v in ("jump", "goto"):
            return f"{v} {rng.choice(later)}" if later else "accept"
        if v == "log":
            return f'log prefix "oracle {rng.randrange(100)} "'
        if v == "reject":
            return rng.choice(["reject", "reject with icmp type host-prohibited",
                               "reject with icmp type port-unreachable"])
        return v

    def vmap(self, later):
        rng = self.rng
        verdicts = ["accept", "drop"] + [f"jump {c}" for c in later[:2]]
        kind = rng.choice(["iifname", "ip saddr", "th dport", "ct state"])
        if kind == "iifname":
            keys = sorted({self.in_name, self.out_name, rng.choice(gen_iptables.OTHER_NAMES)})
            pairs = [f'"{k}" : {rng.choice(verdicts)}' for k in keys]
        elif kind == "ip saddr":
            keys = [str(self.base.host(SRC_POOLS)) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.3:
                name = f"m{len(self.sets)}"
                pairs = sorted({f"{k} : {rng.choice(verdicts)}" for k in keys})
                # One verdict per key: drop duplicate keys.
                seen, uniq = set(), []
                for p in pairs:
                    if p.split(" : ")[0] not in seen:
                        seen.add(p.split(" : ")[0])
                        uniq.append(p)
                self.sets.append(f"map {name} {{ type ipv4_addr : verdict; "
                                 f"elements = {{ {', '.join(uniq)} }} }}")
                return f"ip saddr vmap @{name}"
            pairs = [f"{k} : {rng.choice(verdicts)}" for k in sorted(set(keys))]
        elif kind == "th dport":
            keys = sorted({self.port() for _ in range(rng.randint(1, 4))})
            pairs = [f"{k} : {rng.choice(verdicts)}" for k in keys]
            return f"meta l4proto {{ tcp, udp }} th dport vmap {{ {', '.join(pairs)} }}"
        else:
            keys = rng.sample(STATES, rng.randint(1, 3))
            pairs = [f"{k} : {rng.choice(verdicts)}" for k in keys]
        return f"{kind} vmap {{ {', '.join(pairs)} }}"

    def chain_rules(self, name, hook, n, later, regular):
        out = []
        for _ in range(n):
            if self.rng.random() < 0.07:
                out.append(self.vmap(later))
                continue
            m, _ = self.matches(hook)
            m.append(self.verdict(hook, later, regular))
            if self.rng.random() < 0.1:
                m.append(f'comment "rule {self.rng.randrange(1000)}"')  # nft wants it last
            out.append(" ".join(m))
        return out

    def filter_tree(self, hook, prio, policy, n_rules, n_chains, tag):
        """A base chain and the regular chains it reaches: list of (name, header, rules)."""
        names = [f"{tag}"] + [f"{tag}_{i}" for i in range(n_chains)]
        chains = []
        for i, name in enumerate(names):
            header = (f"type filter hook {hook} priority {prio}; policy {policy};" if i == 0
                      else None)
            count = n_rules if i == 0 else self.rng.randint(1, max(1, n_rules // 2))
            chains.append((name, header, self.chain_rules(name, hook, count, names[i + 1:], i > 0)))
        return chains

    def nat_chains(self):
        rng = self.rng
        fam = "ip " if self.family == "inet" else ""
        pre = []
        for _ in range(rng.randint(1, 4)):
            m, proto = self.matches("prerouting")
            m = [x for x in m if not x.startswith("oifname")]
            to = str(self.base.host(DST_POOLS))
            if proto in ("tcp", "udp") and rng.random() < 0.5:
                to += f":{self.port()}"
            pre.append(" ".join(m + [rng.choice([f"dnat {fam}to {to}"] * 4 + ["accept", "return"])]))
        post = []
        for _ in range(rng.randint(0, 2)):
            post.append(rng.choice(["masquerade", f'oifname "{self.out_name}" masquerade',
                                    f"snat {fam}to 192.0.2.5"]))
        self.nat = True
        return [("nat_pre", "type nat hook prerouting priority dstnat; policy accept;", pre),
                ("nat_post", "type nat hook postrouting priority srcnat; policy accept;", post)]

    def generate(self):
        rng = self.rng
        chains = []
        n_fwd = rng.choice([1, 1, 1, 2, 2, 3])
        prios = rng.sample(PRIORITIES, n_fwd)
        for k, prio in enumerate(prios):
            policy = "drop" if rng.random() < (0.5 if k == 0 else 0.2) else "accept"
            chains += self.filter_tree("forward", prio, policy, rng.randint(2, 16),
                                       rng.randint(0, 3), f"fwd{k}")
        if rng.random() < 0.2:
            chains += self.filter_tree("prerouting", rng.choice(["raw", "mangle", "-50"]),
                                       "drop" if rng.random() < 0.1 else "accept",
                                       rng.randint(1, 4), 0, "pre")
        if rng.random() < 0.15:
            chains += self.filter_tree("postrouting", rng.choice(["mangle", "filter", "200"]),
                                       "drop" if rng.random() < 0.1 else "accept",
                                       rng.randint(1, 3), 0, "post")
        if rng.random() < 0.15:
            chains += self.filter_tree("input", "filter", rng.choice(["accept", "drop"]),
                                       rng.randint(1, 4), 0, "in")
        if rng.random() < 0.35:
            chains += self.nat_chains()
        # Regular chains must exist before base chains jump to them: nft -f resolves names in
        # one transaction, so order inside the table does not matter; declare sets first.
        body = [f"table {self.family} oracle {{"]
        body += [f"\t{s}" for s in self.sets]
        for name, header, rules in chains:
            body.append(f"\tchain {name} {{")
            if header:
                body.append(f"\t\t{header}")
            body += [f"\t\t{r}" for r in rules]
            body.append("\t}")
        body.append("}")
        return "\n".join(body) + "\n"


def random_nft(seed, index, n_probes):
    """A Ruleset (rulesets.Ruleset) for random nftables ruleset number `index`."""
    import rulesets
    from probes import ProbeChooser
    rng = random.Random(f"{seed}:nft:{index}")
    g = NftGenerator(rng)
    text = g.generate()
    rules = nft_features(text)
    names = {n for r in rules for n in r.ifaces}
    rs = rulesets.Ruleset(
        name=f"random-nft-{index:03d}", kind="nftables", text=text,
        in_name=g.in_name, out_name=g.out_name,
        other_ifaces=[n for n in rulesets.concrete_ifaces(names)
                      if n not in (g.in_name, g.out_name)],
        client_cidrs=[str(n) for n in SRC_POOLS], server_cidrs=[str(n) for n in DST_POOLS],
        sanso_reads_dump=index % 2 == 0,
        origin=f"--seed {seed} --only random-nft-{index:03d}")
    rs.probes = ProbeChooser(rng, rules, side_of, g.nat).choose(n_probes)
    return rs
