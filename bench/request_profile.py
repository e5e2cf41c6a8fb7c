"""Where a busy worker's time goes under load: py-spy samples of gunicorn's workers, by library.

bench/service_bench.py records each scenario (wrk driving one kind of request) with
`py-spy record --subprocesses --format raw` against the gunicorn master, then attributes every
sample to the library of its innermost frame that belongs to a known one (a frame in `enum.py`
under marshmallow counts as marshmallow). A worker waiting for a connection is idle and not
recorded; one blocked on a socket in the middle of a request is (here py-spy counts it as
active), so the shares are of wall time: socket reads and writes fall to gunicorn (the client)
and redis-py (Redis round trips). A sync worker that has sent its answer half-closes the socket
and waits for the client's FIN (gunicorn's `close_graceful`): that wait has its own line, a share
of all samples, and the library shares are of the rest.
"""
from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

# (label, pattern on a frame's file): the first pattern, from the innermost frame out, decides.
CATEGORIES = (
    ("stdlib json (parse, encode)", re.compile(r"^json/")),
    ("marshmallow / webargs (load, dump)", re.compile(r"^(marshmallow|webargs)/")),
    ("prometheus_client (metrics)", re.compile(r"^prometheus_client/")),
    ("redis-py", re.compile(r"^redis/")),
    ("logging (access and app logs)", re.compile(r"^(logging|pythonjsonlogger)/")),
    ("domain (evaluation, plans)", re.compile(r"^service/domain/")),
    ("service edge (hooks, cache, views)", re.compile(r"^service/")),
    ("Flask / Werkzeug / flask-smorest", re.compile(r"^(flask|werkzeug|flask_smorest|flask_cors)/")),
    ("gunicorn (HTTP parsing, sockets)", re.compile(r"^gunicorn/")),
)
OTHER = "other"
WAITING = "waiting for the client to close (gunicorn close_graceful)"
_FRAME = re.compile(r"\(([^():]+):\d+\)$")


def _file(frame: str) -> str:
    match = _FRAME.search(frame)
    if not match:
        return ""
    path = match.group(1)
    # py-spy shortens site-packages paths to the package; the project's own files keep their
    # absolute path: make them relative to the repository.
    marker = "/service/"
    return path[path.index(marker) + 1:] if marker in path else path


def category(stack: list[str]) -> str:
    """The label of one sampled stack (frames from the outermost to the innermost)."""
    if any(frame.startswith("close_graceful ") for frame in stack):
        return WAITING
    for frame in reversed(stack):
        file = _file(frame)
        for label, pattern in CATEGORIES:
            if pattern.search(file):
                return label
    return OTHER


def shares(raw: str) -> dict[str, float]:
    """Share of the samples per category in py-spy's raw (collapsed stack) output, the close wait
    left out, and under WAITING the close wait's share of all samples."""
    counts: collections.Counter = collections.Counter()
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        counts[category(stack.split(";"))] += int(number)
    waiting = counts.pop(WAITING, 0)
    total = sum(counts.values()) or 1
    result = {label: counts[label] / total for label, _ in (*CATEGORIES, (OTHER, None))}
    result[WAITING] = waiting / ((total + waiting) or 1)
    return result


def record(py_spy: str, pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """Start py-spy on a gunicorn master and its workers for `seconds` (returns at once)."""
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--subprocesses", "--format",
                             "raw", "--rate", "250", "--duration", str(seconds), "--nonblocking",
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
