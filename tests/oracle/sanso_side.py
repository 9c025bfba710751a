"""sanso's answer for a burst: a generated topology and one `sanso trace --batch -` call.

The topology places the router between a `client` segment holding every probe source and a
`server` segment holding every destination (DNAT targets included); both sit in one zone, since
only the verdict (allowed / denied / unproven) is compared, not the policy. Interfaces the
ruleset names besides the router's two ports are attached to a third segment on the lab's own
network, so that no rule names an interface attached nowhere.
"""
import dataclasses
import json
import os
import subprocess

from lab import INFRA_NET


@dataclasses.dataclass
class Verdict:
    verdict: str            # allowed | denied | unproven | error
    arrives_as: tuple = ()  # (dst, dport) of each delivering path's packet, as sanso sees it
    error: str = ""
    raw: dict = None


def _yaml_list(items):
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def write_topology(directory, ruleset, client_cidrs, server_cidrs):
    """Writes network.yaml and the router's config files; returns the topology path."""
    os.makedirs(directory, exist_ok=True)
    config = "router.nft" if ruleset.kind == "nftables" else "router.rules"
    with open(os.path.join(directory, config), "w") as f:
        f.write(ruleset.sanso_text)
    ifaces = {ruleset.in_name: "client", ruleset.out_name: "server"}
    for name in ruleset.other_ifaces:
        ifaces.setdefault(name, "elsewhere")
    lines = [
        "sanso: 1",
        f"name: oracle {ruleset.name}",
        "segments:",
        f"  client: {{zone: lgwan, cidr: {_yaml_list(client_cidrs)}}}",
        f"  server: {{zone: lgwan, cidr: {_yaml_list(server_cidrs)}}}",
        f"  elsewhere: {{zone: lgwan, cidr: {INFRA_NET}}}",
        "devices:",
        "  router:",
        f"    vendor: {ruleset.kind}",
        f"    config: {config}",
    ]
    if ruleset.ipsets:
        with open(os.path.join(directory, "router.ipset"), "w") as f:
            f.write(ruleset.ipsets)
        lines.append("    ipsets: router.ipset")
    lines.append("    interfaces:")
    lines += [f'      "{k}": {v}' for k, v in ifaces.items()]
    path = os.path.join(directory, "network.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def supports_vendor(sanso, vendor):
    """Whether this sanso build loads configs of `vendor` (it says "not supported" otherwise)."""
    p = subprocess.run([sanso, "parse", "--vendor", vendor, os.devnull], capture_output=True,
                       text=True)
    text = p.stdout + p.stderr
    return "not supported" not in text and "unknown vendor" not in text


def trace_batch(sanso, topology, probes):
    """Runs one `sanso trace --batch -` over the probes; returns one Verdict per probe."""
    stdin = "".join(json.dumps(p.batch_line()) + "\n" for p in probes)
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    p = subprocess.run([sanso, "trace", "--topology", topology, "--batch", "-"], input=stdin,
                       capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1, 2) or (p.returncode == 2 and not p.stdout):
        raise RuntimeError(f"sanso trace --batch exited {p.returncode}: {p.stderr.strip()[:2000]}")
    out = [Verdict("error", error="no answer") for _ in probes]
    for line in p.stdout.splitlines():
        j = json.loads(line)
        i = j["line"] - 1
        if "error" in j:
            out[i] = Verdict("error", error=j["error"], raw=j)
            continue
        arrives = []
        for path in j.get("paths", []):
            if path["verdict"] == "denied":
                continue
            pkt = path["hops"][-1]["packet"] if path["hops"] else path["packet"]
            arrives.append((pkt["dst"], pkt.get("dport")))
        out[i] = Verdict(j["verdict"], tuple(arrives), raw=j)
    return out
