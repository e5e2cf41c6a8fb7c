"""In-process cost of the Windows Server 2016 and later ruleset's most expensive descriptions:
load (schemas and cross-field checks), answer (designer, rules, planner) and JSON dump.

Each case is a description the contract takes at its limits (64 nodes, 32 adapters, 32 host
vNICs a node), built here as JSON: the designer's worst (32 adapter models a node), the largest
audit (8 SET switches and 32 RDMA vNICs a node, every rule firing) and audits whose every node
is wrong in many ways the planner can mend (16 and 64 nodes). Each runs in a fresh process,
cold, --runs times; the table gives the median CPU time of each phase, the class, the plans
found and whether the planner's search was complete.

    .venv/bin/python bench/ws2016_bench.py                      # prints the table
    .venv/bin/python bench/ws2016_bench.py --out bench/results  # also writes ws2016.md/.json
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _adapter(j: int, models: bool) -> dict:
    return {"name": f"pNIC{j:02}", "speed_mbps": 25000, "rdma": True,
            "rdma_kind": ("roce_v2", "iwarp")[j % 2], "make": f"M{j if models else 0}",
            "model": f"X{j if models else 0}", "firmware": "1", "driver": "2"}


def designer_worst(nodes: int = 64) -> dict:
    """32 adapters of 32 models a node: the designer rates its six fastest groups."""
    return {"ruleset": "ws2016", "nodes": [
        {"name": f"hv{i:02}", "os_version": "2022",
         "adapters": [_adapter(j, True) for j in range(32)]} for i in range(nodes)]}


def largest_audit(nodes: int = 64) -> dict:
    """8 SET switches of 4 members and 32 RDMA host vNICs a node, every rule firing."""
    def node(i: int) -> dict:
        return {"name": f"hv{i:02}", "os_version": "2019",
                "adapters": [_adapter(j, True) for j in range(32)],
                "switches": [{"name": f"SW{k}", "members": [f"pNIC{j:02}"
                                                          for j in range(k * 4, k * 4 + 4)],
                              "teaming": "set", "load_balancing": "dynamic",
                              "traffic": ["management", "compute"]} for k in range(8)],
                "host_vnics": [{"name": f"V{v}", "switch": f"SW{v % 8}",
                                "traffic": ["storage", "live_migration"], "rdma": True,
                                "vlan_id": 700 + v % 3,
                                "mapped_to": f"pNIC{(v % 8) * 4 + v % 4:02}"}
                               for v in range(32)],
                "host_qos_throttles": True}
    return {"ruleset": "ws2016", "live_migration_transport": "smb",
            "smb_bandwidth_limit_live_migration_bytes_per_second": 5_000_000_000,
            "dcb": {"switches": False, "pfc_priorities": list(range(8)),
                    "heartbeat_bandwidth_percent": 1},
            "storage_interconnect": "switched", "shared_storage": "storage_spaces_direct",
            "azure_local": True, "network_atc": True, "max_simultaneous_live_migrations": 10,
            "nodes": [node(i) for i in range(nodes)]}


def wrong_in_many_ways(nodes: int) -> dict:
    """Every node: an LBFO team under the switch with address hash and LACP, RoCE vNICs
    untagged and unmapped, host QoS throttles; no DCB, SMB live migration without a limit."""
    def node(i: int) -> dict:
        return {"name": f"hv{i:02}", "os_version": "2022",
                "adapters": [dict(_adapter(j, False), rdma_kind="roce_v2") for j in range(2)],
                "switches": [{"name": "ConvergedSwitch", "members": ["pNIC00", "pNIC01"],
                              "teaming": "lbfo", "load_balancing": "address_hash",
                              "mode": "link_aggregation",
                              "traffic": ["management", "compute"]}],
                "host_vnics": [{"name": f"SMB{v}", "switch": "ConvergedSwitch",
                                "traffic": ["storage"], "rdma": True} for v in (1, 2)],
                "host_qos_throttles": True}
    return {"ruleset": "ws2016", "live_migration_transport": "smb",
            "storage_interconnect": "switched", "nodes": [node(i) for i in range(nodes)]}


CASES = {
    "design, 64 nodes x 32 adapters of 32 models": lambda: designer_worst(),
    "audit, 64 nodes x 32 adapters, 8 SET switches, 32 RDMA vNICs": lambda: largest_audit(),
    "audit, 16 nodes wrong in many ways": lambda: wrong_in_many_ways(16),
    "audit, 64 nodes wrong in many ways": lambda: wrong_in_many_ways(64),
}

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from bench.ws2016_bench import CASES
from service.application.usecases import answer, load_description, render
payload = CASES[{name!r}]()
body = json.dumps(payload)
t0 = time.process_time()
cluster = load_description(json.loads(body))
t1 = time.process_time()
result = answer(cluster)
t2 = time.process_time()
text = render(result, "json")
t3 = time.process_time()
evaluation = result.evaluation
print(json.dumps({{"bytes": len(body), "load": t1 - t0, "answer": t2 - t1, "dump": t3 - t2,
                  "classification": evaluation.classification.value,
                  "plans": [[p.classification.value, p.cost] for p in evaluation.plans],
                  "plans_complete": evaluation.plans_complete}}))
"""


def run_case(name: str) -> dict:
    """One cold run of a case in its own process."""
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), name=name)],
                          capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Run every case --runs times; print (and with --out write) the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = []
    for name in CASES:
        runs = [run_case(name) for _ in range(args.runs)]
        row = {"case": name, **{k: runs[0][k] for k in ("bytes", "classification", "plans",
                                                         "plans_complete")}}
        for phase in ("load", "answer", "dump"):
            row[phase] = statistics.median(r[phase] for r in runs)
        row["total"] = row["load"] + row["answer"] + row["dump"]
        rows.append(row)
    lines = ["| case | body | load | answer | JSON | total | class | plans | complete |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        plans = ", ".join(f"{c} ({cost})" for c, cost in r["plans"]) or "none"
        lines.append(f"| {r['case']} | {r['bytes'] / 1000:,.0f} KB | {r['load'] * 1000:,.0f} ms "
                     f"| {r['answer'] * 1000:,.0f} ms | {r['dump'] * 1000:,.0f} ms "
                     f"| {r['total'] * 1000:,.0f} ms | {r['classification']} | {plans} "
                     f"| {'yes' if r['plans_complete'] else 'no'} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "ws2016.json").write_text(json.dumps(rows, indent=2) + "\n")
        (args.out / "ws2016.md").write_text(
            "# Windows Server 2016 and later: the most expensive descriptions\n\n"
            f"`.venv/bin/python bench/ws2016_bench.py --runs {args.runs} --out bench/results`: "
            "CPU time in-process, cold, median of the runs (fresh process each).\n\n"
            + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
