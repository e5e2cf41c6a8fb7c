"""Starting and stopping real servers for live tests: gunicorn with the production config, and
throwaway redis-server processes, all on 127.0.0.1."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds: float = 15.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


class Gunicorn:
    """gunicorn -c deploy/gunicorn.conf.py on a free loopback port (app: another WSGI app to
    serve with the same config, such as tests.integration.slow_app)."""

    def __init__(self, workers: int = 2, app: str | None = None, log: Path | None = None,
                 **env: str):
        self.log = log  # where gunicorn's output (JSON log lines) goes; nowhere when None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        base = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        self.env = {**base, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers),
                    **env}
        self.process: subprocess.Popen | None = None

    def worker_pids(self) -> set[int]:
        """The pids of the gunicorn workers now alive (children of the arbiter)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def __enter__(self) -> "Gunicorn":
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", *([self.app] if self.app else [])],
            cwd=ROOT, env=self.env, stdout=output, stderr=output)
        if self.log:
            output.close()  # the child holds its own copy
        if not wait_for(lambda: _answers(self.url + "/healthz"), 30):
            self.__exit__()
            raise RuntimeError("gunicorn did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class RedisServer:
    """A throwaway redis-server on a fixed port that a test can kill and restart."""

    def __init__(self, port: int | None = None, *extra: str):
        self.port = port or free_port()
        self.extra = list(extra)  # more redis-server options, e.g. "--maxmemory", "2mb"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", *self.extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(self._pings, 10):
            self.kill()
            raise RuntimeError("redis-server did not start")
        return self

    def _pings(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


class Nginx:
    """nginx with deploy/nginx/advisor.conf.template on a free loopback port, in front of an
    upstream, run from a temporary prefix."""

    def __init__(self, upstream: str, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        template = (ROOT / "deploy" / "nginx" / "advisor.conf.template").read_text()
        server = (template.replace("${ADVISOR_UPSTREAM}", upstream)
                  .replace("${NGINX_PORT}", f"127.0.0.1:{self.port}"))
        (folder / "advisor.conf").write_text(server)
        temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(
            f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n    access_log off;\n{temp}\n    include {folder}/advisor.conf;\n}}\n")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Nginx":
        if NGINX is None:
            raise RuntimeError("nginx is not installed")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(lambda: _answers(self.url + "/healthz"), 15):
            self.__exit__()
            raise RuntimeError("nginx did not start: " + (self.folder / "error.log").read_text())
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
