"""The rule catalogue as a Markdown table (docs/rules.md is this function's output)."""
from __future__ import annotations

from .catalogue import Scope
from .ruleset import Ruleset
from .rulesets import DEFAULT

SCOPES = {Scope.CLUSTER: "cluster", Scope.NODE: "node", Scope.LAYOUT: "node layout"}


def catalogue_markdown(ruleset: Ruleset = DEFAULT) -> str:
    """Every rule of a ruleset: code, title, severity, the class it caps, scope and guide section."""
    lines = [
        "# Rule catalogue",
        "",
        "Generated from `service/domain/rulesets/ws2008r2/rules/` by "
        "`python -m service.domain.rules_doc > docs/rules.md`; a test fails when this file is "
        "stale.",
        "",
        "A finding carries the rule's code, severity and guide section; its `classification_cap` "
        "is the best class the cluster (cluster scope) or node can have while the finding stands. "
        "Every finding of a rule has the rule's severity and cap: an outcome with another "
        "severity or cap is another rule. A rule a missing fact leaves unchecked is reported "
        "under LM001, never under the rule's own code. "
        "Rules marked *table* are already accounted for by the guide's table: when a node's "
        "inventory and layout are a table row, the row's classification stands instead of their "
        "caps.",
        "",
        "| code | rule | severity | caps at | scope | guide section |",
        "|---|---|---|---|---|---|",
    ]
    for rule in ruleset.rules:
        cap = rule.cap.value if rule.cap else "—"
        scope = SCOPES[rule.scope] + (" (table)" if rule.table_covered else "")
        lines.append(f"| {rule.code} | {rule.title} | {rule.severity.value} | {cap} | {scope} | "
                     f"{rule.section} |")
    lines += ["", "## Sources", "",
              "Each rule's sentence from the guide (or, for rules outside the guide, from the "
              "Microsoft source named).", ""]
    for rule in ruleset.rules:
        if not rule.source:  # bookkeeping (LM001): what it reports is missing from the description
            lines.append(f"- **{rule.code}**: no source; its message names the rule it could not "
                         "check and the field the description does not give.")
            continue
        lines.append(f"- **{rule.code}** ({rule.source}): \u201c{rule.quote}\u201d")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
