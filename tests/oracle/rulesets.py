"""The rulesets the oracle runs: random ones (seeded) and the real iptables-save configs.

A Ruleset says what the kernel loads (`text`, `ipsets`), what sanso reads (`sanso_text`: the
same text, or the kernel's own dump of it), the router's two port names, the other interfaces
the rules name, and how addresses are split between the client and the server side.
"""
import dataclasses
import ipaddress
import os
import random
import re

import gen_iptables
from features import iptables_features, nft_features
from lab import INFRA_NET
from probes import ProbeChooser, boundary_points, usable


@dataclasses.dataclass
class Ruleset:
    name: str
    kind: str                 # iptables | nftables
    text: str
    ipsets: str = None
    in_name: str = "eth0"
    out_name: str = "eth1"
    other_ifaces: list = dataclasses.field(default_factory=list)
    client_cidrs: list = dataclasses.field(default_factory=list)
    server_cidrs: list = dataclasses.field(default_factory=list)
    sanso_reads_dump: bool = False  # give sanso the kernel's dump instead of `text`
    sanso_text: str = ""
    origin: str = ""          # how to get it again (seed, file)
    probes: list = dataclasses.field(default_factory=list)


def has_nat(text):
    """Whether the ruleset may rewrite addresses (then probes must not share NAT bindings)."""
    return re.search(r"DNAT|SNAT|MASQUERADE|\bdnat\b|\bsnat\b|\bmasquerade\b|\bredirect\b|"
                     r"REDIRECT|NETMAP", text) is not None


def concrete_ifaces(names):
    return sorted(n for n in names if n and not n.endswith("+") and not n.endswith("*"))


# ---- random -----------------------------------------------------------------------------

def random_iptables(seed, index, n_probes):
    rng = random.Random(f"{seed}:iptables:{index}")
    g = gen_iptables.Generator(rng)
    text, ipsets = g.generate()
    rules = iptables_features(text, ipsets)
    names = {n for r in rules for n in r.ifaces}
    rs = Ruleset(
        name=f"random-iptables-{index:03d}", kind="iptables", text=text, ipsets=ipsets,
        in_name=g.in_name, out_name=g.out_name,
        other_ifaces=[n for n in concrete_ifaces(names) if n not in (g.in_name, g.out_name)],
        client_cidrs=[str(n) for n in gen_iptables.SRC_POOLS],
        server_cidrs=[str(n) for n in gen_iptables.DST_POOLS],
        sanso_reads_dump=index % 2 == 0,
        origin=f"--seed {seed} --only random-iptables-{index:03d}")
    rs.probes = ProbeChooser(rng, rules, gen_iptables.side_of, has_nat(text)).choose(n_probes)
    return rs


# ---- real -------------------------------------------------------------------------------

def _companion_ipsets(path):
    """An `ipset save` file beside the config whose stem starts the config's name."""
    d, base = os.path.split(path)
    for f in sorted(os.listdir(d)):
        if f.endswith(".ipset.conf") and base.startswith(f[:-len(".ipset.conf")]):
            return os.path.join(d, f)
    return None


def real_config_files(shared, kind):
    """The real configs of `kind` (iptables-save dumps; nft source files, not the derived
    listings, which are the same rulesets)."""
    d = os.path.join(shared, "configs", "real", kind)
    if not os.path.isdir(d):
        return []
    ends = (".iptables-save", ".rules.v4") if kind == "iptables" else (".nftables.conf",)
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(ends)]


def _pairs(rng, text, names, limit):
    """Port pairs (in, out) to place the router between: pairs a rule names together first,
    then an in-port and an out-port the rules name, then any two."""
    defines = dict(re.findall(r"^\s*define (\w+) = \"?([\w.-]+)\"?\s*$", text, re.M))
    text = re.sub(r"\$(\w+)", lambda m: defines.get(m.group(1), m.group(0)), text)
    in_re = re.compile(r"(?:^| )(?:-i|iifname) \"?([\w.-]+)\"?")
    out_re = re.compile(r"(?:^| )(?:-o|oifname) \"?([\w.-]+)\"?")
    together, ins, outs = [], set(), set()
    for line in text.splitlines():
        i, o = in_re.search(line), out_re.search(line)
        ins |= {i.group(1)} if i and i.group(1) in names else set()
        outs |= {o.group(1)} if o and o.group(1) in names else set()
        if i and o and i.group(1) in names and o.group(1) in names and i.group(1) != o.group(1):
            if (i.group(1), o.group(1)) not in together:
                together.append((i.group(1), o.group(1)))
    rng.shuffle(together)
    chosen = together[:max(1, limit - 1)]
    # Then pairs whose in-port a rule names as such, or whose out-port (both first).
    others = [(a, b) for a in names for b in names if a != b and (a, b) not in chosen]
    rng.shuffle(others)
    others.sort(key=lambda p: -((p[0] in ins) + (p[1] in outs)))
    return (chosen + others)[:limit]


