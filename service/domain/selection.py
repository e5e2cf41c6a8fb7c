"""A description's choice of ruleset and the facts only the Windows Server 2016 and later ruleset
reads, as subclasses of the shared model's types: a description of the 2008 R2 guide (and its
answer) keeps exactly the shape it had, and only a description that names a ruleset or gives one
of these facts is loaded as these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Adapter, Cluster, Evaluation, Node

DEFAULT_ID = "ws2008r2"


@dataclass(frozen=True)
class Ws2016Adapter(Adapter):
    """An adapter with the facts the ws2016 ruleset reads (None: not given)."""

    rdma: bool | None = None
    rdma_kind: str | None = None
    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    driver: str | None = None
    # Audit mode: what a standalone adapter carries itself (rulesets.ws2016.description.Traffic).
    traffic: frozenset[Any] | None = None


@dataclass(frozen=True)
class Ws2016Node(Node):
    """A node with its Windows Server version (None: not given)."""

    os_version: str | None = None
    # Audit mode: the declared layout (rulesets.ws2016.description's Switch and HostVnic).
    switches: tuple[Any, ...] | None = None
    host_vnics: tuple[Any, ...] | None = None
    host_qos_throttles: bool | None = None

    @property
    def declares_layout(self) -> bool:
        """The node declares its switches or host vNICs, or an adapter's own traffic."""
        return bool(self.switches or self.host_vnics or any(
            fact(a, "traffic") for a in self.adapters))


@dataclass(frozen=True)
class SelectedCluster(Cluster):
    """A cluster that names its ruleset or gives a fact of the ws2016 ruleset."""

    ruleset: str = DEFAULT_ID
    azure_local: bool | None = None
    network_atc: bool | None = None
    storage_interconnect: str | None = None
    max_simultaneous_live_migrations: int | None = None
    # Direct storage links (switchless): (node, node, count) each.
    switchless_links: tuple[tuple[str, str, int], ...] | None = None
    # Audit mode: the live migration settings and DCB as configured (rulesets.ws2016's types).
    live_migration_transport: str | None = None
    smb_bandwidth_limit_live_migration_bytes_per_second: int | None = None
    dcb: Any = None
    # The top-level fields the caller sent: a field with a default cannot tell otherwise, and a
    # ruleset that does not read a field refuses it rather than drop it.
    given: frozenset[str] = field(default=frozenset(), compare=False, repr=False)


@dataclass(frozen=True)
class Ws2016Evaluation(Evaluation):
    """An answer of the ws2016 ruleset: the shared shape plus its own outputs."""

    host_networking: Any = None  # rulesets.ws2016.serve.HostNetworking


def declares_ws2016_layout(cluster: Cluster) -> bool:
    """A ws2016 description in audit mode: some node declares its host networking."""
    return any(isinstance(n, Ws2016Node) and n.declares_layout for n in cluster.nodes)


def ruleset_of(cluster: Cluster) -> str:
    """The id of the ruleset a description selects (the 2008 R2 guide's by default)."""
    return getattr(cluster, "ruleset", DEFAULT_ID)


def fact(item: object, name: str) -> Any:
    """A ruleset-specific fact of a description's item, None when it was not given."""
    return getattr(item, name, None)
