"""API keys from the environment and from a mounted file, re-read when the file changes.

Keys are kept only as SHA-256 digests and a presented token is compared with every one of them
by hmac.compare_digest: the time taken does not depend on how much of a key a guess got right,
nor on which key matched.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading

# Shorter keys are guessable; refuse them rather than run with them.
MIN_LENGTH = 16


class ApiKeyError(ValueError):
    """A key source that cannot be used (unreadable file, key too short or with spaces)."""


def parse_keys(text: str, source: str) -> list[str]:
    """Keys one a line (or comma-separated); blank lines and # comments ignored."""
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0]
        for key in (part.strip() for part in line.split(",")):
            if not key:
                continue
            if len(key) < MIN_LENGTH or any(c.isspace() or not c.isprintable() for c in key):
                raise ApiKeyError(f"{source}, line {number}: an API key must be at least "
                                  f"{MIN_LENGTH} printable characters without spaces")
            keys.append(key)
    return keys


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


class KeyRing:
    """The accepted keys: those of API_KEYS plus those of API_KEYS_FILE, reloaded when the
    file's identity (inode, size, modification time) changes, so keys rotate without a
    restart. A file that cannot be read keeps the keys read last (and says so in the log)."""

    def __init__(self, keys_text: str | None, path: str | None,
                 logger: logging.Logger | None = None):
        self.logger = logger or logging.getLogger("service")
        self.path = path
        self._fixed = [_digest(k) for k in parse_keys(keys_text or "", "API_KEYS")]
        self._from_file: list[bytes] = []
        self._stamp = None
        self._lock = threading.Lock()
        if path:
            try:
                self._reload(self._identity())
            except (OSError, ApiKeyError) as error:
                raise ApiKeyError(f"API_KEYS_FILE={path!r}: {error}") from None

    @property
    def enabled(self) -> bool:
        """Keys are required when either source is configured."""
        return bool(self._fixed) or self.path is not None

    def _identity(self):
        stat = os.stat(self.path)  # follows the symlinks a Kubernetes Secret volume swaps
        return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_dev

    def _reload(self, stamp) -> None:
        with open(self.path, encoding="utf-8") as handle:
            keys = parse_keys(handle.read(), self.path)
        self._from_file = [_digest(k) for k in keys]
        self._stamp = stamp

    def refresh(self) -> None:
        """Re-read the file if it changed since the last read."""
        if not self.path:
            return
        try:
            stamp = self._identity()
            if stamp == self._stamp:
                return
            with self._lock:
                if stamp != self._stamp:
                    self._reload(stamp)
                    self.logger.info("API keys reloaded from %s: %d key(s)", self.path,
                                     len(self._from_file))
        except (OSError, ApiKeyError) as error:
            self.logger.error("API keys file %s not reloaded, keeping %d key(s): %s",
                              self.path, len(self._from_file), error)

    def accepts(self, token: str) -> bool:
        """Whether the token is one of the keys, compared in constant time with every key."""
        self.refresh()
        presented = _digest(token)
        matched = False
        for key in self._fixed + self._from_file:
            matched |= hmac.compare_digest(presented, key)
        return matched
