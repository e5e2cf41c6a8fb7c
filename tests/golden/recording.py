"""Golden files: evaluations as plain JSON, their first difference, and the check that records
them (`UPDATE_GOLDEN=1`) or compares them, refusing a change under the version it was recorded
with. Shared by the golden evaluations of each ruleset."""
from __future__ import annotations

import dataclasses
import enum
import json
import os
from pathlib import Path

import pytest


def plain(value):
    """An evaluation as JSON-ready data (enums by value, tuples as lists, sets as sorted lists,
    addresses as text)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        # A set's iteration order is not stable across runs (string hashing is salted).
        return sorted((plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


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


def check(golden: Path, cases: list[dict], version: str, release: str) -> None:
    """Compare `cases` ({description, evaluation} each) with the golden file recorded under
    `version`, or record them when UPDATE_GOLDEN is set; `release` names the constant to bump.
    Only an evaluation of an unchanged description needs a new version: a description that
    changed (the generator did) has nothing recorded to compare with."""
    recorded = json.loads(golden.read_text()) if golden.exists() else None
    old = recorded["cases"] if recorded is not None else []
    kept = [i for i, case in enumerate(cases)
            if i < len(old) and case["description"] == old[i]["description"]]
    changed = [i for i in kept if first_difference(cases[i]["evaluation"], old[i]["evaluation"])]
    if os.environ.get("UPDATE_GOLDEN"):
        if recorded is not None and changed and recorded["ruleset_version"] == version:
            pytest.fail(f"{len(changed)} evaluations changed but the ruleset version is still "
                        f"{version}: bump {release} first")
        # One case a line, so that a regenerated file's diff shows the cases that changed.
        lines = ",\n".join(json.dumps(case, separators=(",", ":")) for case in cases)
        golden.write_text(f'{{"ruleset_version": {json.dumps(version)}, "cases": [\n{lines}\n]}}\n')
        return
    assert recorded is not None, "no golden file: run with UPDATE_GOLDEN=1"
    # Checked first: every evaluation carries the version, so after a bump each case differs.
    assert recorded["ruleset_version"] == version, (
        f"the ruleset version is {version} but the golden file was recorded under "
        f"{recorded['ruleset_version']}: regenerate it with UPDATE_GOLDEN=1")
    for i in changed:
        difference = first_difference(cases[i]["evaluation"], old[i]["evaluation"])
        pytest.fail(f"case {i} changed at /evaluation{difference}: an evaluation changed; bump "
                    f"{release} and regenerate the golden file")
    for i, case in enumerate(cases):
        if i not in kept:
            difference = first_difference(case["description"], old[i]["description"]) \
                if i < len(old) else "not recorded"
            pytest.fail(f"case {i}'s description changed at {difference}: the generator "
                        "changed; regenerate the golden file with UPDATE_GOLDEN=1")
    assert len(cases) == len(old), f"{len(old)} cases recorded, {len(cases)} generated"
