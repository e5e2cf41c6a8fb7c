"""A ws2016 node's host networking as a self-contained SVG picture: the physical adapters at the
bottom, the Hyper-V switch (SET) over its members, the host vNICs over the switch with the member
each is mapped to, standalone storage adapters beside; the class as a badge (the named node's own,
else the cluster's), the live migration settings underneath.

Built from the 2008 R2 picture's pieces (escaping, wrapping, fonts, class colours); deterministic:
the same answer always gives the same bytes.
"""
from __future__ import annotations

from ...model import Evaluation
from ...ports import format_speed
from ...render._common import ROLE_NAMES, node_evaluation
from ...render.svg import CLASS_COLOURS, FONT, MARGIN, _attr, _text, wrap
from .description import Design, Nic, RdmaKind, Switch
from .render_md import BALANCING, LAYOUTS, TRAFFIC, TRANSPORTS, gbps, no_dcb_reason

COL_W, GAP, TOP = 200, 20, 96
VNIC_H, SWITCH_H, NIC_H, ROW_GAP = 82, 66, 82, 36
NAME_WRAP = 24  # characters of a name a line holds in a box (bold 13 px in 180 px)
FILLS = {"vnic": "#f3e5f5", "switch": "#e3f2fd", "member": "#fafafa", "storage": "#fff8e1",
         "unused": "#f5f5f5"}
RDMA_NAMES = {RdmaKind.ROCE: "RoCE", RdmaKind.ROCE_V2: "RoCE v2", RdmaKind.IWARP: "iWARP",
              RdmaKind.INFINIBAND: "InfiniBand"}
LEGEND = ("Dashed box: host virtual adapter (vNIC) on the switch, or an adapter this design "
          "leaves unused",
          "Lines: a switch's members (solid); a host vNIC on its switch, dashed down to the "
          "member it is mapped to")


def _label(classification) -> str:
    return classification.value.replace("_", " ")


def _x(column: int) -> int:
    return MARGIN + column * (COL_W + GAP)


