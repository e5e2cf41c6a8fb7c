"""What a ws2016 change makes of a design (`Edit`), and the small helpers the changes share."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ...changes import ADAPTER_COSTS, COSTS
from ...model import Finding
from ...ports import GIGABIT, TEN_GIGABIT
from .description import Design, Host, Nic
from .rules.context import gbps


@dataclass(frozen=True)
class Edit:
    """A design after one change for one finding, what to do (the cmdlet), the nodes it applies
    to and what it costs."""

    design: Design
    action: str
    nodes: tuple[str, ...]
    cost: int


def host_of(design: Design, finding: Finding) -> Host | None:
    """The host a node finding is about (None for a cluster finding)."""
    return next((h for h in design.hosts if h.name == finding.node), None)


def with_host(design: Design, host: Host) -> Design:
    """The design with `host` in place of the host of its name."""
    return replace(design, hosts=tuple(host if h.name == host.name else h for h in design.hosts))


def everyone(design: Design) -> tuple[str, ...]:
    """The names of every node."""
    return tuple(h.name for h in design.hosts)


def cost_of(kind: str) -> int:
    """A change's cost made once: a cluster-wide setting, or a change on one host."""
    return COSTS[kind]


def per_node(design: Design, kind: str) -> int:
    """The cost of a change made once on (or at the switch ports of) every node."""
    return COSTS[kind] * len(design.hosts)


def adapter_cost(speed_mbps: int) -> int:
    """What one adapter costs to buy and install: a gigabit one, or 10 Gbps and faster."""
    return ADAPTER_COSTS[GIGABIT] if speed_mbps <= GIGABIT else ADAPTER_COSTS[TEN_GIGABIT]


_KIND_NAMES = {"roce": "RoCE", "roce_v2": "RoCEv2", "iwarp": "iWARP", "infiniband": "InfiniBand"}


def describe(nic: Nic) -> str:
    """'25 Gbps Contoso CX-25 RoCEv2' (the facts given)."""
    kind = f" {_KIND_NAMES[nic.rdma_kind.value]}" if nic.rdma and nic.rdma_kind else ""
    rdma = " RDMA" if nic.rdma and not kind else ""
    make = " ".join(x for x in (nic.make, nic.model) if x)
    return f"{gbps(nic.speed_mbps)}{' ' + make if make else ''}{kind}{rdma}"


def quoted(names: Iterable[str]) -> str:
    """PowerShell's list of names: "a","b"."""
    return ",".join(f'"{n}"' for n in names)


def free_name(host: Host, stem: str) -> str:
    """The first of stem1, stem2, ... no adapter of the host has (alike hosts get alike names)."""
    taken = {n.name for n in host.nics}
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def same_hardware(nic: Nic, like: Nic) -> Nic:
    """`nic` replaced by an adapter like `like`: its name, traffic, VLAN and network stay."""
    return replace(nic, speed_mbps=like.speed_mbps, make=like.make, model=like.model,
                   firmware=like.firmware, driver=like.driver, rdma=like.rdma,
                   rdma_kind=like.rdma_kind)
