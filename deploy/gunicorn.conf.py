"""gunicorn settings for production: sync workers (CPU-bound JSON work) behind a buffering proxy
(deploy/nginx), JSON logs, Prometheus multiprocess mode. Start with:
gunicorn -c deploy/gunicorn.conf.py"""
import os
import secrets
import shutil
import tempfile

from service.adapters.cpus import default_workers

wsgi_app = "service.app:create_app()"
# Every interface by default (what a container needs); BIND=127.0.0.1:8000 keeps it local. The
# image's HEALTHCHECK (python -m service.probe) reads the same variable.
bind = os.environ.get("BIND") or "0.0.0.0:8000"
# Sync workers, usable CPUs + 1: measured best for this CPU-bound service. Usable CPUs are the
# container's CPU quota (cgroup), not the host's cores: 3 workers under a 2-CPU limit on a
# 64-core host, not 65. WEB_CONCURRENCY overrides (Kubernetes sets it from the CPU limit).
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
# The app reads the worker count to tell readiness when every worker is busy.
os.environ["WEB_CONCURRENCY"] = str(workers)
# Sync workers run each request in the main thread, where the compute deadline's timer works.
worker_class = "sync"
# The app ends any request at REQUEST_DEADLINE_SECONDS (a 503 problem); gunicorn's own timeout
# stays well above it, for a worker stuck outside Python. SIGTERM lets in-flight requests run
# to the deadline: graceful_timeout is above it and below the orchestrator's grace period, or
# workers are killed mid-drain: compose's stop_grace_period is 30 s, the Kubernetes manifests'
# terminationGracePeriodSeconds 40 s (5 s of preStop + 25 s + margin), and a plain `docker run`
# needs --stop-timeout 35 (Docker's default, 10 s, is too short).
deadline = float(os.environ.get("REQUEST_DEADLINE_SECONDS") or 20)
timeout = int(os.environ.get("WORKER_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT") or int(deadline) + 5)
if not deadline < graceful_timeout <= timeout:
    raise ValueError(f"need REQUEST_DEADLINE_SECONDS ({deadline:g}) < GRACEFUL_TIMEOUT "
                     f"({graceful_timeout}) <= WORKER_TIMEOUT ({timeout})")
# The app answers a query string over MAX_QUERY_BYTES (8,192) with a documented problem+json 414;
# gunicorn's own check would answer first, in text/html, and it takes no value between 8190 and
# 0 (no limit), so it is lifted here: nginx in front bounds request lines (deploy/nginx).
limit_request_line = 0
control_socket_disable = True
accesslog = "-"
# One JSON line a request: this text is its `message`, and service.adapters.logs adds each part
# (request_id, method, path, status, bytes, duration_ms, remote) as a field of its own.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"

# Workers must see the directory before they import prometheus_client.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="lmna-metrics-")
# Redis entries are signed; without a configured key, this server's workers share a random one
# (set it to share the cache between servers).
if not os.environ.get("CACHE_SIGNING_KEY"):
    os.environ["CACHE_SIGNING_KEY"] = secrets.token_hex(32)

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "filters": {
        # The app's own lines carry the request id of the request they were written in.
        "request_id": {"()": "service.api.request_id.RequestIdFilter"},
        "access": {"()": "service.adapters.logs.AccessFields"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json",
                   "stream": "ext://sys.stdout", "filters": ["request_id"]},
        "access": {"class": "logging.StreamHandler", "formatter": "json",
                   "stream": "ext://sys.stdout", "filters": ["access"]},
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


def on_starting(server):
    """Start every run with empty metric files: stale ones would add old counts."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Drop a dead worker's live gauges (its busy flag) from the totals: a worker killed in the
    middle of a request must not count as busy for ever."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)
