"""Golden evaluations: a fixed set of descriptions and their full evaluations, committed.

An evaluation that changes without the ruleset version changing fails here: bump
RULESET_RELEASE in service/domain/version.py (the cache keys and ETags change with it), then
regenerate with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden`. Regeneration refuses to record
changed evaluations under the version they were recorded with.
"""
from __future__ import annotations

from pathlib import Path

from service.domain.evaluate import evaluate
from service.domain.version import ruleset_version

try:
    from inventories import inventories
    from recording import check, plain
except ImportError:  # tests/golden imported as a package
    from tests.golden.inventories import inventories
    from tests.golden.recording import check, plain

GOLDEN = Path(__file__).parent / "evaluations.json"


def current() -> list[dict]:
    """Each description of the golden set with its evaluation, as plain JSON."""
    return [{"description": plain(c), "evaluation": plain(evaluate(c))} for c in inventories()]


def test_golden_evaluations_are_unchanged_for_this_ruleset_version():
    check(GOLDEN, current(), ruleset_version(), "RULESET_RELEASE in service/domain/version.py")
