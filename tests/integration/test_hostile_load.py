"""The attack review, replayed against a live gunicorn (deploy/gunicorn.conf.py) with nginx
(deploy/nginx) in front, bounded in time: the compute deadline, slow clients, health under
load, nginx's own errors as problem+json, chunked bodies."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.integration.live import NGINX, Gunicorn, Nginx
from tests.support import spec_example

pytestmark = pytest.mark.live
SLOW_APP = "tests.integration.slow_app:create_app()"
DEADLINE = 3  # seconds: REQUEST_DEADLINE_SECONDS for the servers here
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")


def request(url: str, body=None, timeout: float = 15, method: str | None = None):
    """(status, headers, body bytes); HTTP errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data, {"Content-Type": "application/json"}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def named(name: str) -> dict:
    body = spec_example()
    body["name"] = name
    return body


@pytest.fixture(scope="module")
def server():
    with Gunicorn(workers=2, app=SLOW_APP, REQUEST_DEADLINE_SECONDS=str(DEADLINE),
                  GRACEFUL_TIMEOUT="5", WORKER_TIMEOUT="30") as gunicorn:
        yield gunicorn


@pytest.fixture(scope="module")
def proxy(server, tmp_path_factory):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    with Nginx(f"127.0.0.1:{server.port}", tmp_path_factory.mktemp("nginx")) as nginx:
        yield nginx


def test_a_costly_request_is_a_503_problem_and_the_worker_survives(server):
    before = server.worker_pids()
    started = time.monotonic()
    status, headers, body = request(server.url + "/v1/evaluations", named("slow-60"), timeout=30)
    elapsed = time.monotonic() - started
    assert status == 503
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Retry-After"] == str(DEADLINE)
    assert json.loads(body)["status"] == 503
    assert elapsed < DEADLINE + 10  # ended by the deadline, not by the 30 s worker timeout
    assert server.worker_pids() == before  # no worker was killed
    assert request(server.url + "/v1/evaluations", named("fast"))[0] == 200


def test_a_costly_batch_returns_what_it_finished(server):
    items = [named("a"), named("b"), named("slow-60"), named("c")]
    status, _, body = request(server.url + "/v1/evaluations/batch", {"items": items}, timeout=30)
    assert status == 200
    results = json.loads(body)["results"]
    assert [r["status"] for r in results] == [200, 200, 503, 503]
    assert results[1]["evaluation"]["name"] == "b"
    assert results[3]["problem"]["status"] == 503


def _hold(url: str, name: str, done: list) -> threading.Thread:
    thread = threading.Thread(target=lambda: done.append(
        request(url + "/v1/evaluations", named(name), timeout=30)[0]))
    thread.start()
    return thread


def test_readiness_says_saturated_and_liveness_answers_from_the_socket(server):
    assert request(server.url + "/readyz")[0] == 200
    done: list = []
    holder = _hold(server.url, f"slow-{DEADLINE + 5}", done)
    # Readiness fails once the other worker has been held by one request for over a second.
    statuses = []
    for _ in range(12):
        time.sleep(0.15)
        status, headers, body = request(server.url + "/readyz", timeout=10)
        statuses.append(status)
        if status == 503:
            break
    assert statuses[0] == 200 and statuses[-1] == 503, statuses
    assert headers["Content-Type"] == "application/problem+json"
    # Both workers busy: an HTTP probe would queue; the TCP probe is answered by the kernel
    # from gunicorn's listening socket at once.
    second = _hold(server.url, f"slow-{DEADLINE + 5}", done)
    time.sleep(0.5)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass
    assert time.monotonic() - started < 1
    holder.join(30)
    second.join(30)
    assert done == [503, 503]  # both stopped by the deadline
    assert request(server.url + "/readyz")[0] == 200


def _idle_and_trickling(port: int, count: int) -> list[socket.socket]:
    """Connections that send nothing, half their headers, or their headers and part of the body,
    and then nothing."""
    starts = [b"", b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n",
              b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 500\r\n\r\n{\"nodes\": ["]
    sockets = []
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if starts[i % 3]:
            s.sendall(starts[i % 3])
        sockets.append(s)
    return sockets


def _healthz_within(url: str, seconds: float) -> bool:
    try:
        return request(url + "/healthz", timeout=seconds)[0] == 200
    except OSError:
        return False


@needs_nginx
def test_slow_clients_hold_workers_without_a_proxy_but_not_behind_nginx(server, proxy):
    # Without the proxy (the attack as measured): as many slow sockets as workers starve health.
    held = _idle_and_trickling(server.port, 2)
    try:
        time.sleep(0.3)
        assert not _healthz_within(server.url, 2)
    finally:
        for s in held:
            s.close()
    # Behind nginx: four times as many slow sockets as workers, and the service still answers.
    held = _idle_and_trickling(proxy.port, 8)
    try:
        time.sleep(0.3)
        assert _healthz_within(proxy.url, 5)
        status, _, body = request(proxy.url + "/v1/evaluations", spec_example(), timeout=10)
        assert status == 200 and json.loads(body)["classification"] == "supported"
    finally:
        for s in held:
            s.close()


@needs_nginx
def test_what_nginx_answers_itself_is_problem_json(proxy):
    cases = [
        ("GET", "/v1/reference-configurations?" + "x" * 9000, {}, 414),
        ("GET", "/healthz", {"X-Big": "y" * 9000}, 431),
        ("GET", "/_problems/400", {}, 404),  # nginx's internal error locations stay internal
    ]
    for method, path, headers, expected in cases:
        headers = {**headers, "X-Request-ID": f"nginx-{expected}"}
        req = urllib.request.Request(proxy.url + path, headers=headers, method=method)
        try:
            urllib.request.urlopen(req, timeout=5)
            raise AssertionError(f"{path[:30]} was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == expected
            assert error.headers["Content-Type"] == "application/problem+json"
            assert json.loads(error.read())["status"] == expected
            assert error.headers["X-Content-Type-Options"] == "nosniff"
            if expected in (414, 431):  # nginx could not read the headers: an id of its own
                assert len(error.headers["X-Request-ID"]) == 32
            else:
                assert error.headers["X-Request-ID"] == f"nginx-{expected}"
    # Without an id, nginx makes one, and the app answers with it.
    with urllib.request.urlopen(proxy.url + "/healthz", timeout=5) as response:
        made = response.headers.get_all("X-Request-ID")
        assert len(made) == 1 and len(made[0]) == 32
    big = b'{"nodes": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    req = urllib.request.Request(proxy.url + "/v1/evaluations", big,
                                 {"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req, timeout=10)
    assert caught.value.code == 413
    assert caught.value.headers["Content-Type"] == "application/problem+json"


def _chunked(port: int, body: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        head = (b"POST /v1/evaluations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096])
                          for i in range(0, len(body), 4096))
        s.sendall(head + chunks + b"0\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def test_a_chunked_body_over_the_limit_is_413(server):
    big = json.dumps(named("x" * (1024 * 1024 + 10))).encode()
    assert _chunked(server.port, big).startswith(b"HTTP/1.1 413")
    small = json.dumps(named("chunked")).encode()
    assert _chunked(server.port, small).startswith(b"HTTP/1.1 200")


def test_deep_nesting_through_gunicorn_is_never_a_5xx(server):
    for depth in (969, 970, 971, 972):
        nested = "[" * depth + "]" * depth
        req = urllib.request.Request(server.url + "/v1/evaluations", nested.encode(),
                                     {"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code in (400, 422), (depth, error.code)
