"""The container's health check: a TCP connection to the address gunicorn is bound to (BIND).

`python -m service.probe` exits 0 when gunicorn's listening socket accepts a connection. The
kernel completes the handshake even when every worker is busy, so a loaded, healthy server is
not reported unhealthy (an HTTP check would wait for a free worker).
"""
from __future__ import annotations

import os
import socket
import sys
from typing import Any

DEFAULT_BIND = "0.0.0.0:8000"
# A server bound to every interface is reached on loopback.
WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}


def target(bind: str) -> tuple[int, Any]:
    """(address family, address) to connect to for gunicorn's first bind address."""
    first = bind.replace(",", " ").split()[0] if bind.strip() else DEFAULT_BIND
    if first.startswith("unix:"):
        return socket.AF_UNIX, first[len("unix:"):]
    if first.startswith("fd://"):
        raise ValueError(f"BIND={bind!r}: a file descriptor cannot be probed; bind an address")
    host, sep, port = first.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"BIND={bind!r}: expected HOST:PORT, [IPv6]:PORT or unix:PATH")
    host = WILDCARDS.get(host, host).strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return family, (host, int(port))


def check(bind: str, timeout: float = 2.0) -> None:
    """Connect to the bound address and close (OSError when nothing accepts)."""
    family, address = target(bind)
    if family == socket.AF_UNIX:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
        return
    socket.create_connection(address, timeout=timeout).close()


def main() -> int:
    """Exit status for HEALTHCHECK: 0 healthy, 1 not."""
    bind = os.environ.get("BIND") or DEFAULT_BIND
    try:
        check(bind)
    except (OSError, ValueError) as error:
        print(f"unhealthy: {bind}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
