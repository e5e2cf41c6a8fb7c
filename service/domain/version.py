"""The ruleset version: changes whenever the table, a rule or the designer's logic changes."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

RULESET_NAME = "ws2008r2-live-migration"
RULESET_RELEASE = "1"
# The modules whose content decides an evaluation; a change to any of them is a new ruleset.
DECIDING_MODULES = (
    "model.py", "reference_table.py", "catalogue.py", "layout.py", "design.py", "table_match.py",
    "audit.py", "qos.py", "assessment.py", "evaluate.py", "plan.py", "changes.py", "ports.py",
    "validate.py",
)


@lru_cache(maxsize=1)
def ruleset_version() -> str:
    """'<name>/<release>+<digest>': the digest covers the source of every deciding module."""
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    rules = sorted(path.relative_to(folder).as_posix() for path in (folder / "rules").glob("*.py"))
    for module in (*DECIDING_MODULES, *rules):
        digest.update(module.encode())
        digest.update((folder / module).read_bytes())
    return f"{RULESET_NAME}/{RULESET_RELEASE}+{digest.hexdigest()[:12]}"
