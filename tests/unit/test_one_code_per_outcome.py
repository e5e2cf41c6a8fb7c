"""One code per outcome: every finding carries its rule's severity and cap, and "not checked" is
its own rule (LM001, WS001), never a violation's code; checked over the golden inventories."""
from __future__ import annotations

import re
from functools import cache

import pytest

from service.domain.catalogue import Hit
from service.domain.evaluate import evaluate
from service.domain.rulesets import WS2008R2
from service.domain.rulesets.ws2016 import RULES as WS2016_RULES
from service.application.usecases import answer, load_description
from tests.golden.inventories import inventories
from tests.golden.ws2016_inventories import inventories as ws2016_inventories

# The bookkeeping rule of each ruleset: the only code a "not checked" finding may carry.
NOT_CHECKED = {"LM001", "WS001"}


@cache
def ws2008r2_findings() -> list:
    """Every finding of the 2008 R2 golden evaluations."""
    return [f for c in inventories() for f in evaluate(c).findings]


@cache
def ws2016_findings() -> list:
    """Every finding of the ws2016 golden evaluations, answered as the API answers them."""
    return [f for d in ws2016_inventories()
            for f in answer(load_description(d)).evaluation.findings]


@pytest.mark.parametrize("findings, rules", [
    (ws2008r2_findings, {r.code: r for r in WS2008R2.rules}),
    (ws2016_findings, {r.code: r for r in WS2016_RULES}),
], ids=["ws2008r2", "ws2016"])
def test_every_finding_has_its_rules_severity_and_cap(findings, rules):
    found = findings()
    assert found
    for f in found:
        rule = rules[f.code]
        assert (f.severity, f.classification_cap) == (rule.severity, rule.cap), (f.code, f.message)


@pytest.mark.parametrize("findings, rules", [
    (ws2008r2_findings, {r.code for r in WS2008R2.rules}),
    (ws2016_findings, {r.code for r in WS2016_RULES}),
], ids=["ws2008r2", "ws2016"])
def test_not_checked_is_its_own_code_and_names_the_rule_it_could_not_check(findings, rules):
    unchecked = [f for f in findings() if f.code in NOT_CHECKED]
    assert unchecked  # the golden sets leave facts out
    for f in unchecked:
        named = re.match(r"Not checked \(([A-Z]{2}\d{3}(?:[-, ]+[A-Z]{2}\d{3})*)\)", f.message)
        assert named, f.message
        assert set(re.findall(r"[A-Z]{2}\d{3}", named.group(1))) <= rules - NOT_CHECKED
    assert not [f.message for f in findings()
                if f.code not in NOT_CHECKED and f.message.lower().startswith("not checked")]


def test_a_hit_has_no_severity_or_cap_to_override():
    assert set(Hit.__dataclass_fields__) == {"message", "node"}
