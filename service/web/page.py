"""The page at `/`: describe the adapters or type the one-line form, see the answer, download.

Server-rendered with Flask's Jinja templates; no JavaScript, and nothing loaded from outside
the service (the style and the pictures are inline). It evaluates through service.application.usecases, the
same validation and rules as the API: the 2008 R2 guide by default, Windows Server 2016 and later
when the adapter table chooses it or a JSON description names `"ruleset": "ws2016"`.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import marshmallow as ma
from flask import Response, render_template, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate
from werkzeug.exceptions import HTTPException

from ..api.chat_errors import for_client
from ..api.contract import NamedEnum, problems
from ..api.parsing import Blueprint
from ..api.problems import from_http_exception
from ..api.query import QuerySchema
from ..api.service import counted
from ..application import usecases
from ..domain.render.formats import RENDERERS
from ..domain.shorthand import GRAMMAR
from . import adapters_form, view_ws2016
from .view import description_text, page_model

blp = Blueprint("page", __name__, url_prefix="", template_folder="templates",
                description="A web page for people: the form, the answer, the downloads.")

HTML = "text/html; charset=utf-8"


def _style_hash() -> str:
    """The CSP source of the template's one <style> element (it holds no template code)."""
    template = (Path(__file__).parent / "templates" / "page.html").read_text(encoding="utf-8")
    found = re.search(r"<style>(.*?)</style>", template, re.S)
    if found is None:
        raise RuntimeError("page.html has no <style> element to hash")
    style = found.group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


