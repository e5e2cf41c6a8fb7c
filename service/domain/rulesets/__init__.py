"""The rulesets this service knows, by name, and the one used when a caller names none."""
from __future__ import annotations

from ..ruleset import Ruleset
from .ws2008r2 import WS2008R2

RULESETS: dict[str, Ruleset] = {r.name: r for r in (WS2008R2,)}
DEFAULT = WS2008R2


def by_version(version: str) -> Ruleset:
    """The ruleset an evaluation's `ruleset_version` names; the default for an unknown one (an
    evaluation recorded under an earlier release is still rendered with today's titles)."""
    name = version.split("/", 1)[0]
    return RULESETS.get(name, DEFAULT)


__all__ = ["DEFAULT", "RULESETS", "WS2008R2", "Ruleset", "by_version"]
