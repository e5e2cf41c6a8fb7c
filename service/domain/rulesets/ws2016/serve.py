"""A cluster description answered by the Windows Server 2016 and later ruleset: the adapters of
each node laid out by the designer (converged or dedicated), rated by the rules, and returned as
an Evaluation of the shared vocabulary plus this ruleset's own outputs (`HostNetworking`).

Audit mode when the description declares a layout (a node's switches or host vNICs, an adapter's
own traffic): that layout is rated as it is (`declared`). Design mode otherwise: the description
gives adapters and their facts (RDMA, make, model, ...), the designer chooses the switch, host
vNICs, storage adapters, DCB, transport and SMB limit. Nodes with
the same adapters are designed together; nodes that differ are each designed on their own, and the
cluster-wide settings are then the most conservative of theirs (WS102 says the nodes differ).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...model import (
    Classification,
    Cluster,
    Evaluation,
    Finding,
    Mode,
    NodeEvaluation,
    Placement,
    Plan,
    Remediation,
    Role,
)
from ...selection import Ws2016Evaluation, declares_ws2016_layout, fact
from . import NAME, RELEASE
from .description import (
    Dcb,
    Design,
    Host,
    HostVnic,
    Interconnect,
    Link,
    Nic,
    OsVersion,
    RdmaKind,
    Switch,
    Traffic,
    Transport,
)
from .designer import Proposal, design
from .evaluate import RULES, evaluate
from .plan import plans as plan_changes
from .render_md import render_markdown
from .render_ps1 import render
from .render_svg import render_svg
from .rules.context import HostContext
from .rules.networks import live_migration_carriers

VERSION = f"{NAME}/{RELEASE}"
_RULES = {r.code: r for r in RULES}


@dataclass(frozen=True)
class TrafficClass:
    """A DCB traffic class (New-NetQosTrafficClass)."""

    name: str
    priority: int
    bandwidth_percent: int


@dataclass(frozen=True)
class DcbPlan:
    """The DCB configuration the design applies (Network ATC's defaults, S8)."""

    smb_priority: int
    pfc_priorities: tuple[int, ...]
    heartbeat_priority: int | None
    traffic_classes: tuple[TrafficClass, ...]


@dataclass(frozen=True)
class NodeNetworking:
    """One node's host networking: its layout, switches, host vNICs and storage adapters."""

    name: str
    layout: str  # "converged" or "dedicated"
    switches: tuple[Switch, ...]
    host_vnics: tuple[HostVnic, ...]
    storage_adapters: tuple[Nic, ...]


@dataclass(frozen=True)
class HostNetworking:
    """The ruleset's own outputs: live migration settings, DCB and each node's networking."""

    live_migration_transport: Transport | None
    smb_bandwidth_limit_live_migration_bytes_per_second: int | None
    max_simultaneous_live_migrations: int | None
    dcb: DcbPlan | None
    nodes: tuple[NodeNetworking, ...]


@dataclass(frozen=True)
class Served:
    """The design the answer describes (renderers need it) and the answer."""

    design: Design
    evaluation: Ws2016Evaluation


def _nic(adapter) -> Nic:
    kind = fact(adapter, "rdma_kind")
    return Nic(adapter.name, adapter.speed_mbps, make=fact(adapter, "make"),
               model=fact(adapter, "model"), firmware=fact(adapter, "firmware"),
               driver=fact(adapter, "driver"), rdma=fact(adapter, "rdma"),
               rdma_kind=RdmaKind(kind) if kind is not None else None)


def _declared_nic(adapter) -> Nic:
    """An adapter with what audit mode reads of it besides its hardware: its own traffic, VLAN
    and network."""
    return replace(_nic(adapter), vlan_id=adapter.vlan_id, network=adapter.network,
                   traffic=fact(adapter, "traffic") or frozenset())


def declared(cluster: Cluster) -> Design:
    """The layout a description declares (audit mode), as this ruleset's Design."""
    hosts = tuple(
        Host(node.name, tuple(_declared_nic(a) for a in node.adapters),
             switches=fact(node, "switches") or (), vnics=fact(node, "host_vnics") or (),
             os_version=OsVersion(v) if (v := fact(node, "os_version")) is not None else None,
             host_qos_throttles=bool(fact(node, "host_qos_throttles")))
        for node in cluster.nodes)
    transport = fact(cluster, "live_migration_transport")
    return Design(hosts, transport=Transport(transport) if transport is not None else None,
                  smb_limit_bytes_per_second=fact(
                      cluster, "smb_bandwidth_limit_live_migration_bytes_per_second"),
                  interconnect=_declared_interconnect(cluster), dcb=fact(cluster, "dcb"),
                  **_settings(cluster))


def _declared_interconnect(cluster: Cluster) -> Interconnect | None:
    """As given: an audit does not assume switches (WS001 says what it could not check)."""
    given = fact(cluster, "storage_interconnect")
    return Interconnect(given) if given is not None else None


def _interconnect(cluster: Cluster) -> Interconnect:
    """As given, else switched: the designer lays out storage through switches."""
    return Interconnect(fact(cluster, "storage_interconnect") or Interconnect.SWITCHED.value)


def _kind(host: Host) -> str:
    """converged when host vNICs carry storage or live migration, else dedicated."""
    return "converged" if any(v.traffic & {Traffic.STORAGE, Traffic.LIVE_MIGRATION}
                              for v in host.vnics) else "dedicated"


def _settings(cluster: Cluster) -> dict:
    """The Design fields the description gives directly."""
    return {
        "name": cluster.name,
        "max_simultaneous_migrations": fact(cluster, "max_simultaneous_live_migrations"),
        "network_atc": bool(fact(cluster, "network_atc")),
        "azure_local": bool(fact(cluster, "azure_local")),
        "storage_spaces_direct": cluster.shared_storage == "storage_spaces_direct",
        "links": tuple(Link(a, b, count)
                       for a, b, count in fact(cluster, "switchless_links") or ()),
    }


def _merged(proposals: list[Proposal]) -> Design:
    """Nodes designed apart, as one cluster: SMB with the smallest limit only when every node's
    design chose SMB, else Compression; DCB when any node's storage is RDMA."""
    hosts = tuple(h for p in proposals for h in p.design.hosts)
    smb = all(p.design.transport is Transport.SMB for p in proposals)
    limits = [p.design.smb_limit_bytes_per_second for p in proposals
              if p.design.smb_limit_bytes_per_second is not None]
    dcbs = [p.design.dcb for p in proposals if p.design.dcb is not None]
    dcb = None
    if dcbs:
        beats = [d.heartbeat_bandwidth_percent for d in dcbs if d.heartbeat_bandwidth_percent]
        dcb = replace(dcbs[0], heartbeat_bandwidth_percent=max(beats) if beats else None)
    first = proposals[0].design
    return replace(first, hosts=hosts, dcb=dcb,
                   transport=Transport.SMB if smb else Transport.COMPRESSION,
                   smb_limit_bytes_per_second=min(limits) if smb and limits else None)


def designed(cluster: Cluster) -> tuple[Design, dict[str, str]]:
    """The description laid out by the designer, and each node's layout kind."""
    interconnect = _interconnect(cluster)
    settings = _settings(cluster)
    groups: dict[tuple, list] = {}
    for node in cluster.nodes:
        nics = tuple(sorted((_nic(a) for a in node.adapters), key=lambda n: n.name))
        groups.setdefault((nics, fact(node, "os_version")), []).append(node.name)
    proposals: list[Proposal] = []
    kinds: dict[str, str] = {}
    for (nics, os_version), names in groups.items():
        version = OsVersion(os_version) if os_version is not None else None
        proposal = design(nics, names, os_version=version, interconnect=interconnect, **settings)
        if proposal is None:  # every node has an adapter: the designer always finds a layout
            raise ValueError(f"no layout for {names}")
        proposals.append(proposal)
        kinds.update((n, proposal.layout.kind) for n in names)
    if len(proposals) == 1:
        return proposals[0].design, kinds
    merged = _merged(proposals)
    order = {n.name: i for i, n in enumerate(cluster.nodes)}
    return replace(merged, hosts=tuple(sorted(merged.hosts, key=lambda h: order[h.name]))), kinds


def _finding(finding: Finding) -> Finding:
    """A finding with its page's title and address as the reference (the page is the source)."""
    rule = _RULES.get(finding.code)
    if rule is None:
        return finding
    if not rule.source:  # WS001 cites no page: what it reports is missing from the description
        return replace(finding, guide_reference=rule.section)
    return replace(finding, guide_reference=f"{rule.section} ({rule.source})")


def _ports(host: Host, carriers) -> list[tuple[str, bool]]:
    """The ports (switch or adapter name, virtual) of carriers: switches, then the switches of
    host vNICs, then standalone adapters, each once."""
    carriers = list(carriers)
    out: list[tuple[str, bool]] = []
    for port in ([(c.name, True) for c in carriers if isinstance(c, Switch)]
                 + [(c.switch, True) for c in carriers if isinstance(c, HostVnic)]
                 + [(c.name, False) for c in carriers if isinstance(c, Nic)]):
        if port not in out:
            out.append(port)
    return out


def _layout(design: Design, host: Host) -> tuple[Placement, ...]:
    """The four roles on this host's carriers: VM access and management where compute and
    management run (a switch: virtual), cluster/CSV on the storage carriers (host vNICs on their
    switch, or each standalone storage adapter), else with management, and live migration where
    the rules find it (live_migration_carriers)."""
    out: list[Placement] = []
    for role, traffic in ((Role.VM_ACCESS, Traffic.COMPUTE), (Role.MANAGEMENT, Traffic.MANAGEMENT)):
        out += [Placement(role, port, virtual, None)
                for port, virtual in _ports(host, host.carriers(traffic))]
    management = [(p.port, p.virtual) for p in out if p.role is Role.MANAGEMENT]
    storage = _ports(host, host.carriers(Traffic.STORAGE)) or management
    migration = _ports(host, live_migration_carriers(HostContext(design, host))) or management
    out += [Placement(Role.CLUSTER_CSV, port, virtual, None) for port, virtual in storage]
    out += [Placement(Role.LIVE_MIGRATION, port, virtual, None) for port, virtual in migration]
    return tuple(out)


def _dcb(dcb: Dcb | None) -> DcbPlan | None:
    if dcb is None or not dcb.hosts:
        return None
    classes = [TrafficClass("SMB", dcb.smb_priority, dcb.smb_bandwidth_percent)]
    if dcb.heartbeat_priority is not None and dcb.heartbeat_bandwidth_percent is not None:
        classes.append(TrafficClass("Cluster", dcb.heartbeat_priority,
                                    dcb.heartbeat_bandwidth_percent))
    return DcbPlan(dcb.smb_priority, tuple(sorted(dcb.pfc_priorities)), dcb.heartbeat_priority,
                   tuple(classes))


def serve(cluster: Cluster) -> Served:
    """Answer a description whose ruleset is ws2016: its declared layout rated as it is (audit
    mode), or its adapters laid out by the designer and rated (design mode)."""
    plans: tuple[Plan, ...] = ()
    complete = True
    if declares_ws2016_layout(cluster):
        laid = declared(cluster)
        kinds = {h.name: _kind(h) for h in laid.hosts}
        verdict = evaluate(laid)
        plans, complete = plan_changes(laid)
        designed_class = evaluate(designed(cluster)[0]).classification
        best = Classification.best((verdict.classification, designed_class,
                                    *(p.classification for p in plans)))
        mode = Mode.AUDIT
    else:
        laid, kinds = designed(cluster)
        verdict = evaluate(laid)
        # The designer's layout is the best of these adapters: what is left takes hardware (or
        # settings the description fixes), and the plans say what buys the next class.
        plans, complete = plan_changes(laid)
        best = Classification.best((verdict.classification,
                                    *(p.classification for p in plans)))
        mode = Mode.DESIGN
    findings = tuple(_finding(f) for f in verdict.findings)
    nodes = []
    for host in laid.hosts:
        caps = [f.classification_cap for f in findings
                if f.node == host.name and f.classification_cap is not None]
        nodes.append(NodeEvaluation(host.name, Classification.worst(caps), "derived", None,
                                    _layout(laid, host), ()))
    networking = HostNetworking(
        live_migration_transport=laid.transport,
        smb_bandwidth_limit_live_migration_bytes_per_second=laid.smb_limit_bytes_per_second,
        max_simultaneous_live_migrations=laid.max_simultaneous_migrations,
        dcb=_dcb(laid.dcb),
        nodes=tuple(NodeNetworking(h.name, kinds[h.name], h.switches, h.vnics,
                                   tuple(n for n in h.nics if Traffic.STORAGE in n.traffic))
                    for h in laid.hosts))
    evaluation = Ws2016Evaluation(
        mode=mode, classification=verdict.classification, classification_source="derived",
        reference_configuration=None, nodes=tuple(nodes), findings=findings,
        remediation=tuple(Remediation(s.action, s.classification_after, s.change)
                          for s in plans[0].steps) if plans else (),
        ruleset_version=VERSION, name=cluster.name, best_classification=best,
        plans=plans, plans_complete=complete, host_networking=networking)
    return Served(laid, evaluation)


# The renderings this ruleset has, as a refusal lists them (the others are the 2008 R2 guide's:
# its .reg file and gpedit steps set Policy-based QoS throttles, which SET hosts do not take).
RENDERINGS = {"json": "the evaluation (JSON)", "markdown": "the Markdown answer",
              "svg": "a node's SVG picture", "powershell": "one node's PowerShell script"}


def powershell(served: Served, node: str) -> str:
    """One node's PowerShell script (render_ps1: DCB, the switch, host vNICs, live migration),
    from the design `serve` made: the designer is not run again."""
    evaluation = served.evaluation
    audited = (evaluation.classification.value.replace("_", " ")
               if evaluation.mode is Mode.AUDIT else None)
    return render(served.design, node, audited)


def markdown(evaluation: Evaluation) -> str:
    """The answer in Markdown (render_md), read from the evaluation alone."""
    return render_markdown(evaluation)


def svg(served: Served, node: str | None) -> str:
    """A node's host networking as SVG (render_svg): the named node, or the first under the
    cluster's class; the adapters' facts come from the design `serve` made."""
    return render_svg(served.evaluation, served.design, node)


def refusal(fmt: str) -> str:
    """Why a rendering of the 2008 R2 guide is refused for a ws2016 description."""
    offered = list(RENDERINGS.values())
    why = (" (Policy-based QoS throttles, which a host with Switch Embedded Teaming does not "
           "take: WS408)" if fmt in ("reg", "gpedit") else "")
    return (f"the {fmt} rendering is the 2008 R2 guide's{why}: for \"ruleset\": \"ws2016\" "
            f"{', '.join(offered[:-1])} and {offered[-1]} are available")
