"""The ws2016 changes that buy hardware: adapters replaced so that SET members or nodes match,
adapters added for storage or a SET team, faster adapters, and direct links between nodes.

Each is a function from a design and one finding to an `Edit`, or None where it does not apply.
A replaced adapter keeps its name, so alike nodes stay alike.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from ...model import Finding
from ...ports import TEN_GIGABIT
from .description import (
    Design,
    Host,
    Link,
    LoadBalancing,
    Nic,
    RdmaKind,
    Switch,
    Teaming,
    Traffic,
)
from .edit import (
    Edit,
    adapter_cost,
    describe,
    free_name,
    host_of,
    quoted,
    same_hardware,
    with_host,
)
from .rules.context import gbps
from .rules.networks import MANAGEMENT_RECOMMENDED_MBPS, STORAGE_MIN_MBPS
from .rules.teaming import HYPER_V_PORT_FROM_MBPS

_FACTS = ("make", "model", "firmware", "driver")


def _unlike(nic: Nic, like: Nic) -> bool:
    """Whether SET would refuse the two as team mates: a fact both give differs, or the speed."""
    return nic.speed_mbps != like.speed_mbps or any(
        getattr(nic, f) is not None and getattr(like, f) is not None
        and getattr(nic, f) != getattr(like, f) for f in _FACTS)


def _most_common(nics: tuple[Nic, ...]) -> Nic:
    """The member most others are like (ties: the first declared)."""
    scores = [sum(not _unlike(n, m) for m in nics) for n in nics]
    return nics[scores.index(max(scores))]


def match_set_members(design: Design, finding: Finding) -> Edit | None:
    """The SET members unlike the most common one replaced by its like."""
    host = host_of(design, finding)
    if host is None:
        return None
    replaced: dict[str, Nic] = {}
    actions = []
    for switch in host.switches:
        members = host.members(switch)
        if not switch.is_set or len(members) < 2:
            continue
        like = _most_common(members)
        odd = [n for n in members if _unlike(n, like)]
        for nic in odd:
            replaced[nic.name] = same_hardware(nic, like)
        if odd:
            actions.append(f"Replace {', '.join(n.name for n in odd)} with {describe(like)} "
                           f"adapters like {like.name}, then Set-VMSwitchTeam -Name "
                           f'"{switch.name}" -NetAdapterName {quoted(switch.members)}')
    if not replaced:
        return None
    nics = tuple(replaced.get(n.name, n) for n in host.nics)
    return Edit(with_host(design, replace(host, nics=nics)), "; ".join(actions) + ".",
                (host.name,), sum(adapter_cost(n.speed_mbps) for n in replaced.values()))


def _facts(nic: Nic) -> tuple:
    # What WS102 compares of an adapter.
    return (nic.speed_mbps, nic.make or "", nic.model or "", bool(nic.rdma),
            nic.rdma_kind.family if nic.rdma_kind else "")


def _signature(host: Host) -> tuple:
    return tuple(sorted((n.name, *_facts(n)) for n in host.nics))


def match_reference_node(design: Design, finding: Finding) -> Edit | None:
    """The adapters unlike the reference node's replaced by its like."""
    signatures = [_signature(h) for h in design.hosts]
    # The reference: the adapters most nodes have (ties: the first node's).
    reference = design.hosts[max(range(len(signatures)), key=lambda i: (
        signatures.count(signatures[i]), -i))]
    like = {n.name: n for n in reference.nics}
    hosts = [host_of(design, finding)] if finding.node is not None else list(design.hosts)
    state, changed, cost = design, [], 0
    for host in hosts:
        if host is None or {n.name for n in host.nics} != set(like):
            continue  # adapters named otherwise: which replaces which is not known
        odd = [n for n in host.nics if _facts(n) != _facts(like[n.name])]
        if not odd:
            continue
        nics = tuple(same_hardware(n, like[n.name]) if n in odd else n for n in host.nics)
        state = with_host(state, replace(host, nics=nics))
        changed.append(host.name)
        cost += sum(adapter_cost(like[n.name].speed_mbps) for n in odd)
    if not changed:
        return None
    return Edit(state, f"Replace the adapters that differ from {reference.name}'s with adapters "
                f"like its own ({'; '.join(f'{n.name}: {describe(n)}' for n in reference.nics)}"
                "): every node has the same adapters.", tuple(changed), cost)


def _balanced(switch: Switch, speed_mbps: int) -> LoadBalancing | None:
    return LoadBalancing.HYPER_V_PORT if speed_mbps >= HYPER_V_PORT_FROM_MBPS \
        else switch.load_balancing


