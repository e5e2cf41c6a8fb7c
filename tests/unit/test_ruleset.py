"""A ruleset is a value: built explicitly, passed to the engine, derived without changing its base."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from service.domain.catalogue import GUIDE_URL, Hit, Rule, Scope, rule
from service.domain.evaluate import evaluate
from service.domain.model import Classification as C, Severity
from service.domain.rulesets.ws2008r2.rules import (
    addressing, cluster as cluster_rules, facts, placement, qos,
)
from service.domain.rulesets import DEFAULT, RULESETS, WS2008R2, by_version
from service.domain.version import ruleset_version

try:
    from builders import G1, cluster, codes, node
except ImportError:  # tests/unit imported as a package
    from tests.unit.builders import G1, cluster, codes, node


@rule("LM901", "At most two nodes (a derived ruleset's own rule)", Severity.WARNING,
      "Networking considerations for live migration", Scope.CLUSTER, cap=C.SUPPORTED,
      quote="Example rule for a derived ruleset.")
def at_most_two_nodes(ctx):
    if len(ctx.nodes) > 2:
        yield Hit(f"{len(ctx.nodes)} nodes: this ruleset allows two.")


def three_nodes():
    return cluster(*(node(f"hv0{i}", G1, G1, G1, G1, processor_vendor="intel")
                     for i in (1, 2, 3)), csv_smb_bindings_enabled=True)


def test_the_default_ruleset_is_the_guide_and_names_the_version_answers_carry():
    assert DEFAULT is WS2008R2
    assert RULESETS == {WS2008R2.name: WS2008R2}
    assert WS2008R2.version == ruleset_version()
    assert evaluate(three_nodes()).ruleset_version == WS2008R2.version
    assert by_version(WS2008R2.version) is WS2008R2
    assert WS2008R2.sources[0].url == GUIDE_URL


def test_the_rule_collection_is_the_rules_modules_tables_in_code_order():
    listed = [r for module in (facts, cluster_rules, placement, addressing, qos) for r in module.RULES]
    assert WS2008R2.rules == tuple(sorted(listed, key=lambda r: r.code))
    # Every rule a module defines is in its table: a rule left out would silently never run.
    for module in (facts, cluster_rules, placement, addressing, qos):
        defined = {v for v in vars(module).values() if isinstance(v, Rule)}
        assert defined == set(module.RULES), module.__name__
    assert {r.scope for r in WS2008R2.rules} == set(Scope)
    assert WS2008R2.rules_of(Scope.CLUSTER) == tuple(r for r in WS2008R2.rules
                                                     if r.scope is Scope.CLUSTER)
    assert WS2008R2.scope_of("LM301") is Scope.CLUSTER
    assert WS2008R2.rule("LM201").scope is Scope.NODE


def test_a_derived_ruleset_with_one_more_rule_evaluates_differently_and_the_base_does_not():
    before = evaluate(three_nodes())
    derived = WS2008R2.extend(rules=[at_most_two_nodes], name="ws2008r2-two-nodes", release="1")
    after = evaluate(three_nodes(), ruleset=derived)
    assert "LM901" in codes(after) and "LM901" not in codes(before)
    assert after.classification is C.SUPPORTED and before.classification is C.RECOMMENDED
    assert after.ruleset_version == "ws2008r2-two-nodes/1"
    # The base is unchanged, and so is what it answers (its memos are its own).
    assert len(derived.rules) == len(WS2008R2.rules) + 1
    assert "LM901" not in {r.code for r in WS2008R2.rules}
    assert evaluate(three_nodes()) == before


def test_extend_replaces_a_rule_of_the_same_code():
    quiet = Rule("LM101", "Failover clustering not checked", Severity.INFO, None, "x", Scope.CLUSTER,
                 False, lambda ctx: ())
    derived = WS2008R2.extend(rules=[quiet])
    off = cluster(node("hv01", G1, G1, G1, G1), failover_clustering=False)
    assert "LM101" in codes(evaluate(off))
    assert "LM101" not in codes(evaluate(off, ruleset=derived))
    assert WS2008R2.rule("LM101").severity is Severity.ERROR


def test_a_ruleset_refuses_repeated_codes_and_unknown_scopes():
    twice = WS2008R2.rule("LM101")
    with pytest.raises(ValueError, match="repeat"):
        type(WS2008R2)(**{**_parts(WS2008R2), "rules": (twice, twice)})
    odd = Rule("LM999", "odd", Severity.INFO, None, "x", "site", False, lambda ctx: ())
    with pytest.raises(ValueError, match="scope"):
        WS2008R2.extend(rules=[odd])


def _parts(ruleset) -> dict:
    names = ("name", "release", "title", "sources", "table", "rules", "caps", "designer",
             "qos", "changes", "limits")
    return {n: getattr(ruleset, n) for n in names}


def test_the_catalogue_imports_no_rules_and_rules_register_nothing():
    # Run in a fresh interpreter: this one has every module imported already.
    code = ("import sys, service.domain.catalogue; "
            "assert not any(m.startswith('service.domain.rulesets') for m in sys.modules), "
            "sorted(m for m in sys.modules if m.startswith('service.domain'))")
    subprocess.run([sys.executable, "-c", code], check=True)
    module = importlib.import_module("service.domain.catalogue")
    assert not hasattr(module, "CATALOGUE")
