"""Evaluations: one description, a batch of them, and their renderings."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import cast

import marshmallow as ma
from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields

from ..application import usecases
from ..application.results import cached_or_computed
from ..domain.render import markdown, svg
from ..domain.render.formats import RENDERERS, NodeChoice, Renderer
from ..domain.rulesets.ws2016 import serve as ws2016_serve
from ..domain.selection import Ws2016Evaluation, ruleset_of
from ..schemas.bodies import ClusterSchema, EvaluationSchema, dump_evaluation
from ..schemas.examples import WS2016_EXAMPLE, batch_examples, request_examples, response_example
from ..schemas.fields import DocumentedAs, Sent
from . import deadline
from .caching import cached_evaluation, cached_markdown, evaluation_key
from .contract import EVALUATING, JSON_BODY, problems
from .headers import CACHE_HEADERS, DOWNLOAD_HEADERS, IF_NONE_MATCH
from .negotiation import (
    FORMAT_PARAMETER,
    MARKDOWN_ANSWER,
    RepresentationQuerySchema,
    representation,
)
from .parsing import Blueprint
from .problems import ProblemSchema, invalid_fields_detail, problem_body
from .query import QuerySchema
from .service import checked, counted, counter, evaluate_checked

# Schemas are passed to @blp.arguments as instances: given a class, webargs builds a new schema
# (and its nested schemas) for every request, a large share of a cache miss's time.
blp = Blueprint("evaluations", __name__, url_prefix="/v1",
                description="Classify a cluster's network for live migration and plan its layout.")

ERRORS = JSON_BODY + EVALUATING
# The documents are UTF-8 text; the charset is part of the media type the service sends.
PLAIN = "text/plain; charset=utf-8"
MARKDOWN = "text/markdown; charset=utf-8"
SVG = "image/svg+xml; charset=utf-8"


# One description per row of the guide's table, and one for the ws2016 ruleset (whose answers
# these operations give too).
EXAMPLES = {**request_examples(), "ws2016": WS2016_EXAMPLE}


class NodeQuerySchema(QuerySchema):
    node = fields.String(metadata={"description": "A node name: only that node's part of the "
                                                  "document; every node when omitted."})


class PictureQuerySchema(QuerySchema):
    node = fields.String(metadata={"description": "The node to draw, with its own class; "
                                                  "without it, the first node's layout under the "
                                                  "cluster's class."})


class RegistryQuerySchema(QuerySchema):
    node = fields.String(metadata={"description": "The node whose policies the file installs; "
                                                  "required when the cluster has several nodes."})


@blp.route("/evaluations")
class Evaluations(MethodView):
    @blp.doc(operationId="evaluateCluster", parameters=[IF_NONE_MATCH, FORMAT_PARAMETER],
             summary="Evaluate a cluster description",
             description="Classifies the host network configuration on the guide's scale, lays out "
                         "the four roles (design mode) or judges the declared layout (audit mode), "
                         "derives the QoS policies, lists findings and remediation. Results are "
                         "cached; the ETag is stable for the same description, ruleset and "
                         "representation, and If-None-Match is answered with 304. The answer is "
                         "JSON, or the short Markdown answer when Accept prefers text/markdown "
                         "or `format=markdown` is given (for clients that cannot set headers); "
                         "Vary: Accept. With \"ruleset\": \"ws2016\" the Windows Server 2016 "
                         "and later ruleset answers (design mode; a Ws2016Evaluation, or its "
                         "Markdown answer: the class, the findings with the Microsoft page each "
                         "cites, the live migration transport, SMB bandwidth limit, DCB and "
                         "each node's switch, host vNICs and storage adapters); GET "
                         "/v1/rulesets lists the rulesets.",
             responses={200: MARKDOWN_ANSWER})
    @cached_evaluation
    @problems(blp, *ERRORS)
    @blp.alt_response(304, description="Not modified: the If-None-Match ETag is current.",
                      headers=CACHE_HEADERS)
    @blp.response(200, EvaluationSchema, example=response_example(), headers=CACHE_HEADERS)
    @blp.arguments(RepresentationQuerySchema(), location="query", as_kwargs=True)
    @blp.arguments(ClusterSchema(), examples=EXAMPLES)
    def post(self, cluster, format=None):
        evaluation = evaluate_checked(cluster)
        if representation() == "markdown":
            return _markdown(evaluation)
        if isinstance(evaluation, Ws2016Evaluation):
            # Its own schema (Ws2016Evaluation in the contract), sent as the app sends JSON.
            return current_app.json.response(dump_evaluation(evaluation))
        return evaluation


def _markdown(evaluation) -> Response:
    """The short Markdown answer, by the ruleset that answered."""
    text = (ws2016_serve.markdown(evaluation) if isinstance(evaluation, Ws2016Evaluation)
            else markdown.render_markdown(evaluation))
    return Response(text, 200, mimetype="text/markdown")


class BatchRequestSchema(ma.Schema):
    # Items are checked one by one, so the envelope takes any JSON value: an invalid item gets
    # its own problem in the results instead of failing the batch.
    # The contract types them as Cluster, which is what a client should send.
    items = fields.List(DocumentedAs("Cluster", allow_none=True, metadata={
        "description": "A cluster description, as the body of POST /v1/evaluations. An item that "
                       "is not a valid one gets its own problem in the results."}), required=True,
        validate=ma.validate.Length(1, 1000),
        metadata={"description": "1 to 1,000 cluster descriptions (BATCH_MAX_ITEMS may set a "
                                 "lower limit)."})

    class Meta:
        unknown = ma.RAISE


class StoredOrNew(fields.Nested):
    """An evaluation: serialised here, or already serialised (a cache hit) and passed through."""

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        if isinstance(nested_obj, dict):
            return nested_obj
        return super()._serialize(nested_obj, attr, obj, **kwargs)


class BatchItemSchema(Sent):
    index = fields.Integer(metadata={"description": "The item's position in the request."})
    status = fields.Integer(metadata={"description": "200, or the status of the item's problem: "
                                                    "422 for an invalid item, 503 for an item the "
                                                    "compute deadline left unevaluated."})
    evaluation = StoredOrNew(EvaluationSchema, allow_none=True, metadata={
        "description": "The evaluation when status is 200, else null."})
    problem = fields.Nested(ProblemSchema, allow_none=True, metadata={
        "description": "The item's problem details when status is not 200, else null."})


class BatchResponseSchema(Sent):
    results = fields.List(fields.Nested(BatchItemSchema))


BATCH_EXAMPLES = batch_examples()


def _batch_item(index: int, payload) -> dict:
    """One item's result: from the cache, or evaluated and stored as a single evaluation is."""
    extension = current_app.extensions["lmna"]

    def compute() -> dict:
        return dump_evaluation(usecases.evaluated(usecases.load_description(payload), counter()))
    try:
        outcome = cached_or_computed(extension.cache, evaluation_key(payload), compute,
                                     _json_bytes)
    except usecases.InvalidInput as error:
        return {"index": index, "status": 422, "evaluation": None,
                "problem": problem_body(422, invalid_fields_detail(error.errors), error.errors)}
    evaluation = json.loads(outcome.stored) if outcome.stored is not None else outcome.computed
    return {"index": index, "status": 200, "evaluation": evaluation, "problem": None}


