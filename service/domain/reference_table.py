"""The guide's table of host configurations, encoded once as data.

Each row lists its ports (a single adapter, or a team of adapters for link aggregation) and, per
role, which port carries it, whether it is a virtual network adapter on the VM switch, and its
bandwidth cap. Design mode returns these layouts verbatim for matching inventories.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Classification, Network, Role

SECTION = "Networking considerations for live migration (table of host configurations)"
FOOTNOTE = (
    "*This configuration is considered recommended if your configuration has a redundant network "
    "path available for Cluster and Cluster Shared Volumes communication."
)

G1 = 1_000
G10 = 10_000


@dataclass(frozen=True)
class Slot:
    """A port of a row: its member adapters' speed, how many are teamed, and the required access.

    `network` is given where the row names it; the roles the guide wants private
    (cluster/CSV, live migration) never go on a port the caller marked public.
    """

    speed_mbps: int
    members: int = 1
    network: Network | None = None

    @property
    def is_team(self) -> bool:
        return self.members > 1


@dataclass(frozen=True)
class RowRole:
    slot: int
    virtual: bool = False
    cap: int | None = None


@dataclass(frozen=True)
class TableRow:
    row: int
    host_configuration: str
    slots: tuple[Slot, ...]
    roles: dict[Role, RowRole]
    classification: Classification
    footnote: bool = False

    def classification_for(self, redundant_cluster_path: bool) -> Classification:
        """The row's class; the footnoted row is raised when cluster traffic has a redundant path."""
        if self.footnote and redundant_cluster_path:
            return Classification.RECOMMENDED
        return self.classification


def _roles(vm, mgmt, csv, lm) -> dict[Role, RowRole]:
    return {
        Role.VM_ACCESS: vm,
        Role.MANAGEMENT: mgmt,
        Role.CLUSTER_CSV: csv,
        Role.LIVE_MIGRATION: lm,
    }


R = Classification
TABLE: tuple[TableRow, ...] = (
    TableRow(
        1, "4 network adapters with 1 Gbps",
        (Slot(G1), Slot(G1), Slot(G1), Slot(G1)),
        _roles(RowRole(0, True), RowRole(1), RowRole(2), RowRole(3)),
        R.RECOMMENDED,
    ),
    TableRow(
        2, "3 network adapters with 1 Gbps; 2 adapters are teamed for link aggregation (private)",
        (Slot(G1), Slot(G1, members=2, network=Network.PRIVATE)),
        _roles(RowRole(0, True), RowRole(0, True, 10), RowRole(1), RowRole(1, False, 40)),
        R.SUPPORTED,
    ),
    TableRow(
        3, "3 network adapters with 1 Gbps",
        (Slot(G1), Slot(G1), Slot(G1)),
        _roles(RowRole(0, True), RowRole(0, True, 10), RowRole(1), RowRole(2)),
        R.SUPPORTED,
    ),
    TableRow(
        4, "2 network adapters with 10 Gbps",
        (Slot(G10), Slot(G10)),
        _roles(RowRole(0, True), RowRole(0, True, 1), RowRole(1), RowRole(1, False, 50)),
        R.SUPPORTED, footnote=True,
    ),
    TableRow(
        5, "2 network adapters with 10 Gbps; 1 network adapter with 1 Gbps",
        (Slot(G10), Slot(G1), Slot(G10)),
        _roles(RowRole(0, True), RowRole(1), RowRole(2), RowRole(2, False, 50)),
        R.SUPPORTED,
    ),
    TableRow(
        6, "2 network adapters with 10 Gbps; 2 network adapters with 1 Gbps",
        (Slot(G10), Slot(G1), Slot(G1), Slot(G10)),
        _roles(RowRole(0, True), RowRole(1), RowRole(2), RowRole(3)),
        R.SUPPORTED,
    ),
    TableRow(
        7, "3 network adapters with 1 Gbps; 2 adapters are teamed for link aggregation (public)",
        (Slot(G1), Slot(G1, members=2, network=Network.PUBLIC)),
        _roles(RowRole(0, True), RowRole(0, True, 5), RowRole(1), RowRole(1, False, 90)),
        R.NOT_RECOMMENDED,
    ),
    TableRow(
        8, "2 network adapters with 1 Gbps",
        (Slot(G1), Slot(G1)),
        _roles(RowRole(0, True), RowRole(0, True, 10), RowRole(1), RowRole(1, False, 90)),
        R.NOT_RECOMMENDED,
    ),
    TableRow(
        9, "1 network adapter with 10 Gbps; 1 network adapter with 1 Gbps",
        (Slot(G10), Slot(G1)),
        _roles(RowRole(0, True), RowRole(0, True, 10), RowRole(1), RowRole(1, False, 90)),
        R.NOT_RECOMMENDED,
    ),
)
