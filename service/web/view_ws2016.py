"""What the page shows of a Windows Server 2016 and later answer, as plain values for the template.

The words are the ws2016 Markdown answer's (render_md: transport, teaming, traffic, layouts), the
pictures its SVG (render_svg), so the page says what the other answers say.
"""
from __future__ import annotations

from ..application.usecases import Answer
from ..domain.model import Evaluation
from ..domain.ports import format_speed
from ..domain.render._common import ROLE_NAMES
from ..domain.rulesets.ws2016 import serve as ws2016_serve
from ..domain.rulesets.ws2016.render_md import (
    _REFERENCE,
    LAYOUTS,
    TRANSPORTS,
    _balancing,
    _teaming,
    _traffic,
    _vlan,
    bandwidth_text,
    gbps,
    summary,
)
from ..domain.rulesets.ws2016.render_ps1 import TRANSPORT
from .view import MAX_PICTURES, findings, inline_svg, label, plans

SOURCE = "derived from Microsoft's pages for Windows Server 2016 and later"


def _findings(evaluation: Evaluation) -> list[dict]:
    """The page's findings, each with the Microsoft page it cites split into title and address."""
    out = findings(evaluation)
    for entry in out:
        found = _REFERENCE.match(entry["reference"] or "")
        if found is not None:  # only an http(s) address becomes a link
            entry.update(title=found["title"], url=found["url"])
    return out


def _settings(networking) -> list[dict]:
    """Live migration's settings: what each is and the command that sets it."""
    transport = networking.live_migration_transport
    limit = networking.smb_bandwidth_limit_live_migration_bytes_per_second
    most = networking.max_simultaneous_live_migrations
    return [
        {"name": "Transport",
         "value": TRANSPORTS[transport] if transport is not None else "not set",
         "command": f"Set-VMHost -VirtualMachineMigrationPerformanceOption {TRANSPORT[transport]}"
         if transport is not None else ""},
        {"name": "SMB bandwidth limit",
         "value": f"{limit:,} bytes/s = {limit * 8:,} bit/s ({gbps(limit * 8)} Gbps)"
         if limit is not None else "none (it applies to the SMB transport only)",
         "command": f"Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond {limit}"
         if limit is not None else ""},
        {"name": "Simultaneous live migrations",
         "value": str(most) if most is not None else "not given (each host keeps its own)",
         "command": f"Set-VMHost -MaximumVirtualMachineMigrations {most}"
         if most is not None else ""},
    ]


def _dcb(networking) -> dict | None:
    dcb = networking.dcb
    if dcb is None:
        return None
    return {"smb_priority": dcb.smb_priority,
            "pfc": ", ".join(str(p) for p in dcb.pfc_priorities),
            "heartbeat": dcb.heartbeat_priority,
            "classes": [{"name": c.name, "priority": c.priority, "percent": c.bandwidth_percent}
                        for c in dcb.traffic_classes]}


def _roles(placements) -> list[dict]:
    """Each carrier (switch or adapter) and the roles on it, in the layout's order."""
    carriers: dict[tuple, list[str]] = {}
    for p in placements:
        carriers.setdefault((p.port, p.virtual), []).append(ROLE_NAMES[p.role])
    return [{"port": port, "virtual": "yes (vSwitch)" if virtual else "no",
             "roles": ", ".join(dict.fromkeys(roles))}
            for (port, virtual), roles in carriers.items()]


def _tables(node) -> dict:
    """One node's switches, host vNICs and storage adapters as table rows."""
    return {
        "switches": [{"name": s.name, "members": ", ".join(s.members), "teaming": _teaming(s),
                      "balancing": _balancing(s), "bandwidth": bandwidth_text(s),
                      "traffic": _traffic(s)} for s in node.switches],
        "vnics": [{"name": v.name, "switch": v.switch, "vlan": _vlan(v.vlan_id),
                   "rdma": "yes" if v.rdma else "no", "mapped_to": v.mapped_to or "–",
                   "weight": "–" if v.weight is None else str(v.weight),
                   "traffic": _traffic(v)} for v in node.host_vnics],
        "storage": [{"name": n.name, "speed": format_speed(n.speed_mbps), "vlan": _vlan(n.vlan_id),
                     "rdma": "yes" if n.rdma else "no"} for n in node.storage_adapters],
    }


def _layouts(result: Answer, served: ws2016_serve.Served) -> tuple[list[dict], int]:
    """One entry per distinct node layout (its nodes, tables and picture), at most MAX_PICTURES,
    and how many more layouts there are."""
    evaluation = result.evaluation
    own = {n.name: n for n in evaluation.nodes}
    nics = {h.name: h.nics for h in served.design.hosts}
    groups: dict[tuple, list] = {}
    for node in served.evaluation.host_networking.nodes:
        # Nodes alike in every fact the picture draws share one picture.
        key = (node.layout, node.switches, node.host_vnics, node.storage_adapters,
               own[node.name].layout, own[node.name].classification, nics.get(node.name))
        groups.setdefault(key, []).append(node)
    out = []
    for index, members in enumerate(list(groups.values())[:MAX_PICTURES]):
        first = members[0]
        out.append({"nodes": [n.name for n in members],
                    "classification": label(own[first.name].classification),
                    "kind": LAYOUTS.get(first.layout, first.layout),
                    "roles": _roles(own[first.name].layout), **_tables(first),
                    "svg": inline_svg(ws2016_serve.svg(served, first.name), index)})
    return out, max(0, len(groups) - MAX_PICTURES)


def page_model(result: Answer, description: str) -> dict:
    """Everything the result part of the page shows for a ws2016 answer; `description` is the
    JSON text the download buttons send back."""
    evaluation = result.evaluation
    served = result.ws2016 or ws2016_serve.serve(result.cluster)
    networking = served.evaluation.host_networking
    layouts, more = _layouts(result, served)
    return {
        "ruleset_id": "ws2016",
        "classification": label(evaluation.classification),
        "css": evaluation.classification.value,
        "source": SOURCE,
        "mode": evaluation.mode,
        "best": label(evaluation.best_classification).lower()
        if evaluation.best_classification.rank > evaluation.classification.rank else None,
        "node_classes": [{"name": n.name, "classification": label(n.classification).lower()}
                         for n in evaluation.nodes]
        if len({n.classification for n in evaluation.nodes}) > 1 else [],
        "summary": summary(networking),
        "settings": _settings(networking),
        "dcb": _dcb(networking),
        "layouts": layouts,
        "more_layouts": more,
        "findings": _findings(evaluation),
        "plans": plans(evaluation),
        "plans_complete": evaluation.plans_complete,
        "nodes": [n.name for n in evaluation.nodes],
        "description": description,
        "ruleset": evaluation.ruleset_version,
    }
