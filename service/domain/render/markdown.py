"""A short chat-ops answer in Markdown: classification, layout, top findings, remediation."""
from __future__ import annotations

from ..model import Classification, Evaluation, NodeEvaluation, Severity
from ._common import ROLE_NAMES, cap_text, md_escape

MAX_FINDINGS = 5
CLASS_LABELS = {
    Classification.RECOMMENDED: "Recommended",
    Classification.SUPPORTED: "Supported",
    Classification.NOT_RECOMMENDED: "Not recommended",
    Classification.UNSUPPORTED: "Unsupported",
}


def _source(source: str, rows: list[int]) -> str:
    """'from the guide's table (row 2)' or 'derived from the guide's principles'."""
    if source == "table" and rows:
        label = "row" if len(rows) == 1 else "rows"
        return f"from the guide's table ({label} {', '.join(map(str, rows))})"
    return "derived from the guide's principles"


def _rows(nodes) -> list[int]:
    return sorted({n.reference_configuration.row for n in nodes if n.reference_configuration})


def _layout_table(node: NodeEvaluation) -> list[str]:
    lines = ["| role | port | virtual | cap |", "|---|---|---|---|"]
    for p in node.layout:
        cap = cap_text(p.bandwidth_cap_percent) or "–"
        lines.append(f"| {ROLE_NAMES[p.role]} | {md_escape(p.port)} | "
                     f"{'yes (vSwitch)' if p.virtual else 'no'} | {cap} |")
    return lines


def _node_line(node: NodeEvaluation) -> str:
    rows = [node.reference_configuration.row] if node.reference_configuration else []
    return (f"**{md_escape(node.name)}**: {CLASS_LABELS[node.classification].lower()}, "
            f"{_source(node.classification_source, rows)}")


def _findings(evaluation: Evaluation) -> list[str]:
    """Errors then warnings, one line per distinct (code, message), naming the nodes it concerns."""
    grouped: dict[tuple[str, str], list[str]] = {}
    severity: dict[tuple[str, str], Severity] = {}
    for f in evaluation.findings:
        if f.severity is Severity.INFO:
            continue
        key = (f.code, f.message)
        grouped.setdefault(key, [])
        severity[key] = f.severity
        if f.node is not None and f.node not in grouped[key]:
            grouped[key].append(f.node)
    # Errors first; within a severity keep the evaluation's order (it is already sorted by code).
    keys = sorted(grouped, key=lambda k: severity[k] is not Severity.ERROR)
    lines = []
    for key in keys[:MAX_FINDINGS]:
        code, message = key
        nodes = f" ({', '.join(md_escape(n) for n in grouped[key])})" if grouped[key] else ""
        lines.append(f"- **{code}** {severity[key].value}{nodes}: {md_escape(message)}")
    if len(keys) > MAX_FINDINGS:
        lines.append(f"- … and {len(keys) - MAX_FINDINGS} more")
    return lines


def render_markdown(evaluation: Evaluation) -> str:
    """The evaluation as a compact Markdown answer for a chat channel."""
    nodes = evaluation.nodes
    rows = [evaluation.reference_configuration.row] if evaluation.reference_configuration \
        else _rows(nodes)
    lines = [f"**{CLASS_LABELS[evaluation.classification]}** · {evaluation.mode} mode · "
             f"{_source(evaluation.classification_source, rows)}"]
    if evaluation.best_classification.rank > evaluation.classification.rank:
        lines.append(f"Best reachable by design: {CLASS_LABELS[evaluation.best_classification].lower()}.")
    lines.append("")
    if len({n.layout for n in nodes}) == 1:
        names = ", ".join(md_escape(n.name) for n in nodes)
        lines += [f"Layout ({'all nodes: ' if len(nodes) > 1 else ''}{names}):", "", *_layout_table(nodes[0])]
        if len({(n.classification, n.classification_source) for n in nodes}) > 1:
            lines += ["", *(f"- {_node_line(n)}" for n in nodes)]
    else:
        for node in nodes:
            lines += [_node_line(node), "", *_layout_table(node), ""]
        lines.pop()
    # One line per distinct alternative, so identical nodes do not repeat it.
    alternatives: dict = {}
    for node in nodes:
        if node.alternative is not None:
            key = (node.alternative.classification, node.alternative.reason)
            alternatives.setdefault(key, []).append(md_escape(node.name))
    for (classification, reason), names in alternatives.items():
        lines += ["", f"Alternative for {', '.join(names)} ({CLASS_LABELS[classification].lower()}): "
                      f"{md_escape(reason)}"]
    findings = _findings(evaluation)
    if findings:
        lines += ["", "**Findings**", *findings]
    for plan in evaluation.plans:
        lines += ["", f"**To reach {CLASS_LABELS[plan.classification].lower()}**"]
        lines += [f"{i}. {md_escape(step.action)} → "
                  f"{CLASS_LABELS[step.classification_after].lower()}"
                  for i, step in enumerate(plan.steps, 1)]
    if not evaluation.plans_complete:
        lines += ["", "_The plan search stopped at its work limit: these plans are the best "
                      "found within it._"]
    lines += ["", f"_Ruleset {md_escape(evaluation.ruleset_version)}_"]
    return "\n".join(lines) + "\n"
