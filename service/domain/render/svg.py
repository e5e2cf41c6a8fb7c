"""A self-contained SVG picture of one node's layout, for portals.

Every port is drawn (unassigned adapters too), teams with their members, each port's network
(public, private or not given), roles as chips with vSwitch and caps, full names wrapped (and in a
tooltip), the class as a badge: the cluster's when no node is named, the node's own when one is.
The output is deterministic: the same evaluation always gives the same bytes.
"""
from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from ..model import Classification, Cluster, Evaluation, Node, NodeEvaluation, Role
from ..ports import Port, build_ports, format_speed
from ._common import ROLE_NAMES, cap_text, node_evaluation, single_line

BOX_W, GAP, MARGIN, COLUMNS = 260, 20, 20, 4
TOP = 96  # below the title, the source line and the badge
LINE_H, CHIP_H, CHIP_GAP = 17, 30, 8
WRAP = 30  # characters of a name a line holds in a box (bold 14 px in 236 px)
MAX_LINES = 3  # lines of a wrapped name; the rest is in the box's tooltip (<title>)
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
NETWORK_COLOURS = {"public": "#c62828", "private": "#2e7d32", None: "#757575"}
LEGEND = ("Dashed chip: virtual adapter on the Hyper-V switch (vSwitch) · ≤ n%: outbound QoS cap",
          "Left bar: green private network, red public, grey not given · dashed box: unassigned")
TEAM_MODES = {"link_aggregation": "link aggregation", "failover": "failover", None: "mode not given"}


def _text(text: str) -> str:
    """Character data safe in XML: control characters folded, <>& escaped."""
    return escape(single_line(text))


def _attr(text: str) -> str:
    return escape(single_line(text), {'"': "&quot;"})


