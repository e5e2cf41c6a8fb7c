"""The deep fuzz run of .ci/run: schemathesis against a live gunicorn, 1,000 examples an
operation, every phase (stateful included, through the contract's links), every check, and
another seed each run, printed first so that a failure can be replayed.

Run: .venv/bin/python -m tests.integration.deep_fuzz   (FUZZ_SEED=N replays run N,
FUZZ_EXAMPLES=N changes the depth, FUZZ_JOBS=N how many schemathesis processes run at once).

Where the time goes (measured): in schemathesis generating the requests, not in the server.
At 1,000 examples the schemathesis processes took 973 s of CPU and gunicorn's workers 83 s;
the batch operation alone took 277 s (its nested items), the stateful phase 194 s. The CLI's
--workers are threads of one Python process, so a single run never generated on more than one
core (the GIL) while the server left the other nearly idle. So the run is split into one
schemathesis process per operation (examples, coverage and fuzzing phases) plus one process for
the stateful phase over every operation, as in a single run; FUZZ_JOBS (default: usable CPUs)
of them at a time, slowest first. Every process gets the same seed, example count and settings
as the single run had: a failure replays with FUZZ_SEED and the command printed above its
process's output.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.adapters.cpus import usable_cpus
from tests.integration.live import ROOT, Gunicorn

CONTRACT = ROOT / "openapi" / "openapi.json"
PHASES = "examples,coverage,fuzzing,stateful"
PER_OPERATION_PHASES = "examples,coverage,fuzzing"
# Slowest first, so that a long one does not start last (seconds of CPU at 1,000 examples:
# batch 277, stateful 194, the six other Cluster bodies 53 to 77 each, the rest 8 to 15).
# Operations not listed here run after these, in the contract's order.
SLOWEST_FIRST = ("evaluateBatch", "stateful", "renderPowerShell", "renderMarkdown",
                 "renderGpeditSteps", "renderLayoutSvg", "evaluateCluster", "renderRegistryFile",
                 "downloadDocument", "evaluateInPage", "answerInventory")


def operation_ids() -> list[str]:
    """Every operationId in the contract, in its order (each operation must have one)."""
    contract = json.loads(CONTRACT.read_text())
    ids = []
    for path, item in contract["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                if "operationId" not in operation:
                    raise SystemExit(f"deep fuzz: {method.upper()} {path} has no operationId")
                ids.append(operation["operationId"])
    return ids


def jobs(ids: list[str]) -> list[tuple[str, list[str]]]:
    """(name, schemathesis arguments) of every process: one per operation without the stateful
    phase, and the stateful phase over every operation (as in a single run)."""
    every = [(op, ["--phases", PER_OPERATION_PHASES, "--include-operation-id", op]) for op in ids]
    every.append(("stateful", ["--phases", "stateful"]))
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    return sorted(every, key=lambda job: rank.get(job[0], len(rank)))


def main() -> int:
    """Fuzz a fresh gunicorn; return 0 when every schemathesis process passed."""
    seed = int(os.environ.get("FUZZ_SEED") or secrets.randbelow(2**31))
    examples = int(os.environ.get("FUZZ_EXAMPLES") or 1000)
    parallel = int(os.environ.get("FUZZ_JOBS") or usable_cpus())
    planned = jobs(operation_ids())
    print(f"deep fuzz: seed {seed}, {examples} examples an operation, phases {PHASES} "
          f"(replay with FUZZ_SEED={seed}); {len(planned)} schemathesis processes, "
          f"{parallel} at a time", flush=True)
    cli = str(Path(sys.executable).with_name("schemathesis"))
    started = time.monotonic()
    # Every check runs by default; "--checks all" would override schemathesis.toml's
    # per-operation settings. No example database: the printed seed replays a run, and without
    # one Hypothesis keeps no Pareto front of targeted examples (it grew past 6 GB and spent most
    # of the run re-shrinking large batch bodies). One worker thread a process: the processes
    # are the parallelism (threads would share one core).
    with Gunicorn(workers=3) as server, tempfile.TemporaryDirectory(prefix="deep-fuzz-") as tmp:
        def run(job: tuple[str, list[str]]) -> tuple[str, int, float, float]:
            name, selection = job
            command = [cli, "run", "openapi/openapi.json", "--url", server.url,
                       "--max-examples", str(examples), "--seed", str(seed), *selection,
                       "--workers", "1", "--generation-database", "none"]
            output = Path(tmp) / f"{name}.log"
            begin = time.monotonic()
            with open(output, "wb") as log:
                process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
                _, wait_status, usage = os.wait4(process.pid, 0)
                process.returncode = status = os.waitstatus_to_exitcode(wait_status)
            took = time.monotonic() - begin
            cpu = usage.ru_utime + usage.ru_stime
            # One block a process, whole, so that parallel outputs do not interleave.
            print(f"\n===== deep fuzz: {name}: exit status {status} in {took:.0f} s "
                  f"({cpu:.0f} s of CPU): {' '.join(command[1:])}\n"
                  f"{output.read_text(errors='replace')}", flush=True)
            return name, status, took, cpu

        with ThreadPoolExecutor(parallel) as pool:
            results = list(pool.map(run, planned))
    failed = [name for name, status, _, _ in results if status != 0]
    for name, status, took, cpu in results:
        print(f"deep fuzz: {name:28} exit {status}  {took:6.0f} s  {cpu:6.0f} s of CPU")
    print(f"deep fuzz: seed {seed}, {len(results)} processes in "
          f"{time.monotonic() - started:.0f} s ({sum(r[3] for r in results):.0f} s of CPU), "
          + (f"FAILED: {', '.join(failed)}" if failed else "all passed"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
