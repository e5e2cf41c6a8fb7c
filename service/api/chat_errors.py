"""Errors for chat bots: short Markdown when the client asks for text/markdown, else problem+json.

A bot posts what it gets; a problem+json body with a "1 field(s) invalid: /inventory:" prefix is
not a message a person should read in a channel.
"""
from __future__ import annotations

import json
import re

from flask import Response, request

from ..domain.render.chat import chat_text, code_span
from .problems import PROBLEM_JSON, TITLES

MARKDOWN = "text/markdown"
# The blueprints whose operations answer in Markdown, and so may answer errors in it.
CHAT_BLUEPRINTS = {"chatops"}
_POSITION = re.compile(r" at position (\d+)$")
HEADLINES = {
    414: "The question is too long",
    422: "I cannot answer that",
    503: "Too busy to answer in time",
}


def wants_markdown() -> bool:
    """The client prefers text/markdown to problem+json (a wildcard alone does not count)."""
    accept = request.accept_mimetypes
    return request.blueprint in CHAT_BLUEPRINTS and \
        accept.quality(MARKDOWN) > accept.quality(PROBLEM_JSON) and MARKDOWN in accept.values()


def _line(error: dict) -> list[str]:
    field = error["pointer"].lstrip("/") or "request"
    detail = error["detail"]
    found = _POSITION.search(detail)
    value = request.args.get(field) if field in ("inventory",) else None
    if found and value is not None and int(found.group(1)) < len(value) <= 80:
        # Point at the fault: what was read, then where it stops being readable (no code
        # fence: a bot may quote the answer inside one of its own).
        position = int(found.group(1))
        read = code_span(value[:position]) if position else "the start"
        return [f"- {code_span(field)}: {chat_text(detail)} ({read} ▸ "
                f"{code_span(value[position:position + 12])})"]
    return [f"- {code_span(field)}: {chat_text(detail)}"]


def as_markdown(problem: Response) -> Response:
    """A problem+json response as a few lines of Markdown, with the same status and headers."""
    body = json.loads(problem.get_data())
    status, detail, errors = body["status"], body["detail"], body.get("errors")
    lines = [f"**{HEADLINES.get(status, TITLES.get(status, 'Error'))}**", ""]
    if errors:
        for error in errors:
            lines += _line(error)
    else:
        lines.append(chat_text(detail))
    if status == 422 and request.blueprint == "chatops":
        lines += ["", "Example: `2x10G,1x1G` or `3x1G team(2,private)`; "
                      "units M, G, Mbps, Gbps, GbE."]
    response = Response("\n".join(lines) + "\n", status=status, mimetype=MARKDOWN)
    for key, value in problem.headers.items():
        if key.lower() not in ("content-type", "content-length"):
            response.headers[key] = value
    return response


def for_client(problem: Response) -> Response:
    """The problem as it is, or as Markdown for a chat client that asked for it (only the
    statuses the chat operations document in Markdown)."""
    return as_markdown(problem) if problem.status_code in HEADLINES and wants_markdown() \
        else problem
