"""The page's adapter table: rows of name, speed, team and network, turned into a description.

Flat, numbered fields (adapter1_name, ...) so that the form is plain HTML and its contract a
plain urlencoded object. The description goes through the same validation as the API's; faults
come back under the form field they are about. With the Windows Server 2016 and later ruleset
chosen, a row gives RDMA, its kind, make and model instead of team and network, the node its
Windows Server version and the cluster its storage interconnect, Storage Spaces Direct, Network
ATC and Azure Local; the page shows only the chosen ruleset's columns, so only those are read.
"""
from __future__ import annotations

import re

from marshmallow import fields, validate

from ..api.contract import NamedEnum
from ..domain.rulesets import DEFAULT_ID, IDS
from ..domain.rulesets.ws2016.description import OsVersion, RdmaKind

ADAPTER_ROWS = 8
TEAM_ROWS = 2
NETWORKS = ("", "private", "public")
MODES = ("link_aggregation", "failover")
_ADAPTER_KEYS = {"name": "name", "speed_mbps": "speed", "team": "team", "network": "network"}
_TEAM_KEYS = {"name": "name", "mode": "mode", "network": "network"}
WS2016 = "ws2016"
RDMA = {"": None, "yes": True, "no": False}
RDMA_KINDS = ("", *(k.value for k in RdmaKind))
OS_VERSIONS = ("", *(v.value for v in OsVersion))
INTERCONNECTS = ("", "switched", "switchless")
# The ws2016 cluster facts the table offers as checkboxes, and the description field each sets.
CLUSTER_CHECKBOXES = {"storage_spaces_direct": "Storage Spaces Direct is the shared storage",
                      "network_atc": "Network ATC deploys the host networking",
                      "azure_local": "the cluster is Azure Local"}
_WS2016_KEYS = {"name": "name", "speed_mbps": "speed", "rdma": "rdma", "rdma_kind": "rdma_kind",
                "make": "make", "model": "model"}


def form_fields() -> dict[str, fields.Field]:
    """The table's fields, for the page's form schema."""
    out: dict[str, fields.Field] = {
        "node_count": fields.Integer(validate=validate.Range(1, 64), metadata={
            "description": "Adapter table: how many identical nodes have these adapters."}),
        "redundant_cluster_path": NamedEnum("Checkbox", ("on",), metadata={
            "description": "Adapter table: a second network carries cluster traffic (checkbox)."}),
        "ruleset": NamedEnum("FormRuleset", IDS, metadata={
            "description": f"Adapter table: the ruleset that answers (default {DEFAULT_ID}); "
                           f"{WS2016} reads the RDMA, kind, make and model columns and "
                           "os_version, the others the team and network columns, the teams and "
                           "redundant_cluster_path."}),
        "os_version": NamedEnum("FormOsVersion", OS_VERSIONS, metadata={
            "description": f"Adapter table, {WS2016} only: the nodes' Windows Server version."}),
        "storage_interconnect": NamedEnum("FormStorageInterconnect", INTERCONNECTS, metadata={
            "description": f"Adapter table, {WS2016} only: storage through switches or cabled "
                           "node to node (empty: switched, the designer's default)."}),
        **{name: NamedEnum("Checkbox", ("on",), metadata={
            "description": f"Adapter table, {WS2016} only: {what} (checkbox)."})
           for name, what in CLUSTER_CHECKBOXES.items()},
    }
    for i in range(1, ADAPTER_ROWS + 1):
        out[f"adapter{i}_name"] = fields.String(validate=validate.Length(max=128))
        out[f"adapter{i}_speed"] = fields.String(validate=validate.Length(max=12), metadata={
            "description": "Speed in Mbps (1000 for 1 Gbps)."})
        out[f"adapter{i}_team"] = fields.String(validate=validate.Length(max=128))
        out[f"adapter{i}_network"] = NamedEnum("FormNetwork", NETWORKS)
        out[f"adapter{i}_rdma"] = NamedEnum("FormRdma", tuple(RDMA), metadata={
            "description": f"{WS2016} only: RDMA enabled (yes/no; empty: not known)."})
        out[f"adapter{i}_rdma_kind"] = NamedEnum("FormRdmaKind", RDMA_KINDS)
        out[f"adapter{i}_make"] = fields.String(validate=validate.Length(max=128))
        out[f"adapter{i}_model"] = fields.String(validate=validate.Length(max=128))
    for i in range(1, TEAM_ROWS + 1):
        out[f"team{i}_name"] = fields.String(validate=validate.Length(max=128))
        out[f"team{i}_mode"] = NamedEnum("TeamMode", MODES)
        out[f"team{i}_network"] = NamedEnum("FormNetwork", NETWORKS)
    return out


def used(form: dict) -> bool:
    """Whether the person filled in the table (any adapter name, or a team's under 2008 R2)."""
    teams = TEAM_ROWS if form.get("ruleset") != WS2016 else 0
    return any((form.get(f"adapter{i}_name") or "").strip() for i in range(1, ADAPTER_ROWS + 1)) \
        or any((form.get(f"team{i}_name") or "").strip() for i in range(1, teams + 1))


