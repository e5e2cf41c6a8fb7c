"""Replays issue 9's attacks against a live gunicorn (3 sync workers, deploy/gunicorn.conf.py),
with nginx in front when the tree has deploy/nginx, and times the worst-case request and batch.

    .venv/bin/python bench/hostile_bench.py --out bench/results            # this tree
    .venv/bin/python bench/hostile_bench.py --root /tmp/before --label before --out bench/results

--root runs another checkout of the project (e.g. `git archive <commit> | tar -x -C /tmp/before`)
with this venv; the slow test app (tests/integration/slow_app.py) is copied into it when missing.
Every number comes from requests to 127.0.0.1; each attack is bounded to seconds.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import socket
import string
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from bench._machine import machine_info, source_digest  # noqa: E402
from tests.integration import live  # noqa: E402

SLOW_APP = "tests.integration.slow_app:create_app()"
REDIS_URL = "redis://127.0.0.1:6379/13"


def call(url, body=None, timeout=30, method=None, raw=None, headers=None):
    """(status, headers, body, seconds); ('error: ...', {}, b'', seconds) for a dropped call."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url, data, {"Content-Type": "application/json", **(headers or {})},
                                 method=method)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read(), time.monotonic() - started
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), time.monotonic() - started
    except OSError as e:
        return f"error: {type(e).__name__}", {}, b"", time.monotonic() - started


def description(name="bench", nodes=1):
    adapters = [{"name": "NIC1", "speed_mbps": 1000}, {"name": "NIC2", "speed_mbps": 1000, "team": "T1"},
                {"name": "NIC3", "speed_mbps": 1000, "team": "T1"}]
    return {"name": name, "nodes": [{"name": f"hv{i:02d}", "management_ip": f"10.0.0.{i + 1}",
                                     "adapters": adapters,
                                     "teams": [{"name": "T1", "mode": "link_aggregation",
                                                "network": "private"}]} for i in range(nodes)]}


def heterogeneous(nodes=64, adapters=32, seed=0):
    """The costliest valid shape we know: every node's adapters differ, so no memo helps."""
    rng = random.Random(seed)
    speeds = [100, 1000, 2500, 5000, 10000, 25000, 40000, 100000]
    return {"name": f"worst-{seed}", "nodes": [
        {"name": f"n{j}", "adapters": [{"name": f"A{i}", "speed_mbps": rng.choice(speeds),
                                        **({"network": rng.choice(["public", "private"])}
                                           if rng.random() < 0.5 else {})}
                                       for i in range(adapters)]} for j in range(nodes)]}


def probe_loop(url, port, seconds, stop=None):
    """HTTP /healthz and /readyz (2 s timeouts, as a Kubernetes probe) and TCP connect probes
    every 0.5 s for `seconds`."""
    http, tcp, ready, worst = [], [], [], 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (stop and stop.is_set()):
        status, _, _, took = call(url + "/healthz", timeout=2)
        http.append(status == 200)
        worst = max(worst, took)
        ready.append(call(url + "/readyz", timeout=2)[0] == 200)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                tcp.append(True)
        except OSError:
            tcp.append(False)
        time.sleep(0.5)
    return {"http_ok": f"{sum(http)}/{len(http)}", "http_worst_s": round(worst, 2),
            "tcp_ok": f"{sum(tcp)}/{len(tcp)}",
            "readyz_ready": f"{sum(ready)}/{len(ready)}"}


def costly_load(front, server, seconds=12):
    """Three clients looping requests that cost 30 s each; health probed meanwhile."""
    stop, statuses = threading.Event(), []

    def client(i):
        while not stop.is_set():
            statuses.append(call(front + "/v1/evaluations", description("slow-30"), timeout=70)[0])
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    result = probe_loop(front, server.port, seconds)
    # How long a probe with no timeout of its own waits for a worker.
    result["healthz_wait_s"] = round(call(front + "/healthz", timeout=70)[3], 2)
    stop.set()
    for t in threads:
        t.join(75)
    result["costly_statuses"] = sorted({str(s) for s in statuses})
    return result


