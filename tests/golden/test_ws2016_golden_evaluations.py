"""Golden evaluations of the Windows Server 2016 and later ruleset: a fixed set of ws2016
descriptions (JSON, loaded as the API loads them) and their full answers, committed.

An evaluation that changes without the ruleset's release changing fails here: bump RELEASE in
service/domain/rulesets/ws2016/__init__.py (the cache keys and ETags of ws2016 answers change with
it), then regenerate with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden`. Regeneration refuses
to record changed evaluations under the version they were recorded with.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from service.domain.rulesets.ws2016 import NAME, RELEASE
from service.application.usecases import answer, load_description

try:
    from recording import check, plain
    from ws2016_inventories import inventories
except ImportError:  # tests/golden imported as a package
    from tests.golden.recording import check, plain
    from tests.golden.ws2016_inventories import inventories

GOLDEN = Path(__file__).parent / "ws2016_evaluations.json"
VERSION = f"{NAME}/{RELEASE}"


@cache  # both tests read it: the set is evaluated once
def current() -> list[dict]:
    """Each description of the golden set with its full evaluation (host_networking included)."""
    return [{"description": d, "evaluation": plain(answer(load_description(d)).evaluation)}
            for d in inventories()]


def test_ws2016_golden_evaluations_are_unchanged_for_this_release():
    check(GOLDEN, current(), VERSION, "RELEASE in service/domain/rulesets/ws2016/__init__.py")


def test_every_evaluation_carries_the_recorded_version():
    # The version the guard compares is the one the answers carry (and the cache keys use).
    assert {c["evaluation"]["ruleset_version"] for c in current()} == {VERSION}
