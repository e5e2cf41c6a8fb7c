"""The contract check on test clients catches undocumented answers (it is not a formality)."""
from __future__ import annotations

import json

import pytest
from flask import Flask, Response
from openapi_core.validation.response.exceptions import ResponseValidationError

from tests.support import spec_example


def impostor(status: int, body: bytes, content_type: str, **headers: str) -> Flask:
    """An app that answers every request on the evaluation path with one fixed response."""
    app = Flask("impostor")

    @app.route("/v1/evaluations", methods=["POST"])
    @app.route("/v1/nowhere", methods=["GET"])
    def answer():
        # The id every answer of the service carries (declared on every response).
        return Response(body, status, content_type=content_type,
                        headers={"X-Request-ID": "impostor-1", **headers})
    return app


def evaluation_missing(field: str) -> bytes:
    from service.app import create_app
    from service.config import Settings
    good = create_app(Settings()).test_client().post("/v1/evaluations", json=spec_example())
    body = good.get_json()
    del body[field]
    return json.dumps(body).encode()


@pytest.mark.parametrize("status, body, content_type", [
    (200, evaluation_missing("classification"), "application/json"),
    (200, b'{"mode": "design"}', "application/json"),
    (200, b"<html>ok</html>", "text/html"),
    # A problem sent as plain JSON, and flask-smorest's own error shape.
    (422, b'{"type": "t", "title": "t", "status": 422, "detail": "d"}', "application/json"),
    (422, b'{"code": 422, "status": "Unprocessable Entity"}', "application/problem+json"),
    (418, b"I'm a teapot", "text/plain"),
])
def test_undocumented_answers_fail_the_test(status, body, content_type):
    client = impostor(status, body, content_type).test_client()
    with pytest.raises(ResponseValidationError):
        client.post("/v1/evaluations", json=spec_example())


def test_an_unknown_path_may_answer_only_problem_details():
    client = impostor(200, b"{}", "application/json").test_client()
    with pytest.raises(AssertionError, match="answered 200"):
        client.get("/v1/nowhere")


def test_a_request_the_contract_refuses_may_not_succeed():
    good = evaluation_missing("name")  # any 200 body: the request is what is wrong here
    client = impostor(200, good, "application/json").test_client()
    with pytest.raises(AssertionError, match="refuses this request"):
        client.post("/v1/evaluations", json={"nodes": "not a list"})


def test_a_documented_answer_passes():
    problem = {"type": "t", "title": "Invalid", "status": 422, "detail": "d",
               "errors": [{"pointer": "/nodes", "detail": "Not a valid list."}]}
    client = impostor(422, json.dumps(problem).encode(), "application/problem+json").test_client()
    assert client.post("/v1/evaluations", json={"nodes": "x"}).status_code == 422