def add_set_member(design: Design, finding: Finding) -> Edit | None:
    """A second adapter like the only member of a one-member switch, teamed with it (SET)."""
    host = host_of(design, finding)
    if host is None:
        return None
    # The one-member switch the storage vNICs use, else the first one-member switch.
    single = [s for s in host.switches if len(host.members(s)) == 1]
    storage = {v.switch for v in host.vnics if Traffic.STORAGE in v.traffic}
    switch = next((s for s in single if s.name in storage), single[0] if single else None)
    if switch is None:
        return None
    member = host.members(switch)[0]
    added = replace(member, name=free_name(host, "pNIC"))
    teamed = replace(switch, members=(*switch.members, added.name), teaming=Teaming.SET,
                     load_balancing=_balanced(switch, member.speed_mbps))
    changed = replace(host, nics=(*host.nics, added),
                      switches=tuple(teamed if s.name == switch.name else s
                                     for s in host.switches))
    return Edit(with_host(design, changed),
                f"Add a second {describe(member)} adapter ({added.name}) and "
                + _team_over(host, switch, teamed), (host.name,), adapter_cost(member.speed_mbps))


def _team_over(host: Host, switch: Switch, teamed: Switch) -> str:
    """How a one-member switch gets its second member (S5): a SET-capable switch takes it with
    Set-VMSwitchTeam; any other is made again, SET only being made with the switch."""
    if switch.is_set:
        return (f'add it to the SET team: Set-VMSwitchTeam -Name "{switch.name}" '
                f"-NetAdapterName {quoted(teamed.members)}.")
    return ("make the switch again over both (a SET team is made only when its switch is "
            "created): " + recreate(host, switch, teamed.members))


def recreate(host: Host, switch: Switch, members: tuple[str, ...]) -> str:
    """A switch removed and created again as SET over `members`, as it was (its bandwidth mode,
    the host's own vNIC renamed to the management vNIC): the node drained first so that no
    virtual machine uses it (S32), its host vNICs given their settings again, then resumed."""
    vnics = [v for v in host.vnics if v.switch == switch.name]
    management = host.management_vnic(switch)
    allow = "$true" if Traffic.MANAGEMENT in switch.traffic or management else "$false"
    mode = (f" -MinimumBandwidthMode {switch.bandwidth_mode.cmdlet}"
            if switch.bandwidth_mode is not None else "")
    # $env:COMPUTERNAME, not the node's name: alike nodes keep one step text for all of them.
    steps = ["Suspend-ClusterNode -Name $env:COMPUTERNAME -Drain",
             f'Remove-VMSwitch -Name "{switch.name}" -Force',
             f'New-VMSwitch -Name "{switch.name}" -NetAdapterName {quoted(members)} '
             f"-EnableEmbeddedTeaming $true -AllowManagementOS {allow}{mode}"]
    if switch.default_flow_weight is not None:
        steps.append(f'Set-VMSwitch -Name "{switch.name}" -DefaultFlowMinimumBandwidthWeight '
                     f"{switch.default_flow_weight}")
    if management is not None:
        steps.append(f'Rename-VMNetworkAdapter -ManagementOS -Name "{switch.name}" -NewName '
                     f'"{management.name}"')
    steps += [f'Add-VMNetworkAdapter -ManagementOS -SwitchName "{switch.name}" -Name "{v.name}"'
              for v in vnics if v is not management]
    again = ""
    if vnics:
        again += (f"; give {', '.join(v.name for v in vnics)} their IP addresses, VLANs, "
                  "mappings and weights again")
    return ("; ".join(steps) + again + "; Resume-ClusterNode -Name $env:COMPUTERNAME. Run it "
            "on the node from a console that does not depend on this switch (the host's connection over it "
            "drops while it is made again).")


def ethernet_switch(design: Design, finding: Finding) -> Edit | None:
    """Two 10 Gbps Ethernet adapters under the host's switches that have InfiniBand members
    (S40: the Hyper-V switch supports Ethernet only); the InfiniBand adapters carry storage on
    their own, and the storage vNICs that were mapped to them go."""
    host = host_of(design, finding)
    if host is None:
        return None
    infiniband = {n.name for s in host.switches for n in host.members(s)
                  if n.rdma_kind is RdmaKind.INFINIBAND}
    if not infiniband:
        return None
    first = free_name(host, "pNIC")
    second = free_name(replace(host, nics=(*host.nics, Nic(first, TEN_GIGABIT))), "pNIC")
    added = (Nic(first, TEN_GIGABIT), Nic(second, TEN_GIGABIT))
    switches = tuple(replace(s, members=(first, second), teaming=Teaming.SET,
                             load_balancing=LoadBalancing.HYPER_V_PORT)
                     if infiniband & set(s.members) else s for s in host.switches)
    nics = tuple(replace(n, traffic=frozenset({Traffic.STORAGE}), vlan_id=None)
                 if n.name in infiniband else n for n in host.nics) + added
    vnics = tuple(v for v in host.vnics
                  if not (Traffic.STORAGE in v.traffic and v.mapped_to in infiniband))
    vnics = tuple(replace(v, mapped_to=None) if v.mapped_to in infiniband else v for v in vnics)
    old = next(s for s in host.switches if infiniband & set(s.members))
    one = len(infiniband) == 1
    return Edit(with_host(design, replace(host, nics=nics, switches=switches, vnics=vnics)),
                f"Add two {gbps(TEN_GIGABIT)} Ethernet adapters ({first}, {second}) for switch "
                f'"{old.name}": a Hyper-V switch takes Ethernet adapters only, and '
                f"{', '.join(sorted(infiniband))} {'carries' if one else 'carry'} storage (SMB "
                f"Direct) on {'its' if one else 'their'} own. Where the switch exists over "
                "them, make it again over the new adapters: "
                + recreate(host, old, (first, second)),
                (host.name,), 2 * adapter_cost(TEN_GIGABIT))


