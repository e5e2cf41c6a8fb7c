"""In-process time of `evaluate(cluster)` (remediation plans included) on the worst descriptions.

The descriptions are `bench/worst_cases.py`'s: 64 nodes that all differ, with 16 or 32 adapters
of mixed speeds and teams, every port public, TCP Chimney and IPsec on, in design and audit
mode. Each case runs in a fresh process (no memo carried over from another case), cold: the
first evaluation of the description, as a new request would be. It reports the median of
--runs such processes, the plans found, whether the search was complete, and the node
assessments the planner made against its limit.

    .venv/bin/python bench/planner_bench.py                    # prints the table
    .venv/bin/python bench/planner_bench.py --out bench/results   # also writes planner.md/.json

--timeout bounds each process (a case past it is reported as such): the code before the planner
took minutes on some of these.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from bench.worst_cases import CASES, as_json
from service.domain.evaluate import evaluate
cluster = CASES[{name!r}]()
if {warm!r}:
    # A worker that has served other descriptions: the designer's shared ratings are warm.
    from bench.worst_cases import cluster as other
    evaluate(other(8, 32, seed=1234))
started, cpu = time.perf_counter(), time.process_time()
evaluation = evaluate(cluster)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({{
    "seconds": seconds,
    "cpu_seconds": cpu,
    "bytes": len(json.dumps(as_json(cluster))),
    "classification": evaluation.classification.value,
    "plans": [[p.classification.value, p.cost] for p in getattr(evaluation, "plans", ())],
    "remediation": len(evaluation.remediation),
    "plans_complete": getattr(evaluation, "plans_complete", None),
}}))
"""


def run_case(name: str, timeout: float, warm: bool = False) -> dict:
    """One evaluation of a case in its own process: cold, or after another description."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), name=name,
                                                                  warm=warm)],
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout": timeout}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--before", type=Path,
                        help="planner.json of an earlier run (older code) to show beside")
    args = parser.parse_args(argv)
    from bench.worst_cases import CASES
    from bench._machine import machine_info
    results = {}
    for name in CASES:
        samples = [run_case(name, args.timeout) for _ in range(args.runs)]
        warm = [run_case(name, args.timeout, warm=True) for _ in range(args.runs)]
        times = [s["seconds"] for s in samples if s.get("seconds") is not None]
        warm_times = [s["seconds"] for s in warm if s.get("seconds") is not None]
        cpu_times = [s["cpu_seconds"] for s in samples if s.get("cpu_seconds") is not None]
        last = samples[-1]
        results[name] = {**{k: v for k, v in last.items() if k not in ("seconds", "cpu_seconds")},
                         "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
                         "cpu_median_ms": round(statistics.median(cpu_times) * 1000, 1)
                         if cpu_times else None,
                         "warm_median_ms": round(statistics.median(warm_times) * 1000, 1)
                         if warm_times else None,
                         "runs_ms": [round(t * 1000, 1) for t in times]}
        shown = f"{results[name]['median_ms']} ms" if times else f"> {args.timeout:.0f} s"
        print(f"{name}: {shown}, {last.get('classification')}, plans {last.get('plans')}, "
              f"complete {last.get('plans_complete')}", flush=True)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        record = {"date": time.strftime("%Y-%m-%d"), "machine": machine_info(),
                  "command": "bench/planner_bench.py " + " ".join(argv or sys.argv[1:]),
                  "results": results}
        (args.out / "planner.json").write_text(json.dumps(record, indent=2) + "\n")
        before = json.loads(args.before.read_text())["results"] if args.before else {}
        lines = ["# Worst-case evaluations in-process (remediation plans included)", "",
                 f"- Date: {record['date']}; machine: "
                 + ", ".join(f"{k} {v}" for k, v in record["machine"].items()),
                 f"- Command: `.venv/bin/python {record['command']}`", "",
                 "Cold: the first evaluation in a fresh process. Warm: after another description "
                 "of the same size, as in a worker that has served requests (the designer's "
                 "ratings are shared across descriptions). Before: the code before the planner "
                 "(remediation as a ladder of full re-assessments), cold, when given. Times are "
                 "wall-clock medians; CPU is the cold evaluation's processor time, which the "
                 "machine's other load does not inflate.", "",
                 "| case | body | before | cold | cold CPU | warm | class | plans (class, cost) "
                 "| complete |", "|---|---|---|---|---|---|---|---|---|"]
        for name, r in results.items():
            median = f"{r['median_ms']} ms" if r["median_ms"] is not None \
                else f"> {args.timeout:.0f} s (timed out)"
            old = before.get(name, {}).get("median_ms")
            lines.append(f"| {name} | {r.get('bytes', '—')} B | "
                         f"{f'{old} ms' if old else '—'} | {median} | "
                         f"{r.get('cpu_median_ms')} ms | {r.get('warm_median_ms')} ms | "
                         f"{r.get('classification', '—')} | {r.get('plans', '—')} | "
                         f"{r.get('plans_complete', '—')} |")
        (args.out / "planner.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
