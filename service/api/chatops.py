"""Chat-ops: a one-line inventory in, a short Markdown answer (or the full description) out."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate

from ..application import usecases
from ..domain.model import Cluster
from ..domain.render import markdown
from ..domain.rulesets import IDS
from ..domain.rulesets.ws2016 import serve as ws2016_serve
from ..domain.shorthand import ShorthandError, parse_shorthand, rdma_facts
from ..schemas.bodies import ClusterSchema
from .caching import cached_chat_answer
from .chat_errors import HEADLINES
from .contract import EVALUATING, QUERY_ONLY, problems
from .headers import CACHE_HEADERS
from .parsing import Blueprint
from .query import QuerySchema
from .service import counter

blp = Blueprint("chatops", __name__, url_prefix="/v1/chatops",
                description="One-line inventories for chat bots.")


# A bot that sends Accept: text/markdown gets its errors as short Markdown too.
MARKDOWN_ERRORS = {status: {"content": {"text/markdown; charset=utf-8": {"schema": {
    "type": "string", "description": "The error as a few lines of Markdown, for a chat."}}}}
    for status in HEADLINES}


class ShorthandQuerySchema(QuerySchema):
    inventory = fields.String(required=True, validate=validate.Length(1, 500), metadata={
        "description": "One node's adapters, e.g. `2x10G,1x1G` or `3x1G team(2,private)`.",
        "example": "3x1G team(2,private)"})
    nodes = fields.Integer(load_default=1, validate=validate.Range(1, 64),
                           metadata={"description": "How many identical nodes."})


class AnswerQuerySchema(ShorthandQuerySchema):
    ruleset = fields.String(load_default=IDS[0], validate=validate.OneOf(IDS), metadata={
        "description": "The ruleset that answers: ws2008r2 (the default, the 2008 R2 guide) or "
                       "ws2016 (Windows Server 2016 and later: the inventory's adapters only, "
                       "no teams or networks, which that ruleset lays out itself; an item's "
                       "RDMA word, e.g. 2x25G rocev2, says its adapters are RDMA of that kind: "
                       "rdma, roce, rocev2, iwarp, infiniband; make and model are not given, "
                       "so WS001 says what that leaves unchecked)."})


def _parse(inventory: str, nodes: int, rdma: bool = False):
    try:
        return parse_shorthand(inventory, nodes, rdma=rdma)
    except ShorthandError as error:
        abort(422, errors=[{"pointer": "/inventory", "detail": str(error)}])


def _adapter(adapter, rdma: dict[str, str | None]) -> dict:
    """A ws2016 adapter: name and speed, and RDMA with its kind where the inventory says so."""
    out: dict = {"name": adapter.name, "speed_mbps": adapter.speed_mbps}
    if adapter.name in rdma:
        out["rdma"] = True
        if rdma[adapter.name] is not None:
            out["rdma_kind"] = rdma[adapter.name]
    return out


def _as_ws2016(cluster: Cluster, rdma: dict[str, str | None]) -> Cluster:
    """The inventory's nodes and adapters (with their RDMA words) as a ws2016 description (a 422
    naming /inventory for a team or a network: that ruleset lays them out itself)."""
    if any(n.teams or any(a.network for a in n.adapters) for n in cluster.nodes):
        abort(422, errors=[{"pointer": "/inventory", "detail": (
            "with ruleset=ws2016 give the adapters only (e.g. 2x25G,2x10G): that ruleset lays "
            "out its own teams (SET) and networks")}])
    payload = {"ruleset": "ws2016", "nodes": [
        {"name": n.name, "adapters": [_adapter(a, rdma) for a in n.adapters]}
        for n in cluster.nodes]}
    try:
        return usecases.load_description(payload)
    except usecases.InvalidInput as error:  # not expected: the shorthand's limits are tighter
        abort(422, errors=error.errors)
        raise  # not reached: abort raises (this tells a type checker so)


@blp.route("/answer")
class Answer(MethodView):
    @blp.doc(operationId="answerInventory",
             summary="Evaluate a one-line inventory and answer in Markdown",
             description="The inventory of one node, e.g. `2x10G,1x1G` or "
                         "`3x1G team(2,private)`, on `nodes` identical nodes (named node1, node2, "
                         "...), evaluated in design mode and answered in one chat message of at "
                         "most 4,000 characters with every finding (shortened when it must be). "
                         "`ruleset=ws2016` answers by the Windows Server 2016 and later ruleset "
                         "(the live migration transport and SMB limit on one line, DCB and the "
                         "designed switch and host vNICs). "
                         "Errors come as short Markdown when Accept prefers text/markdown, else "
                         "as problem+json. An unknown or repeated parameter is a 422. Answers "
                         "are cached like evaluations, with an ETag for the query.",
             responses=MARKDOWN_ERRORS)
    @cached_chat_answer
    @problems(blp, *QUERY_ONLY, *EVALUATING)
    @blp.alt_response(304, description="Not modified: the If-None-Match ETag is current.",
                      headers=CACHE_HEADERS)
    @blp.response(200, {"type": "string"}, content_type="text/markdown; charset=utf-8",
                  headers=CACHE_HEADERS)
    @blp.arguments(AnswerQuerySchema(), location="query")
    def get(self, args):
        ws2016 = args["ruleset"] == "ws2016"
        cluster = _parse(args["inventory"], args["nodes"], rdma=ws2016)
        if ws2016:
            rdma = rdma_facts(args["inventory"])
            evaluation = usecases.evaluated(_as_ws2016(cluster, rdma), counter())
            text = ws2016_serve.markdown(evaluation)
        else:
            text = markdown.render_markdown(usecases.evaluated(cluster, counter()))
        return Response(text, 200, mimetype="text/markdown")


@blp.route("/description")
class Description(MethodView):
    @blp.doc(operationId="describeInventory",
             summary="Expand a one-line inventory into a full cluster description",
             description="The JSON to POST to /v1/evaluations, for editing before evaluation.",
             responses={s: v for s, v in MARKDOWN_ERRORS.items() if s != 503})
    @problems(blp, *QUERY_ONLY)
    @blp.doc(responses={200: {"links": {
        "evaluateTheDescription": {"operationId": "evaluateCluster", "requestBody": "$response.body",
                                   "description": "The description, evaluated as it is."},
        "drawTheDescription": {"operationId": "renderLayoutSvg", "requestBody": "$response.body",
                               "description": "A picture of its first node's layout."}}}})
    @blp.response(200, ClusterSchema)
    @blp.arguments(ShorthandQuerySchema(), location="query")
    def get(self, args):
        return _parse(args["inventory"], args["nodes"])
