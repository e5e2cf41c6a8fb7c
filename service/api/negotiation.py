"""Which representation of an evaluation a client gets: JSON, or the short Markdown answer.

`?format=` decides for clients that cannot set headers; otherwise Accept does (JSON when it
prefers neither). The choice is made once a request, before the cache is read, because the
cache key and the ETag depend on it.
"""
from __future__ import annotations

from flask import g, request
from marshmallow import fields, validate

from .query import QuerySchema, load_query

FORMATS = {"json": "application/json", "markdown": "text/markdown"}
MARKDOWN_ANSWER = {"content": {"text/markdown; charset=utf-8": {"schema": {
    "type": "string",
    "description": "The short Markdown answer (as POST /v1/evaluations/markdown sends it)."}}}}


FORMAT_HELP = ("json or markdown: the representation, for clients that cannot set Accept. "
               "Without it, Accept decides (text/markdown or application/json; JSON when it "
               "prefers neither).")
# The operation's parameters are listed by hand (If-None-Match is one), so this one is too.
FORMAT_PARAMETER = {"in": "query", "name": "format", "required": False,
                    "description": FORMAT_HELP,
                    "schema": {"type": "string", "enum": list(FORMATS)}}


class RepresentationQuerySchema(QuerySchema):
    format = fields.String(validate=validate.OneOf(tuple(FORMATS)),
                           metadata={"description": FORMAT_HELP})


_QUERY = RepresentationQuerySchema()


def representation() -> str:
    """'json' or 'markdown' for this request (a 422 for a bad or unknown query parameter)."""
    if "representation" not in g:
        # No query string and no Accept (most API clients): JSON, without parsing either.
        chosen = load_query(_QUERY).get("format") if request.query_string else None
        if chosen is None and "Accept" in request.headers:
            accept = request.accept_mimetypes
            prefers_markdown = accept.quality("text/markdown") > accept.quality("application/json")
            chosen = "markdown" if prefers_markdown and "text/markdown" in accept.values() \
                else "json"
        g.representation = chosen or "json"
    return g.representation
