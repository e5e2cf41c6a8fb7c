"""The response headers and header parameters the contract declares."""
from __future__ import annotations

CACHE_HEADERS = {
    "ETag": {"description": "Strong validator for this description, ruleset and API version: the "
                            "same description always gets the same one.",
             "required": True, "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=CACHE_TTL_SECONDS: the answer is "
                                     "deterministic for its ruleset version.",
                      "required": True, "schema": {"type": "string"}},
    "X-Cache": {"description": "hit (from the cache), miss (computed now) or revalidated (304).",
                "required": True,
                "schema": {"type": "string", "enum": ["hit", "miss", "revalidated"]}},
    "X-Ruleset-Version": {"description": "The ruleset that answered; it changes with the rules, "
                                         "and every ETag with it.",
                          "required": True, "schema": {"type": "string"}},
    "Vary": {"description": "Accept: the answer is JSON or Markdown by Accept.",
             "required": True, "schema": {"type": "string"}},
}

DOWNLOAD_HEADERS = {
    "Content-Disposition": {"description": "attachment, with a plain ASCII file name made from the "
                                           "cluster's (and the node's) name.",
                            "required": True, "schema": {"type": "string"}},
}

IF_NONE_MATCH = {
    "in": "header", "name": "If-None-Match", "required": False,
    "description": "ETags of copies the client holds: 304 when one is this description's "
                   "(weak comparison; * is not honoured, it would skip validation).",
    "schema": {"type": "string"},
}