def _speed(text: str):
    # Whole Mbps only; anything else is passed on as text so the schema names the field.
    return int(text) if re.fullmatch(r"\d{1,7}", text.strip()) else text


def to_description(form: dict) -> tuple[dict, dict[str, str]]:
    """The description the table gives, and where each of its pointers came from in the form."""
    if form.get("ruleset") == WS2016:
        return _ws2016(form)
    adapters: list[dict] = []
    teams: list[dict] = []
    origin: dict[str, str] = {}
    for i in range(1, ADAPTER_ROWS + 1):
        name = (form.get(f"adapter{i}_name") or "").strip()
        if not name:
            continue
        j = len(adapters)
        adapter = {"name": name, "speed_mbps": _speed(form.get(f"adapter{i}_speed") or "")}
        if (form.get(f"adapter{i}_team") or "").strip():
            adapter["team"] = form[f"adapter{i}_team"].strip()
        if form.get(f"adapter{i}_network"):
            adapter["network"] = form[f"adapter{i}_network"]
        adapters.append(adapter)
        for key, field in _ADAPTER_KEYS.items():
            origin[f"/nodes/0/adapters/{j}/{key}"] = f"/adapter{i}_{field}"
        origin[f"/nodes/0/adapters/{j}"] = f"/adapter{i}_name"
    for i in range(1, TEAM_ROWS + 1):
        name = (form.get(f"team{i}_name") or "").strip()
        if not name:
            continue
        k = len(teams)
        team = {"name": name, "mode": form.get(f"team{i}_mode") or "link_aggregation"}
        if form.get(f"team{i}_network"):
            team["network"] = form[f"team{i}_network"]
        teams.append(team)
        for key, field in _TEAM_KEYS.items():
            origin[f"/nodes/0/teams/{k}/{key}"] = f"/team{i}_{field}"
        origin[f"/nodes/0/teams/{k}"] = f"/team{i}_name"
    count = form.get("node_count") or 1
    nodes = [{"name": f"node{n}", "adapters": adapters, "teams": teams}
             for n in range(1, count + 1)]
    description: dict[str, object] = {"nodes": nodes}
    if form.get("redundant_cluster_path"):
        description["redundant_cluster_path"] = True
    origin["/nodes/0/adapters"] = "/adapter1_name"
    return description, origin


def form_pointer(pointer: str, origin: dict[str, str]) -> str:
    """The form field a description pointer is about (node 1's, as every node is the same)."""
    first = re.sub(r"^/nodes/\d+", "/nodes/0", pointer)
    while first and first not in origin:
        first = first.rsplit("/", 1)[0]
    return origin.get(first, "/adapter1_name")


def _ws2016(form: dict) -> tuple[dict, dict[str, str]]:
    """The table's description for the Windows Server 2016 and later ruleset (design mode)."""
    adapters: list[dict] = []
    origin: dict[str, str] = {"/ruleset": "/ruleset", "/nodes/0/os_version": "/os_version"}
    for i in range(1, ADAPTER_ROWS + 1):
        name = (form.get(f"adapter{i}_name") or "").strip()
        if not name:
            continue
        j = len(adapters)
        adapter = {"name": name, "speed_mbps": _speed(form.get(f"adapter{i}_speed") or "")}
        if RDMA.get(form.get(f"adapter{i}_rdma") or "") is not None:
            adapter["rdma"] = RDMA[form[f"adapter{i}_rdma"]]
        if form.get(f"adapter{i}_rdma_kind"):
            adapter["rdma_kind"] = form[f"adapter{i}_rdma_kind"]
        for key in ("make", "model"):
            if (form.get(f"adapter{i}_{key}") or "").strip():
                adapter[key] = form[f"adapter{i}_{key}"].strip()
        adapters.append(adapter)
        for key, field in _WS2016_KEYS.items():
            origin[f"/nodes/0/adapters/{j}/{key}"] = f"/adapter{i}_{field}"
        origin[f"/nodes/0/adapters/{j}"] = f"/adapter{i}_name"
    count = form.get("node_count") or 1
    node: dict[str, object] = {"adapters": adapters}
    if form.get("os_version"):
        node["os_version"] = form["os_version"]
    description: dict[str, object] = {
        "ruleset": WS2016, "nodes": [{"name": f"node{n}", **node} for n in range(1, count + 1)]}
    if form.get("storage_interconnect"):
        description["storage_interconnect"] = form["storage_interconnect"]
        origin["/storage_interconnect"] = "/storage_interconnect"
    if form.get("storage_spaces_direct"):
        description["shared_storage"] = "storage_spaces_direct"
        origin["/shared_storage"] = "/storage_spaces_direct"
    for name in ("network_atc", "azure_local"):
        if form.get(name):
            description[name] = True
            origin[f"/{name}"] = f"/{name}"
    origin["/nodes/0/adapters"] = "/adapter1_name"
    return description, origin
