"""X-Request-ID: honoured when valid, made when absent, refused when malformed; in every answer
and in problem bodies."""
from __future__ import annotations

import logging

import pytest

from service.api.request_id import RequestIdFilter


def test_a_sent_id_is_echoed_on_success_and_error(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"] == "abc-123"
    problem = client.post("/v1/evaluations", json={"nodes": []},
                          headers={"X-Request-ID": "trace/7:a"})
    assert problem.status_code == 422
    assert problem.headers["X-Request-ID"] == "trace/7:a"
    assert problem.get_json()["instance"] == "urn:lmna:request:trace%2F7%3Aa"


def test_an_id_is_made_when_none_is_sent(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0 and first != second


@pytest.mark.parametrize("sent", ["", "two words", "x" * 129, "tab\there", "é"])
def test_a_malformed_id_is_refused_naming_the_header(client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent.encode("utf-8").decode(
        "latin-1")})
    assert response.status_code == 400
    body = response.get_json()
    assert "X-Request-ID" in body["detail"] and "128" in body["detail"]
    assert response.headers["X-Request-ID"] != sent
    assert body["instance"].endswith(response.headers["X-Request-ID"])


def test_the_longest_id_is_accepted(client):
    assert client.get("/healthz", headers={"X-Request-ID": "y" * 128}).status_code == 200


def test_a_batch_items_problem_names_the_request(client):
    response = client.post("/v1/evaluations/batch", json={"items": [{"nodes": []}]},
                           headers={"X-Request-ID": "batch-1"})
    assert response.get_json()["results"][0]["problem"]["instance"] == "urn:lmna:request:batch-1"


def test_log_lines_written_in_a_request_carry_its_id(app):
    record = logging.LogRecord("service", logging.INFO, __file__, 1, "hello", None, None)
    with app.test_request_context(headers={"X-Request-ID": "log-9"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)
    assert record.request_id == "log-9"
