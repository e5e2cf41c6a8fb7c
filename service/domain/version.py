"""The ruleset version: declared, and bumped on purpose whenever an evaluation changes.

tests/golden holds a fixed set of descriptions and their full evaluations under this version; an
evaluation that changes while the version stays fails there. A comment or a refactoring that
changes no answer keeps the version, and with it every cache entry and ETag.
"""
from __future__ import annotations

RULESET_NAME = "ws2008r2-live-migration"
# 1: the guide's table and principles. 2: the expert review's fixes and remediation plans.
# 3: findings' wording read by people (no class changed). 4: the planner's subnet alignment in
# one pass, its work bounded. 5: the planner's work limit doubled (640 units), so that clusters of
# 16 large nodes get their plans. 6: the subnet alignment in two passes again (the second follows
# design mode's choice after the first moved addresses), so more plans are found. 7: one code per
# outcome: what a missing fact left unchecked is LM001 (it names the rule), and each severity and
# cap a rule gave some hits instead of its own is a rule of its own (LM110, LM218-LM221,
# LM305-LM307, LM407-LM409); no class changed.
RULESET_RELEASE = "7"


def ruleset_version() -> str:
    """'<name>/<release>', as every answer and the cache key carry it."""
    return f"{RULESET_NAME}/{RULESET_RELEASE}"
