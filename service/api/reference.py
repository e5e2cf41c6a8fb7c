"""The guide's table as data, and the rulesets a description may select."""
from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields

from ..domain.model import Classification, Role
from ..domain.reference_table import FOOTNOTE, TABLE
from ..domain.rulesets import LISTED
from ..schemas.bodies import NETWORKS, TEAM_MODES
from ..schemas.fields import NamedEnum, Sent
from .contract import problems
from .parsing import Blueprint

blp = Blueprint("reference", __name__, url_prefix="/v1",
                description="The guide's table of host configurations, and the rulesets.")


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


class SourceSchema(Sent):
    title = fields.String()
    url = fields.String(metadata={"description": "Where the document is published."})


class RulesetSchema(Sent):
    id = fields.String(metadata={"description": "The value of a description's `ruleset` field."})
    ruleset_version = fields.String(attribute="version", metadata={
        "description": "What the ruleset's answers carry in ruleset_version and "
                       "X-Ruleset-Version: '<name>/<release>'."})
    title = fields.String()
    default = fields.Boolean(metadata={
        "description": "True for the ruleset that answers a description with no `ruleset`."})
    sources = fields.List(fields.Nested(SourceSchema), metadata={
        "description": "The documents its rules and outputs cite (title and URL)."})


class RulesetsSchema(Sent):
    rulesets = fields.List(fields.Nested(RulesetSchema))


@blp.route("/rulesets")
class Rulesets(MethodView):
    @blp.doc(operationId="listRulesets", summary="The rulesets a description may select",
             description="Each ruleset with its id (the description's `ruleset` field), version, "
                         "title, whether it is the default and the documents it rests on.")
    @problems(blp)
    @blp.response(200, RulesetsSchema, example={"rulesets": [
        {"id": r.id, "ruleset_version": r.version, "title": r.title, "default": r.default,
         "sources": [{"title": s.title, "url": s.url} for s in r.sources]} for r in LISTED]})
    def get(self):
        return {"rulesets": LISTED}