def real_ruleset(seed, kind, path, n_probes, pairs_per_config):
    """One Ruleset per chosen port pair of a real config (the file itself, loaded whole)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    ipsets_path = _companion_ipsets(path) if "--match-set" in text else None
    ipsets = None
    if ipsets_path:
        with open(ipsets_path) as f:
            ipsets = f.read()
    rng = random.Random(f"{seed}:real:{os.path.basename(path)}")
    rules = iptables_features(text, ipsets) if kind == "iptables" else nft_features(text)
    names = concrete_ifaces({n for r in rules for n in r.ifaces} - {"lo"})
    if len(names) < 2:
        names = sorted(set(names) | {"eth0", "eth1"})[:2]
    side = _split_addresses(rng, rules)
    blocks = partition(side)
    out = []
    for k, (i, o) in enumerate(_pairs(rng, text, names, pairs_per_config)):
        rs = Ruleset(
            name=f"real-{os.path.basename(path)}-{i}-{o}", kind=kind, text=text,
            ipsets=ipsets, in_name=i, out_name=o,
            other_ifaces=[n for n in names if n not in (i, o)],
            client_cidrs=blocks["src"], server_cidrs=blocks["dst"],
            sanso_text=text,
            origin=f"{path} (ports {i} -> {o}; --seed {seed})")
        if kind == "nftables" and k % 2 == 1:
            rs.sanso_reads_dump = True  # the canonical listing of the same ruleset
        chooser = ProbeChooser(random.Random(f"{seed}:real:{path}:{k}"), rules, side.get,
                               has_nat(text))
        rs.probes = chooser.choose(n_probes)
        out.append(rs)
    return out


def partition(side):
    """The fewest prefixes that hold each side's addresses and nothing of the other side nor of
    the lab's network: {"src": [cidr...], "dst": [cidr...]}. Few prefixes keep the topology
    (and sanso's work per probe) small; they also become the router's routes to the client."""
    infra = ipaddress.IPv4Network(INFRA_NET)
    out = {"src": [], "dst": []}
    points = sorted(side.items())

    def split(net, pts):
        if not pts:
            return
        sides = {s for _, s in pts}
        if len(sides) == 1 and not net.overlaps(infra):
            out[sides.pop()].append(str(net))
            return
        if net.prefixlen == 32:
            return  # an address of the lab's network: never a probe address
        low, high = net.subnets()
        mid = int(high.network_address)
        split(low, [p for p in pts if p[0] < mid])
        split(high, [p for p in pts if p[0] >= mid])

    split(ipaddress.IPv4Network("0.0.0.0/0"), points)
    return out


def _split_addresses(rng, rules):
    """{address: "src" | "dst"}: every boundary address the rules name, on the side the rules
    use it (by lot when both), DNAT targets at the server, and a few addresses no rule names."""
    hints = {}
    for r in rules:
        for end, ranges in (("src", r.src), ("dst", r.dst)):
            for a in boundary_points(rng, ranges):
                if usable(a):
                    hints.setdefault(a, set()).add(end)
    side = {}
    dnat = {a for r in rules for lo, hi in r.dnat for a in range(lo, min(hi, lo + 16) + 1)}
    for a, ends in sorted(hints.items()):
        side[a] = "dst" if a in dnat else (next(iter(ends)) if len(ends) == 1 else
                                            rng.choice(["src", "dst"]))
    for a in dnat:
        side[a] = "dst"
    for text, end in (("100.100.1.1", "src"), ("10.250.3.4", "src"), ("93.184.216.34", "dst"),
                      ("151.101.1.69", "dst")):
        side.setdefault(int(ipaddress.IPv4Address(text)), end)
    return side
