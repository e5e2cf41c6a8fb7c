"""The container files, checked offline: compose against the Compose Specification, the
Dockerfile's instructions against the repository, and gunicorn's production config."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def test_compose_file_follows_the_compose_specification():
    run = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                          "vendor.compose-spec", "docker-compose.yml"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_compose_wires_the_service_to_redis_behind_nginx():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    advisor, redis, proxy = services["advisor"], services["redis"], services["proxy"]
    assert advisor["build"] == "."
    assert advisor["environment"]["REDIS_URL"].startswith("redis://redis:6379")
    assert advisor["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "healthcheck" in redis
    # Only the buffering proxy is published; the sync workers never face clients directly.
    assert "ports" not in advisor
    assert "8000:8080" in proxy["ports"]
    assert proxy["environment"]["ADVISOR_UPSTREAM"] == "advisor:8000"
    template = proxy["volumes"][0].split(":")[0]
    assert (ROOT / template).is_file()
    # SIGTERM's grace: above gunicorn's graceful timeout (deadline 20 s + 5 s).
    assert int(advisor["stop_grace_period"].rstrip("s")) > 25


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile_copies_only_what_exists_and_is_not_ignored():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    copies = [rest for keyword, rest in _instructions() if keyword == "COPY"]
    assert copies
    for rest in copies:
        *sources, _destination = rest.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert source not in ignored, source


def test_dockerfile_installs_pinned_and_runs_the_production_config():
    instructions = _instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "-c constraints.txt" in runs
    cmd = next(rest for keyword, rest in instructions if keyword == "CMD")
    assert cmd == '["gunicorn", "-c", "deploy/gunicorn.conf.py"]'
    assert ("USER", "advisor") in instructions
    # Health is a TCP check of the bound address: it must not wait for a free worker (an HTTP
    # probe would), and it follows BIND (service/probe.py).
    assert any(keyword == "HEALTHCHECK" and '["python", "-m", "service.probe"]' in rest
               for keyword, rest in instructions)
    assert ("STOPSIGNAL", "SIGTERM") in instructions


def test_gunicorn_config_loads_the_app():
    run = subprocess.run([str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_constraints_pin_every_direct_dependency():
    pins = {re.split(r"==", line)[0].lower().replace("_", "-")
            for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in wanted:
        name = re.split(r"[<>=\[ ]", requirement)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in constraints.txt"


def _gunicorn_settings(**env: str) -> dict:
    """gunicorn's effective settings for the production config under the given environment."""
    run = subprocess.run([str(BIN / "gunicorn"), "--print-config", "-c", "deploy/gunicorn.conf.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, **env})
    assert run.returncode == 0, run.stdout + run.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", run.stdout, re.M))


def test_graceful_timeout_sits_between_the_deadline_and_the_worker_timeout():
    settings = _gunicorn_settings()
    assert settings["worker_class"] == "sync"  # the deadline's timer needs the main thread
    assert 20 < int(settings["graceful_timeout"]) < 30 <= int(settings["timeout"])
    assert int(_gunicorn_settings(REQUEST_DEADLINE_SECONDS="8")["graceful_timeout"]) == 13


def test_a_deadline_above_the_worker_timeout_is_refused():
    run = subprocess.run([str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "REQUEST_DEADLINE_SECONDS": "90"})
    assert run.returncode != 0