def _json_bytes(dumped: dict) -> bytes:
    """A dumped evaluation as the app sends JSON (and so as a single evaluation is stored)."""
    # Flask's JSON provider answers with the app's Response class (typed as the sans-I/O one).
    return cast(Response, current_app.json.response(dumped)).get_data()


def _not_reached(index: int, seconds: float) -> dict:
    """The result of an item the compute deadline left unevaluated: retry it in a new request."""
    return {"index": index, "status": 503, "evaluation": None, "problem": problem_body(
        503, f"Not evaluated: the request's compute deadline of {seconds:g} s ran out first. "
             f"Send this item again.")}


def _batch_results(items: list) -> list[dict]:
    """Evaluate items in order until the deadline; the rest get a 503 problem each."""
    seconds = current_app.extensions["lmna"].settings.request_deadline_seconds
    results: list[dict] = []
    try:
        for index, item in enumerate(items):
            if deadline.expired():
                break
            results.append(_batch_item(index, item))
        deadline.stop()  # what is left (serialising finished items) is bounded by them
    except deadline.DeadlineExceeded:
        pass  # the item in progress is not finished; it and the rest are reported below
    return results + [_not_reached(i, seconds) for i in range(len(results), len(items))]


@blp.route("/evaluations/batch")
class Batch(MethodView):
    @blp.doc(operationId="evaluateBatch", summary="Evaluate up to 1,000 descriptions",
             description="One result per item, in order: an evaluation, or the item's own problem "
                         "details. Each item is answered by the ruleset it selects (\"ruleset\"), "
                         "so one batch may mix them. One bad item does not fail the batch; each "
                         "item is cached like a single evaluation. When the compute deadline "
                         "runs out, the items finished are returned and each item not reached "
                         "gets a 503 problem.")
    @problems(blp, *ERRORS)
    @blp.response(200, BatchResponseSchema, example=BATCH_EXAMPLES[1])
    @blp.arguments(BatchRequestSchema(), example=BATCH_EXAMPLES[0])
    def post(self, body):
        limit = current_app.extensions["lmna"].settings.batch_max_items
        items = body["items"]
        if len(items) > limit:
            abort(422, errors=[{"pointer": "/items", "detail": f"at most {limit} descriptions"}])
        return {"results": _batch_results(items)}


