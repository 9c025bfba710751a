"""The kernel as oracle for sanso's Linux firewall semantics (docs/oracle.md).

For each ruleset: build client -- router -- server namespaces, check that every probe crosses
the bare router, load the ruleset, inject the probes in one burst and record which reach the
server (and with which destination); ask sanso the same through one `sanso trace --batch`
call on a generated topology; compare. Exit 0: no disagreement; 1: disagreements or harness
errors; 77: skipped (not root, no namespaces); 2: usage.
"""
import argparse
import concurrent.futures
import os
import shutil
import sys
import tempfile
import time

import rulesets as rs_mod
from lab import Lab
from netns import Namespaces, can_create_namespaces
from packets import PROTO_TCP, PROTO_UDP
from report import Tally, print_case
from sanso_side import supports_vendor, trace_batch, write_topology

SKIPPED = 77


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(prog="tools/oracle", description=__doc__.split("\n\n")[0])
    p.add_argument("--sanso", help="the sanso binary (default: build/test/sanso, build/oracle/sanso)")
    p.add_argument("--seed", default="1", help="seed of the random rulesets and probes (default 1)")
    p.add_argument("--random", type=int,
                   help="random iptables rulesets (default 45, or 70 without nftables runs)")
    p.add_argument("--nft", type=int, default=40, help="random nftables rulesets (default 40)")
    p.add_argument("--probes", type=int, default=150,
                   help="probes per random iptables ruleset (default 150)")
    p.add_argument("--nft-probes", type=int, default=110,
                   help="probes per random nftables ruleset (default 110)")
    p.add_argument("--real-probes", type=int, default=30,
                   help="probes per real config run (default 30; sanso is slow on them)")
    p.add_argument("--real-pairs", type=int, default=2, help="port pairs per real config (default 2)")
    p.add_argument("--no-real", action="store_true", help="skip the real configs")
    p.add_argument("--shared", default=os.path.join(os.path.dirname(root), "shared"),
                   help="the shared folder with configs/real (default ../shared)")
    p.add_argument("--only", help="run only the ruleset of this name")
    p.add_argument("--keep", help="keep every ruleset's topology in this directory")
    p.add_argument("--jobs", type=int, default=2, help="sanso processes at once (default 2)")
    p.add_argument("--verbose", "-v", action="store_true", help="one line per ruleset")
    a = p.parse_args(argv)
    if a.sanso is None:
        for c in ("build/test/sanso", "build/oracle/sanso"):
            if os.access(os.path.join(root, c), os.X_OK):
                a.sanso = os.path.join(root, c)
                break
    if a.sanso is None or not os.access(a.sanso, os.X_OK):
        p.error("no sanso binary: give --sanso PATH")
    return a


def build_rulesets(a, nft_supported):
    out = []
    for i in range(a.random):
        out.append(rs_mod.random_iptables(a.seed, i, a.probes))
    if nft_supported:
        import gen_nft
        for i in range(a.nft):
            out.append(gen_nft.random_nft(a.seed, i, a.nft_probes))
    if not a.no_real:
        for kind in ("iptables", "nftables") if nft_supported else ("iptables",):
            files = rs_mod.real_config_files(a.shared, kind)
            if not files:
                print(f"oracle: real {kind} configs skipped: {a.shared}/configs/real/{kind} "
                      "is absent")
            for f in files:
                out.extend(rs_mod.real_ruleset(a.seed, kind, f, a.real_probes, a.real_pairs))
    if a.only:
        out = [r for r in out if r.name == a.only]
    return out


def kernel_side(ns, rs):
    """Runs the ruleset in the kernel. Returns (probes, arrived, problem): the probes that
    cross the bare router, {index: Arrival} under the ruleset, and why it could not run."""
    with Lab(ns, rs.in_name, rs.out_name, rs.client_cidrs) as lab:
        bare, problem = lab.burst(rs.probes)
        if problem:
            return [], {}, f"bare router: {problem}"
        lost = [p for i, p in enumerate(rs.probes) if i + 1 not in bare]
        if lost:
            return [], {}, (f"{len(lost)} probes do not cross the bare router, e.g. "
                            f"{lost[0].describe()}: harness bug")
        problem = lab.load(rs.kind, rs.text, rs.ipsets)
        if problem:
            return [], {}, "excluded: " + problem
        if rs.sanso_reads_dump:
            rs.sanso_text, problem = lab.dump(rs.kind)
            if problem:
                # The listing tool itself failed (nft 1.0.6 asserts on some rules): sanso reads
                # the text as loaded instead, which the kernel accepted.
                print(f"oracle: {rs.name}: {problem}; sanso reads the text as loaded")
                rs.sanso_reads_dump = False
                rs.sanso_text = rs.text
        elif not rs.sanso_text:
            rs.sanso_text = rs.text
        arrived, problem = lab.burst(rs.probes)
        if problem:
            return [], {}, problem
    return rs.probes, {tag - 1: a for tag, a in arrived.items()}, None


