"""What a ruleset talks about: the address ranges, ports, protocols and MACs of each rule.

Probes are built from these (probes.py): values on and just beside every boundary, so that
both sides of each rule's conditions are exercised. Reading is deliberately loose (a rule the
reader misunderstands only yields less useful probes, never a wrong verdict: the kernel and
sanso decide every probe).
"""
import dataclasses
import ipaddress
import re
import shlex


@dataclasses.dataclass
class RuleFeatures:
    src: list = dataclasses.field(default_factory=list)    # (lo, hi) as ints
    dst: list = dataclasses.field(default_factory=list)
    sport: list = dataclasses.field(default_factory=list)  # (lo, hi)
    dport: list = dataclasses.field(default_factory=list)
    protos: set = dataclasses.field(default_factory=set)
    icmp_types: set = dataclasses.field(default_factory=set)
    macs: set = dataclasses.field(default_factory=set)
    dnat: list = dataclasses.field(default_factory=list)   # (lo, hi) destinations after DNAT
    ifaces: set = dataclasses.field(default_factory=set)   # interface names (wildcards kept)


PROTO_NAMES = {"tcp": 6, "udp": 17, "icmp": 1, "all": 0}
MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")


def ip_range(text):
    """'10.0.0.0/8', '10.0.0.1', '10.0.0.1-10.0.0.9' -> (lo, hi) or None."""
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            return int(ipaddress.IPv4Address(a)), int(ipaddress.IPv4Address(b))
        n = ipaddress.IPv4Network(text, strict=False)
        return int(n.network_address), int(n.broadcast_address)
    except ValueError:
        return None


def port_range(text, sep=":"):
    try:
        if sep in text:
            a, b = text.split(sep, 1)
            return int(a or 0), int(b or 65535)
        return int(text), int(text)
    except ValueError:
        return None


def ipset_members(text):
    """{set name: [(lo, hi)]} of an `ipset save` text."""
    out = {}
    for line in (text or "").splitlines():
        t = line.split()
        if len(t) >= 3 and t[0] == "add":
            r = ip_range(t[2])
            if r:
                out.setdefault(t[1], []).append(r)
    return out


def iptables_features(text, ipsets=None):
    """One RuleFeatures per `-A` line of an iptables-save text."""
    sets = ipset_members(ipsets)
    rules = []
    for line in text.splitlines():
        line = re.sub(r"^\[\d+:\d+\]\s*", "", line.strip())
        if not line.startswith("-A "):
            continue
        try:
            tok = shlex.split(line)
        except ValueError:
            continue
        f = RuleFeatures()
        for i, t in enumerate(tok[:-1]):
            arg = tok[i + 1]
            if t in ("-s", "--ctorigsrc", "--src-range"):
                f.src += [r for r in map(ip_range, arg.split(",")) if r]
            elif t in ("-d", "--ctorigdst", "--dst-range"):
                f.dst += [r for r in map(ip_range, arg.split(",")) if r]
            elif t in ("--sport", "--ctorigsrcport"):
                f.sport += [r for r in [port_range(arg)] if r]
            elif t in ("--dport", "--ctorigdstport"):
                f.dport += [r for r in [port_range(arg)] if r]
            elif t in ("--sports", "--dports", "--ports"):
                items = [r for r in map(port_range, arg.split(",")) if r]
                if t != "--dports":
                    f.sport += items
                if t != "--sports":
                    f.dport += items
            elif t in ("-p", "--ctproto"):
                p = PROTO_NAMES.get(arg, arg)
                if str(p).isdigit():
                    f.protos.add(int(p))
            elif t == "--icmp-type":
                if arg.split("/")[0].isdigit():
                    f.icmp_types.add(int(arg.split("/")[0]))
            elif t == "--mac-source" and MAC_RE.match(arg):
                f.macs.add(arg.lower())
            elif t == "--match-set" and arg in sets and i + 2 < len(tok):
                (f.src if tok[i + 2].startswith("src") else f.dst).extend(sets[arg])
            elif t in ("-i", "-o"):
                f.ifaces.add(arg)
            elif t in ("--to-destination", "--to"):
                addr, _, port = arg.partition(":")
                r = ip_range(addr)
                if r:
                    f.dnat.append(r)
                    f.dst.append(r)
                if port:
                    f.dport += [r for r in [port_range(port, "-")] if r]
        rules.append(f)
    return rules


_IPV4 = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
_ADDR_RE = re.compile(rf"(?<![\d.]){_IPV4}(?:/\d{{1,2}}|-{_IPV4})?(?![\d.])")
_PORTS_RE = re.compile(r"\b(sport|dport)\s+(?:!=\s+)?(\{[^}]*\}|\S+)")
_NUM_RANGE_RE = re.compile(r"(?<![\d.:/-])(\d{1,5})(?:-(\d{1,5}))?(?![\d.:/-])")
_ICMP_NAMES = {"echo-request": 8, "timestamp-request": 13, "echo-reply": 0,
               "destination-unreachable": 3}
_NFT_PROTOS = {"tcp": 6, "udp": 17, "icmp": 1}


def nft_features(text):
    """One RuleFeatures per rule of an nft text (variables and named sets expanded)."""
    defines = dict(re.findall(r"^\s*define (\w+) = (.+?)\s*$", text, re.M))
    text = re.sub(r"\$(\w+)", lambda m: defines.get(m.group(1), m.group(0)), text)
    sets = {}
    for m in re.finditer(r"\b(?:set|map) (\w+) \{[^{}]*elements = \{([^}]*)\}", text):
        sets[m.group(1)] = "{ " + m.group(2) + " }"
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("table ", "chain ", "set ", "map ", "type ", "}", "#",
                                        "flags ", "elements ", "policy ", "define ")):
            continue
        line = re.sub(r"@(\w+)", lambda m: sets.get(m.group(1), ""), line)
        f = RuleFeatures()
        for a in _ADDR_RE.findall(line):
            r = ip_range(a)
            if r:
                f.src.append(r)
                f.dst.append(r)
        for _, value in _PORTS_RE.findall(line):
            for lo, hi in _NUM_RANGE_RE.findall(value):
                f.dport.append((int(lo), int(hi or lo)))
                f.sport.append((int(lo), int(hi or lo)))
        for lo, hi in re.findall(r"{_IPV4} \. (\d+)(?:-(\d+))?".format(_IPV4=_IPV4), line):
            f.dport.append((int(lo), int(hi or lo)))
        m = re.search(rf"dnat (?:ip )?to ({_IPV4})(?::(\d+))?", line)
        if m:
            r = ip_range(m.group(1))
            f.dnat.append(r)
            if m.group(2):
                f.dport.append((int(m.group(2)), int(m.group(2))))
        for w in re.findall(r"\b(tcp|udp|icmp)\b", line):
            f.protos.add(_NFT_PROTOS[w])
        for n in re.findall(r"\b(?:l4proto|protocol) (?:!= )?(\d+)", line):
            f.protos.add(int(n))
        for name, t in _ICMP_NAMES.items():
            if name in line:
                f.icmp_types.add(t)
        f.macs |= {m.lower() for m in re.findall(r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}", line)}
        f.ifaces |= {s for s in re.findall(r'"([\w.*+-]{1,15})"', line)}
        rules.append(f)
    return rules
