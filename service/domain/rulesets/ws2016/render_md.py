"""A ws2016 answer in Markdown: the class, the findings under the Microsoft page each one cites,
then the host networking (transport, SMB limit, simultaneous migrations, DCB, each node's layout).

Read from the evaluation alone (its `host_networking`), so an answer is rendered the same however
it was reached. Names are the caller's: they go through the chat helpers (code spans, never
backslashes), as in the 2008 R2 guide's Markdown answer. Every finding is present: past one chat
message, the findings and layouts are shortened step by step, never dropped.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ...model import Evaluation, Finding, Mode, Severity
from ...names import ROLE_NAMES
from ...ports import format_speed
from ...render.chat import cell, chat_text, name_list
from ...render.markdown import CLASS_LABELS, FULL_TEXT, MAX_CHARS, plan_lines
from .description import LoadBalancing, RdmaKind, Switch, Traffic, Transport
from .evaluate import RULES
from .render_ps1 import TRANSPORT

_TITLES = {r.code: r.title for r in RULES}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
# guide_reference is "title (address)"; a title may hold parentheses of its own.
_REFERENCE = re.compile(r"^(?P<title>.*) \((?P<url>https?://[^\s()]+)\)$")
TRANSPORTS = {Transport.TCPIP: "TCP/IP", Transport.COMPRESSION: "Compression",
              Transport.SMB: "SMB"}  # Set-VMHost's own words (S2)
BALANCING = {LoadBalancing.HYPER_V_PORT: "Hyper-V Port", LoadBalancing.DYNAMIC: "Dynamic",
             LoadBalancing.ADDRESS_HASH: "Address Hash"}
TRAFFIC = {Traffic.MANAGEMENT: "management", Traffic.COMPUTE: "VM access (compute)",
           Traffic.STORAGE: "storage (SMB)", Traffic.LIVE_MIGRATION: "live migration"}
LAYOUTS = {"converged": "converged (one switch carries all traffic)",
           "dedicated": "dedicated (storage on adapters of its own)"}
GIGABIT = Decimal(10) ** 9


def gbps(bits_per_second: int) -> str:
    """Bits per second in Gbps (10^9 bit/s), exact: 7250000000 -> '7.25'."""
    return format((Decimal(bits_per_second) / GIGABIT).normalize(), "f")


def _label(evaluation_class) -> str:
    return CLASS_LABELS[evaluation_class].lower()


def _headline(evaluation: Evaluation) -> list[str]:
    line = (f"**{CLASS_LABELS[evaluation.classification]}** · {evaluation.mode} mode · "
            "Windows Server 2016 and later, derived from Microsoft's pages")
    deciding = sorted({f.code for f in evaluation.findings
                       if f.classification_cap is evaluation.classification})
    if deciding:
        line += f" · set by {', '.join(deciding[:4])}{', …' if len(deciding) > 4 else ''}"
    lines = [line]
    networking = evaluation.host_networking  # type: ignore[attr-defined]
    if networking is not None:
        lines.append(summary(networking))
    if evaluation.best_classification.rank > evaluation.classification.rank:
        lines.append(f"Best reachable by design: {_label(evaluation.best_classification)}.")
    if len({n.classification for n in evaluation.nodes}) > 1:
        shown = evaluation.nodes[:8]
        lines += ["", *(f"- **{chat_text(n.name)}**: {_label(n.classification)}" for n in shown)]
        if len(evaluation.nodes) > len(shown):
            lines.append(f"- … {len(evaluation.nodes) - len(shown)} more nodes")
    return lines


def summary(networking) -> str:
    """The live migration transport and its SMB limit on one line (what a chat reader needs
    first)."""
    transport = networking.live_migration_transport
    limit = networking.smb_bandwidth_limit_live_migration_bytes_per_second
    if transport is None:
        return "Live migration: transport not set by this answer."
    if limit is None:
        how = "with" if transport is Transport.COMPRESSION else "over"
        return f"Live migration {how} {TRANSPORTS[transport]}, no SMB bandwidth limit."
    return (f"Live migration over {TRANSPORTS[transport]}, limited to {limit} bytes/s "
            f"({gbps(limit * 8)} Gbps).")


def page_link(reference: str | None) -> str:
    """A finding's Microsoft page as a Markdown link ('' when it cites none)."""
    found = _REFERENCE.match(reference or "")
    if found is None:
        return ""
    title = found["title"].replace("[", "(").replace("]", ")")
    return f"[{title}]({found['url']})"


def _cap_note(finding: Finding) -> str:
    return "" if finding.classification_cap is None else \
        f", caps at {_label(finding.classification_cap)}"


def _grouped(evaluation: Evaluation) -> dict[str, list[Finding]]:
    """The findings by rule, most severe first."""
    ordered = sorted(evaluation.findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.code))
    groups: dict[str, list[Finding]] = {}
    for finding in ordered:
        groups.setdefault(finding.code, []).append(finding)
    return groups


