"""Random iptables-save rulesets over exactly the grammar sanso's iptables parser models
(docs/iptables.md "Understood"), seeded and reproducible.

Generated: tables raw, mangle, nat, filter, security with their built-in chains and policies;
user chains (each owned by one built-in chain's tree, jumps only to later chains: no loops)
with -j, -g and RETURN; -s/-d (prefixes, negation, comma lists), -p (names, numbers, !),
--sport/--dport (ranges, !), --syn, --tcp-flags, multiport --sports/--dports/--ports, iprange,
-i/-o (names, + wildcards, !), mac --mac-source, conntrack --ctstate / state --state (NEW,
ESTABLISHED, RELATED, INVALID, UNTRACKED, !), --ctproto with --ctorigsrc/--ctorigdst/
--ctorigsrcport/--ctorigdstport, icmp --icmp-type (types, no codes), set --match-set (hash:ip,
hash:net from an ipset file), comment; targets ACCEPT, DROP, REJECT, RETURN, LOG, MARK, DNAT
(one address, optional port), SNAT, MASQUERADE, NOTRACK / CT --notrack; INPUT and OUTPUT
chains as noise that must not change forwarding.

Left out, because sanso does not model them exactly (each is documented in docs/oracle.md):
ICMP codes (a trace flow has any code), matches sanso reports as unmodelled (mark, limit,
recent, addrtype, ...), targets that change the packet's fate in ways sanso ignores (TTL,
REDIRECT, NETMAP, DNAT ranges), and --ctorig*port without --ctproto tcp/udp (the kernel reads
an ICMP id / type there).
"""
import ipaddress

from packets import OTHER_PROTOS

#: Address pools: every probe source lies in SRC_POOLS, every destination in DST_POOLS.
SRC_POOLS = [ipaddress.IPv4Network(n) for n in ("10.1.0.0/16", "172.20.0.0/16")]
DST_POOLS = [ipaddress.IPv4Network(n) for n in ("10.2.0.0/16", "198.51.100.0/24")]

IN_NAMES = ["eth0", "lan0", "ens3", "eth0.10", "br0", "enp1s0"]
OUT_NAMES = ["eth1", "wan0", "ppp0", "eth0.20", "enp2s0", "tun1"]
OTHER_NAMES = ["tun0", "wg0", "eth9", "docker0", "lo"]

PREFIX_LENGTHS = [8, 12, 16, 16, 20, 24, 24, 24, 26, 28, 30, 32, 32]
STATES = ["NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"]
TCP_FLAGS = ["SYN", "ACK", "RST", "FIN", "PSH", "URG"]


