"""API keys through the real server: every worker refuses a request without a key, accepts one
with a key, and follows a rotation of the mounted key file without a restart."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import pytest

from tests.integration.live import Gunicorn

pytestmark = pytest.mark.live

OLD, NEW = "old-key-0123456789abcdef", "new-key-0123456789abcdef"
BODY = json.dumps({"nodes": [{"name": "hv01", "adapters": [
    {"name": "NIC1", "speed_mbps": 1000}, {"name": "NIC2", "speed_mbps": 1000}]}]}).encode()


def _status(url: str, key: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url + "/v1/evaluations", data=BODY, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_keys_are_required_and_rotate_on_every_worker(tmp_path):
    keys = tmp_path / "api-keys"
    keys.write_text(OLD + "\n")
    with Gunicorn(workers=2, API_KEYS_FILE=str(keys)) as server:
        status, headers = _status(server.url)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        # Several requests, so that both workers answer some (each keeps its own copy).
        assert {_status(server.url, OLD)[0] for _ in range(6)} == {200}
        with urllib.request.urlopen(server.url + "/readyz", timeout=10) as response:
            assert response.status == 200  # probes need no key
        # Rotate as a Kubernetes Secret volume does: a new file swapped in under the name.
        staged = tmp_path / "api-keys.new"
        staged.write_text(NEW + "\n")
        os.replace(staged, keys)
        assert {_status(server.url, NEW)[0] for _ in range(6)} == {200}
        assert {_status(server.url, OLD)[0] for _ in range(6)} == {401}