def _box(kind: str, x: int, y: int, width: int, height: int, name: str,
         facts: list[str]) -> list[str]:
    """A named box with its facts; the full name in its tooltip."""
    dashed = ' stroke-dasharray="6 4"' if kind in ("vnic", "unused") else ""
    out = [f'<g class="{kind}" data-name="{_attr(name)}">', f"<title>{_text(name)}</title>",
           f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="8" '
           f'fill="{FILLS[kind]}" stroke="#424242" stroke-width="1.5"{dashed}/>']
    lines = wrap(name, NAME_WRAP * width // COL_W, 1)
    out.append(f'<text x="{x + 10}" y="{y + 20}" {FONT} font-size="13" font-weight="bold" '
               f'fill="#212121">{_text(lines[0])}</text>')
    for k, line in enumerate(facts):
        out.append(f'<text x="{x + 10}" y="{y + 38 + 15 * k}" {FONT} font-size="11" '
                   f'fill="#616161">{_text(line)}</text>')
    return out + ["</g>"]


def _line(x1: int, y1: int, x2: int, y2: int, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#757575" '
            f'stroke-width="1.5"{dash}/>')


def _nic_facts(nic: Nic | None) -> str:
    if nic is None:
        return "not described"
    rdma = (f", RDMA {RDMA_NAMES[nic.rdma_kind]}" if nic.rdma and nic.rdma_kind is not None
            else ", RDMA" if nic.rdma else "")
    return format_speed(nic.speed_mbps) + rdma


def _traffic(carrier) -> str:
    return ", ".join(TRAFFIC.get(t, t.value) for t in sorted(carrier.traffic))


def _switch_facts(switch: Switch) -> list[str]:
    teaming = ("Switch Embedded Teaming" if switch.is_set else
               "LBFO team" if switch.is_lbfo else "no teaming")
    balancing = (f", {BALANCING[switch.load_balancing]}"
                 if switch.load_balancing is not None else "")
    bandwidth = ([f"minimum bandwidth: {switch.bandwidth_mode.value}"
                  + (f", default flow {switch.default_flow_weight}"
                     if switch.default_flow_weight is not None else "")]
                 if switch.bandwidth_mode is not None else [])
    return [teaming + balancing, f"carries {_traffic(switch)}", *bandwidth]


def _vlan(vlan_id: int | None) -> str:
    return f"VLAN {vlan_id}" if vlan_id else "untagged"


def _settings(evaluation: Evaluation) -> list[str]:
    """The cluster-wide live migration settings, one line each."""
    networking = evaluation.host_networking  # type: ignore[attr-defined]
    transport = networking.live_migration_transport
    limit = networking.smb_bandwidth_limit_live_migration_bytes_per_second
    line = f"Live migration: {TRANSPORTS[transport] if transport is not None else 'not set'}"
    if limit is not None:
        line += (f", SMB bandwidth limit {limit} bytes/s = {limit * 8} bit/s "
                 f"({gbps(limit * 8)} Gbps)")
    if networking.max_simultaneous_live_migrations is not None:
        line += f", {networking.max_simultaneous_live_migrations} simultaneous"
    dcb = networking.dcb
    dcb_line = (f"DCB: none ({no_dcb_reason(networking)})" if dcb is None else
                f"DCB: SMB Direct on priority {dcb.smb_priority}, PFC on "
                + ",".join(str(p) for p in dcb.pfc_priorities) + "; ETS "
                + "; ".join(f"{c.name} priority {c.priority} {c.bandwidth_percent}%"
                            for c in dcb.traffic_classes))
    return [line, dcb_line]


def _roles(placements) -> str:
    """'management on S; live migration on A, B': roles on the same carriers together."""
    ports: dict[str, list[str]] = {}
    for p in placements:
        ports.setdefault(p.port, []).append(ROLE_NAMES[p.role])
    together: dict[tuple, list[str]] = {}
    for port, roles in ports.items():
        together.setdefault(tuple(dict.fromkeys(roles)), []).append(port)
    return "; ".join(f"{', '.join(roles)} on {', '.join(names)}"
                     for roles, names in together.items())


def _vnic_columns(laid, spans, adapters: list[str]) -> dict[str, int]:
    """Each host vNIC's column: over the member it is mapped to (so its line runs down to it),
    else the next free column from its switch's first."""
    out: dict[str, int] = {}
    for switch, first in spans:
        own = [v for v in laid.host_vnics if v.switch == switch.name]
        for vnic in own:
            if vnic.mapped_to in switch.members and adapters.index(vnic.mapped_to) \
                    not in out.values():
                out[vnic.name] = adapters.index(vnic.mapped_to)
        free = first
        for vnic in own:
            if vnic.name not in out:
                while free in out.values():
                    free += 1
                out[vnic.name] = free
    return out


def render_svg(evaluation: Evaluation, design: Design, node: str | None = None) -> str:
    """One node's host networking as SVG: the named node with its own class, or (node None) the
    first node under the cluster's class. ValueError for an unknown node."""
    item = node_evaluation(evaluation, node) if node is not None else evaluation.nodes[0]
    networking = evaluation.host_networking  # type: ignore[attr-defined]
    laid = next(n for n in networking.nodes if n.name == item.name)
    host = next((h for h in design.hosts if h.name == item.name), None)
    nics = {n.name: n for n in host.nics} if host is not None else {}

    # Columns at the bottom: each switch's members, then storage adapters, then the rest.
    columns: list[tuple[str, str]] = []  # (adapter, kind)
    spans: list[tuple[Switch, int]] = []  # each switch and its first column
    for switch in laid.switches:
        spans.append((switch, len(columns)))
        columns += [(m, "member") for m in switch.members]
    columns += [(n.name, "storage") for n in laid.storage_adapters]
    placed = {name for name, _ in columns}
    columns += [(name, "unused") for name in nics if name not in placed]
    vnic_columns = _vnic_columns(laid, spans, [name for name, _ in columns])
    count = max([len(columns), *(c + 1 for c in vnic_columns.values())], default=1)

    whole = node is None and len(evaluation.nodes) > 1
    shown = evaluation.classification if node is None else item.classification
    fill, ink = CLASS_COLOURS[shown]
    heading = (f"Cluster {evaluation.name or ''}".rstrip() if whole else item.name)
    subtitle = (f"{_label(shown)} for the cluster of {len(evaluation.nodes)} nodes; host "
                f"networking of {item.name} ({_label(item.classification)})" if whole else
                _label(shown) + (f" (cluster: {_label(evaluation.classification)})"
                                 if len(evaluation.nodes) > 1 else ""))
    layout = LAYOUTS.get(laid.layout, laid.layout)
    source = f"Windows Server 2016 and later, derived from Microsoft's pages; {layout}"
    vnic_y = TOP
    switch_y = vnic_y + (VNIC_H + ROW_GAP if laid.host_vnics else 0)
    # A third line of facts (the minimum-bandwidth mode) makes the switches' row taller.
    switch_h = SWITCH_H + (15 if any(sw.bandwidth_mode for sw in laid.switches) else 0)
    nic_y = switch_y + (switch_h + ROW_GAP if laid.switches else 0)
    foot = nic_y + NIC_H + 28
    width = max(2 * MARGIN + count * COL_W + (count - 1) * GAP, 760)
    settings = _settings(evaluation)
    chars = (width - 2 * MARGIN) // 6  # 11 px text: about 6 px a character
    lines = [part for line in (f"Roles: {_roles(item.layout)}", *settings, *LEGEND)
             for part in wrap(line, chars, 4)]
    height = foot + 16 * len(lines) + 24
    about = (f"Host networking of {item.name}: {subtitle}. {layout}. "
             + " ".join(f"Switch {s.name} over {', '.join(s.members)}: "
                        f"{'; '.join(_switch_facts(s))}." for s in laid.switches)
             + " ".join(f" Host vNIC {v.name} on {v.switch}, {_vlan(v.vlan_id)}"
                        + (", RDMA" if v.rdma else "")
                        + (f", minimum-bandwidth weight {v.weight}" if v.weight is not None
                           else "")
                        + (f", mapped to {v.mapped_to}" if v.mapped_to else "") + "."
                        for v in laid.host_vnics)
             + " ".join(f" Storage adapter {n.name}, {_vlan(n.vlan_id)}"
                        + (", RDMA" if n.rdma else "") + "." for n in laid.storage_adapters)
             + f" Roles: {_roles(item.layout)}. " + " ".join(s + "." for s in settings))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="layout-title layout-desc">',
        f'<title id="layout-title">{_text(f"Host networking of {item.name}: {subtitle}")}</title>',
        f'<desc id="layout-desc">{_text(about)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="34" {FONT} font-size="18" font-weight="bold" fill="#212121">'
        f"{_text(wrap(heading, 44, 1)[0])}</text>",
        f'<text x="{MARGIN}" y="56" {FONT} font-size="12" fill="#424242">{_text(subtitle)}</text>',
        f'<text x="{MARGIN}" y="74" {FONT} font-size="12" fill="#616161">{_text(source)}</text>',
        f'<g class="badge" data-classification="{shown.value}">'
        f'<rect x="{width - MARGIN - 170}" y="18" width="170" height="28" rx="14" fill="{fill}"/>'
        f'<text x="{width - MARGIN - 85}" y="37" {FONT} font-size="13" font-weight="bold" '
        f'fill="{ink}" text-anchor="middle">{_text(_label(shown).upper())}</text></g>',
    ]
    centre = {name: _x(k) + COL_W // 2 for k, (name, _) in enumerate(columns)}
    for switch, first in spans:
        x, span = _x(first), len(switch.members)
        out += _box("switch", x, switch_y, span * COL_W + (span - 1) * GAP, switch_h,
                    switch.name, _switch_facts(switch))
        out += [_line(centre[m], switch_y + switch_h, centre[m], nic_y) for m in switch.members]
    for vnic in laid.host_vnics:
        x = _x(vnic_columns.get(vnic.name, 0))
        facts = [f"host vNIC, {_vlan(vnic.vlan_id)}" + (", RDMA" if vnic.rdma else "")
                 + (f", weight {vnic.weight}" if vnic.weight is not None else ""),
                 f"carries {_traffic(vnic)}"]
        facts += wrap(f"mapped to {vnic.mapped_to}", 30, 1) if vnic.mapped_to else []
        out += _box("vnic", x, vnic_y, COL_W, VNIC_H, vnic.name, facts)
        out.append(_line(x + COL_W // 2, vnic_y + VNIC_H, x + COL_W // 2, switch_y,
                         dashed=vnic.mapped_to is not None))
    storage = {n.name: n for n in laid.storage_adapters}
    for k, (name, kind) in enumerate(columns):
        facts = [_nic_facts(nics.get(name))]
        if kind == "storage":
            facts += ["storage adapter (SMB)", _vlan(storage[name].vlan_id)
                      + (", RDMA enabled" if storage[name].rdma else "")]
        elif kind == "member":
            facts.append("switch member")
        else:
            facts.append("unused by this design")
        out += _box(kind, _x(k), nic_y, COL_W, NIC_H, name, facts)
    out += [f'<text x="{MARGIN}" y="{foot + 16 * k}" {FONT} font-size="11" fill="#616161">'
            f"{_text(line)}</text>" for k, line in enumerate(lines)]
    out += [f'<text x="{MARGIN}" y="{foot + 16 * len(lines)}" {FONT} font-size="11" '
            f'fill="#9e9e9e">{_text(f"Ruleset {evaluation.ruleset_version}")}</text>', "</svg>"]
    return "\n".join(out) + "\n"
