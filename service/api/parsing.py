"""Strict JSON request bodies: parsed once, NaN, Infinity and overflowing numbers refused."""
from __future__ import annotations

import json
import math

from flask import current_app, g, request
from flask_smorest import Blueprint as SmorestBlueprint, abort
from webargs.flaskparser import FlaskParser


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} overflows")
    return value


def loads_strict(data: bytes):
    """json.loads that refuses what strict JSON parsers refuse (NaN, Infinity, 1e999)."""
    return json.loads(data, parse_constant=_no_constants, parse_float=_finite_float)


def is_json_mimetype(mimetype: str) -> bool:
    # Only plain JSON: a +json type (merge-patch, problem) means something else.
    return mimetype == "application/json"


def _body() -> bytes:
    """The raw body, refused with 413 past MAX_CONTENT_LENGTH whether or not it is chunked."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        return request.get_data(cache=True)  # a declared length: 413 before anything is read
    # A chunked body: Werkzeug's limited stream stops at the limit without saying the body was
    # longer, and the truncated JSON would be a 400. Read one byte more to know.
    raw = request.environ["wsgi.input"].read(limit + 1)
    if len(raw) > limit:
        abort(413, message=f"The body is larger than {limit} bytes.")
    return raw


def raw_json_body() -> bytes:
    """The request's body as sent, once it is known to be JSON (415 otherwise) and within the
    size limit (413)."""
    if "raw_body" not in g:
        if not is_json_mimetype(request.mimetype):
            abort(415, message=f"Send the description as application/json, not "
                               f"{request.mimetype or 'no content type'}.")
        g.raw_body = _body()  # read once: a chunked body cannot be read again
    return g.raw_body


def json_body():
    """The request's JSON body, parsed once per request; aborts with 415 or 400 as it must."""
    if "json_body" in g:
        return g.json_body
    raw = raw_json_body()
    try:
        g.json_body = loads_strict(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        abort(400, message=f"The body is not valid JSON: {str(error)[:200]}")
    return g.json_body


class StrictParser(FlaskParser):
    """webargs parser that reads the body through `json_body`, and query strings by their
    schema's own `unknown` (RAISE: an unknown parameter is a 422, not ignored)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None,
                                   "querystring": None}

    def _raw_load_json(self, req):
        return json_body()


class Blueprint(SmorestBlueprint):
    """flask-smorest Blueprint with the strict parser."""

    ARGUMENTS_PARSER = StrictParser()
