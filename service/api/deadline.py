"""A per-request compute deadline: past it, the request ends with a 503 and the worker lives on.

gunicorn's sync workers run each request in the worker's main thread, so a POSIX interval timer
(SIGALRM) can interrupt any Python code that runs too long, the domain's included, without the
domain knowing. Where no timer can be set (another thread, no setitimer), only the cooperative
checks (`expired`, used between batch items) apply.
"""
from __future__ import annotations

import math
import signal
import threading
import time

from flask import g


class DeadlineExceeded(Exception):
    """The request's compute deadline ran out (raised from the SIGALRM handler)."""

    def __init__(self, seconds: float):
        super().__init__(f"the request's compute deadline of {seconds:g} s ran out")
        self.seconds = seconds


def _can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class _Alarm:
    """The deadline armed for the current request, in seconds (None: none is)."""

    armed: float | None = None


_alarm = _Alarm()


def _on_alarm(signum, frame):
    seconds = _alarm.armed
    if seconds is None:
        return  # a stray alarm after the request ended: nothing to stop
    _alarm.armed = None  # one shot: the 503 that follows must be able to finish
    raise DeadlineExceeded(seconds)


# An outer user of SIGALRM (a test runner's timeout) gets its handler and timer back afterwards.
_outer: list = []  # [(handler, seconds left, started)] while a deadline is armed


def start(seconds: float) -> None:
    """Arm the deadline for the current request (called before the view runs)."""
    g.deadline_at = time.monotonic() + seconds
    g.deadline_seconds = seconds
    if not _can_interrupt():
        return
    if not _outer and signal.getsignal(signal.SIGALRM) is _on_alarm:
        # The handler stays installed between requests when nobody else used SIGALRM (a
        # server's worker): arming is one system call.
        _alarm.armed = seconds
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return
    if not _outer:
        left, _interval = signal.getitimer(signal.ITIMER_REAL)
        _outer.append((signal.signal(signal.SIGALRM, _on_alarm), left, time.monotonic()))
        _alarm.armed = seconds
        signal.setitimer(signal.ITIMER_REAL, seconds)


def stop() -> None:
    """Disarm the timer: the request is done, or what is left of it is bounded already."""
    if not _can_interrupt() or _alarm.armed is None and not _outer:
        return
    _alarm.armed = None
    signal.setitimer(signal.ITIMER_REAL, 0)
    if _outer:
        handler, left, started = _outer.pop()
        if handler in (signal.SIG_DFL, None) and left <= 0:
            return  # nobody else uses SIGALRM: keep ours installed for the next request
        signal.signal(signal.SIGALRM, handler if handler is not None else signal.SIG_DFL)
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, max(left - (time.monotonic() - started), 1e-3))


def remaining() -> float:
    """Seconds left before the current request's deadline (infinite outside a request)."""
    at = g.get("deadline_at") if g else None
    return math.inf if at is None else at - time.monotonic()


def expired() -> bool:
    """Whether the current request's deadline has passed."""
    return remaining() <= 0


def retry_after(seconds: float) -> str:
    """The Retry-After value sent with a deadline 503: whole seconds, at least one."""
    return str(max(1, math.ceil(seconds)))
