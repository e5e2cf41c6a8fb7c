"""OpenAPI examples: one cluster description per row of the guide's table."""
from __future__ import annotations

from ..domain.reference_table import TABLE, TableRow


def row_description(row: TableRow, nodes: int = 2) -> dict:
    """A cluster of identical nodes whose inventory is the row's host configuration."""
    out_nodes = []
    for n in range(1, nodes + 1):
        adapters: list[dict] = []
        teams: list[dict] = []
        number = 1
        for slot in row.slots:
            if slot.is_team:
                team = f"T{len(teams) + 1}"
                team_entry = {"name": team, "mode": "link_aggregation"}
                if slot.network:
                    team_entry["network"] = slot.network
                teams.append(team_entry)
                for _ in range(slot.members):
                    adapters.append({"name": f"NIC{number}", "speed_mbps": slot.speed_mbps,
                                     "team": team})
                    number += 1
            else:
                adapters.append({"name": f"NIC{number}", "speed_mbps": slot.speed_mbps})
                number += 1
        node = {"name": f"hv{n:02d}", "processor_vendor": "intel",
                "management_ip": f"10.0.0.{10 + n}", "adapters": adapters}
        if teams:
            node["teams"] = teams
        out_nodes.append(node)
    return {"name": f"row{row.row}-cluster", "nodes": out_nodes}


def request_examples() -> dict:
    """Named OpenAPI examples, one per table row."""
    return {
        f"row{row.row}": {
            "summary": f"Row {row.row}: {row.host_configuration}",
            "value": row_description(row),
        }
        for row in TABLE
    }


def response_example() -> dict:
    """The real answer to the row 2 example (one node), for the contract."""
    from ..domain.evaluate import evaluate
    from .schemas import ClusterSchema, EvaluationSchema
    cluster = ClusterSchema().load(row_description(TABLE[1], nodes=1))
    return EvaluationSchema().dump(evaluate(cluster))
