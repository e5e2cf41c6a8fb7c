"""How many CPUs this process may use: the container's CPU quota (cgroup v2 or v1) and the CPUs
it may run on, not the host's core count.

os.cpu_count() inside a container reports the host (64 on a 64-core host, whatever the
container's CPU limit); a quota of 2 CPUs then runs 65 sync workers that share 2 CPUs' time.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _own_paths(proc_cgroup: str) -> tuple[str | None, str | None]:
    """This process's cgroup path in the v2 hierarchy and in v1's cpu controller."""
    v2 = v1 = None
    for line in proc_cgroup.splitlines():
        number, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if number == "0" and controllers == "":
            v2 = path
        elif "cpu" in controllers.split(","):
            v1 = path
    return v2, v1


def _ancestors(base: Path, own: str | None) -> list[Path]:
    """The process's cgroup folder and each parent up to the mount point (a limit set on any of
    them applies). In a container with its own cgroup namespace the path is just "/"."""
    parts = [p for p in (own or "/").split("/") if p]
    folders = [base.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]
    return [folder for folder in folders if folder.is_dir()] or [base]


def _v2_limit(folder: Path) -> float | None:
    text = _read(folder / "cpu.max")  # "max 100000" or "150000 100000"
    if not text:
        return None
    quota, _, period = text.partition(" ")
    if quota == "max" or not period:
        return None
    return int(quota) / int(period)


def _v1_limit(folder: Path) -> float | None:
    quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
    if not quota or not period or int(quota) <= 0:
        return None  # -1: no quota
    return int(quota) / int(period)


def cgroup_cpu_limit(root: Path = CGROUP_ROOT, proc_cgroup: str | None = None) -> float | None:
    """The CPU quota in CPUs (1.5 for a limit of 1500m), or None when there is none."""
    if proc_cgroup is None:
        proc_cgroup = _read(PROC_CGROUP) or ""
    v2_path, v1_path = _own_paths(proc_cgroup)
    limits = []
    if (root / "cgroup.controllers").exists():  # the unified (v2) hierarchy is mounted here
        limits = [_v2_limit(folder) for folder in _ancestors(root, v2_path)]
    else:
        for name in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
            if (root / name).is_dir():
                limits = [_v1_limit(folder) for folder in _ancestors(root / name, v1_path)]
                break
    found = [limit for limit in limits if limit]
    return min(found) if found else None


def usable_cpus(root: Path = CGROUP_ROOT, proc_cgroup: str | None = None,
                affinity: int | None = None) -> int:
    """Whole CPUs this process can keep busy: the CPUs it may run on, capped by the quota
    (rounded up: a quota of 1.5 CPUs keeps 2 workers busy part of the time)."""
    if affinity is None:
        affinity = len(os.sched_getaffinity(0))
    limit = cgroup_cpu_limit(root, proc_cgroup)
    return max(1, min(affinity, math.ceil(limit))) if limit else max(1, affinity)


def default_workers(**kwargs) -> int:
    """gunicorn sync workers when WEB_CONCURRENCY is unset: usable CPUs + 1 (measured best for
    this CPU-bound service; the extra worker covers time spent waiting on Redis or clients)."""
    return usable_cpus(**kwargs) + 1
