"""The ws2016 ruleset's catalogue of changes: one table naming, for each change, the finding
codes it addresses, its kind (a key of the shared COSTS vocabulary), the function that makes it
and the Microsoft page that asks for it.

The planner reads the codes from this table only; the functions decide where a change applies.
Costs follow docs/classification.md's order: a setting is cheaper than switch or cabling work,
that than re-teaming, that than buying hardware.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...changes import COSTS, STEP_ORDER
from ...model import Finding
from ...ruleset import Source
from . import configuration as conf, hardware as hw
from .description import Design
from .edit import Edit
from .sources import S1, S4, S5, S6, S8, S9, S14, S17, S20, S27, S30, S40

Remedy = Callable[[Design, Finding], Edit | None]


@dataclass(frozen=True)
class Change:
    """A change the planner may propose: what it is called, its kind, the codes it addresses, the
    function that makes it, and the page that asks for it."""

    name: str
    kind: str
    codes: frozenset[str]
    remedy: Remedy
    source: Source

    @property
    def order(self) -> int:
        """Where its steps go: settings, then cabling and switch work, teams, then hardware."""
        return STEP_ORDER.index(self.kind)


def _change(name: str, kind: str, codes: str, remedy: Remedy, source: Source) -> Change:
    if kind not in COSTS:
        raise ValueError(f"ws2016 change {name}: unknown kind {kind}")
    return Change(name, kind, frozenset(codes.split()), remedy, source)


HARDWARE = "add_adapter"

# In order of preference where two changes of a kind apply: the plan lists them in this order.
CATALOGUE: tuple[Change, ...] = (
    _change("smb_limit", "setting", "WS503 WS504 WS506", conf.set_smb_limit, S4),
    _change("transport", "setting", "WS503 WS504", conf.set_transport, S6),
    _change("host_dcb", "setting", "WS302", conf.enable_host_dcb, S5),
    _change("pfc_smb_only", "setting", "WS305 WS312", conf.pfc_on_smb_only, S5),
    _change("heartbeat_class", "setting", "WS307 WS313", conf.add_heartbeat_class, S8),
    _change("hyper_v_port", "setting", "WS205 WS204", conf.hyper_v_port, S6),
    _change("vnic_team_mapping", "setting", "WS310", conf.map_rdma_vnics, S5),
    _change("storage_vlans", "setting", "WS304 WS402", conf.separate_storage_vlans, S8),
    _change("no_host_qos", "setting", "WS408", conf.remove_host_qos, S5),
    _change("switch_dcb", "cabling", "WS303", conf.switch_dcb, S6),
    _change("private_live_migration", "cabling", "WS401", conf.isolate_live_migration, S1),
    _change("switch_independent", "cabling", "WS204", conf.switch_independent, S5),
    _change("lbfo_to_set", "team", "WS206 WS207 WS209", conf.lbfo_to_set, S27),
    _change("unteam_host_vnics", "team", "WS208", conf.unteam_vnics, S14),
    _change("matching_set_members", HARDWARE, "WS201 WS202", hw.match_set_members, S5),
    _change("matching_nodes", HARDWARE, "WS102 WS301", hw.match_reference_node, S6),
    _change("ethernet_switch", HARDWARE, "WS210", hw.ethernet_switch, S40),
    _change("second_set_member", HARDWARE, "WS406 WS411", hw.add_set_member, S30),
    _change("second_storage_adapter", HARDWARE, "WS406", hw.add_storage_adapter, S17),
    _change("faster_storage", HARDWARE, "WS403 WS409", hw.faster_storage, S17),
    _change("faster_management", HARDWARE, "WS407", hw.faster_management, S20),
    _change("switchless_link", HARDWARE, "WS404", hw.link_missing_pairs, S17),
    _change("redundant_switchless_links", HARDWARE, "WS410", hw.redundant_links, S9),
)


def addressing(code: str) -> tuple[Change, ...]:
    """The changes that address a finding code, in catalogue order."""
    return tuple(c for c in CATALOGUE if code in c.codes)
