"""Evaluate a design against the ws2016 rules: every finding, and the class the findings leave.

This is the ruleset's own small engine until the shared engine (assessment, designer, planner)
can read the facts of `description.py` (a later step: the contract has no such fields yet).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...catalogue import Rule, Scope
from ...model import Classification, Finding
from .description import Design
from .rules import networks, platform, rdma, teaming, transport, weights
from .rules.context import HostContext


def _collect(*groups: tuple[Rule, ...]) -> tuple[Rule, ...]:
    rules = [r for group in groups for r in group]
    codes = [r.code for r in rules]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValueError(f"ws2016: rule codes repeat: {', '.join(repeated)}")
    return tuple(sorted(rules, key=lambda r: r.code))


RULES: tuple[Rule, ...] = _collect(platform.RULES, teaming.RULES, rdma.RULES, networks.RULES,
                                   transport.RULES, weights.RULES)


@dataclass(frozen=True)
class Verdict:
    classification: Classification
    findings: tuple[Finding, ...]

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})


def evaluate(design: Design, rules: tuple[Rule, ...] = RULES) -> Verdict:
    """Run the cluster rules once and the node rules on every host; the class is the worst cap
    (recommended when nothing caps it)."""
    findings: list[Finding] = []
    for r in rules:
        if r.scope is Scope.CLUSTER:
            findings.extend(r.findings(design))
        else:
            for host in design.hosts:
                findings.extend(r.findings(HostContext(design, host), node=host.name))
    caps = [f.classification_cap for f in findings if f.classification_cap is not None]
    return Verdict(Classification.worst(caps), tuple(findings))
