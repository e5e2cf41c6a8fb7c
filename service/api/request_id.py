"""Request ids: the caller's X-Request-ID when it sends a valid one, else a new one; echoed in
the response, in problem bodies (`instance`) and in the logs."""
from __future__ import annotations

import logging
import re
import uuid
from urllib.parse import quote

from flask import g, has_request_context, request

HEADER = "X-Request-ID"
MAX_LENGTH = 128
# Visible ASCII only: an id goes into log lines and headers, where spaces, control characters
# or other bytes would split or forge them.
VALID = re.compile(rf"[\x21-\x7e]{{1,{MAX_LENGTH}}}")
INSTANCE_PREFIX = "urn:lmna:request:"
RULE = f"1 to {MAX_LENGTH} visible ASCII characters (no spaces)"


class InvalidRequestId(ValueError):
    """The X-Request-ID header a caller sent is not one this service can carry."""


def current() -> str | None:
    """This request's id (None outside a request, or before the id is assigned)."""
    return g.get("request_id") if has_request_context() else None


def instance() -> str | None:
    """The problem `instance` of this request: a URI naming this occurrence by its id."""
    request_id = current()
    return INSTANCE_PREFIX + quote(request_id, safe="") if request_id else None


def assign() -> None:
    """Take the caller's id or make one; a malformed one is refused (and a new id answers).
    Called first thing by edge.py's before-request hook."""
    sent = request.headers.get(HEADER)
    if sent is None:
        g.request_id = uuid.uuid4().hex
        return
    if VALID.fullmatch(sent):
        g.request_id = sent
        return
    g.request_id = uuid.uuid4().hex
    raise InvalidRequestId(f"The {HEADER} header must be {RULE}; it was "
                           f"{len(sent)} characters{_why(sent)}. This answer carries a new id.")


def _why(sent: str) -> str:
    if not sent:
        return ""
    if len(sent) > MAX_LENGTH:
        return ", too long"
    return ", with a space or a character outside visible ASCII"


def echo(response):
    """Send the id back, so a caller can quote it (edge.py's after-request hook)."""
    request_id = current()
    if request_id:
        response.headers[HEADER] = request_id
    return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record made while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current()
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True