def _document(text: str, mimetype: str, filename: str) -> Response:
    response = Response(text, 200, mimetype=mimetype)
    # Header values must be Latin-1 (names are the caller's Unicode): keep a plain ASCII name.
    safe = re.sub(r"[^A-Za-z0-9._]+", "-", filename).strip("-") or "document"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def _node_or_422(evaluation, node: str | None, required: bool = False) -> str | None:
    names = [n.name for n in evaluation.nodes]
    if node is None and required and len(names) > 1:
        abort(422, errors=[{"pointer": "/node", "detail": "name a node: the cluster has "
                                                          f"{len(names)} nodes"}])
    if node is not None and node not in names:
        abort(422, errors=[{"pointer": "/node", "detail": f"no node named '{node}'"}])
    return node


def _filename(evaluation, suffix: str) -> str:
    return f"{evaluation.name or 'cluster'}{suffix}"


TEXT = {"type": "string"}


def _rendering(cluster, node, renderer: Renderer):
    """Evaluate, check the `node` query argument, render, and send the text as a download."""
    if ruleset_of(cluster) == "ws2016":
        return _ws2016_rendering(cluster, node, renderer)
    evaluation = evaluate_checked(cluster)
    one_node = renderer.node is NodeChoice.REQUIRED
    node = _node_or_422(evaluation, node, required=one_node)
    suffix = renderer.suffix
    if one_node:
        node = node or evaluation.nodes[0].name
        suffix = f"-{node}{suffix}"
    return _document(renderer.render(evaluation, node, cluster), renderer.media_type,
                     _filename(evaluation, suffix))


def _refuse_ws2016(cluster, fmt: str) -> None:
    """A 422 naming /ruleset for a rendering the ws2016 ruleset does not have."""
    if ruleset_of(cluster) == "ws2016" and fmt not in ws2016_serve.RENDERINGS:
        abort(422, errors=[{"pointer": "/ruleset", "detail": ws2016_serve.refusal(fmt)}])


def _ws2016_rendering(cluster, node, renderer: Renderer):
    """The ws2016 PowerShell script of one node (named, or the only one); other renderings are
    refused before any work is done. One design serves the evaluation and the script."""
    _refuse_ws2016(cluster, renderer.format)
    served = ws2016_serve.serve(checked(cluster))
    evaluation = counted(served.evaluation)
    node = _node_or_422(evaluation, node, required=True) or evaluation.nodes[0].name
    return _document(ws2016_serve.powershell(served, node), renderer.media_type,
                     _filename(evaluation, f"-{node}-ws2016{renderer.suffix}"))


@dataclass(frozen=True)
class _Download:
    """A rendering sent as a download: its route, its view's name and its documentation."""

    path: str
    view: str
    operation_id: str
    summary: str
    description: str
    renderer: Renderer
    query: type[QuerySchema]


# The QoS documents, each a rendering of the table in domain/render/formats.py.
DOWNLOADS = (
    _Download("/qos-policies/powershell", "PowerShell", "renderPowerShell",
              "QoS policies as a PowerShell script (Windows Server 2012 and later)",
              "New-NetQosPolicy commands for every node, each block guarded by the computer "
              "name, so one script can run on every node. With \"ruleset\": \"ws2016\": one "
              "node's host networking script (DCB, the SET switch and host vNICs or storage "
              "adapters, the live migration transport, SMB bandwidth limit and "
              "MaximumVirtualMachineMigrations); `node` is then required when the cluster has "
              "several nodes. The .reg and gpedit renderings answer 422 for a ws2016 "
              "description.",
              RENDERERS["powershell"], NodeQuerySchema),
    _Download("/qos-policies/registry", "RegistryFile", "renderRegistryFile",
              "QoS policies as a .reg file (Windows Server 2008 R2 Group Policy values)",
              "The Policy-based QoS values under "
              "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\QoS\\<name> for one node.",
              RENDERERS["reg"], RegistryQuerySchema),
    _Download("/qos-policies/gpedit", "GpeditSteps", "renderGpeditSteps",
              "QoS policies as the guide's gpedit.msc steps",
              "The guide's procedure with the exact values to type, in Markdown.",
              RENDERERS["gpedit"], NodeQuerySchema),
)


