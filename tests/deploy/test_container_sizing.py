"""Container settings that hold: workers from the CPU quota (cgroup v2 and v1), the health
check at the bound address, and the graceful timeout below the orchestrators' grace periods."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from service import probe
from service.adapters.cpus import cgroup_cpu_limit, default_workers, usable_cpus
from tests.deploy.test_container_files import ROOT, _gunicorn_settings

HOST_CORES = 64


def v2_tree(tmp_path: Path, limits: dict[str, str]) -> Path:
    """A cgroup v2 mount: cpu.max in each named folder ("" is the mount point itself)."""
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    for folder, value in limits.items():
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "cpu.max").write_text(value + "\n")
    return tmp_path


def v1_tree(tmp_path: Path, quota: int, period: int = 100_000, name: str = "cpu,cpuacct") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "cpu.cfs_quota_us").write_text(f"{quota}\n")
    (folder / "cpu.cfs_period_us").write_text(f"{period}\n")
    return tmp_path


def workers(root: Path, proc: str = "0::/\n") -> int:
    return default_workers(root=root, proc_cgroup=proc, affinity=HOST_CORES)


def test_a_cgroup_v2_quota_sets_the_worker_count(tmp_path):
    # A 2-CPU limit on a 64-core host: 3 workers, not 65.
    assert workers(v2_tree(tmp_path, {"": "200000 100000"})) == 3


def test_a_fractional_quota_rounds_up_and_never_gives_zero(tmp_path):
    assert cgroup_cpu_limit(v2_tree(tmp_path, {"": "150000 100000"}), "0::/") == 1.5
    assert workers(tmp_path) == 3
    (tmp_path / "cpu.max").write_text("20000 100000\n")  # 200m
    assert workers(tmp_path) == 2


def test_no_quota_means_the_cpus_the_process_may_run_on(tmp_path):
    assert workers(v2_tree(tmp_path, {"": "max 100000"})) == HOST_CORES + 1
    assert usable_cpus(root=tmp_path, proc_cgroup="0::/", affinity=4) == 4


def test_a_limit_on_a_parent_cgroup_applies(tmp_path):
    # Without a cgroup namespace the process sees its full path; the pod's limit is a parent's.
    root = v2_tree(tmp_path, {"kubepods/pod1": "400000 100000", "kubepods/pod1/app": "max 100000"})
    assert workers(root, "0::/kubepods/pod1/app\n") == 5


def test_a_cgroup_v1_quota_sets_the_worker_count(tmp_path):
    (tmp_path / "limited").mkdir()
    (tmp_path / "unlimited").mkdir()
    assert workers(v1_tree(tmp_path / "limited", 300_000), "1:cpu,cpuacct:/\n") == 4
    assert workers(v1_tree(tmp_path / "unlimited", -1), "1:cpu,cpuacct:/\n") == HOST_CORES + 1


def test_gunicorn_takes_the_count_from_the_cpus_unless_web_concurrency_is_set():
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    run = subprocess.run([str(Path(sys.executable).with_name("gunicorn")), "--print-config",
                          "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert f"workers                            = {default_workers()}" in run.stdout
    assert _gunicorn_settings(WEB_CONCURRENCY="5")["workers"] == "5"


@pytest.mark.parametrize("bind, expected", [
    ("0.0.0.0:8000", (socket.AF_INET, ("127.0.0.1", 8000))),
    ("127.0.0.1:9001", (socket.AF_INET, ("127.0.0.1", 9001))),
    ("[::]:8080", (socket.AF_INET6, ("::1", 8080))),
    ("[::1]:8080", (socket.AF_INET6, ("::1", 8080))),
    ("unix:/run/advisor.sock", (socket.AF_UNIX, "/run/advisor.sock")),
    ("10.0.0.5:7000 127.0.0.1:7001", (socket.AF_INET, ("10.0.0.5", 7000))),
])
def test_the_health_check_reads_the_bound_address(bind, expected):
    assert probe.target(bind) == expected


def test_the_health_check_follows_bind_to_another_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        env = {**os.environ, "BIND": f"0.0.0.0:{port}"}
        ok = subprocess.run([sys.executable, "-m", "service.probe"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
    down = subprocess.run([sys.executable, "-m", "service.probe"], cwd=ROOT, timeout=30,
                          env={**env, "BIND": f"127.0.0.1:{port}"}, capture_output=True, text=True)
    assert down.returncode == 1 and "unhealthy" in down.stderr


def test_a_bind_the_probe_cannot_use_is_named():
    with pytest.raises(ValueError, match="BIND"):
        probe.target("fd://3")
    with pytest.raises(ValueError, match="BIND"):
        probe.target("localhost")


def test_the_graceful_timeout_sits_below_every_grace_period():
    graceful = int(_gunicorn_settings()["graceful_timeout"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    stop_timeout = int(re.search(r"--stop-timeout (\d+)", dockerfile).group(1))
    assert graceful < stop_timeout  # the documented `docker run` setting
    readme = (ROOT / "README.md").read_text()
    assert f"--stop-timeout {stop_timeout}" in readme
