"""What the page shows of an answer, as plain values for the template (no Flask here)."""
from __future__ import annotations

import json

from ..application.usecases import Answer
from ..domain.model import Classification, Evaluation
from ..domain.qos import dialog_kilobytes_per_second
from ..domain.render import svg
from ..domain.render._common import ROLE_NAMES, cap_text, format_speed
from ..domain.render.markdown import CLASS_LABELS, _source
from ..schemas.bodies import ClusterSchema

MAX_PICTURES = 4  # one picture a node up to this many; past it the cluster's picture only
_CLUSTER = ClusterSchema()


def label(classification: Classification) -> str:
    """'Not recommended' for not_recommended."""
    return CLASS_LABELS[classification]


def inline_svg(text: str, index: int) -> str:
    """A picture to put in the page: no XML declaration, and ids of its own (several share it)."""
    text = text.split("\n", 1)[1]
    return text.replace('"layout-title', f'"layout-title-{index}') \
        .replace(" layout-desc\"", f' layout-desc-{index}"') \
        .replace('"layout-desc"', f'"layout-desc-{index}"')


def _picture(result: Answer, node: str | None, index: int) -> str:
    return inline_svg(svg.render_svg(result.evaluation, node, cluster=result.cluster), index)


def _layouts(evaluation: Evaluation) -> list[dict]:
    groups: dict[tuple, list] = {}
    for node in evaluation.nodes:
        groups.setdefault(node.layout, []).append(node)
    return [{"nodes": [n.name for n in members],
             "classification": label(members[0].classification),
             "rows": [{"role": ROLE_NAMES[p.role], "port": p.port,
                       "virtual": "yes (vSwitch)" if p.virtual else "no",
                       "cap": cap_text(p.bandwidth_cap_percent) or "–"} for p in layout]}
            for layout, members in groups.items()]


def _alternatives(evaluation: Evaluation) -> list[dict]:
    """Alternative layouts, all four roles each, grouped over nodes (the chat answer's voice)."""
    groups: dict[tuple, list[str]] = {}
    for node in evaluation.nodes:
        if node.alternative is not None:
            key = (node.alternative.classification, node.alternative.layout, node.layout,
                   node.classification, node.reference_configuration)
            groups.setdefault(key, []).append(node.name)
    out = []
    for (better, layout, own, current, row), names in groups.items():
        table = f"row {row.row}" if row else "the guide's table"
        if layout == own:
            text = (f"The guide's principles alone would rate this same layout "
                    f"{label(better).lower()}, but the guide's table ({table}) rates this "
                    f"inventory {label(current).lower()}, and the table stands for its own rows.")
        else:
            roles = "; ".join(f"{ROLE_NAMES[p.role]} on {p.port}"
                              + (" (vSwitch)" if p.virtual else "")
                              + (f" capped at {p.bandwidth_cap_percent}%"
                                 if p.bandwidth_cap_percent else "") for p in layout)
            text = (f"{label(better)} by the guide's principles (the table's {table} gives "
                    f"{label(current).lower()}): {roles}.")
        out.append({"nodes": names, "classification": label(better), "text": text})
    return out


def plans(evaluation: Evaluation) -> list[dict]:
    """Each plan as the page lists it: the class it reaches and its steps (both rulesets)."""
    return [{"classification": label(plan.classification).lower(),
             "steps": [{"action": s.action, "nodes": list(s.nodes),
                        "after": label(s.classification_after).lower()} for s in plan.steps]}
            for plan in evaluation.plans]


def findings(evaluation: Evaluation) -> list[dict]:
    """The findings, most severe first, one entry per code and message with the nodes it is on."""
    order = {"error": 0, "warning": 1, "info": 2}
    grouped: dict[tuple, dict] = {}
    for f in sorted(evaluation.findings, key=lambda f: (order[f.severity.value], f.code)):
        entry = grouped.setdefault((f.code, f.message), {
            "code": f.code, "severity": f.severity.value, "message": f.message,
            "cap": label(f.classification_cap).lower() if f.classification_cap else "",
            "reference": f.guide_reference, "nodes": []})
        if f.node is not None and f.node not in entry["nodes"]:
            entry["nodes"].append(f.node)
    return list(grouped.values())


def _policies(evaluation: Evaluation) -> list[dict]:
    return [{"node": node.name, "name": p.name, "port": p.port,
             "port_speed": format_speed(p.port_speed_mbps),
             "match": (f"TCP to port {p.destination_port}" if p.kind == "live_migration"
                       else f"source {p.source_ip}"),
             "cap": cap_text(p.bandwidth_cap_percent), "bits": f"{p.throttle_rate_bits_per_second:,}",
             "kbps": f"{dialog_kilobytes_per_second(p.throttle_rate_bits_per_second):,}",
             "notes": list(p.notes)}
            for node in evaluation.nodes for p in node.qos_policies]


def description_text(result: Answer) -> str:
    """The JSON description of a one-line inventory, for the download buttons."""
    return json.dumps(_CLUSTER.dump(result.cluster), ensure_ascii=False)


def page_model(result: Answer, description: str) -> dict:
    """Everything the result part of the page shows; `description` is the JSON text the
    download buttons send back."""
    evaluation = result.evaluation
    rows = ([evaluation.reference_configuration.row] if evaluation.reference_configuration
            else sorted({n.reference_configuration.row for n in evaluation.nodes
                         if n.reference_configuration}))
    names = [n.name for n in evaluation.nodes]
    pictures = [{"title": "The cluster" if len(names) > 1 else names[0],
                 "svg": _picture(result, None, 0)}]
    # Each node's own picture only where they differ (identical nodes: the cluster's is theirs).
    if 1 < len(names) <= MAX_PICTURES and len({n.layout for n in evaluation.nodes}) > 1:
        pictures += [{"title": name, "svg": _picture(result, name, i)}
                     for i, name in enumerate(names, 1)]
    return {
        "classification": label(evaluation.classification),
        "css": evaluation.classification.value,
        "source": _source(evaluation.classification_source, rows),
        "mode": evaluation.mode,
        "best": label(evaluation.best_classification).lower()
        if evaluation.best_classification.rank > evaluation.classification.rank else None,
        "pictures": pictures,
        "layouts": _layouts(evaluation),
        "alternatives": _alternatives(evaluation),
        "findings": findings(evaluation),
        "plans": plans(evaluation),
        "plans_complete": evaluation.plans_complete,
        "policies": _policies(evaluation),
        "nodes": names,
        "description": description,
        "ruleset": evaluation.ruleset_version,
    }