def _download_route(download: _Download) -> None:
    """Register the route of one download, documented as every download is."""
    def post(self, cluster, node=None):
        return _rendering(cluster, node, download.renderer)
    # The decorators of a hand-written view, applied innermost first.
    examples = request_examples()
    if download.renderer.format in ws2016_serve.RENDERINGS:
        examples["ws2016"] = WS2016_EXAMPLE
    post = blp.arguments(ClusterSchema(), examples=examples)(post)
    post = blp.arguments(download.query(), location="query", as_kwargs=True)(post)
    post = blp.response(200, TEXT, content_type=f"{download.renderer.media_type}; charset=utf-8",
                        headers=DOWNLOAD_HEADERS)(post)
    post = problems(blp, *ERRORS)(post)
    post = blp.doc(operationId=download.operation_id, summary=download.summary,
                   description=download.description)(post)
    blp.route(download.path)(type(download.view, (MethodView,), {"post": post}))


for _download in DOWNLOADS:
    _download_route(_download)


@blp.route("/evaluations/markdown")
class MarkdownAnswer(MethodView):
    @blp.doc(operationId="renderMarkdown",
             summary="Evaluate and answer in short Markdown (chat-ops)",
             description="The evaluation as a few lines of Markdown: the classification and where "
                         "it comes from, the layout, the main findings and the remediation "
                         "(with \"ruleset\": \"ws2016\": the host networking instead of the "
                         "remediation). Cached with POST /v1/evaluations' Markdown answer: the "
                         "same ETag.")
    @cached_markdown
    @problems(blp, *ERRORS)
    @blp.alt_response(304, description="Not modified: the If-None-Match ETag is current.",
                      headers=CACHE_HEADERS)
    @blp.response(200, TEXT, content_type=MARKDOWN, headers=CACHE_HEADERS)
    @blp.arguments(ClusterSchema(), examples=EXAMPLES)
    def post(self, cluster):
        return _markdown(evaluate_checked(cluster))


@blp.route("/evaluations/svg")
class LayoutPicture(MethodView):
    @blp.doc(operationId="renderLayoutSvg",
             summary="A picture of a node's layout (SVG), for portals",
             description="Every port as a box (unassigned adapters and team members "
                         "included) with the roles it carries, virtual adapters, caps and "
                         "public/private marked, full names wrapped and in tooltips, an "
                         "accessible title and description. The badge is the named node's "
                         "class, or the cluster's when no node is named. With \"ruleset\": "
                         "\"ws2016\": the node's host networking (physical adapters, the "
                         "switch over its members, host vNICs over the member each is mapped "
                         "to, standalone storage adapters) and the live migration settings.")
    @problems(blp, *ERRORS)
    @blp.doc(responses={200: {"content": {PLAIN: {"schema": TEXT}}}})
    @blp.response(200, TEXT, content_type=SVG,
                  description="The SVG; sent as text/plain when Accept prefers it.")
    @blp.arguments(PictureQuerySchema(), location="query", as_kwargs=True)
    @blp.arguments(ClusterSchema(), examples=EXAMPLES)
    def post(self, cluster, node=None):
        if ruleset_of(cluster) == "ws2016":
            served = ws2016_serve.serve(checked(cluster))
            counted(served.evaluation)
            picture = ws2016_serve.svg(served, _node_or_422(served.evaluation, node))
        else:
            evaluation = evaluate_checked(cluster)
            picture = svg.render_svg(evaluation, _node_or_422(evaluation, node), cluster=cluster)
        # The same text either way: a chat client or text viewer may ask for text/plain.
        chosen = request.accept_mimetypes.best_match(["image/svg+xml", "text/plain"],
                                                     default="image/svg+xml")
        return Response(picture, 200, mimetype=chosen)
