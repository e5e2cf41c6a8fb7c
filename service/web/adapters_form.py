"""The page's adapter table: rows of name, speed, team and network, turned into a description.

Flat, numbered fields (adapter1_name, ...) so that the form is plain HTML and its contract a
plain urlencoded object. The description goes through the same validation as the API's; faults
come back under the form field they are about.
"""
from __future__ import annotations

import re

from marshmallow import fields, validate

from ..api.contract import NamedEnum

ADAPTER_ROWS = 8
TEAM_ROWS = 2
NETWORKS = ("", "private", "public")
MODES = ("link_aggregation", "failover")
_ADAPTER_KEYS = {"name": "name", "speed_mbps": "speed", "team": "team", "network": "network"}
_TEAM_KEYS = {"name": "name", "mode": "mode", "network": "network"}


def form_fields() -> dict[str, fields.Field]:
    """The table's fields, for the page's form schema."""
    out: dict[str, fields.Field] = {
        "node_count": fields.Integer(validate=validate.Range(1, 64), metadata={
            "description": "Adapter table: how many identical nodes have these adapters."}),
        "redundant_cluster_path": NamedEnum("Checkbox", ("on",), metadata={
            "description": "Adapter table: a second network carries cluster traffic (checkbox)."}),
    }
    for i in range(1, ADAPTER_ROWS + 1):
        out[f"adapter{i}_name"] = fields.String(validate=validate.Length(max=128))
        out[f"adapter{i}_speed"] = fields.String(validate=validate.Length(max=12), metadata={
            "description": "Speed in Mbps (1000 for 1 Gbps)."})
        out[f"adapter{i}_team"] = fields.String(validate=validate.Length(max=128))
        out[f"adapter{i}_network"] = NamedEnum("FormNetwork", NETWORKS)
    for i in range(1, TEAM_ROWS + 1):
        out[f"team{i}_name"] = fields.String(validate=validate.Length(max=128))
        out[f"team{i}_mode"] = NamedEnum("TeamMode", MODES)
        out[f"team{i}_network"] = NamedEnum("FormNetwork", NETWORKS)
    return out


def used(form: dict) -> bool:
    """Whether the person filled in the table (any adapter or team name)."""
    return any((form.get(f"adapter{i}_name") or "").strip() for i in range(1, ADAPTER_ROWS + 1)) \
        or any((form.get(f"team{i}_name") or "").strip() for i in range(1, TEAM_ROWS + 1))


def _speed(text: str):
    # Whole Mbps only; anything else is passed on as text so the schema names the field.
    return int(text) if re.fullmatch(r"\d{1,7}", text.strip()) else text


def to_description(form: dict) -> tuple[dict, dict[str, str]]:
    """The description the table gives, and where each of its pointers came from in the form."""
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