def compare(rs, probes, arrived, verdicts, tally, topo_dir):
    """Tallies each probe; prints every disagreement as a reproducible case."""
    bad = 0
    for i, p in enumerate(probes):
        v, k = verdicts[i], arrived.get(i)
        if v.verdict == "error":
            tally.errors += 1
            bad += 1
            print_case(rs, p, "error", k, v, topo_dir, f"sanso could not trace it: {v.error}",
                       bad < 3)
            continue
        if v.verdict == "unproven":
            tally.unproven += 1
            continue
        tally.compared += 1
        if v.verdict == "allowed" and k is None:
            why = "sanso allows, the kernel drops"
        elif v.verdict == "denied" and k is not None:
            why = "sanso denies, the kernel forwards"
        elif k is not None:
            got = (k.dst, k.dport if p.proto in (PROTO_TCP, PROTO_UDP) else None)
            if got in v.arrives_as:
                tally.forwarded += 1
                tally.translated += got != (p.dst, p.dport if got[1] is not None else None)
                continue
            why = f"both forward, but the kernel delivers to {got}, sanso to {list(v.arrives_as)}"
        else:
            tally.dropped += 1
            continue
        tally.disagreements += 1
        bad += 1
        print_case(rs, p, "forwarded" if k else "dropped", k, v, topo_dir, why, bad <= 3)
    return bad


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    why = can_create_namespaces()
    if why:
        print(f"oracle: skipped: {why}")
        return SKIPPED
    work = a.keep or tempfile.mkdtemp(prefix="sanso-oracle-")
    nft_supported = supports_vendor(a.sanso, "nftables")
    print(f"oracle: sanso {a.sanso}; seed {a.seed} (rerun: tools/oracle --seed {a.seed})")
    if not nft_supported:
        print("oracle: nftables runs: skipped: nftables not supported by this build")
    if a.random is None:
        # At least 10,000 probes per run either way (docs/oracle.md).
        a.random = 45 if nft_supported else 70
    tally = Tally()
    rulesets = build_rulesets(a, nft_supported)
    failed_dirs = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs))
    pending = []

    def finish(item):
        rs, probes, arrived, topo_dir, fut = item
        verdicts = fut.result()
        bad = compare(rs, probes, arrived, verdicts, tally, topo_dir)
        tally.count_ruleset(rs, probes, arrived, verdicts, a.verbose)
        if bad:
            failed_dirs.append(topo_dir)
        elif not a.keep:
            shutil.rmtree(topo_dir, ignore_errors=True)

    try:
        with Namespaces() as ns:
            for rs in rulesets:
                try:
                    probes, arrived, problem = kernel_side(ns, rs)
                except (OSError, RuntimeError) as e:
                    probes, arrived, problem = [], {}, f"lab failed: {e}"
                if problem:
                    tally.note_problem(rs, problem)
                    continue
                topo_dir = os.path.join(work, rs.name)
                topo = write_topology(topo_dir, rs, rs.client_cidrs, rs.server_cidrs)
                # sanso runs beside the next ruleset's kernel work (the namespaces are this
                # thread's; sanso needs none).
                fut = pool.submit(trace_batch, a.sanso, topo, probes)
                pending.append((rs, probes, arrived, topo_dir, fut))
                while len(pending) > a.jobs:
                    finish(pending.pop(0))
            while pending:
                finish(pending.pop(0))
    finally:
        pool.shutdown(wait=True)
    tally.summary(time.monotonic() - started)
    if failed_dirs:
        print(f"oracle: the failing rulesets' topologies are kept under {work}")
    elif not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if tally.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
