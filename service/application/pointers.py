"""Domain paths and marshmallow's nested messages as JSON pointers (RFC 6901) into a body."""
from __future__ import annotations

from collections.abc import Iterable


def json_pointer(path: Iterable[object]) -> str:
    """A domain path (keys and indices) as a JSON pointer (RFC 6901); "" for the body itself."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def flatten(messages, prefix: str = "") -> list[dict]:
    """marshmallow's nested error dict as a list of {pointer, detail}, one per message; the
    pointers are JSON pointers (RFC 6901) into the body, "" for the body itself."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                out.extend(flatten(value, prefix))
            else:
                out.extend(flatten(value, f"{prefix}/{key}"))
    elif isinstance(messages, list):
        for item in messages:
            if isinstance(item, (dict, list)):
                out.extend(flatten(item, prefix))
            else:
                out.append({"pointer": prefix, "detail": str(item)})
    else:
        out.append({"pointer": prefix, "detail": str(messages)})
    return out
