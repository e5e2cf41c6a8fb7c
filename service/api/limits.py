"""Request limits checked by the app itself, so that their answers are problem+json."""
from __future__ import annotations

from flask_smorest import abort


def check_query_length(query_string: bytes, limit: int) -> None:
    """Refuse a query string longer than MAX_QUERY_BYTES (414) before any view runs.

    gunicorn's own request-line check answers in text/html; deploy/gunicorn.conf.py lifts it so
    that this one, documented in the contract, decides.
    """
    length = len(query_string)
    if length > limit:
        abort(414, message=f"The query string has {length} bytes; at most {limit} are read.")
