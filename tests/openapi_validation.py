"""Every answer a test receives, checked against the committed contract with openapi-core."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from openapi_core.deserializing.media_types.util import plain_loads
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.validation.request.exceptions import RequestValidationError
from werkzeug.wrappers import Request, Response

DOCUMENT = Path(__file__).parents[1] / "openapi" / "openapi.json"
PROBLEM_JSON = "application/problem+json"
# evaluateBatch takes any item and answers an invalid one with its own problem (status 200):
# the contract types items as Cluster, which is what clients should send.
PER_ITEM = {("post", "/v1/evaluations/batch")}
# The contract itself and the page that shows it are not operations of the API.
NOT_OPERATIONS = ("/openapi.json", "/docs")


@lru_cache(maxsize=1)
def contract() -> OpenAPI:
    """The committed document, with problem+json read as JSON and the text documents as text
    (openapi-core reads only application/json and text/plain so)."""
    config = Config(extra_media_type_deserializers={
        PROBLEM_JSON: json.loads, "text/markdown": plain_loads, "image/svg+xml": plain_loads})
    return OpenAPI.from_file_path(str(DOCUMENT), config=config)


@lru_cache(maxsize=1)
def problem_validator() -> Draft202012Validator:
    """The Problem schema alone, for paths and methods the contract cannot name."""
    components = json.loads(DOCUMENT.read_text())["components"]
    return Draft202012Validator({"$ref": "#/components/schemas/Problem",
                                 "components": components})


class ContractResponse:
    """A Werkzeug response for openapi-core, with its full media type (charset included):
    the contract's media types carry it, and openapi-core matches them exactly first."""

    def __init__(self, response: Response):
        self.response = response

    @property
    def data(self) -> bytes:
        return self.response.get_data()

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.content_type or ""

    @property
    def headers(self):
        return self.response.headers


def replayed_request(response: Response) -> WerkzeugOpenAPIRequest:
    """The request as the app received it, with its body readable again."""
    environ = dict(response.request.environ)
    environ["wsgi.input"].seek(0)
    return WerkzeugOpenAPIRequest(Request(environ))


def check_exchange(response: Response) -> None:
    """Fail unless the answer is one the contract documents for this request."""
    request = replayed_request(response)
    if response.status_code < 400 and request.request.path.startswith(NOT_OPERATIONS):
        return
    api = contract()
    try:
        api.validate_request(request)
        request_error = None
    except (PathNotFound, OperationNotFound) as error:
        # No operation to hold it to: only problem details may come back.
        assert response.status_code in (404, 405), f"{error}: answered {response.status_code}"
        assert response.mimetype == PROBLEM_JSON, response.content_type
        problem_validator().validate(response.get_json())
        if response.status_code == 405:
            assert response.headers.get("Allow"), "405 without Allow"
        return
    except (RequestValidationError, RecursionError) as error:
        # RecursionError: a body nested too deep for json.loads is no valid request either.
        request_error = error
    if request_error is not None and response.status_code < 400:
        key = (request.method, request.request.path)
        assert key in PER_ITEM, (
            f"{request.method.upper()} {request.request.path}: the contract refuses this request "
            f"({request_error}) but it was answered {response.status_code}")
    api.validate_response(request, ContractResponse(response))


class ContractCheckingClient(FlaskClient):
    """Flask's test client, checking each answer against the contract before a test sees it."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        check_exchange(response)
        return response