def side_of(addr):
    a = ipaddress.IPv4Address(addr)
    if any(a in n for n in SRC_POOLS):
        return "src"
    if any(a in n for n in DST_POOLS):
        return "dst"
    return None


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.in_name = rng.choice(IN_NAMES)
        self.out_name = rng.choice([n for n in OUT_NAMES if n[:3] != self.in_name[:3]] +
                                   ["eth1"] * (self.in_name == "eth0"))
        self.sets = {}   # name -> (type, members text)
        self.lines = {}  # table -> list of lines
        self.port_pool = sorted({rng.randint(1, 65535) for _ in range(6)} |
                                {22, 53, 80, 443, 1024, 3389, 8080})

    # ---- values -------------------------------------------------------------------------
    def address(self, pools, strict=True):
        rng = self.rng
        net = rng.choice(pools)
        base = int(net.network_address) + rng.randrange(net.num_addresses)
        length = rng.choice(PREFIX_LENGTHS)
        n = ipaddress.IPv4Network((base, length), strict=False)
        if not strict and length < 32 and rng.random() < 0.15:
            # host bits set: iptables masks them (and so must sanso)
            return f"{ipaddress.IPv4Address(base)}/{length}"
        return str(n) if length < 32 or rng.random() < 0.5 else str(n.network_address)

    def pools_for(self, end):
        """Mostly the pool of the given end; sometimes the other (a rule that never matches)."""
        if self.rng.random() < 0.85:
            return SRC_POOLS if end == "src" else DST_POOLS
        return DST_POOLS if end == "src" else SRC_POOLS

    def host(self, pools):
        net = self.rng.choice(pools)
        return ipaddress.IPv4Address(int(net.network_address) + 1 +
                                     self.rng.randrange(net.num_addresses - 2))

    def addr_range(self, end):
        a = int(self.host(self.pools_for(end)))
        b = a + self.rng.choice([0, 1, 3, 10, 100, 300, 5000])
        return f"{ipaddress.IPv4Address(a)}-{ipaddress.IPv4Address(min(b, 0xFFFFFFFF))}"

    def port(self):
        rng = self.rng
        return rng.choice(self.port_pool) if rng.random() < 0.7 else rng.randint(1, 65535)

    def port_spec(self):
        rng = self.rng
        a = self.port()
        kind = rng.random()
        if kind < 0.55:
            return str(a)
        if kind < 0.85:
            b = min(65535, a + rng.choice([1, 10, 100, 1000, 20000]))
            return f"{a}:{b}"
        return rng.choice([f":{a}", f"{a}:"])

    def port_list(self):
        items, used = [], 0
        while used < self.rng.randint(2, 14):
            a = self.port()
            if self.rng.random() < 0.3 and used < 13:
                items.append(f"{a}:{min(65535, a + self.rng.choice([5, 50, 500]))}")
                used += 2
            else:
                items.append(str(a))
                used += 1
        return ",".join(items)

    def iface(self, own, other):
        """A name or wildcard for -i/-o: the port itself, a wildcard, the other port, others."""
        rng = self.rng
        stem = own.rstrip("0123456789")
        return rng.choice([own, own, f"{stem}+", f"{own[:2]}+", other, rng.choice(OTHER_NAMES),
                           "ppp+", "+"])

    def mac(self):
        if self.rng.random() < 0.7:
            return f"02:00:00:00:{self.rng.randrange(4):02x}:{self.rng.randrange(4):02x}"
        return "02:" + ":".join(f"{self.rng.randrange(256):02x}" for _ in range(5))

    def neg(self, p=0.2):
        return "! " if self.rng.random() < p else ""

    def ipset(self):
        rng = self.rng
        if self.sets and rng.random() < 0.5:
            return rng.choice(sorted(self.sets))
        name = f"set{len(self.sets)}"
        kind = rng.choice(["hash:ip", "hash:net"])
        end = rng.choice(["src", "dst"])
        members = []
        for _ in range(rng.randint(0, 6)):
            pools = self.pools_for(end)
            members.append(str(self.host(pools)) if kind == "hash:ip" else self.address(pools))
        self.sets[name] = (kind, sorted(set(members)))
        return name

    # ---- matches ------------------------------------------------------------------------
    def matches(self, hook, table):
        """Match options for a rule in the tree of built-in chain `hook`."""
        rng = self.rng
        m = []
        proto = None
        if rng.random() < 0.45:
            m.append(f"{self.neg(0.1)}-s " + (
                ",".join(self.address(self.pools_for("src"), False) for _ in range(rng.randint(2, 3)))
                if rng.random() < 0.1 else self.address(self.pools_for("src"), False)))
            if m[-1].startswith("! ") and "," in m[-1]:
                m[-1] = m[-1][2:]
        if rng.random() < 0.45:
            d = self.address(self.pools_for("dst"), False)
            # iptables refuses a negated address beside a list of addresses
            listed = m and "," in m[-1] and m[-1].startswith("-s ")
            m.append(f"{'' if listed else self.neg(0.1)}-d {d}")
        if hook not in ("POSTROUTING", "OUTPUT") and rng.random() < 0.25:
            m.append(f"{self.neg(0.2)}-i {self.iface(self.in_name, self.out_name)}")
        if hook not in ("PREROUTING", "INPUT") and rng.random() < 0.25:
            m.append(f"{self.neg(0.2)}-o {self.iface(self.out_name, self.in_name)}")
        r = rng.random()
        if r < 0.35:
            proto = "tcp"
        elif r < 0.6:
            proto = "udp"
        elif r < 0.72:
            proto = "icmp"
        elif r < 0.76:
            proto = rng.choice([str(p) for p in OTHER_PROTOS[:2]] + ["47", "all"])
        if proto:
            negated = proto not in ("tcp", "udp", "icmp") or rng.random() < 0.08
            m.append(f"{'! ' if negated and proto != 'all' and rng.random() < 0.5 else ''}-p {proto}")
            if m[-1].startswith("! "):
                proto = None  # a negated protocol takes no protocol options
        if proto in ("tcp", "udp"):
            opts = []
            if rng.random() < 0.3:
                opts.append(f"{self.neg()}--sport {self.port_spec()}")
            if rng.random() < 0.55:
                opts.append(f"{self.neg()}--dport {self.port_spec()}")
            if proto == "tcp" and rng.random() < 0.15:
                opts.append(f"{self.neg(0.4)}--syn")
            elif proto == "tcp" and rng.random() < 0.1:
                mask = ",".join(rng.sample(TCP_FLAGS, rng.randint(1, 4))) if rng.random() < 0.8 \
                    else rng.choice(["ALL", "NONE"])
                comp = ",".join(rng.sample(TCP_FLAGS[:3], rng.randint(1, 2))) if rng.random() < 0.8 \
                    else "NONE"
                opts.append(f"{self.neg()}--tcp-flags {mask} {comp}")
            if opts:
                m.append(f"-m {proto} " + " ".join(opts))
            elif rng.random() < 0.3:
                which = rng.choice(["--dports", "--dports", "--sports", "--ports"])
                m.append(f"-m multiport {self.neg()}{which} {self.port_list()}")
        if proto == "icmp" and rng.random() < 0.6:
            t = rng.choice(["8", "8", "13", "0", "3", "11", "echo-request", "timestamp-request",
                            "any"])
            m.append(f"-m icmp {self.neg()}--icmp-type {t}")
        if rng.random() < 0.08:
            which = rng.choice(["--src-range", "--dst-range"])
            m.append(f"-m iprange {self.neg()}{which} "
                     f"{self.addr_range('src' if which == '--src-range' else 'dst')}")
        if hook in ("PREROUTING", "INPUT", "FORWARD") and rng.random() < 0.1:
            m.append(f"-m mac {self.neg()}--mac-source {self.mac()}")
        if rng.random() < 0.2:
            states = rng.sample(STATES, rng.randint(1, 3))
            if rng.random() < 0.5:
                states = sorted(set(states) | {"NEW"})
            mod, opt = rng.choice([("conntrack", "--ctstate"), ("state", "--state")])
            m.append(f"-m {mod} {self.neg(0.15)}{opt} {','.join(states)}")
        if rng.random() < 0.06:
            p = rng.choice(["tcp", "udp"])
            parts = [f"--ctproto {p}"]
            if rng.random() < 0.5:
                parts.append(f"{self.neg()}--ctorigdstport {self.port_spec()}")
            if rng.random() < 0.3:
                parts.append(f"{self.neg()}--ctorigsrcport {self.port_spec()}")
            if rng.random() < 0.4:
                parts.append(f"{self.neg()}--ctorigsrc {self.address(self.pools_for('src'))}")
            if rng.random() < 0.4:
                parts.append(f"{self.neg()}--ctorigdst {self.address(self.pools_for('dst'))}")
            m.append("-m conntrack " + " ".join(parts))
        if rng.random() < 0.06:
            end = rng.choice(["src", "dst"])
            m.append(f"-m set {self.neg()}--match-set {self.ipset()} {end}")
        if rng.random() < 0.1:
            m.append(f'-m comment --comment "rule {rng.randrange(1000)} note"')
        return m, proto

    # ---- chains -------------------------------------------------------------------------
    def tree(self, table, hook, n_rules, n_chains, targets):
        """Rules of built-in chain `hook` and of the user chains only it reaches."""
        rng = self.rng
        chains = [hook] + [f"{table[:2]}_{hook[:3].lower()}_{i}" for i in range(n_chains)]
        decl = [f":{c} -" for c in chains[1:]]
        rules = []
        for ci, chain in enumerate(chains):
            count = n_rules if ci == 0 else rng.randint(1, max(1, n_rules // 2))
            for _ in range(count):
                m, proto = self.matches(hook, table)
                target = self.target(table, hook, chains[ci + 1:], ci > 0, proto, targets)
                rules.append(" ".join([f"-A {chain}"] + m + ([target] if target else [])))
        return decl, rules

    def target(self, table, hook, later, in_user_chain, proto, targets):
        rng = self.rng
        choice = rng.choices(list(targets), list(targets.values()))[0]
        if choice in ("jump", "goto") and not later:
            choice = "RETURN" if in_user_chain else "ACCEPT"
        if choice == "jump":
            return f"-j {rng.choice(later)}"
        if choice == "goto":
            return f"-g {rng.choice(later)}"
        if choice == "REJECT":
            return "-j REJECT" + rng.choice(["", " --reject-with icmp-port-unreachable",
                                             " --reject-with icmp-host-prohibited"] +
                                            [" --reject-with tcp-reset"] * (proto == "tcp"))
        if choice == "LOG":
            return f'-j LOG --log-prefix "oracle {rng.randrange(100)} "'
        if choice == "MARK":
            return f"-j MARK --set-xmark 0x{rng.randrange(1, 256):x}/0xff"
        if choice == "DNAT":
            to = str(self.host(DST_POOLS))
            if proto in ("tcp", "udp") and rng.random() < 0.5:
                to += f":{self.port()}"
            return f"-j DNAT --to-destination {to}"
        if choice == "SNAT":
            return "-j SNAT --to-source 192.0.2.5"
        if choice == "NOTRACK":
            return rng.choice(["-j NOTRACK", "-j CT --notrack"])
        if choice == "none":
            return ""
        return f"-j {choice}"

    def table(self, name, chains, body):
        out = [f"*{name}"] + [f":{c} {p} [0:0]" for c, p in chains] + body + ["COMMIT"]
        return out

    def generate(self):
        rng = self.rng
        text = []
        # Policies drop rarely outside filter FORWARD, so that forwarded and dropped probes
        # both stay frequent.
        policy = lambda p_drop=0.5: "DROP" if rng.random() < p_drop else "ACCEPT"  # noqa: E731
        if rng.random() < 0.3:
            d1, r1 = self.tree("raw", "PREROUTING", rng.randint(1, 4), rng.randint(0, 1),
                               {"ACCEPT": 3, "DROP": 3, "NOTRACK": 1, "RETURN": 1, "jump": 1})
            d2, r2 = self.tree("raw", "OUTPUT", rng.randint(0, 2), 0, {"DROP": 1, "ACCEPT": 1})
            text += self.table("raw", [("PREROUTING", policy(0.15)), ("OUTPUT", "ACCEPT")],
                               d1 + d2 + r1 + r2)
        if rng.random() < 0.4:
            body, decls = [], []
            for hook in ("PREROUTING", "FORWARD", "POSTROUTING", "INPUT", "OUTPUT"):
                if rng.random() < 0.5:
                    d, r = self.tree("mangle", hook, rng.randint(1, 4), rng.randint(0, 1),
                                     {"ACCEPT": 3, "DROP": 2, "RETURN": 1, "MARK": 1, "LOG": 1,
                                      "jump": 1, "goto": 1})
                    decls += d
                    body += r
            pols = [(h, policy(0.1) if h in ("PREROUTING", "FORWARD", "POSTROUTING") else "ACCEPT")
                    for h in ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")]
            text += self.table("mangle", pols, decls + body)
        if rng.random() < 0.45:
            d1, r1 = self.tree("nat", "PREROUTING", rng.randint(1, 5), rng.randint(0, 1),
                               {"DNAT": 5, "ACCEPT": 1, "RETURN": 1, "jump": 1})
            d2, r2 = self.tree("nat", "POSTROUTING", rng.randint(0, 3), 0,
                               {"MASQUERADE": 2, "SNAT": 2, "ACCEPT": 1, "RETURN": 1})
            d3, r3 = self.tree("nat", "OUTPUT", rng.randint(0, 2), 0, {"DNAT": 1, "ACCEPT": 1})
            text += self.table("nat", [(h, "ACCEPT") for h in
                                       ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")],
                               d1 + d2 + d3 + r1 + r2 + r3)
        fwd_targets = {"ACCEPT": 30, "DROP": 25, "REJECT": 8, "RETURN": 8, "LOG": 6,
                       "jump": 15, "goto": 5, "none": 2}
        d1, r1 = self.tree("filter", "FORWARD", rng.randint(3, 22), rng.randint(0, 4), fwd_targets)
        d2, r2 = self.tree("filter", "INPUT", rng.randint(0, 5), rng.randint(0, 1),
                           {"ACCEPT": 2, "DROP": 2, "jump": 1})
        d3, r3 = self.tree("filter", "OUTPUT", rng.randint(0, 3), 0, {"ACCEPT": 1, "DROP": 1})
        text += self.table("filter", [("INPUT", policy()), ("FORWARD", policy()),
                                      ("OUTPUT", policy())], d1 + d2 + d3 + r1 + r2 + r3)
        if rng.random() < 0.15:
            d, r = self.tree("security", "FORWARD", rng.randint(1, 3), 0,
                             {"ACCEPT": 2, "DROP": 2, "RETURN": 1})
            text += self.table("security", [("INPUT", "ACCEPT"), ("FORWARD", policy(0.25)),
                                            ("OUTPUT", "ACCEPT")], d + r)
        ipsets = []
        for name, (kind, members) in sorted(self.sets.items()):
            ipsets.append(f"create {name} {kind} family inet hashsize 1024 maxelem 65536")
            ipsets += [f"add {name} {m}" for m in members]
        return "\n".join(text) + "\n", ("\n".join(ipsets) + "\n") if ipsets else None
