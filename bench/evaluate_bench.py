"""In-process speed of the domain entry point `service.domain.evaluate.evaluate(cluster)`.

What it measures
----------------
Wall time (time.perf_counter) of one `evaluate(cluster)` call (remediation included, as the
HTTP path runs it) for clusters of N = 1, 2, 4, 8, 16, 32, 64 nodes. Every node has 8 adapters:

* NIC1, NIC2   - 2 x 10 Gbps lone adapters (NIC1 public, NIC2 private)
* NIC3, NIC4   - link-aggregation team LACP1 of 2 x 10 Gbps, network private
* NIC5, NIC6   - failover team FO1 of 2 x 1 Gbps
* NIC7, NIC8   - 2 x 1 Gbps lone adapters

management_ip is on FO1's subnet (10.0.0.0/24), where design mode puts management.
Note: N > 16 is classified unsupported (LM108: a Windows Server 2008 R2 cluster has at most 16
nodes), which makes `evaluate` also run the remediation search (it re-evaluates candidate
changes). So the script also times `evaluate(cluster, with_remediation=False)` (column
"no-remed") to show that share.

Nodes are identical hardware with distinct names, management_ip and addresses (the same subnet
per port across nodes), as in a real cluster.

For each N it reports:
* warm: median and p95 of RUNS timed runs after WARMUP warm-up runs, with the designer's memos
  populated (hardware the server has seen) but the per-node memo cleared before every run (a
  new cluster description: names and addresses differ);
* cold: the first run after `service.domain.design.best_choice.cache_clear()` and the
  cache_clear() of every other functools memo found in service.domain.* (ruleset_version
  excepted) (median of COLD_RUNS such first runs, each after its own clear);
* ms per node, and a linearity check: (t64 / t1) / 64 (1.0 = perfectly linear).

A heterogeneous variant at N=64 gives each node slightly different adapter speeds, so each node
has its own inventory and memoisation cannot help; it is timed both cold (cache cleared before
each run) and warm (cache kept; 64 distinct entries fit in the 4096-entry cache).

Target: the 64-node identical cluster under 20 ms median, judged on the cold runs (every memo
cleared first, the worst case). The script says if it is met.

It also profiles the N=64 identical cluster (cold-start run + warm runs) with cProfile and writes
the top 15 entries by cumulative time to bench/results/evaluate_profile.txt.

How to run (from the repository root):

    .venv/bin/python bench/evaluate_bench.py                 # prints the table
    .venv/bin/python bench/evaluate_bench.py --out bench/results   # also writes raw JSON,
                                                              # evaluate.md, evaluate_profile.txt

Options: --runs (30), --warmup (3), --cold-runs (5), --max-seconds (300, a time bound for the
whole run: remaining measurements are skipped and flagged if exceeded).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from _machine import machine_info, source_digest  # noqa: E402  (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.domain import design as _design  # noqa: E402
from service.domain.evaluate import evaluate  # noqa: E402
from service.domain.model import Adapter, Cluster, Node, Team  # noqa: E402

SIZES = (1, 2, 4, 8, 16, 32, 64)
TARGET_MS = 20.0


# ---- cluster builders ---------------------------------------------------------------------------

def make_node(i: int, *, speed_bump: int = 0) -> Node:
    """Node i (0-based). speed_bump > 0 makes the adapter speeds differ slightly per node."""
    host = 11 + i  # 10.0.0.11, 10.0.0.12, ...
    g10 = 10_000 + 10 * speed_bump
    g1 = 1_000 + speed_bump
    adapters = (
        Adapter("NIC1", g10, network="public", address=f"172.16.0.{host}/24"),
        Adapter("NIC2", g10, network="private", address=f"192.168.20.{host}/24"),
        Adapter("NIC3", g10, team="LACP1"),
        Adapter("NIC4", g10, team="LACP1"),
        Adapter("NIC5", g1, team="FO1"),
        Adapter("NIC6", g1, team="FO1"),
        Adapter("NIC7", g1, address=f"192.168.40.{host}/24"),
        Adapter("NIC8", g1, address=f"192.168.50.{host}/24"),
    )
    teams = (
        Team("LACP1", mode="link_aggregation", network="private", address=f"192.168.10.{host}/24"),
        Team("FO1", mode="failover", address=f"10.0.0.{host}/24"),
    )
    return Node(name=f"hv{i + 1:02d}", adapters=adapters, teams=teams,
                processor_vendor="intel", management_ip=f"10.0.0.{host}")


def make_cluster(n: int, heterogeneous: bool = False) -> Cluster:
    nodes = tuple(make_node(i, speed_bump=(i + 1) if heterogeneous else 0) for i in range(n))
    return Cluster(nodes=nodes, name=f"bench-{n}{'-het' if heterogeneous else ''}")


# ---- timing ---------------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def time_warm(cluster: Cluster, runs: int, warmup: int, remediation: bool = True) -> list[float]:
    """The designer's memo warm, the per-node memo cleared before each run: a new description of
    hardware the server has seen before (a repeated description would be an HTTP cache hit)."""
    from service.domain import assessment as _assessment
    for _ in range(warmup):
        evaluate(cluster, remediation)
    samples = []
    for _ in range(runs):
        _assessment.assess_node.cache_clear()
        t0 = time.perf_counter()
        evaluate(cluster, remediation)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def domain_caches() -> list:
    """Every functools cache in service.domain.* (best_choice, and any memo added later), except
    ruleset_version (a constant of the installed rules, not a per-input memo)."""
    import importlib
    import pkgutil
    import service.domain as pkg
    found = []
    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        module = importlib.import_module(mod.name)
        for name, obj in vars(module).items():
            if callable(getattr(obj, "cache_clear", None)) and \
                    getattr(obj, "__module__", "") == module.__name__ and name != "ruleset_version":
                found.append(obj)
    return found


def clear_caches() -> None:
    _design.best_choice.cache_clear()
    for fn in domain_caches():
        fn.cache_clear()


def time_cold(cluster: Cluster, runs: int) -> list[float]:
    """Each run after clearing every domain memo (the clear itself is not timed)."""
    samples = []
    for _ in range(runs):
        clear_caches()
        t0 = time.perf_counter()
        evaluate(cluster)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    return {"n_samples": len(samples), "median_ms": statistics.median(samples),
            "p95_ms": _pct(samples, 95), "min_ms": min(samples), "max_ms": max(samples),
            "samples_ms": [round(s, 4) for s in samples]}


def _top(prof: cProfile.Profile, key: str, n: int = 15) -> str:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(n)
    return buf.getvalue()


def _callers(prof: cProfile.Profile, pattern: str) -> str:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("cumulative").print_callers(pattern)
    return buf.getvalue()


def profile_n64(runs: int) -> str:
    """cProfile of the 64-node identical cluster: warm runs (the target's case) and one cold run."""
    cluster = make_cluster(64)
    evaluate(cluster)  # warm the designer's memo
    warm = cProfile.Profile()
    warm.enable()
    for _ in range(runs):
        evaluate(cluster)
    warm.disable()
    clear_caches()
    cold = cProfile.Profile()
    cold.enable()
    evaluate(cluster)
    cold.disable()
    return (f"cProfile of evaluate(cluster), 64-node identical cluster (cProfile inflates "
            f"per-call overhead: read the shares, not the absolute times).\n\n"
            f"==== WARM: {runs} calls, best_choice memo populated; top 15 by cumulative ====\n"
            + _top(warm, "cumulative")
            + "\n==== WARM: same profile, top 15 by own time (tottime) ====\n"
            + _top(warm, "tottime")
            + "\n==== WARM: who calls the address parsing (ip_interface / Port.subnet / Port.ip) ====\n"
            + _callers(warm, r"ip_interface|\(subnet\)|\(ip\)")
            + "\n==== COLD: 1 call after best_choice.cache_clear(); top 15 by cumulative ====\n"
            + _top(cold, "cumulative"))


def markdown(results: dict, table: str, profile_text: str | None) -> str:
    m = results["machine"]
    t = results["target"]
    ident = results["identical"]
    rows = "\n".join(
        f"| {n} | {r['classification']} | {r['warm']['median_ms']:.3f} | {r['warm']['p95_ms']:.3f} | "
        f"{r['warm']['median_ms'] / n:.3f} | {r['cold']['median_ms']:.3f} | "
        f"{r['warm_no_remediation']['median_ms']:.3f} |" for n, r in ident.items())
    het = results["heterogeneous"].get(64)
    het_rows = "" if het is None else (
        f"| 64 heterogeneous, memo kept (warm) | {het['warm']['median_ms']:.3f} | "
        f"{het['warm']['p95_ms']:.3f} |\n"
        f"| 64 heterogeneous, memo cleared before every run | "
        f"{het['cold_every_run']['median_ms']:.3f} | {het['cold_every_run']['p95_ms']:.3f} |")
    top = ""
    if profile_text:
        block = profile_text.split("==== WARM: same profile")[0]
        top = "\n## cProfile, N=64 identical, warm (top 15 by cumulative)\n\n```\n" + \
            block.strip() + "\n```\n\nFull profile (tottime, callers of the address parsing, " \
            "cold run): `evaluate_profile.txt`.\n"
    verdict = "MET" if t["met"] else "NOT MET"
    return f"""# evaluate(cluster) benchmark

Generated by `bench/evaluate_bench.py` (rerunning overwrites this file).

- Date: {m['date']}
- Machine: nproc={m['nproc']}, CPU `{m['cpu_model']}`, {m['platform']}
- Load average at start / end (1, 5, 15 min): {m['loadavg_1_5_15']} / {results.get('loadavg_end')}
- Code: service/ + gunicorn.conf.py sha256 {m['source']['sha256']} ({m['source']['files']} files, newest mtime {m['source']['newest_mtime']})
- Python {m['python']}
- Command: `{results['command']}`
- {results['runs']} timed runs after {results['warmup']} warm-up runs; "cold" = first run after
  clearing every domain memo ({', '.join(m.get('memos_cleared_for_cold', []))}), median of
  {results['cold_runs']}.
- Cluster: N identical nodes, 8 adapters each (2 x 10 Gbps lone, LACP team 2 x 10 Gbps private,
  failover team 2 x 1 Gbps, 2 x 1 Gbps lone), distinct names / IPs, same subnet per port.
  N > 16 draws warning LM108 (a 2008 R2 cluster has at most 16 nodes); "no remediation" =
  `evaluate(cluster, with_remediation=False)`.

## Target: 64-node identical cluster, cold median < {TARGET_MS:.0f} ms: **{verdict}**
({t['median_ms']:.3f} ms)

| N | class | warm median ms | warm p95 ms | ms/node | cold median ms | no-remediation median ms |
|---|---|---|---|---|---|---|
{rows}

Linearity (t64 / t1) / 64 (1.0 = linear): warm {results.get('linearity_warm', float('nan')):.2f},
cold {results.get('linearity_cold', float('nan')):.2f}, warm without remediation
{results.get('linearity_warm_no_remediation', float('nan')):.2f}.

| variant | median ms | p95 ms |
|---|---|---|
{het_rows}
{top}
Raw numbers (every sample): `evaluate.json`; console table: `evaluate_table.txt`.
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--profile-runs", type=int, default=10)
    ap.add_argument("--max-seconds", type=float, default=300.0)
    ap.add_argument("--out", type=Path, default=None,
                    help="directory for evaluate.json / evaluate.md / evaluate_profile.txt")
    args = ap.parse_args(argv)
    runs, warmup, cold_runs = (max(1, min(args.runs, 1000)), max(0, min(args.warmup, 100)),
                               max(1, min(args.cold_runs, 100)))
    deadline = time.monotonic() + args.max_seconds
    argv_used = sys.argv[1:] if argv is None else list(argv)
    command = " ".join(["cd", str(ROOT), "&&", ".venv/bin/python", "bench/evaluate_bench.py",
                        *argv_used])
    info = machine_info()
    info["source"] = source_digest()
    info["memos_cleared_for_cold"] = [f"{f.__module__}.{f.__qualname__}" for f in domain_caches()]
    results = {"machine": info, "command": command, "runs": runs, "warmup": warmup,
               "cold_runs": cold_runs, "identical": {}, "heterogeneous": {}, "truncated": False}

    # Sanity: what the benchmark cluster evaluates to (so the numbers are about a real answer).
    ev = evaluate(make_cluster(4))
    results["sample_evaluation"] = {
        "classification": ev.classification.value, "source": ev.classification_source,
        "layout_node0": [(p.role.value, p.port, p.virtual, p.bandwidth_cap_percent)
                         for p in ev.nodes[0].layout],
        "findings": len(ev.findings), "remediation": len(ev.remediation)}
    evh = evaluate(make_cluster(4, heterogeneous=True))
    results["sample_evaluation_heterogeneous"] = {
        "classification": evh.classification.value, "findings": len(evh.findings),
        "finding_codes": sorted({f.code for f in evh.findings})}

    for n in SIZES:
        if time.monotonic() > deadline:
            results["truncated"] = True
            break
        cluster = make_cluster(n)
        cold = time_cold(cluster, cold_runs)
        warm = time_warm(cluster, runs, warmup)
        bare = time_warm(cluster, runs, warmup, remediation=False)
        ev = evaluate(cluster)
        results["identical"][n] = {"warm": summary(warm), "cold": summary(cold),
                                   "warm_no_remediation": summary(bare),
                                   "classification": ev.classification.value,
                                   "remediation_steps": len(ev.remediation)}

    if time.monotonic() <= deadline:
        het = make_cluster(64, heterogeneous=True)
        cold = time_cold(het, cold_runs)
        warm = time_warm(het, runs, warmup)
        results["heterogeneous"][64] = {"warm": summary(warm), "cold_every_run": summary(cold)}
    else:
        results["truncated"] = True

    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    ident = results["identical"]
    if 1 in ident and 64 in ident:
        for kind in ("warm", "cold", "warm_no_remediation"):
            results[f"linearity_{kind}"] = (ident[64][kind]["median_ms"]
                                            / ident[1][kind]["median_ms"]) / 64
    met = 64 in ident and ident[64]["cold"]["median_ms"] < TARGET_MS
    results["target"] = {"what": "64-node identical cluster, cold median < 20 ms",
                         "median_ms": ident.get(64, {}).get("cold", {}).get("median_ms"),
                         "met": met}

    # ---- table ----
    lines = []
    lines.append(f"{info['date']}  nproc={info['nproc']}  cpu={info['cpu_model']}  "
                 f"python={info['python']}  loadavg(start)={info['loadavg_1_5_15']}")
    lines.append(f"evaluate(cluster) - {runs} runs after {warmup} warm-up; cold = first run after "
                 f"clearing every domain memo, median of {cold_runs}")
    lines.append(f"{'N':>3} | {'median ms':>9} | {'p95 ms':>8} | {'ms/node':>7} | "
                 f"{'cold med ms':>11} | {'cold ms/node':>12} | {'no-remed med':>12} | class")
    lines.append("-" * 100)
    for n, r in ident.items():
        w, c = r["warm"], r["cold"]
        lines.append(f"{n:>3} | {w['median_ms']:>9.3f} | {w['p95_ms']:>8.3f} | "
                     f"{w['median_ms'] / n:>7.3f} | {c['median_ms']:>11.3f} | "
                     f"{c['median_ms'] / n:>12.3f} | "
                     f"{r['warm_no_remediation']['median_ms']:>12.3f} | {r['classification']}")
    if 64 in results["heterogeneous"]:
        h = results["heterogeneous"][64]
        lines.append(f"het64 warm (memo kept)   : median {h['warm']['median_ms']:.3f} ms, "
                     f"p95 {h['warm']['p95_ms']:.3f} ms, {h['warm']['median_ms'] / 64:.3f} ms/node")
        lines.append(f"het64 cold (memo cleared): median {h['cold_every_run']['median_ms']:.3f} ms, "
                     f"p95 {h['cold_every_run']['p95_ms']:.3f} ms, "
                     f"{h['cold_every_run']['median_ms'] / 64:.3f} ms/node")
    if "linearity_warm" in results:
        lines.append(f"linearity (t64/t1)/64: warm {results['linearity_warm']:.3f}, "
                     f"cold {results['linearity_cold']:.3f}, warm without remediation "
                     f"{results['linearity_warm_no_remediation']:.3f}  (1.0 = linear)")
    lines.append(f"loadavg(end)={results['loadavg_end']}")
    t = results["target"]
    lines.append(f"TARGET 64-node identical cold median < {TARGET_MS:.0f} ms: "
                 f"{'MET' if t['met'] else 'NOT MET'} ({t['median_ms']:.3f} ms)"
                 if t["median_ms"] is not None else "TARGET: not measured (time bound hit)")
    if results["truncated"]:
        lines.append("WARNING: stopped early at --max-seconds; some sizes were not measured")
    table = "\n".join(lines)
    print(table)

    profile_text = None
    if time.monotonic() <= deadline + 30:
        profile_text = profile_n64(max(1, min(args.profile_runs, 100)))
        # Top lines to stdout too.
        print("\n" + "\n".join(profile_text.splitlines()[:30]))

    if args.out:
        out = args.out
        out.mkdir(parents=True, exist_ok=True)
        (out / "evaluate.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
        if profile_text:
            (out / "evaluate_profile.txt").write_text(
                f"# {info['date']}  nproc={info['nproc']}  cpu={info['cpu_model']}  "
                f"python={info['python']}\n# command: {command}\n\n" + profile_text)
        (out / "evaluate_table.txt").write_text(table + "\n")
        (out / "evaluate.md").write_text(markdown(results, table, profile_text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
