"""docs/rules.md is the catalogue's own rendering, kept current."""
from __future__ import annotations

from pathlib import Path

from service.domain.rules_doc import catalogue_markdown
from service.domain.rulesets import WS2008R2

DOC = Path(__file__).parents[2] / "docs" / "rules.md"


def test_rules_doc_is_current():
    # Regenerate with: python -m service.domain.rules_doc > docs/rules.md
    assert DOC.read_text() == catalogue_markdown()


def test_every_rule_is_listed():
    text = catalogue_markdown()
    for rule in WS2008R2.rules:
        assert f"| {rule.code} | {rule.title} |" in text
