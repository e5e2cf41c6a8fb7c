"""A chat-ops answer in Markdown: class, layout, every finding, alternative and plans, one message.

Every finding is present: when the answer would pass MAX_CHARS (one chat message), findings are
grouped and shortened step by step (full text, one line a code, the rule's title, codes only),
never dropped; the answer then says where the full text is.
"""
from __future__ import annotations

from ..model import Classification, Evaluation, Finding, NodeEvaluation, Placement, Severity
from ..rulesets import by_version
from ._common import ROLE_NAMES, cap_text
from .chat import cell, chat_text, name_list

MAX_CHARS = 4000  # one Slack or Teams message, with room to spare for the bot's own text
FULL_TEXT = ("_Shortened to fit one chat message: every finding's full text is in the JSON "
             "answer (`POST /v1/evaluations`) and on the web page._")
CLASS_LABELS = {
    Classification.RECOMMENDED: "Recommended",
    Classification.SUPPORTED: "Supported",
    Classification.NOT_RECOMMENDED: "Not recommended",
    Classification.UNSUPPORTED: "Unsupported",
}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def _label(classification: Classification) -> str:
    return CLASS_LABELS[classification].lower()


def _source(source: str, rows: list[int]) -> str:
    """'from the guide's table (row 2)' or 'derived from the guide's principles'."""
    if source == "table" and rows:
        label = "row" if len(rows) == 1 else "rows"
        return f"from the guide's table ({label} {', '.join(map(str, rows))})"
    return "derived from the guide's principles"


def _node_rows(nodes) -> list[int]:
    return sorted({n.reference_configuration.row for n in nodes if n.reference_configuration})


def _deciding(evaluation: Evaluation) -> list[str]:
    """The codes whose cap is the cluster's class: what the headline names as its reason."""
    return sorted({f.code for f in evaluation.findings
                   if f.classification_cap is evaluation.classification})


def _headline(evaluation: Evaluation) -> list[str]:
    rows = ([evaluation.reference_configuration.row] if evaluation.reference_configuration
            else _node_rows(evaluation.nodes))
    line = (f"**{CLASS_LABELS[evaluation.classification]}** · {evaluation.mode} mode · "
            f"{_source(evaluation.classification_source, rows)}")
    deciding = _deciding(evaluation)
    if deciding and evaluation.classification_source != "table":
        line += f" · set by {', '.join(deciding[:4])}{', …' if len(deciding) > 4 else ''}"
    lines = [line]
    if evaluation.best_classification.rank > evaluation.classification.rank:
        lines.append(f"Best reachable by design: {_label(evaluation.best_classification)}.")
    return lines


def _layout_table(layout: tuple[Placement, ...]) -> list[str]:
    lines = ["| role | port | virtual | cap |", "|---|---|---|---|"]
    for p in layout:
        lines.append(f"| {ROLE_NAMES[p.role]} | {cell(p.port)} | "
                     f"{'yes (vSwitch)' if p.virtual else 'no'} | "
                     f"{cap_text(p.bandwidth_cap_percent) or '–'} |")
    return lines


def _node_line(node: NodeEvaluation) -> str:
    rows = [node.reference_configuration.row] if node.reference_configuration else []
    return (f"**{chat_text(node.name)}**: {_label(node.classification)}, "
            f"{_source(node.classification_source, rows)}")


def _layouts(nodes: tuple[NodeEvaluation, ...], most: int) -> list[str]:
    """One table per distinct layout (at most `most`), naming the nodes that have it."""
    groups: dict[tuple, list[NodeEvaluation]] = {}
    for node in nodes:
        groups.setdefault(node.layout, []).append(node)
    if len(groups) == 1:
        names = name_list([n.name for n in nodes])
        lines: list[str] = [f"Layout ({'all nodes: ' if len(nodes) > 1 else ''}{names}):", "",
                            *_layout_table(nodes[0].layout)]
        if len({(n.classification, n.classification_source) for n in nodes}) > 1:
            lines += ["", *(f"- {_node_line(n)}" for n in nodes[:8])]
            if len(nodes) > 8:
                lines.append(f"- … {len(nodes) - 8} more nodes")
        return lines
    lines = []
    for layout, members in list(groups.items())[:most]:
        head = (_node_line(members[0]) if len(members) == 1 else
                f"**{name_list([n.name for n in members])}**: {_label(members[0].classification)}")
        lines += [head, "", *_layout_table(layout), ""]
    if len(groups) > most:
        lines += [f"… {len(groups) - most} more layouts (each node's layout is in the JSON "
                  "answer).", ""]
    return lines[:-1]


def _placements(layout: tuple[Placement, ...]) -> str:
    """All four roles in one line: 'virtual machine access on NIC1 (vSwitch); ...'."""
    parts = []
    for p in layout:
        tags = [t for t in ("vSwitch" if p.virtual else "", cap_text(p.bandwidth_cap_percent)) if t]
        parts.append(f"{ROLE_NAMES[p.role]} on {chat_text(p.port)}"
                     + (f" ({', '.join(tags)})" if tags else ""))
    return "; ".join(parts)


