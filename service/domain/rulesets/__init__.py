"""The rulesets this service knows, by name, and the one used when a caller names none."""
from __future__ import annotations

from dataclasses import dataclass

from ..ruleset import Ruleset, Source
from . import ws2016
from .ws2008r2 import WS2008R2
from .ws2016 import sources as _ws2016_sources  # noqa: F401 (ws2016.sources)

RULESETS: dict[str, Ruleset] = {r.name: r for r in (WS2008R2,)}
DEFAULT = WS2008R2


def by_version(version: str) -> Ruleset:
    """The ruleset an evaluation's `ruleset_version` names; the default for an unknown one (an
    evaluation recorded under an earlier release is still rendered with today's titles)."""
    name = version.split("/", 1)[0]
    return RULESETS.get(name, DEFAULT)


@dataclass(frozen=True)
class Listed:
    """A ruleset as a caller selects it (`"ruleset": <id>`) and GET /v1/rulesets lists it."""

    id: str
    version: str
    title: str
    default: bool
    sources: tuple[Source, ...]


WS2016_VERSION = f"{ws2016.NAME}/{ws2016.RELEASE}"
# The pages the ws2016 rules cite, and Set-VMHost's (the transport and MaximumVirtualMachineMigrations
# an answer gives), in the fact sheet's order.
_CITED = {r.source for r in ws2016.RULES} | {ws2016.sources.S2.url}
LISTED: tuple[Listed, ...] = (
    Listed("ws2008r2", WS2008R2.version, WS2008R2.title, True, WS2008R2.sources),
    Listed("ws2016", WS2016_VERSION, ws2016.TITLE, False,
           tuple(s for s in ws2016.SOURCES if s.url in _CITED)),
)
IDS: tuple[str, ...] = tuple(r.id for r in LISTED)
DEFAULT_ID = "ws2008r2"


__all__ = ["DEFAULT", "DEFAULT_ID", "IDS", "LISTED", "RULESETS", "WS2008R2", "WS2016_VERSION",
           "Listed", "Ruleset", "by_version"]
