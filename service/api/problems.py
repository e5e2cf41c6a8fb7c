"""RFC 9457 problem details: every error the service sends is application/problem+json."""
from __future__ import annotations

import json

import marshmallow as ma
from flask import Response
from marshmallow import fields
from werkzeug.exceptions import HTTPException

from ..application.pointers import flatten
from . import request_id

PROBLEM_JSON = "application/problem+json"
# The documented error body, registered as a component by the app factory.
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
TYPE_BASE = "https://lm-network-advisor.example/problems/"

TITLES = {
    400: "Malformed request",
    401: "API key required",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request body too large",
    414: "Query string too long",
    415: "Unsupported media type",
    422: "Invalid cluster description",
    500: "Internal error",
    503: "Service unavailable",
}


class FieldErrorSchema(ma.Schema):
    """One invalid field."""

    pointer = fields.String(required=True, metadata={
        "description": "JSON pointer (RFC 6901) to the field; \"\" for the body itself."})
    detail = fields.String(required=True)


class ProblemSchema(ma.Schema):
    """Problem details (RFC 9457): the body of every error, and a batch item's problem."""

    type = fields.String(required=True, metadata={"description": "A URI naming the problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(required=True)
    instance = fields.String(metadata={
        "description": "This occurrence: urn:lmna:request: and the request's X-Request-ID "
                       "(percent-encoded), as the response header and the logs carry it."})
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "Each invalid field (422, and 414's query); absent otherwise."})


def problem_body(status: int, detail: str, errors: list[dict] | None = None) -> dict:
    """The problem details object (also a batch item's problem)."""
    body = {
        "type": TYPE_BASE + str(status),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    occurrence = request_id.instance()
    if occurrence:
        body["instance"] = occurrence
    if errors:
        body["errors"] = errors
    return body


def invalid_fields_detail(errors: list[dict]) -> str:
    """A one-line summary of field errors for the detail member."""
    return f"{len(errors)} field(s) invalid: " + "; ".join(
        f"{e['pointer'] or '(body)'}: {e['detail']}" for e in errors[:5])


def problem(status: int, detail: str, errors: list[dict] | None = None,
            headers: dict | None = None) -> Response:
    """A problem+json response."""
    body = problem_body(status, detail, errors)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def from_http_exception(error: HTTPException) -> Response:
    """Turn any Werkzeug/flask-smorest HTTP error into a problem, keeping Werkzeug's headers
    (a 405's Allow, for one)."""
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    messages = data.get("messages") or data.get("errors")
    errors = None
    if isinstance(messages, list) and all(isinstance(m, dict) and "pointer" in m for m in messages):
        errors = messages  # already {pointer, detail}
    elif messages:
        # webargs files body errors under the location ("json"); the pointer is into the body.
        if isinstance(messages, dict) and set(messages) <= {"json", "query", "querystring", "form"}:
            messages = {k: v for loc in messages.values() for k, v in
                        (loc.items() if isinstance(loc, dict) else [("_schema", loc)])}
        errors = flatten(messages)
    status = error.code or 500
    detail = data.get("message") or error.description or TITLES.get(status, "Error")
    if status == 422 and errors:
        detail = invalid_fields_detail(errors)
    return problem(status, detail, errors, headers)