def slow_clients(front_port, front, server, seconds=10):
    """Three idle connections and three that send headers a byte every 5 s."""
    held = []
    for i in range(6):
        s = socket.create_connection(("127.0.0.1", front_port), timeout=5)
        if i % 2:
            s.sendall(b"P")
        held.append(s)
    result = probe_loop(front, server.port, seconds)
    for s in held:
        s.close()
    return result


def single(front, body, timeout=70):
    status, headers, data, took = call(front + "/v1/evaluations", body, timeout=timeout)
    return {"status": status, "content_type": headers.get("Content-Type"), "seconds": round(took, 2)}


def sigterm_during(server, front, seconds_of_work):
    out = {}
    t = threading.Thread(target=lambda: out.update(
        single(front, description(f"slow-{seconds_of_work}"), timeout=60)))
    t.start()
    time.sleep(1)
    server.process.send_signal(signal.SIGTERM)
    t.join(70)
    return out


def hot_ratio(front, spoil, rounds=60):
    """The hit ratio of one hot key while another request spoils the cache."""
    hot = description("hot")
    call(front + "/v1/evaluations", hot)
    hits = 0
    for i in range(rounds):
        spoil(i)
        hits += call(front + "/v1/evaluations", hot)[1].get("X-Cache") == "hit"
    return f"{100 * hits / rounds:.0f} %"


def redis_attacks(label):
    import redis
    out = {}
    with live.Gunicorn(workers=3, REDIS_URL=REDIS_URL,
                       CACHE_KEY_PREFIX=f"bench-{label}-{time.time_ns()}:") as g:
        client = redis.Redis.from_url(REDIS_URL)
        prefix = g.env["CACHE_KEY_PREFIX"]
        # planted value: find the key the service used for a body, then replace its value
        body = description("planted")
        call(g.url + "/v1/evaluations", body)
        key = next(iter(client.scan_iter(f"{prefix}*")))
        client.set(key, b"<script>alert(1)</script>")
        status, headers, data, _ = call(g.url + "/v1/evaluations", body)
        out["planted_value"] = {"status": status, "served_planted": b"<script>" in data,
                                "cache_control": headers.get("Cache-Control")}
        batch = call(g.url + "/v1/evaluations/batch", {"items": [body]})
        out["planted_in_batch_status"] = batch[0]
        client.lpush(f"{prefix}wrongtype-probe", "x")

        def wrong_type(i):
            bad = description(f"wrong-{i % 3}")
            call(g.url + "/v1/evaluations", bad)
            for k in client.scan_iter(f"{prefix}*"):
                if client.type(k) == b"string" and k != key and client.get(k) and \
                        b"wrong-" in client.get(k):
                    client.delete(k)
                    client.lpush(k, "x")
        out["hot_hit_ratio_with_wrong_type_key"] = hot_ratio(g.url, wrong_type)
        for k in client.scan_iter(f"{prefix}*"):
            client.delete(k)
        client.close()
    server = live.RedisServer(None, "--maxmemory", "3mb", "--maxmemory-policy", "noeviction").start()
    try:
        url = f"redis://127.0.0.1:{server.port}/0"
        with live.Gunicorn(workers=3, REDIS_URL=url) as g:
            filler = redis.Redis.from_url(url)
            call(g.url + "/v1/evaluations", description("hot"))
            try:
                for i in range(10_000):
                    filler.set(f"fill:{i}", b"x" * 10_000)
            except redis.ResponseError:
                pass
            out["hot_hit_ratio_with_full_redis"] = hot_ratio(
                g.url, lambda i: call(g.url + "/v1/evaluations", description(f"new-{i}")))
            filler.close()
    finally:
        server.kill()
    return out