def _findings(evaluation: Evaluation, detail: int) -> list[str]:
    """Every finding, one rule a bullet with its page; messages in full (0), the first of each
    rule (1), the rule's title (2), or only the codes by severity (3)."""
    groups = _grouped(evaluation)
    if not groups:
        return ["", "**Findings**: none."]
    lines = ["", "**Findings**"]
    if detail == 3:
        for severity in Severity:
            listed = [f"{code}{_cap_note(found[0]).replace(', caps', ' caps')}"
                      for code, found in groups.items() if found[0].severity is severity]
            if listed:
                lines.append(f"- {_PLURAL[severity]}: {', '.join(listed)}")
        return lines
    for code, found in groups.items():
        first = found[0]
        nodes = list(dict.fromkeys(f.node for f in found if f.node is not None))
        where = f" ({name_list(nodes)})" if nodes else ""
        link = page_link(first.guide_reference)
        head = f"- **{code}** {first.severity.value}{_cap_note(first)}{where}"
        messages = list(dict.fromkeys(f.message for f in found))
        if detail == 2:
            lines.append(f"{head}: {chat_text(_TITLES.get(code, first.message))}"
                         + (f" · {link}" if link else ""))
            continue
        lines.append(head + (f" · {link}" if link else ""))
        shown = messages if detail == 0 else messages[:1]
        lines += [f"  - {chat_text(m)}" for m in shown]
        if len(messages) > len(shown):
            lines[-1] += f" (and {len(messages) - len(shown)} more like it)"
    return lines


def _limit_origin(networking, mode) -> str:
    """Where a designed limit comes from: S6's converged example, which covers converged teams;
    on dedicated storage adapters its proportions are our extension."""
    if mode is not Mode.DESIGN:
        return ""
    if networking.dcb is None:  # InfiniBand storage: no ETS class reserves SMB
        return (" (29% of half the storage path: Microsoft's converged example's proportions "
                "with no DCB reservation on these adapters, this service's extension of it)")
    dedicated = any(n.storage_adapters for n in networking.nodes)
    return (" (29% of the 50% SMB reservation: Microsoft's converged example"
            + ("; applied to dedicated storage adapters, this service's extension of it)"
               if dedicated else ")"))


def _live_migration(networking, mode=None) -> list[str]:
    transport = networking.live_migration_transport
    limit = networking.smb_bandwidth_limit_live_migration_bytes_per_second
    most = networking.max_simultaneous_live_migrations
    lines = ["", "**Live migration**"]
    lines.append("- Transport: " + (
        f"{TRANSPORTS[transport]} (`Set-VMHost -VirtualMachineMigrationPerformanceOption "
        f"{TRANSPORT[transport]}`)"
        if transport is not None else "not set by this answer"))
    if limit is not None:
        lines.append(f"- SMB bandwidth limit: {limit} bytes/s = {limit * 8} bit/s "
                     f"({gbps(limit * 8)} Gbps), `Set-SmbBandwidthLimit -Category LiveMigration "
                     f"-BytesPerSecond {limit}`{_limit_origin(networking, mode)}")
    else:
        lines.append("- SMB bandwidth limit: none (it applies to the SMB transport only)")
    lines.append("- Simultaneous live migrations: " + (
        f"{most} (`Set-VMHost -MaximumVirtualMachineMigrations {most}`)" if most is not None
        else "not given (each host keeps its own setting)"))
    return lines


def no_dcb_reason(networking) -> str:
    """Why an answer has no DCB: no RDMA storage, or InfiniBand's (DCB is Ethernet's)."""
    infiniband = any(n.rdma_kind is RdmaKind.INFINIBAND for node in networking.nodes
                     for n in node.storage_adapters)
    return "InfiniBand storage: DCB is Ethernet's" if infiniband else "no storage adapter is RDMA"


def _dcb(networking) -> list[str]:
    dcb = networking.dcb
    if dcb is None:
        return ["", f"**DCB**: none ({no_dcb_reason(networking)})."]
    pfc = ", ".join(str(p) for p in dcb.pfc_priorities)
    beat = (f"; cluster heartbeat on priority {dcb.heartbeat_priority}"
            if dcb.heartbeat_priority is not None else "")
    classes = "; ".join(f"{chat_text(c.name)} priority {c.priority}, {c.bandwidth_percent}%"
                        for c in dcb.traffic_classes)
    return ["", "**DCB** (Data Center Bridging)",
            f"- SMB Direct on priority {dcb.smb_priority}; priority flow control (PFC) on "
            f"{pfc}{beat}",
            f"- Traffic classes (ETS): {classes}"]


def _traffic(carrier) -> str:
    return ", ".join(TRAFFIC.get(t, t.value) for t in sorted(carrier.traffic)) or "–"


def _teaming(switch: Switch) -> str:
    if switch.is_set:
        return "Switch Embedded Teaming"
    if switch.is_lbfo:
        return "LBFO team"
    return "none (one adapter)" if len(switch.members) == 1 else "none"


def _balancing(switch: Switch) -> str:
    return BALANCING[switch.load_balancing] if switch.load_balancing is not None else "–"


def _vlan(vlan_id: int | None) -> str:
    return str(vlan_id) if vlan_id else "untagged"