def wrap(text: str, width: int = WRAP, lines: int = MAX_LINES) -> list[str]:
    """`text` in lines of at most `width` characters, broken after a space, '-', '_' or ')'
    where one is near, else anywhere; past `lines`, the last line ends with '…'."""
    text = single_line(text)
    out: list[str] = []
    while text:
        if len(text) <= width:
            out.append(text)
            break
        cut = max((text.rfind(c, width // 2, width) for c in " -_)."), default=-1)
        cut = cut + 1 if cut > 0 else width
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1] + "…"
    return out or [""]


def port_speeds_of(node: Node) -> dict[str, int]:
    """Port name -> speed in Mbps for a node of the description (teams at their team speed)."""
    return {port.name: port.profile.speed_mbps for port in build_ports(node)}


def _network(port: Port | None) -> str | None:
    return port.profile.network if port is not None else None


def _port_facts(name: str, port: Port | None, speeds: Mapping[str, int],
                adapters: Mapping[str, int]) -> list[str]:
    """The lines under a port's name: speed and kind, network and VLAN, team members."""
    speed = format_speed(speeds[name]) if name in speeds else "speed not given"
    if port is None:  # drawn from the evaluation alone: only what it carries
        return [speed]
    if port.profile.is_team:
        mode = "mode not given" if port.mode_assumed else TEAM_MODES[port.profile.team_mode]
        lines = [f"team, {mode}, {speed}"]
    else:
        lines = [f"adapter, {speed}"]
    network = _network(port)
    vlan = f", VLAN {port.vlan_id}" if port is not None and port.vlan_id else ""
    lines.append((f"{network} network" if network else "network not given") + vlan)
    if port is not None and port.profile.is_team:
        lines += wrap(_members(port, adapters), WRAP + 8, 4)
    return lines


def _members(port: Port, adapters: Mapping[str, int]) -> str:
    return "members: " + ", ".join(f"{m} ({format_speed(adapters[m])})" if m in adapters else m
                                   for m in port.members)


def _chip(x: int, y: int, placement) -> list[str]:
    # Dashed border = a virtual adapter on the Hyper-V switch bound to this port.
    dash = ' stroke-dasharray="5 3"' if placement.virtual else ""
    tags = [t for t in ("vSwitch" if placement.virtual else "",
                        cap_text(placement.bandwidth_cap_percent)) if t]
    out = [
        f'<g class="role" data-role="{placement.role.value}">',
        f'<rect x="{x + 10}" y="{y}" width="{BOX_W - 20}" height="{CHIP_H}" rx="15" '
        f'fill="{ROLE_COLOURS[placement.role]}" stroke="#424242" stroke-width="1.2"{dash}/>',
        f'<text x="{x + 22}" y="{y + 19}" {FONT} font-size="12" fill="#212121">'
        f"{_text(ROLE_NAMES[placement.role])}</text>",
    ]
    if tags:
        out.append(f'<text x="{x + BOX_W - 22}" y="{y + 19}" {FONT} font-size="11" '
                   f'font-weight="bold" fill="#424242" text-anchor="end">'
                   f"{_text(' · '.join(tags))}</text>")
    return out + ["</g>"]


def _box(x: int, y: int, height: int, name: str, port: Port | None, placements: list,
         facts: list[str], stroke: str) -> list[str]:
    network = _network(port)
    kind = "team" if port is not None and port.profile.is_team else "adapter"
    unassigned = not placements
    flag = ' data-unassigned="true"' if unassigned else ""
    dashed = ' stroke-dasharray="6 4"' if unassigned else ""
    out = [
        f'<g class="port" data-kind="{kind}" data-network="{network or "unknown"}"{flag}>',
        f"<title>{_text(name)}</title>",
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{height}" rx="8" '
        f'fill="{"#f5f5f5" if unassigned else "#fafafa"}" stroke="{stroke}" stroke-width="2"'
        f'{dashed}/>',
        # The network as a coloured bar on the box's left edge, named in the facts below.
        f'<rect x="{x}" y="{y}" width="6" height="{height}" fill="{NETWORK_COLOURS[network]}"/>',
    ]
    cy = y + 22
    for line in wrap(name):
        out.append(f'<text x="{x + 14}" y="{cy}" {FONT} font-size="14" font-weight="bold" '
                   f'fill="#212121">{_text(line)}</text>')
        cy += LINE_H
    for line in facts:
        out.append(f'<text x="{x + 14}" y="{cy}" {FONT} font-size="12" fill="#616161">'
                   f"{_text(line)}</text>")
        cy += LINE_H - 2
    cy += 4
    if unassigned:
        out.append(f'<text x="{x + 14}" y="{cy + 14}" {FONT} font-size="12" font-style="italic" '
                   f'fill="#757575">no role: unassigned</text>')
    for placement in placements:
        out += _chip(x, cy, placement)
        cy += CHIP_H + CHIP_GAP
    return out + ["</g>"]


def _box_height(name: str, facts: list[str], roles: int) -> int:
    # As _box lays it out: the first baseline at 22, the name's and facts' lines, then chips.
    header = 22 + len(wrap(name)) * LINE_H + len(facts) * (LINE_H - 2) + 4
    return header + max(roles, 1) * (CHIP_H + CHIP_GAP)


def _description(item: NodeEvaluation, ports: dict[str, list], facts: dict[str, list[str]],
                 built: Mapping[str, Port], adapters: Mapping[str, int]) -> str:
    """The picture in words, for screen readers: each port, what it is and the roles it carries."""
    parts = []
    for name, placements in ports.items():
        roles = "; ".join(
            ROLE_NAMES[p.role] + (" on the vSwitch" if p.virtual else "")
            + (f" capped at {p.bandwidth_cap_percent}%" if p.bandwidth_cap_percent else "")
            for p in placements) or "no role"
        port = built.get(name)
        about = facts[name][:2] + ([_members(port, adapters)]
                                   if port is not None and port.profile.is_team else [])
        parts.append(f"{name} ({', '.join(about)}): {roles}.")
    return " ".join(parts)


def render_svg(evaluation: Evaluation, node: str | None = None,
               cluster: Cluster | None = None,
               port_speeds: Mapping[str, int] | None = None) -> str:
    """A node's layout as SVG: the named node with its own class, or (node None) the first
    node's layout with the cluster's class. ValueError for an unknown node.

    `cluster` (the description) adds what the evaluation does not carry: every adapter,
    unassigned ones included, team members, networks and speeds.
    """
    item = node_evaluation(evaluation, node) if node is not None else evaluation.nodes[0]
    described = next((n for n in cluster.nodes if n.name == item.name), None) if cluster else None
    built = {p.name: p for p in build_ports(described)} if described else {}
    adapters = {a.name: a.speed_mbps for a in described.adapters} if described else {}
    speeds = {**{n: p.profile.speed_mbps for n, p in built.items()}, **dict(port_speeds or {})}
    for policy in item.qos_policies:
        speeds.setdefault(policy.port, policy.port_speed_mbps)
    ports: dict[str, list] = {}  # layout order first, then the unassigned ports
    for placement in item.layout:
        ports.setdefault(placement.port, []).append(placement)
    for name in built:
        ports.setdefault(name, [])
    facts = {name: _port_facts(name, built.get(name), speeds, adapters) for name in ports}

    whole = node is None and len(evaluation.nodes) > 1
    shown = evaluation.classification if node is None else item.classification
    fill, ink = CLASS_COLOURS[shown]
    label = shown.value.replace("_", " ")
    if whole:
        heading = f"Cluster {evaluation.name or ''}".rstrip()
        subtitle = (f"{label} for the cluster of {len(evaluation.nodes)} nodes; layout of "
                    f"{item.name} ({item.classification.value.replace('_', ' ')})")
    else:
        heading = item.name
        subtitle = label + (f" (cluster: {evaluation.classification.value.replace('_', ' ')})"
                            if len(evaluation.nodes) > 1 else "")
    source = (f"from the guide's table, row {item.reference_configuration.row}"
              if item.classification_source == "table" and item.reference_configuration
              else "derived from the guide's principles")

    names = list(ports)
    rows = [names[i:i + COLUMNS] for i in range(0, len(names), COLUMNS)]
    heights = [max(_box_height(n, facts[n], len(ports[n])) for n in row) for row in rows]
    columns = min(len(names), COLUMNS)
    width = max(2 * MARGIN + columns * BOX_W + (columns - 1) * GAP, 600)
    height = TOP + sum(heights) + GAP * (len(rows) - 1) + 80
    title = f"Network layout of {item.name}: {subtitle}, {source}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="layout-title layout-desc">',
        f'<title id="layout-title">{_text(title)}</title>',
        f'<desc id="layout-desc">{_text(_description(item, ports, facts, built, adapters))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for k, line in enumerate(wrap(heading, 44, 1)):
        out.append(f'<text x="{MARGIN}" y="{34 + k * 20}" {FONT} font-size="18" '
                   f'font-weight="bold" fill="#212121">{_text(line)}</text>')
    out += [
        f'<text x="{MARGIN}" y="56" {FONT} font-size="12" fill="#424242">{_text(subtitle)}</text>',
        f'<text x="{MARGIN}" y="74" {FONT} font-size="12" fill="#616161">{_text(source)}</text>',
        f'<g class="badge" data-classification="{shown.value}">'
        f'<rect x="{width - MARGIN - 170}" y="18" width="170" height="28" rx="14" fill="{fill}"/>'
        f'<text x="{width - MARGIN - 85}" y="37" {FONT} font-size="13" font-weight="bold" '
        f'fill="{ink}" text-anchor="middle">{_text(label.upper())}</text></g>',
    ]
    y = TOP
    for row, row_height in zip(rows, heights):
        for i, name in enumerate(row):
            x = MARGIN + i * (BOX_W + GAP)
            out += _box(x, y, row_height, name, built.get(name), ports[name], facts[name], fill)
        y += row_height + GAP
    y += 4 - GAP
    out += [
        *(f'<text x="{MARGIN}" y="{y + 20 + 16 * k}" {FONT} font-size="11" fill="#616161">'
          f"{_text(line)}</text>" for k, line in enumerate(LEGEND)),
        f'<text x="{MARGIN}" y="{y + 54}" {FONT} font-size="11" fill="#9e9e9e">'
        f"{_text(f'Ruleset {evaluation.ruleset_version}')}</text>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"