def small_holes(g, front):
    out = {}
    nested = {}
    for depth in range(940, 1001):
        status = call(g.url + "/v1/evaluations", raw=("[" * depth + "]" * depth).encode())[0]
        nested.setdefault(str(status), []).append(depth)
    out["nested_940_to_1000"] = {k: f"{len(v)} depths ({v[0]}-{v[-1]})" for k, v in nested.items()}
    before = len(call(g.url + "/metrics")[2])
    rng = random.Random(9)
    for _ in range(4000):
        call(g.url + "/v1/evaluations", method="".join(rng.choice(string.ascii_uppercase)
                                                       for _ in range(8)))
    out["metrics_bytes_before_after_4000_methods"] = [before, len(call(g.url + "/metrics")[2])]
    with socket.create_connection(("127.0.0.1", g.port), timeout=10) as s:
        body = json.dumps(description("x" * (1024 * 1024 + 10))).encode()
        s.sendall(b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                  + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        out["chunked_over_limit"] = s.recv(64).split(b"\r\n")[0].decode()
    esc = description("esc")
    esc["nodes"][0]["name"] = "hv\x1b[8m01"
    status, _, data, _ = call(g.url + "/v1/qos-policies/powershell", esc)
    out["esc_in_name"] = {"status": status, "raw_escape_in_script": b"\x1b" in data}
    status, headers, _, _ = call(front + "/v1/evaluations", description())
    out["security_headers"] = sorted(h for h in headers if h in (
        "X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"))
    for name, req in (("414", "/x?" + "a" * 9000), ("431", None)):
        hdrs = {"X-Big": "y" * 9000} if req is None else {}
        status, headers, _, _ = call(front + (req or "/healthz"), headers=hdrs)
        out[f"front_{name}"] = f"{status} {headers.get('Content-Type')}"
    return out


def worst_case(front):
    body = heterogeneous()
    size = len(json.dumps(body))
    request = single(front, body)
    items = [heterogeneous(nodes=2, adapters=32, seed=s) for s in range(1000)]
    while len(json.dumps({"items": items})) > 1_000_000:
        items.pop()
    started = time.monotonic()
    status, _, data, _ = call(front + "/v1/evaluations/batch", {"items": items}, timeout=120)
    took = time.monotonic() - started
    statuses = {}
    if status == 200:
        for r in json.loads(data)["results"]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return {"request": {"bytes": size, **request},
            "batch": {"items": len(items), "status": status, "seconds": round(took, 2),
                      "item_statuses": statuses}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(HERE.parent))
    parser.add_argument("--label", default="after")
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()
    root = Path(args.root).resolve()
    if not (root / "tests/integration/slow_app.py").exists():
        shutil.copy(HERE.parent / "tests/integration/slow_app.py", root / "tests/integration/")
    live.ROOT = root
    has_proxy = (root / "deploy/nginx/advisor.conf.template").exists() and live.NGINX
    env = {"WORKER_TIMEOUT": "15", "REQUEST_DEADLINE_SECONDS": "5", "GRACEFUL_TIMEOUT": "10"}
    # This checkout is recorded as ".": a machine's own paths say nothing to a reader.
    shown = "." if root == HERE.parent.resolve() else str(root)
    results = {"label": args.label, "root": shown, "proxy": bool(has_proxy),
               "settings": env, "machine": machine_info(), "code": source_digest()}

    def front_of(g, folder):
        return live.Nginx(f"127.0.0.1:{g.port}", Path(folder)) if has_proxy else None

    with live.Gunicorn(workers=3, app=SLOW_APP, **env) as g, tempfile.TemporaryDirectory() as d:
        proxy = front_of(g, d)
        if proxy:
            proxy.__enter__()
        front, front_port = (proxy.url, proxy.port) if proxy else (g.url, g.port)
        try:
            results["costly_single"] = single(front, description("slow-30"))
            status, _, data, took = call(front + "/v1/evaluations/batch", {"items": [
                description("a"), description("slow-30"), description("b")]}, timeout=70)
            results["costly_batch"] = {"status": status, "seconds": round(took, 2), "items": [
                r["status"] for r in json.loads(data)["results"]] if status == 200 else None}
            results["health_under_costly_load"] = costly_load(front, g)
            results["health_under_slow_clients"] = slow_clients(front_port, front, g)
            results["small_holes"] = small_holes(g, front)
            results["worst_case"] = worst_case(front)
        finally:
            if proxy:
                proxy.__exit__()
    with live.Gunicorn(workers=3, app=SLOW_APP, WORKER_TIMEOUT="60") as g:
        results["sigterm_during_12s_request"] = sigterm_during(g, g.url, 12)
    results["redis"] = redis_attacks(args.label)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"hostile_{args.label}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
