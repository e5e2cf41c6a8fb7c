"""The contract's examples: one cluster description per row of the guide's table, and one for the
Windows Server 2016 and later ruleset."""
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
    from .bodies import ClusterSchema, EvaluationSchema
    cluster = ClusterSchema().load(row_description(TABLE[1], nodes=1))
    return EvaluationSchema().dump(evaluate(cluster))


def ws2016_description() -> dict:
    """Microsoft's two-node switched, non-converged pattern (Azure Local network reference
    patterns: management and compute teamed, two RDMA storage adapters of their own), as a
    description for the ws2016 ruleset: two 10 Gbps adapters and two 25 Gbps RoCE v2 adapters on
    each of two Windows Server 2022 nodes."""
    def adapter(name: str, gbps: int, rdma: bool) -> dict:
        out: dict = {"name": name, "speed_mbps": gbps * 1000, "make": "Contoso",
                     "model": "CX-25" if rdma else "X-10"}
        if rdma:
            out.update(rdma=True, rdma_kind="roce_v2")
        return out
    return {"ruleset": "ws2016", "name": "azl-01",
            "nodes": [{"name": f"hv{n:02d}", "os_version": "2022", "adapters": [
                adapter("pNIC01", 10, False), adapter("pNIC02", 10, False),
                adapter("pNIC03", 25, True), adapter("pNIC04", 25, True)]} for n in (1, 2)]}


WS2016_EXAMPLE = {
    "summary": "Windows Server 2016 and later: 2 x 10 Gbps + 2 x 25 Gbps RDMA (ws2016 ruleset)",
    "value": ws2016_description()}


def ws2016_response_example() -> dict:
    """The real answer to the ws2016 example, for the contract."""
    from ..domain.evaluate import evaluate
    from .bodies import ClusterSchema, dump_evaluation
    return dump_evaluation(evaluate(ClusterSchema().load(ws2016_description())))


def batch_examples() -> tuple[dict, dict]:
    """A batch of one description of each ruleset (the guide's row 2 and the ws2016 example),
    and its real answer."""
    items = [row_description(TABLE[1], nodes=1), ws2016_description()]
    answers = [response_example(), ws2016_response_example()]
    return {"items": items}, {"results": [
        {"index": i, "status": 200, "evaluation": answer, "problem": None}
        for i, answer in enumerate(answers)]}
