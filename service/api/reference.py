"""The guide's table as data."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields

from ..domain.model import Classification, Role
from ..domain.reference_table import FOOTNOTE, TABLE
from .contract import NamedEnum, Sent, problems
from .parsing import Blueprint
from .schemas import NETWORKS, TEAM_MODES

blp = Blueprint("reference", __name__, url_prefix="/v1",
                description="The guide's table of host configurations.")


class SlotSchema(Sent):
    speed_mbps = fields.Integer(metadata={"description": "Each member adapter's speed."})
    members = fields.Integer(metadata={"description": "1 for a lone adapter, 2 for a team."})
    network = NamedEnum("Network", NETWORKS, allow_none=True)
    team_mode = NamedEnum("TeamMode", TEAM_MODES, allow_none=True)


class RowRoleSchema(Sent):
    role = fields.Enum(Role, by_value=True)
    slot = fields.Integer(metadata={"description": "Index into ports."})
    virtual = fields.Boolean()
    bandwidth_cap_percent = fields.Integer(allow_none=True)


class RowSchema(Sent):
    row = fields.Integer()
    host_configuration = fields.String()
    classification = fields.Enum(Classification, by_value=True)
    classification_with_redundant_cluster_path = fields.Enum(Classification, by_value=True)
    footnote = fields.String(allow_none=True)
    ports = fields.List(fields.Nested(SlotSchema))
    layout = fields.List(fields.Nested(RowRoleSchema))


class TableSchema(Sent):
    source = fields.String()
    rows = fields.List(fields.Nested(RowSchema))


def table_data() -> dict:
    """The table in the contract's shape."""
    rows = []
    for row in TABLE:
        rows.append({
            "row": row.row,
            "host_configuration": row.host_configuration,
            "classification": row.classification,
            "classification_with_redundant_cluster_path": row.classification_for(True),
            "footnote": FOOTNOTE if row.footnote else None,
            "ports": [{"speed_mbps": s.speed_mbps, "members": s.members, "network": s.network,
                       "team_mode": "link_aggregation" if s.is_team else None} for s in row.slots],
            "layout": [{"role": role, "slot": r.slot, "virtual": r.virtual,
                        "bandwidth_cap_percent": r.cap} for role, r in row.roles.items()],
        })
    return {"source": "Hyper-V: Live Migration Network Configuration Guide (Windows Server 2008 R2)",
            "rows": rows}


@blp.route("/reference-configurations")
class ReferenceConfigurations(MethodView):
    @blp.doc(operationId="listReferenceConfigurations",
             summary="The guide's table of host configurations",
             description="The nine host configurations with their layouts, caps and "
                         "classifications, and the footnote of the 2 x 10 Gbps row.")
    @problems(blp)
    @blp.response(200, TableSchema)
    def get(self):
        return table_data()
