"""The service measured the production way, against the stack's own ceiling, in one run.

Started by `bench/run`. It starts a Redis on a free loopback port, the service with
deploy/gunicorn.conf.py (REDIS_URL at that Redis), and bench/trivial_app.py with the same
gunicorn settings, then drives them with wrk (one thread, 8 connections) and records, with ratios
measured in this run:

* ceiling: /healthz of the trivial app and of the service (stack overhead: service >= 80 %);
* evaluation, cache miss (unique bodies; 4 nodes x 4 adapters, a supported inventory, so the
  remediation planner runs) and cache hit, as shares of the trivial app's /healthz; and the
  same misses against bench/marshalling_app.py (the service's schemas around a precomputed
  answer): the most a miss can reach with marshmallow on the path;
* latency p50 and p99 of cache misses at half the measured miss throughput (open loop);
* a batch of 1,000 typical descriptions; the worst single request and batch known;
* in-process scale from 1 to 64 nodes, identical and all different (table and SVG plot);
* worker RSS after 60 s of mixed load, and its growth over that minute;
* where a busy worker's time goes in each scenario (py-spy samples by library,
  bench/request_profile.py).

Results: docs/benchmarks.md (and .json, and docs/benchmarks-scale.svg).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._machine import machine_info, source_digest  # noqa: E402
from bench.request_profile import record as spy_record, shares  # noqa: E402

HOST = "127.0.0.1"  # loopback only
WORKERS = 3  # cores + 1 on the 2-core machine the targets are set for
TARGETS = {"stack_overhead": 0.80, "miss": 0.40, "hit": 0.80, "p99_over_p50": 4.0,
           "batch_seconds": 2.0, "rss_growth": 0.05}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:
        return 0


def post(url: str, body: bytes, timeout: float = 120.0) -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            return response.status, data, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - started


class Process:
    """A child process, stopped with SIGTERM (then SIGKILL) when the run ends."""

    def __init__(self, argv: list[str], env: dict, log: Path, cwd: Path = ROOT):
        self.log = log.open("w")
        self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                             text=True)
        return [int(p) for p in out.stdout.split()]


def gunicorn(app: str | None, port: int, env: dict, log: Path) -> Process:
    """gunicorn with the service's settings, serving `app` (None: the service itself)."""
    argv = [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"]
    if app:
        argv.append(app)
    process = Process(argv, {**env, "BIND": f"{HOST}:{port}", "WEB_CONCURRENCY": str(WORKERS),
                             "PYTHONPATH": str(ROOT)}, log)
    deadline = time.monotonic() + 30
    while get(f"http://{HOST}:{port}/healthz") != 200:
        if time.monotonic() > deadline or process.process.poll() is not None:
            raise RuntimeError(f"gunicorn did not start; see {log}")
        time.sleep(0.2)
    return process


# ---- request bodies ----------------------------------------------------------------------------

def typical(name: str) -> dict:
    """4 nodes of 2 x 10 Gbps and 2 x 1 Gbps (row 6: supported, so the planner runs), addressed
    one subnet per port across nodes."""
    nodes = []
    for n in range(4):
        nodes.append({"name": f"hv{n + 1:02d}", "processor_vendor": "intel",
                      "management_ip": f"10.0.0.{n + 11}",
                      "adapters": [{"name": f"NIC{i + 1}", "speed_mbps": speed,
                                    "address": f"10.{i + 1}.0.{n + 11}/24"}
                                   for i, speed in enumerate((10_000, 1_000, 1_000, 10_000))]})
    return {"name": name, "nodes": nodes}


LUA = r"""
local mode = "@MODE@"
local before = [==[@BEFORE@]==]
local after = [==[@AFTER@]==]
counter = 0
non200 = 0  -- globals: done() reads each thread's through thread:get
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  wrk.headers["Content-Type"] = "application/json"
  fixed = wrk.format("POST", "/v1/evaluations", nil, before .. "fixed" .. after)
  health = wrk.format("GET", "/healthz")
end
function request()
  counter = counter + 1
  if mode == "get" then return health end
  if mode == "hit" then return fixed end
  if mode == "mixed" then
    local k = counter % 3
    if k == 0 then return health end
    if k == 1 then return fixed end
  end
  return wrk.format("POST", "/v1/evaluations", nil,
                    before .. "u" .. math.random(1, 1e9) .. "-" .. counter .. after)
end
function response(status, headers, body) if status ~= 200 then non200 = non200 + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non200") end
  io.write(string.format('JSON:{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"non200":%d,"errors":%d}\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), n, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


def wrk(port: int, mode: str, seconds: int, workdir: Path, connections: int = 8) -> dict:
    """wrk -t1 -c8 in one mode: get (/healthz), hit (one body), miss (unique bodies), mixed."""
    before, after = json.dumps(typical("@@")).split("@@")
    script = workdir / f"{mode}.lua"
    script.write_text(LUA.replace("@MODE@", mode).replace("@BEFORE@", before)
                      .replace("@AFTER@", after))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", str(script), f"http://{HOST}:{port}/"],
                         capture_output=True, text=True, timeout=seconds + 60)
    raw = json.loads(re.search(r"^JSON:(\{.*\})$", out.stdout, re.M).group(1))
    rps = raw["requests"] / (raw["duration_us"] / 1e6)
    return {"rps": round(rps, 1), "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "requests": raw["requests"], "non200": raw["non200"], "errors": raw["errors"]}


def open_loop(port: int, rate: float, seconds: float) -> dict:
    """Cache misses sent at a fixed rate (each on its own thread at its scheduled time), so the
    latencies are those a client sees at that load, not a closed loop's."""
    latencies: list[float] = []
    lock = threading.Lock()
    url = f"http://{HOST}:{port}/v1/evaluations"

    def one(i: int) -> None:
        status, _, took = post(url, json.dumps(typical(f"open-{i}-{time.time_ns()}")).encode())
        if status == 200:
            with lock:
                latencies.append(took)

    count = int(rate * seconds)
    started = time.perf_counter()
    threads = []
    for i in range(count):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=one, args=(i,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(60)
    latencies.sort()

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 2)
    return {"rate": round(rate, 1), "sent": count, "ok": len(latencies), "p50_ms": pct(0.50),
            "p99_ms": pct(0.99)}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---- in-process scale ----------------------------------------------------------------------------

SCALE = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from bench.worst_cases import cluster
from service.schemas.bodies import ClusterSchema
from service.domain.evaluate import evaluate
sys.path.insert(0, {bench!r})
from service_bench import typical
out = {{}}
for n in (1, 2, 4, 8, 16, 32, 64):
    body = typical("scale")
    template = body["nodes"][0]
    body["nodes"] = [dict(template, name=f"hv{{i:02d}}", management_ip=f"10.0.{{i // 200}}.{{i % 200 + 11}}",
                          adapters=[dict(a, address=f"10.{{j + 1}}.{{i // 200}}.{{i % 200 + 11}}/16")
                                    for j, a in enumerate(template["adapters"])])
                     for i in range(n)]
    alike = ClusterSchema().load(body)
    different = cluster(n, 8, public=False, chimney=False, seed=n)
    row = {{}}
    for label, c in (("identical", alike), ("all different", different)):
        started = time.perf_counter(); evaluate(c); row[label] = (time.perf_counter() - started) * 1000
    out[n] = row
print(json.dumps(out))
"""


def scale() -> dict:
    """In-process evaluate() from 1 to 64 nodes, cold in a fresh process."""
    code = SCALE.format(root=str(ROOT), bench=str(ROOT / "bench"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, check=True)
    return {int(k): v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def plot(results: dict, path: Path) -> bool:
    """docs/benchmarks-scale.svg, when matplotlib is installed (the `bench` extra)."""
    try:
        import matplotlib
        matplotlib.use("svg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    matplotlib.rcParams["svg.hashsalt"] = "lmna"  # the same run gives the same file
    sizes = sorted(results)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for label in ("identical", "all different"):
        ax.plot(sizes, [results[n][label] for n in sizes], marker="o", label=f"{label} nodes")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("nodes (8 adapters each; identical: 4 adapters)")
    ax.set_ylabel("ms, in-process, plans included")
    ax.set_title("evaluate() time by cluster size")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return True


# ---- the run ---------------------------------------------------------------------------------------

def run(seconds: int, memory_seconds: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="lmna-bench-"))
    redis_port, service_port, trivial_port = free_port(), free_port(), free_port()
    marshalling_port = free_port()
    redis = Process(["redis-server", "--port", str(redis_port), "--bind", HOST, "--save", "",
                     "--appendonly", "no"], dict(os.environ), workdir / "redis.log")
    time.sleep(0.5)
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(REDIS_URL=f"redis://{HOST}:{redis_port}/0", LOG_LEVEL="INFO")
    servers = []
    try:
        service = gunicorn(None, service_port, env, workdir / "service.log")
        servers.append(service)
        trivial = gunicorn("bench.trivial_app:create_app()", trivial_port, env,
                           workdir / "trivial.log")
        servers.append(trivial)
        marshalling = gunicorn("bench.marshalling_app:create_app()", marshalling_port, env,
                               workdir / "marshalling.log")
        servers.append(marshalling)
        for port in (service_port, trivial_port, marshalling_port):
            wrk(port, "get", 2, workdir)  # warm up
        wrk(service_port, "miss", 2, workdir)
        r: dict = {}
        r["trivial_healthz"] = wrk(trivial_port, "get", seconds, workdir)
        r["service_healthz"] = wrk(service_port, "get", seconds, workdir)
        r["miss"] = wrk(service_port, "miss", seconds, workdir)
        r["marshalling_only"] = wrk(marshalling_port, "miss", seconds, workdir)
        r["hit"] = wrk(service_port, "hit", seconds, workdir)
        r["latency_at_half"] = open_loop(service_port, r["miss"]["rps"] / 2, 10)
        # 1,000 items must fit MAX_BODY_BYTES (1 MiB): the spec's example description (one node
        # of three adapters, two teamed), each under its own name so that every one is a miss.
        from tests.support import spec_example
        batch = json.dumps({"items": [dict(spec_example(), name=f"batch-{i}-{time.time_ns()}")
                                      for i in range(1000)]}, separators=(",", ":")).encode()
        status, _, took = post(f"http://{HOST}:{service_port}/v1/evaluations/batch", batch)
        r["batch_1000"] = {"status": status, "seconds": round(took, 3), "bytes": len(batch)}
        from bench.worst_cases import CASES, as_json
        worst = json.dumps(as_json(CASES["64 nodes, 32 adapters, all public"]())).encode()
        status, answer, took = post(f"http://{HOST}:{service_port}/v1/evaluations", worst)
        r["worst_request"] = {"status": status, "seconds": round(took, 3), "bytes": len(worst),
                              "plans_complete": json.loads(answer).get("plans_complete")
                              if status == 200 else None}
        one = as_json(CASES["one node, 32 adapters, all public"]())
        items = []
        while len(json.dumps({"items": items + [one]})) < 1_000_000 and len(items) < 1000:
            items.append(dict(one, name=f"worst-{len(items)}"))
        worst_batch = json.dumps({"items": items}).encode()
        status, _, took = post(f"http://{HOST}:{service_port}/v1/evaluations/batch", worst_batch)
        r["worst_batch"] = {"status": status, "seconds": round(took, 3), "items": len(items),
                            "bytes": len(worst_batch)}
        wrk(service_port, "mixed", 10, workdir)  # warm every worker before the first sample
        before = {pid: rss_kib(pid) for pid in service.workers()}
        r["mixed_load"] = wrk(service_port, "mixed", memory_seconds, workdir)
        after = {pid: rss_kib(pid) for pid in service.workers()}
        r["rss"] = {"before_kib": before, "after_kib": after,
                    "growth": max((after[p] - before[p]) / before[p] for p in before if p in after)}
        r["profile"] = profiles(workdir, {"trivial /healthz": (trivial, trivial_port, "get"),
                                          "service /healthz": (service, service_port, "get"),
                                          "cache hit": (service, service_port, "hit"),
                                          "cache miss": (service, service_port, "miss")})
        r["scale"] = scale()
        return r
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def profiles(workdir: Path, scenarios: dict, seconds: int = 5) -> dict:
    """py-spy's view of the workers in each scenario (shares by library); empty without py-spy
    (the `bench` extra) or where it may not attach (ptrace denied)."""
    py_spy = Path(sys.executable).with_name("py-spy")
    if not py_spy.exists():
        return {}
    result = {}
    for name, (server, port, mode) in scenarios.items():
        out = workdir / f"profile-{mode}-{port}.txt"
        spy = spy_record(str(py_spy), server.process.pid, seconds, out)
        wrk(port, mode, seconds + 1, workdir)
        log = spy.communicate(timeout=60)[0].decode(errors="replace")
        if spy.returncode != 0 or not out.exists():
            print(f"py-spy could not profile {name}: {log[-300:]}", file=sys.stderr)
            return {}
        result[name] = shares(out.read_text())
    return result


def verdicts(r: dict) -> dict:
    ceiling = r["trivial_healthz"]["rps"]
    lat = r["latency_at_half"]
    return {
        "stack_overhead": r["service_healthz"]["rps"] / ceiling,
        "miss": r["miss"]["rps"] / ceiling,
        "marshalling_only": r["marshalling_only"]["rps"] / ceiling,
        "hit": r["hit"]["rps"] / ceiling,
        "p99_over_p50": lat["p99_ms"] / lat["p50_ms"] if lat["p50_ms"] else None,
        "batch_seconds": r["batch_1000"]["seconds"],
        "rss_growth": r["rss"]["growth"],
    }


def markdown(r: dict, v: dict, plotted: bool, info: dict) -> str:
    def ok(name, value):
        target = TARGETS[name]
        good = value <= target if name in ("p99_over_p50", "batch_seconds", "rss_growth") \
            else value >= target
        return "met" if good else "**missed**"
    lat = r["latency_at_half"]
    lines = [
        "# Benchmarks", "",
        "Produced by `bench/run` (bench/service_bench.py): the service under gunicorn with "
        "deploy/gunicorn.conf.py (3 sync workers) and a Redis it starts, against a trivial Flask "
        "app under the same settings; wrk, one thread, 8 connections. Ratios are measured in "
        "this one run; absolute numbers drift with the machine's load.", "",
        f"- Date: {info['date']}; machine: {info['cpu_model']}, {info['nproc']} cores, load "
        f"average {info['loadavg_1_5_15']} at the start; Python {info['python']}; code "
        f"{info['code']}", "",
        "| measure | result | ratio / target | verdict |", "|---|---|---|---|",
        f"| trivial Flask app `/healthz` (the ceiling) | {r['trivial_healthz']['rps']:.0f} req/s "
        "| 100 % | — |",
        f"| service `/healthz` | {r['service_healthz']['rps']:.0f} req/s | "
        f"{v['stack_overhead']:.0%} (≥ 80 %) | {ok('stack_overhead', v['stack_overhead'])} |",
        f"| evaluation, cache miss (4 × 4, plans run) | {r['miss']['rps']:.0f} req/s | "
        f"{v['miss']:.0%} (≥ 40 %) | {ok('miss', v['miss'])} |",
        f"| the same misses, schemas only: load and dump around a precomputed answer "
        f"(bench/marshalling_app.py) | {r['marshalling_only']['rps']:.0f} req/s | "
        f"{v['marshalling_only']:.0%} | the most a miss can reach with marshmallow |",
        f"| evaluation, cache hit | {r['hit']['rps']:.0f} req/s | {v['hit']:.0%} (≥ 80 %) | "
        f"{ok('hit', v['hit'])} |",
        f"| miss latency at {lat['rate']:.0f} req/s (half the miss maximum), open loop | "
        f"p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms ({lat['ok']}/{lat['sent']} ok) | "
        f"p99 = {v['p99_over_p50']:.1f} × p50 (≤ 4) | {ok('p99_over_p50', v['p99_over_p50'])} |",
        f"| batch of 1,000 typical descriptions (the spec's example, {r['batch_1000']['bytes']:,} B) "
        f"| {r['batch_1000']['seconds']} s "
        f"(status {r['batch_1000']['status']}) | ≤ 2 s | {ok('batch_seconds', v['batch_seconds'])} |",
        f"| worst single request (64 nodes × 32 adapters, all public, {r['worst_request']['bytes']:,} B) "
        f"| {r['worst_request']['seconds']} s (status {r['worst_request']['status']}, "
        f"plans complete: {r['worst_request']['plans_complete']}) | within the deadline | — |",
        f"| worst batch ({r['worst_batch']['items']} × one node of 32 public adapters, "
        f"{r['worst_batch']['bytes']:,} B) | {r['worst_batch']['seconds']} s "
        f"(status {r['worst_batch']['status']}) | within the deadline | — |",
        f"| worker RSS growth over {r['mixed_load']['requests']:,} mixed requests (60 s) | "
        f"{v['rss_growth']:.1%} | ≤ 5 % | {ok('rss_growth', v['rss_growth'])} |", "",
        "Worker RSS (KiB) before and after the minute of mixed load: "
        + "; ".join(f"{r['rss']['before_kib'][p]} → {r['rss']['after_kib'].get(p)}"
                    for p in r["rss"]["before_kib"]) + ".", "",
        *profile_lines(r.get("profile") or {}),
        *why_lines(r, v),
        "## Scale, in-process (plans included, cold in a fresh process)", "",
        "| nodes | identical (4 adapters) ms | all different (8 adapters) ms |", "|---|---|---|",
    ]
    for n, row in sorted(r["scale"].items()):
        lines.append(f"| {n} | {row['identical']:.1f} | {row['all different']:.1f} |")
    if plotted:
        lines += ["", "![evaluate() time by cluster size](benchmarks-scale.svg)"]
    return "\n".join(lines) + "\n"


def profile_lines(profile: dict) -> list[str]:
    """The "where the CPU goes" table (nothing when py-spy did not run)."""
    if not profile:
        return []
    names = list(profile)
    labels = list(next(iter(profile.values())))
    lines = ["## Where a busy worker's time goes", "",
             "py-spy sampling the workers for 5 s of each scenario under wrk (a separate run "
             "from the measurements above: sampling slows them). Each sample counts for the "
             "library of its innermost frame that belongs to one of these (bench/"
             "request_profile.py). Shares of wall time while a request is handled: socket reads "
             "and writes count under gunicorn (the client) and redis-py (Redis round trips). "
             "The last line, the wait for the client to close after the answer, is a share of "
             "all samples; the others leave it out.", "",
             "| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(f"{profile[n][label]:.0%}" for n in names)
                     + " |")
    return lines + [""]


def why_lines(r: dict, v: dict) -> list[str]:
    """What the run shows about the targets it misses, from its own numbers."""
    profile = r.get("profile") or {}
    lines = ["## Reading the misses", ""]
    if v["stack_overhead"] < TARGETS["stack_overhead"]:
        share = ""
        if profile:
            service = profile["service /healthz"]
            ours = service["service edge (hooks, cache, views)"] + \
                service["prometheus_client (metrics)"]
            share = (f" The profile puts {ours:.0%} of a probe's time in the service's own hooks "
                     "and metrics (the deadline timer, request id, busy gauges, request counter "
                     "and latency histogram: what production needs on every request); the rest "
                     "is gunicorn, Flask and logging, as in the trivial app.")
        lines += [f"- `/healthz` reaches {v['stack_overhead']:.0%} of the trivial app, not 80 %."
                  + share + " Meeting the target would mean dropping per-request features or "
                  "answering probes outside Flask.", ""]
    if v["miss"] < TARGETS["miss"]:
        redis = ""
        if profile:
            miss = profile["cache miss"]
            redis = (f" In the profile of misses, the evaluation (plans included) is "
                     f"{miss['domain (evaluation, plans)']:.0%} of a miss's time and the two "
                     f"Redis round trips (look-up, store) {miss['redis-py']:.0%}: Redis shares "
                     "the two cores, so each round trip waits for it to be scheduled.")
        lines += [f"- A miss reaches {v['miss']:.0%} of the ceiling." + redis +
                  " The service's schemas alone "
                  f"(load and dump, no evaluation, no cache) reach {v['marshalling_only']:.0%}: "
                  "with marshmallow on the path no miss can reach 40 % here, whatever the "
                  "evaluation costs. What would be needed: a compiled validator and serialiser "
                  "for the request and the answer, which this stack does not have.", ""]
    if v["hit"] < TARGETS["hit"]:
        lines += [f"- A hit reaches {v['hit']:.0%} of the ceiling: a hit reads and hashes a "
                  "2 KB body and sends a 9 KB answer with its cache headers, where the trivial "
                  "app answers a bodiless GET with 15 bytes. Bytes sent again are answered "
                  "without parsing (the raw-body key index); the rest is Flask's and gunicorn's "
                  "per-request work. What would be needed: serving hits in front of Flask (a "
                  "WSGI layer or the proxy), outside the stack's request handling.", ""]
    return lines if len(lines) > 2 else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="each wrk measurement")
    parser.add_argument("--memory-seconds", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    info = machine_info()
    info["code"] = source_digest()["sha256"]
    results = run(args.seconds, args.memory_seconds)
    v = verdicts(results)
    args.out.mkdir(parents=True, exist_ok=True)
    plotted = plot(results["scale"], args.out / "benchmarks-scale.svg")
    (args.out / "benchmarks.json").write_text(json.dumps(
        {"machine": info, "results": results, "ratios": v, "targets": TARGETS}, indent=2) + "\n")
    (args.out / "benchmarks.md").write_text(markdown(results, v, plotted, info))
    print((args.out / "benchmarks.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
