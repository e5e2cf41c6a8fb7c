"""Golden evaluations: a fixed set of descriptions and their full evaluations, committed.

An evaluation that changes without the ruleset version changing fails here: bump
RULESET_RELEASE in service/domain/version.py (the cache keys and ETags change with it), then
regenerate with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden`. Regeneration refuses to record
changed evaluations under the version they were recorded with.
"""
from __future__ import annotations

import dataclasses
import enum
import json
import os
from pathlib import Path

import pytest

from service.domain.evaluate import evaluate
from service.domain.version import ruleset_version

try:
    from inventories import inventories
except ImportError:  # tests/golden imported as a package
    from tests.golden.inventories import inventories

GOLDEN = Path(__file__).parent / "evaluations.json"


def plain(value):
    """An evaluation as JSON-ready data (enums by value, tuples as lists, addresses as text)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def current() -> list[dict]:
    return [{"description": plain(c), "evaluation": plain(evaluate(c))} for c in inventories()]


def first_difference(a, b, path="") -> str | None:
    """The first path where two JSON values differ."""
    if type(a) is not type(b):
        return f"{path or '/'}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: present on one side only"
            found = first_difference(a[key], b[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def test_golden_evaluations_are_unchanged_for_this_ruleset_version():
    cases = current()
    version = ruleset_version()
    recorded = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else None
    changed = [i for i, case in enumerate(cases)
               if recorded is None or i >= len(recorded["cases"])
               or first_difference(case, recorded["cases"][i])]
    if os.environ.get("UPDATE_GOLDEN"):
        if recorded is not None and changed and recorded["ruleset_version"] == version:
            pytest.fail(f"{len(changed)} evaluations changed but the ruleset version is still "
                        f"{version}: bump RULESET_RELEASE first")
        # One case a line, so that a regenerated file's diff shows the cases that changed.
        lines = ",\n".join(json.dumps(case, separators=(",", ":")) for case in cases)
        GOLDEN.write_text(f'{{"ruleset_version": {json.dumps(version)}, "cases": [\n{lines}\n]}}\n')
        return
    assert recorded is not None, "no golden file: run with UPDATE_GOLDEN=1"
    assert len(cases) == len(recorded["cases"])
    for i in changed:
        difference = first_difference(cases[i]["evaluation"], recorded["cases"][i]["evaluation"])
        pytest.fail(f"case {i} changed at {difference}: an evaluation changed; bump "
                    "RULESET_RELEASE in service/domain/version.py and regenerate the golden file")
    assert recorded["ruleset_version"] == version, (
        "the ruleset version changed but the golden file was recorded under "
        f"{recorded['ruleset_version']}: regenerate it with UPDATE_GOLDEN=1")
