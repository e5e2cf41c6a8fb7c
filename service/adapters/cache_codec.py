"""The stored form of a cache entry: a format version and an HMAC-SHA256 over key and value.

Redis is outside the service: anything read from it is data, not trusted output. An entry is
served only if it carries this format's version and a valid signature made with this server's
key for this very cache key (so a valid entry cannot be copied under another key either).
"""
from __future__ import annotations

import hashlib
import hmac
import os

FORMAT = b"lmna-cache-1"
_SEP = b"\n"
_MAC_LENGTH = 64  # hex SHA-256


class InvalidEntry(ValueError):
    """A stored value that is not an entry of this format, or whose signature does not verify."""


# Used when no key is configured: entries then verify only in this process.
_PROCESS_KEY = os.urandom(32)


def signing_key(configured: str | None) -> bytes:
    """The configured key as bytes, or this process's random one."""
    return configured.encode("utf-8") if configured else _PROCESS_KEY


def _mac(secret: bytes, key: str, value: bytes) -> bytes:
    message = key.encode("utf-8", "surrogatepass") + b"\0" + value
    return hmac.new(secret, message, hashlib.sha256).hexdigest().encode("ascii")


def encode(secret: bytes, key: str, value: bytes) -> bytes:
    """The bytes to store under key: version, signature, value."""
    return FORMAT + _SEP + _mac(secret, key, value) + _SEP + value


def decode(secret: bytes, key: str, stored: bytes) -> bytes:
    """The value inside a stored entry; InvalidEntry when the format or signature is wrong."""
    if not isinstance(stored, (bytes, bytearray)):
        raise InvalidEntry("not a byte string")
    head, sep, rest = bytes(stored).partition(_SEP)
    if head != FORMAT or not sep:
        raise InvalidEntry("unknown format")
    mac, sep, value = rest.partition(_SEP)
    if not sep or len(mac) != _MAC_LENGTH or not hmac.compare_digest(mac, _mac(secret, key, value)):
        raise InvalidEntry("signature does not verify")
    return value