def add_storage_adapter(design: Design, finding: Finding) -> Edit | None:
    """A second storage adapter like the only one, on a VLAN of its own."""
    host = host_of(design, finding)
    if host is None:
        return None
    standalone = [n for n in host.nics if Traffic.STORAGE in n.traffic]
    if len(standalone) != 1:
        return None
    like = standalone[0]
    vlans = {n.vlan_id for n in host.nics} | {v.vlan_id for v in host.vnics}
    vlan = next(v for v in range((like.vlan_id or 0) + 1, 4095) if v not in vlans) \
        if like.vlan_id else None
    added = replace(like, name=free_name(host, "pNIC"), vlan_id=vlan)
    rdma = f'; Enable-NetAdapterRDMA "{added.name}"' if added.rdma else ""
    tagged = f'; Set-NetAdapter -Name "{added.name}" -VlanID {vlan}' if vlan else ""
    return Edit(with_host(design, replace(host, nics=(*host.nics, added))),
                f"Add a second storage adapter ({added.name}, {describe(like)}) on a subnet of "
                f"its own{tagged}{rdma}.", (host.name,), adapter_cost(like.speed_mbps))


def _upgrade(design: Design, finding: Finding, traffics: tuple[Traffic, ...],
             minimum_mbps: int) -> Edit | None:
    host = host_of(design, finding)
    if host is None:
        return None
    slow = {n.name for t in traffics for n in host.physical_for(t) if n.speed_mbps < minimum_mbps}
    if not slow:
        return None
    # Every member of a switch the slow adapters are in, so that the members stay one speed.
    slow |= {m for s in host.switches if slow & set(s.members) for m in s.members}
    nics = tuple(replace(n, speed_mbps=max(n.speed_mbps, minimum_mbps)) if n.name in slow else n
                 for n in host.nics)
    return Edit(with_host(design, replace(host, nics=nics)),
                f"Replace {', '.join(sorted(slow))} with {gbps(minimum_mbps)} adapters.",
                (host.name,), len(slow) * adapter_cost(minimum_mbps))


def faster_storage(design: Design, finding: Finding) -> Edit | None:
    """The storage adapters below 10 Gbps replaced by 10 Gbps ones."""
    return _upgrade(design, finding, (Traffic.STORAGE,), STORAGE_MIN_MBPS)


def faster_management(design: Design, finding: Finding) -> Edit | None:
    """The management and compute adapters below 10 Gbps replaced by 10 Gbps ones."""
    return _upgrade(design, finding, (Traffic.MANAGEMENT, Traffic.COMPUTE),
                    MANAGEMENT_RECOMMENDED_MBPS)


def _links(design: Design, have: int, want: int) -> Edit | None:
    """Links added between every pair of nodes with `have` direct links, up to `want`."""
    names = [h.name for h in design.hosts]
    short = [(a, b) for a, b in combinations(names, 2) if design.links_between(a, b) == have]
    if not short or not design.links:
        return None  # no links given: WS001 says they are not checked
    speeds = [n.speed_mbps for h in design.hosts for n in h.physical_for(Traffic.STORAGE)]
    speed = min(speeds, default=TEN_GIGABIT)
    count = want - have
    nodes = tuple(n for n in names if any(n in pair for pair in short))
    return Edit(replace(design, links=(*design.links, *(Link(a, b, count) for a, b in short))),
                f"Add {'a direct storage link' if count == 1 else f'{count} direct storage links'}"
                f" between {', '.join(f'{a} and {b}' for a, b in short)}: a {gbps(speed)} "
                "storage adapter at each end, cabled node to node.", nodes,
                2 * count * len(short) * adapter_cost(speed))


def link_missing_pairs(design: Design, finding: Finding) -> Edit | None:
    """A direct link between each pair of nodes with none."""
    return _links(design, 0, 1)


def redundant_links(design: Design, finding: Finding) -> Edit | None:
    """A second direct link between each pair of nodes with one."""
    return _links(design, 1, 2)
