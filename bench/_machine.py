"""What both benchmarks record about the run: the machine, and a digest of the code measured."""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_digest() -> dict:
    """sha256 over service/**/*.py and deploy/gunicorn.conf.py (names + bytes): which code ran."""
    h = hashlib.sha256()
    files = sorted([*ROOT.joinpath("service").rglob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"])
    newest = 0.0
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
        newest = max(newest, f.stat().st_mtime)
    return {"sha256": h.hexdigest()[:16], "files": len(files),
            "newest_mtime": _dt.datetime.fromtimestamp(newest, _dt.timezone.utc)
            .isoformat(timespec="seconds")}


def machine_info() -> dict:
    """Date, CPU, core count, Python and platform, and the load average."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        nproc = str(os.cpu_count())
    return {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "nproc": nproc, "cpu_model": model, "python": platform.python_version(),
            "platform": platform.platform(),
            # The host may be shared: a load above nproc inflates every timing.
            "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}
