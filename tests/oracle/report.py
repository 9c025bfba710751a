"""Counting verdicts and printing disagreements as cases one can reproduce."""
import dataclasses

from packets import PROTO_ICMP, PROTO_TCP, PROTO_UDP


@dataclasses.dataclass
class Tally:
    rulesets: int = 0
    probes: int = 0
    compared: int = 0
    forwarded: int = 0
    translated: int = 0   # forwarded with another destination (DNAT), as sanso predicted
    dropped: int = 0
    unproven: int = 0
    disagreements: int = 0
    errors: int = 0
    harness_problems: int = 0
    excluded: list = dataclasses.field(default_factory=list)
    by_kind: dict = dataclasses.field(default_factory=dict)

    def note_problem(self, rs, problem):
        if problem.startswith("excluded: ") and rs.name.startswith("random"):
            problem = "the kernel refused a generated ruleset (generator bug): " + problem[10:]
        elif problem.startswith("excluded: "):
            key = rs.origin.split(" (")[0]
            if all(key != k for k, _ in self.excluded):
                self.excluded.append((key, problem[len("excluded: "):]))
                print(f"oracle: {key}: excluded, the kernel does not load it as is: "
                      f"{problem[len('excluded: '):]}")
            return
        self.harness_problems += 1
        print(f"oracle: HARNESS PROBLEM in {rs.name} ({rs.origin}): {problem}")

    def count_ruleset(self, rs, probes, arrived, verdicts, verbose):
        self.rulesets += 1
        self.probes += len(probes)
        k = self.by_kind.setdefault(rs.name.rsplit("-", 1)[0] if rs.name.startswith("random")
                                    else "real " + rs.kind, [0, 0])
        k[0] += 1
        k[1] += len(probes)
        if verbose:
            unproven = sum(1 for v in verdicts if v.verdict == "unproven")
            print(f"  {rs.name}: {rs.in_name} -> {rs.out_name}, {len(probes)} probes, "
                  f"{len(arrived)} forwarded by the kernel, {unproven} unproven in sanso")

    def ok(self):
        return self.disagreements == 0 and self.errors == 0 and self.harness_problems == 0 \
            and self.probes > 0

    def summary(self, seconds):
        kinds = ", ".join(f"{k}: {n} rulesets / {p} probes" for k, (n, p) in
                          sorted(self.by_kind.items()))
        print(f"oracle: {self.rulesets} rulesets ({kinds})")
        print(f"oracle: {self.probes} probes: {self.compared} compared ({self.forwarded} forwarded "
              f"({self.translated} of them by DNAT), "
              f"{self.dropped} dropped, both agreeing), {self.unproven} unproven in sanso "
              f"(not compared), {self.disagreements} disagreements, {self.errors} sanso errors, "
              f"{self.harness_problems} harness problems; {len(self.excluded)} real configs "
              f"excluded; {seconds:.1f}s")


def _trace_args(p):
    if p.proto in (PROTO_TCP, PROTO_UDP):
        name = "tcp" if p.proto == PROTO_TCP else "udp"
        return f"{p.src} {p.dst} {name}/{p.dport} --sport {p.sport} --src-mac {p.src_mac}"
    if p.proto == PROTO_ICMP:
        return f"{p.src} {p.dst} icmp/{p.icmp_type} --src-mac {p.src_mac}"
    return f"{p.src} {p.dst} ip/{p.proto} --src-mac {p.src_mac}"


def _stages(v):
    lines = []
    for path in (v.raw or {}).get("paths", []):
        for hop in path.get("hops", []):
            for s in hop.get("stages", []):
                ev = s.get("evidence") or [{}]
                lines.append(f"      {path['verdict']}: {s['stage']}: {s['action']}"
                             f"{' (default)' if s.get('default') else ''} line "
                             f"{ev[0].get('line')}: {ev[0].get('text', '')}")
    return lines


def print_case(rs, probe, kernel, arrival, verdict, topo_dir, why, full=True):
    """Prints one case; `full` adds the ruleset text (the first cases of a ruleset)."""
    if not full:
        print(f"DISAGREEMENT in {rs.name}: {why}: {probe.describe()}; sanso trace -t {topo_dir} "
              f"{_trace_args(probe)}")
        return
    print(f"\nDISAGREEMENT in {rs.name}: {why}")
    print(f"  packet:  {probe.describe()} (in on {rs.in_name}, out on {rs.out_name})")
    print(f"  kernel:  {kernel}" + (f" as {arrival.src}:{arrival.sport} -> {arrival.dst}:"
                                   f"{arrival.dport}" if arrival else ""))
    print(f"  sanso:   {verdict.verdict}" + (f" ({verdict.error})" if verdict.error else ""))
    print("\n".join(_stages(verdict)))
    print(f"  ruleset: {rs.origin}; sanso read "
          f"{'the kernel dump' if rs.sanso_reads_dump else 'the text as loaded'}")
    print(f"  reproduce: sanso trace -t {topo_dir} {_trace_args(probe)}")
    print(f"             tools/oracle {rs.origin if rs.origin.startswith('--') else ''}")
    if len(rs.text) > 12000:
        print(f"  ruleset text: {rs.origin.split(' (')[0]} ({len(rs.text)} bytes)")
        return
    print("  --- ruleset as loaded into the kernel ---")
    print(rs.text.rstrip())
    if rs.ipsets:
        print("  --- ipsets ---")
        print(rs.ipsets.rstrip())
    print("  --- end ---")
