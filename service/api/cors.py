"""CORS for portals (flask-cors): off unless CORS_ORIGINS names the browser origins allowed."""
from __future__ import annotations

import re

from flask import Flask, request
from flask_cors import CORS

ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
# What a portal's script may send, and the response headers it may read.
ALLOWED_HEADERS = ["Content-Type", "Accept", "Authorization", "If-None-Match", "X-Request-ID"]
EXPOSED_HEADERS = ["ETag", "X-Cache", "X-Ruleset-Version", "X-Request-ID",
                   "Content-Disposition", "Retry-After", "WWW-Authenticate"]


def check_origins(origins: tuple[str, ...]) -> list[str]:
    """The origins, each `scheme://host[:port]` (no path, no trailing slash) or `*`."""
    for origin in origins:
        if origin != "*" and not ORIGIN.fullmatch(origin):
            raise ValueError(f"CORS_ORIGINS: {origin!r} is not an origin such as "
                             f"https://portal.example.com (scheme, host, optional port)")
    return list(origins)


def install(app: Flask, origins: tuple[str, ...]) -> None:
    """Answer preflights and add CORS headers on /v1/ for the configured origins only."""
    if not origins:
        return  # off: no Access-Control-* header is ever sent
    CORS(app, resources={r"/v1/*": {"origins": check_origins(origins)}},
         methods=["GET", "POST"], allow_headers=ALLOWED_HEADERS,
         expose_headers=EXPOSED_HEADERS, supports_credentials=False, max_age=600)

    @app.after_request
    def vary_on_origin(response):
        # flask-cors adds Vary: Origin only when several origins are configured, but answers
        # with and without Access-Control-Allow-Origin differ for one origin too, and they are
        # Cache-Control: public: a shared cache must keep them apart.
        if request.path.startswith("/v1/"):
            response.vary.add("Origin")
        return response