# Strict: nothing but the page's own style element (by its hash, not 'unsafe-inline'), inline
# pictures, and forms posted back to this service. No script runs on the page.
PAGE_CSP = (f"default-src 'none'; style-src {_style_hash()}; img-src data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HTML_PAGE = {"content": {HTML: {"schema": {"type": "string", "description": "The page."}}}}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
EXAMPLE = """{
  "name": "hv-prod-01",
  "nodes": [{"name": "hv01", "management_ip": "10.0.0.11",
    "adapters": [{"name": "NIC1", "speed_mbps": 1000},
                 {"name": "NIC2", "speed_mbps": 1000, "team": "T1"},
                 {"name": "NIC3", "speed_mbps": 1000, "team": "T1"}],
    "teams": [{"name": "T1", "mode": "link_aggregation", "network": "private"}]}]
}"""
# The page's buttons: the QoS documents and the picture first, then the other renderings in
# the table's order, the JSON evaluation last.
_FIRST = ("powershell", "gpedit", "reg", "svg")
DOWNLOADS = {  # format: (label, media type, file suffix)
    **{f: (RENDERERS[f].label, RENDERERS[f].media_type, RENDERERS[f].suffix)
       for f in sorted(RENDERERS, key=lambda f: _FIRST.index(f) if f in _FIRST else len(_FIRST))},
    "json": ("Evaluation (JSON)", "application/json", ".json"),
}
# What a ws2016 answer offers (no .reg or gpedit: they set QoS throttles a SET host does not
# take, WS408); its script and picture are a node's host networking, and named so.
WS2016_DOWNLOADS = {
    "markdown": DOWNLOADS["markdown"],
    "svg": ("Host networking picture (SVG)", "image/svg+xml", "-host-networking.svg"),
    "json": DOWNLOADS["json"],
    "powershell": ("PowerShell script (host networking)", "text/plain", "-host-networking.ps1"),
}


# The media types as sent: Werkzeug adds the charset to text and SVG, not to JSON.
SENT_TYPES = ("application/json", "image/svg+xml; charset=utf-8", "text/markdown; charset=utf-8",
              "text/plain; charset=utf-8")


class PageQuerySchema(QuerySchema):
    inventory = fields.String(validate=validate.Length(1, 500), metadata={
        "description": "A one-line inventory to evaluate at once (a link a chat can share)."})
    nodes = fields.Integer(validate=validate.Range(1, 64), metadata={
        "description": "How many identical nodes the inventory stands for (default 1)."})


PageFormSchema = ma.Schema.from_dict({
    "inventory": fields.String(validate=validate.Length(max=500), metadata={
        "description": "One node's adapters in the one-line form, e.g. `2x10G,1x1G`."}),
    "nodes": fields.Integer(validate=validate.Range(1, 64), metadata={
        "description": "How many identical nodes the inventory stands for (default 1)."}),
    "description": fields.String(validate=validate.Length(max=1_000_000), metadata={
        "description": "A cluster description: the JSON body of POST /v1/evaluations."}),
    **adapters_form.form_fields(),
}, name="PageFormSchema")


class DownloadFormSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    description = fields.String(required=True, validate=validate.Length(1, 1_000_000), metadata={
        "description": "A cluster description: the JSON body of POST /v1/evaluations."})
    format = NamedEnum("DocumentFormat", tuple(DOWNLOADS), required=True, metadata={
        "description": "The rendering to download."})
    node = fields.String(metadata={"description": "Only this node (reg needs it when the "
                                                  "cluster has several nodes)."})


def _form_only() -> None:
    # An empty body with no type is an empty form (then a 422 names what is missing).
    if request.mimetype not in FORM_TYPES and (request.mimetype or request.content_length):
        abort(415, message=f"Send the form as application/x-www-form-urlencoded, not "
                           f"{request.mimetype or 'no content type'}.")


def _model(result: usecases.Answer, description: str | None) -> dict:
    """The result part of the page, by the ruleset that answered."""
    text = description or description_text(result)
    if result.ws2016 is not None:
        return view_ws2016.page_model(result, text)
    return page_model(result, text)


def _page(status: int = 200, result=None, errors=None, values=None,
          description: str | None = None) -> Response:
    model = _model(result, description) if result else None
    html = render_template("page.html", result=model,
                           errors=errors or [], values=values or {}, example=EXAMPLE,
                           grammar=GRAMMAR, downloads=DOWNLOADS, ws2016_downloads=WS2016_DOWNLOADS,
                           rdma=tuple(adapters_form.RDMA), rdma_kinds=adapters_form.RDMA_KINDS,
                           os_versions=adapters_form.OS_VERSIONS,
                           interconnects=adapters_form.INTERCONNECTS,
                           cluster_checkboxes=adapters_form.CLUSTER_CHECKBOXES,
                           adapter_rows=range(1, adapters_form.ADAPTER_ROWS + 1),
                           team_rows=range(1, adapters_form.TEAM_ROWS + 1))
    response = Response(html, status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


def _load(form: dict):
    """The description the form gives: the one-line form, the adapter table or the JSON,
    exactly one of them; a fault is named by the form field it is about."""
    inventory = (form.get("inventory") or "").strip()
    description = (form.get("description") or "").strip()
    table = adapters_form.used(form)
    if [bool(inventory), bool(description), table].count(True) != 1:
        abort(422, errors=[{"pointer": "/inventory", "detail": "give one of the three: a "
                            "one-line inventory, the adapter table or a JSON description"}])
    if form.get("nodes") is not None and not inventory:
        abort(422, errors=[{"pointer": "/nodes", "detail": "nodes goes with a one-line "
                            "inventory (the adapter table has its own count)"}])
    if form.get("ruleset") is not None and not table:
        abort(422, errors=[{"pointer": "/ruleset", "detail": "the ruleset choice goes with the "
                            "adapter table (a JSON description names its own \"ruleset\")"}])
    try:
        if inventory:
            return usecases.load_inventory(inventory, form.get("nodes") or 1), None
        if table:
            payload, origin = adapters_form.to_description(form)
            try:
                return usecases.load_description(payload), json.dumps(payload)
            except usecases.InvalidInput as error:
                # Every node is the same row of the table: name each fault once.
                named = {(adapters_form.form_pointer(e["pointer"], origin), e["detail"])
                         for e in error.errors}
                abort(422, errors=[{"pointer": p, "detail": d} for p, d in sorted(named)])
        return usecases.load_description(usecases.parse_json(description)), description
    except usecases.InvalidInput as error:
        if inventory:  # its pointers are the form's own fields
            abort(422, errors=error.errors)
        abort(422, errors=[{"pointer": "/description" + e["pointer"], "detail": e["detail"]}
                           for e in error.errors])


def wants_html() -> bool:
    """A browser (it prefers text/html to problem+json)."""
    accept = request.accept_mimetypes
    return accept.quality("text/html") > accept.quality("application/problem+json") \
        and "text/html" in accept.values()


def _answer(cluster) -> usecases.Answer:
    """Evaluate through the use case, counted in the metrics like every evaluation."""
    result = usecases.answer(cluster)
    counted(result.evaluation)
    return result


@blp.errorhandler(422)
def invalid(error: HTTPException):
    """A browser gets the page again, its entries kept and each fault named; others problem+json."""
    problem = from_http_exception(error)
    if not wants_html() or request.endpoint == "page.Download":
        return for_client(problem)
    body = problem.get_json()
    values = {**request.args.to_dict(), **request.form.to_dict()}
    return _page(422, errors=body.get("errors") or [{"pointer": "", "detail": body["detail"]}],
                 values=values)


@blp.route("/")
class Page(MethodView):
    @blp.doc(operationId="showPage", summary="The web page (HTML)",
             description="A form to describe a cluster (JSON) or type the one-line inventory. "
                         "With `inventory` in the query, the answer is shown at once. Invalid "
                         "input: the page again with each fault named (422), for a browser; "
                         "problem+json for other clients.",
             responses={200: HTML_PAGE, 422: HTML_PAGE})
    @problems(blp, 422)
    @blp.response(200, description="The page.")
    @blp.arguments(PageQuerySchema(), location="query", as_kwargs=True)
    def get(self, inventory=None, nodes=None):
        if inventory is None:
            if nodes is not None:
                abort(422, errors=[{"pointer": "/nodes", "detail": "give an inventory too"}])
            return _page(values={"nodes": 1})
        cluster, _ = _load({"inventory": inventory, "nodes": nodes})
        return _page(result=_answer(cluster),
                     values={"inventory": inventory, "nodes": nodes or 1})

    @blp.doc(operationId="evaluateInPage", summary="Evaluate the form and show the answer (HTML)",
             description="The form's one-line inventory, adapter table or JSON description "
                         "(exactly one of them), "
                         "evaluated as POST /v1/evaluations does: the classification, the layout "
                         "picture, the findings, the plans, the QoS policies and download "
                         "buttons; for the Windows Server 2016 and later ruleset (`ruleset` "
                         "`ws2016` with the table, or in the JSON), the live migration settings, "
                         "DCB and each layout's switches, host vNICs and storage adapters instead "
                         "of plans and QoS policies. Invalid input: the page again with each "
                         "fault named (422).",
             responses={200: HTML_PAGE, 422: HTML_PAGE})
    @problems(blp, 400, 413, 415, 422)
    @blp.response(200, description="The answer, as a page.")
    @blp.arguments(PageFormSchema(), location="form")
    def post(self, form):
        _form_only()
        cluster, description = _load(form)
        # A description goes back to the download buttons as it was given (it loaded cleanly).
        return _page(result=_answer(cluster), values=form, description=description)


@blp.route("/download")
class Download(MethodView):
    @blp.doc(operationId="downloadDocument", summary="Download a rendering of a description",
             description="The page's download buttons: the description (JSON text) rendered as "
                         "a PowerShell script, gpedit.msc steps, a .reg file, the layout "
                         "picture, the short Markdown answer or the JSON evaluation, as an "
                         "attachment. A ws2016 description: the Markdown answer, a node's SVG "
                         "picture, a node's PowerShell script or the JSON (reg and gpedit: 422 "
                         "naming /description/ruleset).",
             responses={200: {"content": {
                 sent: {"schema": {"$ref": "#/components/schemas/Evaluation"}
                        if sent == "application/json" else {"type": "string"}}
                 for sent in SENT_TYPES}}})
    @problems(blp, 400, 413, 415, 422)
    @blp.response(200, description="The document, as an attachment.",
                  headers={"Content-Disposition": {
                      "description": "attachment, with a plain ASCII file name.",
                      "required": True, "schema": {"type": "string"}}})
    @blp.arguments(DownloadFormSchema(), location="form", as_kwargs=True)
    def post(self, description, format, node=None):
        _form_only()
        try:
            result = _answer(usecases.load_description(usecases.parse_json(description)))
            text = usecases.render(result, format, node)
        except usecases.InvalidInput as error:
            abort(422, errors=[{"pointer": e["pointer"] if e["pointer"] == "/node"
                                else "/description" + e["pointer"], "detail": e["detail"]}
                               for e in error.errors])
        _, media, suffix = (WS2016_DOWNLOADS if result.ws2016 is not None else DOWNLOADS)[format]
        name = (result.cluster.name or "cluster") + (f"-{node}" if node else "") + suffix
        safe = re.sub(r"[^A-Za-z0-9._]+", "-", name).strip("-") or "document"
        response = Response(text, 200, mimetype=media)
        response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
        return response
