"""Request ids through the real server: echoed, in problem bodies, and in the JSON access log."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.integration.live import Gunicorn, wait_for

pytestmark = pytest.mark.live


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _access_lines(log) -> list[dict]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("name") == "gunicorn.access"]


def test_request_ids_reach_the_response_the_problem_and_the_access_log(tmp_path):
    log = tmp_path / "gunicorn.log"
    with Gunicorn(workers=1, log=log) as server:
        status, headers, _ = _get(server.url + "/healthz", **{"X-Request-ID": "deploy-42"})
        assert status == 200 and headers["X-Request-ID"] == "deploy-42"
        # No version banner: gunicorn names itself only, and the app adds nothing.
        assert not any(c.isdigit() for c in headers.get("Server", ""))
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, body = _get(server.url + "/v1/nowhere")
        made = headers["X-Request-ID"]
        assert status == 404 and len(made) == 32
        assert json.loads(body)["instance"] == f"urn:lmna:request:{made}"
        status, headers, body = _get(server.url + "/healthz", **{"X-Request-ID": "x" * 129})
        assert status == 400 and "X-Request-ID" in json.loads(body)["detail"]
        assert wait_for(lambda: len(_access_lines(log)) >= 3, 10)
    lines = _access_lines(log)
    ours = {line["request_id"]: line for line in lines}
    assert ours["deploy-42"]["path"] == "/healthz" and ours["deploy-42"]["status"] == 200
    assert ours[made]["status"] == 404 and ours[made]["method"] == "GET"
    assert isinstance(ours[made]["duration_ms"], int) and ours[made]["level"] == "INFO"