def _roles(placements) -> str:
    """Each role's carriers, roles on the same carriers together: 'S (vSwitch): management'."""
    carriers: dict[str, list] = {}
    for p in placements:
        carriers.setdefault(ROLE_NAMES[p.role], []).append(p)
    together: dict[tuple, list[str]] = {}
    for role, found in carriers.items():
        together.setdefault(tuple((p.port, p.virtual) for p in found), []).append(role)
    return "; ".join(
        ", ".join(chat_text(port) + (" (vSwitch)" if virtual else "") for port, virtual in ports)
        + f": {', '.join(roles)}" for ports, roles in together.items())


def bandwidth_text(switch: Switch) -> str:
    """The switch's minimum-bandwidth mode, and the default flow's weight in Weight mode."""
    if switch.bandwidth_mode is None:
        return "–"
    flow = (f", default flow {switch.default_flow_weight}"
            if switch.default_flow_weight is not None else "")
    return f"{switch.bandwidth_mode.value}{flow}"


def _node_tables(node, placements) -> list[str]:
    lines: list[str] = [f"Roles on {_roles(placements)}."] if placements else []
    # The minimum-bandwidth columns appear only where a switch has a mode or a vNIC a weight.
    modes = any(s.bandwidth_mode is not None for s in node.switches)
    weights = any(v.weight is not None for v in node.host_vnics)
    if node.switches:
        mode_head, mode_rule = (" minimum bandwidth |", "---|") if modes else ("", "")
        lines += ["", f"| switch | members | teaming | load balancing |{mode_head} carries |",
                  f"|---|---|---|---|{mode_rule}---|"]
        lines += [f"| {cell(s.name)} | {', '.join(cell(m) for m in s.members)} | "
                  f"{_teaming(s)} | {_balancing(s)} | "
                  + (f"{bandwidth_text(s)} | " if modes else "") + f"{_traffic(s)} |"
                  for s in node.switches]
    if node.host_vnics:
        weight_head, weight_rule = (" weight |", "---|") if weights else ("", "")
        lines += ["", f"| host vNIC | switch | VLAN | RDMA | mapped to |{weight_head} carries |",
                  f"|---|---|---|---|---|{weight_rule}---|"]
        lines += [f"| {cell(v.name)} | {cell(v.switch)} | {_vlan(v.vlan_id)} | "
                  f"{'yes' if v.rdma else 'no'} | {cell(v.mapped_to) if v.mapped_to else '–'} | "
                  + (f"{v.weight if v.weight is not None else '–'} | " if weights else "")
                  + f"{_traffic(v)} |" for v in node.host_vnics]
    if node.storage_adapters:
        lines += ["", "| storage adapter | speed | VLAN | RDMA |", "|---|---|---|---|"]
        lines += [f"| {cell(n.name)} | {format_speed(n.speed_mbps)} | {_vlan(n.vlan_id)} | "
                  f"{'yes' if n.rdma else 'no'} |" for n in node.storage_adapters]
    return lines


def _layouts(evaluation: Evaluation, networking, most: int) -> list[str]:
    """One set of tables per distinct node layout (at most `most`), naming its nodes."""
    placements = {n.name: n.layout for n in evaluation.nodes}
    groups: dict[tuple, list] = {}
    for node in networking.nodes:
        key = (node.layout, node.switches, node.host_vnics, node.storage_adapters,
               placements.get(node.name, ()))
        groups.setdefault(key, []).append(node)
    lines: list[str] = []
    everyone = len(groups) == 1 and len(networking.nodes) > 1
    for members in list(groups.values())[:most]:
        names = name_list([n.name for n in members])
        kind = LAYOUTS.get(members[0].layout, chat_text(members[0].layout))
        lines += ["", f"**Layout** ({'all nodes: ' if everyone else ''}{names}): {kind}",
                  *_node_tables(members[0], placements.get(members[0].name, ()))]
    if len(groups) > most:
        lines += ["", f"… {len(groups) - most} more layouts (each node's layout is in the JSON "
                      "answer)."]
    return lines


def _compose(evaluation: Evaluation, detail: int) -> str:
    networking = evaluation.host_networking  # type: ignore[attr-defined]
    lines = _headline(evaluation)
    lines += _findings(evaluation, detail)
    lines += plan_lines(evaluation)
    if networking is not None:
        lines += _live_migration(networking, evaluation.mode)
        lines += _dcb(networking)
        lines += _layouts(evaluation, networking, most=8 if detail < 2 else 2 if detail < 3 else 1)
    if detail:
        lines += ["", FULL_TEXT]
    lines += ["", f"_Ruleset {chat_text(evaluation.ruleset_version)}_"]
    return "\n".join(lines) + "\n"


def render_markdown(evaluation: Evaluation, limit: int = MAX_CHARS) -> str:
    """A ws2016 evaluation as one chat message of at most `limit` characters, every finding in
    it."""
    for detail in range(4):
        text = _compose(evaluation, detail)
        if len(text) <= limit:
            return text
    note = "\n… cut to fit one chat message: the full answer is `POST /v1/evaluations`.\n"
    return text[:text.rfind("\n", 0, limit - len(note))] + note