def _alternatives(evaluation: Evaluation) -> list[str]:
    """The alternative layouts, in the same voice as the headline and the plans."""
    groups: dict[tuple, list[NodeEvaluation]] = {}
    for node in evaluation.nodes:
        if node.alternative is not None:
            groups.setdefault((node.alternative.classification, node.alternative.layout,
                               node.layout, node.classification,
                               node.reference_configuration), []).append(node)
    planned = {plan.classification for plan in evaluation.plans}
    lines = []
    for (better, layout, own, current, row), members in groups.items():
        names = name_list([n.name for n in members])
        table = f"row {row.row}" if row else "the guide's table"
        if layout == own:
            # The same layout the table rates lower: say the table stands, not that it is better.
            text = (f"For {names}, the guide's principles alone would rate this same layout "
                    f"{_label(better)}, but the guide's table ({table}) rates this inventory "
                    f"{_label(current)}, and the table stands for its own rows.")
            if better in planned:
                text += f" The plan to reach {_label(better)} below changes the inventory."
        else:
            text = (f"Alternative layout for {names}, {_label(better)} by the guide's principles "
                    f"(the table's {table} gives {_label(current)}): {_placements(layout)}.")
        lines += ["", text]
    return lines


def _cap_note(finding: Finding) -> str:
    return "" if finding.classification_cap is None else \
        f", caps at {_label(finding.classification_cap)}"


def _ordered(evaluation: Evaluation) -> list[Finding]:
    return sorted(evaluation.findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.code))


def _group(findings: list[Finding], key) -> dict:
    groups: dict = {}
    for finding in findings:
        entry = groups.setdefault(key(finding), {"first": finding, "nodes": [], "messages": []})
        if finding.node is not None and finding.node not in entry["nodes"]:
            entry["nodes"].append(finding.node)
        if finding.message not in entry["messages"]:
            entry["messages"].append(finding.message)
    return groups


def _nodes(entry) -> str:
    return f" ({name_list(entry['nodes'])})" if entry["nodes"] else ""


def _findings(evaluation: Evaluation, detail: int) -> list[str]:
    """Every finding, at one of four levels of detail (0 = full text)."""
    findings = _ordered(evaluation)
    if not findings:
        return []
    lines = ["", "**Findings**"]
    if detail == 0:
        for entry in _group(findings, lambda f: (f.code, f.message)).values():
            f = entry["first"]
            lines.append(f"- **{f.code}** {f.severity.value}{_cap_note(f)}{_nodes(entry)}: "
                         f"{chat_text(f.message)}")
    elif detail in (1, 2):
        titles = {rule.code: rule.title for rule in by_version(evaluation.ruleset_version).rules}
        for entry in _group(findings, lambda f: f.code).values():
            f = entry["first"]
            more = len(entry["messages"]) - 1
            text = (chat_text(f.message) + (f" (and {more} more like it)" if more else "")
                    if detail == 1 else chat_text(titles.get(f.code, f.message))
                    + (f" ({more + 1} findings)" if more else ""))
            lines.append(f"- **{f.code}** {f.severity.value}{_cap_note(f)}{_nodes(entry)}: {text}")
    else:
        for severity in Severity:
            codes: dict[str, Finding] = {}
            for f in findings:
                if f.severity is severity:
                    codes.setdefault(f.code, f)
            if codes:
                listed = ", ".join(f"{code}{_cap_note(f).replace(', caps', ' caps')}"
                                   for code, f in codes.items())
                lines.append(f"- {_PLURAL[severity]}: {listed}")
    return lines


def plan_lines(evaluation: Evaluation) -> list[str]:
    """Each plan as numbered steps, each with the class it reaches (both rulesets' answers)."""
    lines = []
    for plan in evaluation.plans:
        lines += ["", f"**To reach {_label(plan.classification)}**"]
        for i, step in enumerate(plan.steps, 1):
            # The alternative is shown above in the same message: point there.
            action = step.action.replace("the alternative layout offered for the node",
                                         "in the alternative layout above")
            lines.append(f"{i}. {chat_text(action)} → {_label(step.classification_after)}")
    if not evaluation.plans_complete:
        lines += ["", "_The plan search stopped at its work limit: these plans are the best "
                      "found within it._"]
    return lines


def _compose(evaluation: Evaluation, detail: int) -> str:
    lines = [*_headline(evaluation), ""]
    lines += _layouts(evaluation.nodes, most=8 if detail < 2 else 2)
    lines += _alternatives(evaluation)
    lines += _findings(evaluation, detail)
    lines += plan_lines(evaluation)
    if detail:
        lines += ["", FULL_TEXT]
    lines += ["", f"_Ruleset {chat_text(evaluation.ruleset_version)}_"]
    return "\n".join(lines) + "\n"


def render_markdown(evaluation: Evaluation, limit: int = MAX_CHARS) -> str:
    """The evaluation as one chat message of at most `limit` characters, every finding in it."""
    for detail in range(4):
        text = _compose(evaluation, detail)
        if len(text) <= limit:
            return text
    # Only a pathological answer gets here (e.g. very long plans): cut it at a line, and say so.
    note = "\n… cut to fit one chat message: the full answer is `POST /v1/evaluations`.\n"
    return text[:text.rfind("\n", 0, limit - len(note))] + note
