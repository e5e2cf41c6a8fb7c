"""A self-contained SVG picture of one node's layout: ports as boxes, roles as chips, caps and class."""
from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from ..model import Classification, Evaluation, Node, Role
from ..ports import build_ports, format_speed
from ._common import ROLE_NAMES, cap_text, node_evaluation, single_line

BOX_W, GAP, MARGIN = 260, 20, 20
TOP = 70  # below the title and the badge
HEADER_H, CHIP_H, CHIP_GAP = 48, 30, 8
MAX_LABEL = 26  # characters of a name shown before it is cut (the full name is in a <title>)
FONT = "font-family=\"Segoe UI, Helvetica, Arial, sans-serif\""

CLASS_COLOURS = {  # (fill, text)
    Classification.RECOMMENDED: ("#2e7d32", "#ffffff"),
    Classification.SUPPORTED: ("#1565c0", "#ffffff"),
    Classification.NOT_RECOMMENDED: ("#ef6c00", "#ffffff"),
    Classification.UNSUPPORTED: ("#c62828", "#ffffff"),
}
ROLE_COLOURS = {
    Role.VM_ACCESS: "#e3f2fd",
    Role.MANAGEMENT: "#f3e5f5",
    Role.CLUSTER_CSV: "#fff8e1",
    Role.LIVE_MIGRATION: "#e8f5e9",
}


def _text(text: str) -> str:
    """Character data safe in XML: control characters (not allowed in XML 1.0) folded, <>& escaped."""
    return escape(single_line(text))


def _attr(text: str) -> str:
    return escape(single_line(text), {'"': "&quot;"})


def _short(text: str) -> str:
    text = single_line(text)
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def port_speeds_of(node: Node) -> dict[str, int]:
    """Port name -> speed in Mbps for a node of the description (teams at their team speed)."""
    return {port.name: port.profile.speed_mbps for port in build_ports(node)}


def render_svg(evaluation: Evaluation, node: str | None = None,
               port_speeds: Mapping[str, int] | None = None) -> str:
    """One node's layout as SVG (default the first node; ValueError for an unknown node).

    The evaluation carries a port's speed only where a policy sits on it; pass `port_speeds`
    (e.g. port_speeds_of(description_node)) to label every port.
    """
    item = node_evaluation(evaluation, node) if node is not None else evaluation.nodes[0]
    speeds = dict(port_speeds or {})
    for policy in item.qos_policies:
        speeds.setdefault(policy.port, policy.port_speed_mbps)
    ports: dict[str, list] = {}  # in the order the layout first names them (role column order)
    for placement in item.layout:
        ports.setdefault(placement.port, []).append(placement)

    tallest = max(len(roles) for roles in ports.values())
    box_h = HEADER_H + tallest * (CHIP_H + CHIP_GAP) + CHIP_GAP
    width = max(2 * MARGIN + len(ports) * BOX_W + (len(ports) - 1) * GAP, 520)
    height = TOP + box_h + 60
    fill, ink = CLASS_COLOURS[item.classification]
    label = item.classification.value.replace("_", " ")
    source = (f"from the guide's table, row {item.reference_configuration.row}"
              if item.classification_source == "table" and item.reference_configuration
              else "derived from the guide's principles")

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(f"Network layout of {item.name}: {label}")}">',
        f"<title>{_text(f'Network layout of {item.name}: {label}, {source}')}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="34" {FONT} font-size="18" font-weight="bold" fill="#212121">'
        f"{_text(_short(item.name))}</text>",
        f'<text x="{MARGIN}" y="54" {FONT} font-size="12" fill="#616161">{_text(source)}</text>',
        f'<g class="badge"><rect x="{width - MARGIN - 150}" y="18" width="150" height="28" rx="14" '
        f'fill="{fill}"/><text x="{width - MARGIN - 75}" y="37" {FONT} font-size="13" '
        f'font-weight="bold" fill="{ink}" text-anchor="middle">{_text(label.upper())}</text></g>',
    ]
    for i, (port, placements) in enumerate(ports.items()):
        x = MARGIN + i * (BOX_W + GAP)
        speed = format_speed(speeds[port]) if port in speeds else "speed not given"
        out += [
            '<g class="port">',
            f"<title>{_text(port)}</title>",
            f'<rect x="{x}" y="{TOP}" width="{BOX_W}" height="{box_h}" rx="8" fill="#fafafa" '
            f'stroke="{fill}" stroke-width="2"/>',
            f'<text x="{x + 12}" y="{TOP + 22}" {FONT} font-size="14" font-weight="bold" '
            f'fill="#212121">{_text(_short(port))}</text>',
            f'<text x="{x + 12}" y="{TOP + 39}" {FONT} font-size="12" fill="#616161">{_text(speed)}</text>',
        ]
        for j, p in enumerate(placements):
            cy = TOP + HEADER_H + j * (CHIP_H + CHIP_GAP)
            # Dashed border = a virtual adapter on the Hyper-V switch bound to this port.
            dash = ' stroke-dasharray="5 3"' if p.virtual else ""
            out += [
                f'<g class="role" data-role="{p.role.value}">',
                f'<rect x="{x + 10}" y="{cy}" width="{BOX_W - 20}" height="{CHIP_H}" rx="15" '
                f'fill="{ROLE_COLOURS[p.role]}" stroke="#424242" stroke-width="1.2"{dash}/>',
                f'<text x="{x + 22}" y="{cy + 19}" {FONT} font-size="12" fill="#212121">'
                f"{_text(ROLE_NAMES[p.role])}</text>",
            ]
            tags = []
            if p.virtual:
                tags.append("vSwitch")
            if p.bandwidth_cap_percent is not None:
                tags.append(cap_text(p.bandwidth_cap_percent))
            if tags:
                out.append(f'<text x="{x + BOX_W - 22}" y="{cy + 19}" {FONT} font-size="11" '
                           f'font-weight="bold" fill="#424242" text-anchor="end">'
                           f"{_text(' · '.join(tags))}</text>")
            out.append("</g>")
        out.append("</g>")
    out += [
        f'<text x="{MARGIN}" y="{TOP + box_h + 24}" {FONT} font-size="11" fill="#616161">'
        f"{_text('Dashed: virtual adapter on the Hyper-V switch (vSwitch) · ≤ n%: outbound QoS cap')}"
        "</text>",
        f'<text x="{MARGIN}" y="{TOP + box_h + 42}" {FONT} font-size="11" fill="#9e9e9e">'
        f"{_text(f'Ruleset {evaluation.ruleset_version}')}</text>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"
