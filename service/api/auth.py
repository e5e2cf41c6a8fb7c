"""Optional API keys: `Authorization: Bearer <key>` on every path but the exempt ones."""
from __future__ import annotations

from flask import Flask, request

from ..adapters.api_keys import KeyRing
from ..config import Settings
from .problems import problem

REALM = "lm-network-advisor"
# Probes and scrapers carry no key: health, readiness and metrics stay open unless configured.
DEFAULT_EXEMPT = Settings.api_key_exempt_paths


def is_exempt(path: str, exempt: tuple[str, ...]) -> bool:
    """An exempt path: listed exactly, or under an entry that ends in `*`."""
    return any(path.startswith(entry[:-1]) if entry.endswith("*") else path == entry
               for entry in exempt)


def _refused(detail: str, error: str | None):
    challenge = f'Bearer realm="{REALM}"' + (f', error="{error}"' if error else "")
    return problem(401, detail, headers={"WWW-Authenticate": challenge})


def install(app: Flask, keys: KeyRing, exempt: tuple[str, ...]) -> None:
    """Require a key on every request but CORS preflights and the exempt paths (keys on)."""
    if not keys.enabled:
        return

    def require_key():
        # A CORS preflight never carries credentials; the request that follows it must.
        if request.method == "OPTIONS" or is_exempt(request.path, exempt):
            return None
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _refused("This service needs an API key: send Authorization: Bearer <key>.",
                            None)
        if not keys.accepts(token.strip()):
            return _refused("The API key is not valid (it may have been rotated out).",
                            "invalid_token")
        return None

    # After edge.py's hook (registered first): a refused request is timed, counted and carries
    # its request id, and costs no other work.
    app.before_request(require_key)
