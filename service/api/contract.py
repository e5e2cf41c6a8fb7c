"""How the OpenAPI document is built: problem responses, named enums, no unused components."""
from __future__ import annotations

import enum
import pickle

from flask_smorest import Api
from marshmallow import fields
from werkzeug.exceptions import HTTPException

from ..schemas.fields import DocumentedAs, NamedEnum
from .chat_errors import for_client
from .problems import PROBLEM_JSON, PROBLEM_REF, ProblemSchema, from_http_exception

# Every operation can meet these: a path or base URL the server does not serve, a method the
# path does not take, a query string over MAX_QUERY_BYTES.
ANY_OPERATION = (400, 404, 405, 414)
# Operations that read a JSON body.
JSON_BODY = (400, 413, 415, 422)
# Operations that take query arguments only.
QUERY_ONLY = (422,)
# Operations that evaluate a description: the time-limited ones.
EVALUATING = (503,)

DESCRIPTIONS = {
    400: "The body is not valid JSON, or the X-Request-ID header is malformed.",
    404: "No such path: a base URL or an API version this server does not serve.",
    405: "The path does not take this method; Allow lists those it takes.",
    413: "The body is larger than MAX_BODY_BYTES.",
    414: "The query string is longer than MAX_QUERY_BYTES.",
    415: "The body is not application/json.",
    422: "The request is invalid: each invalid field has its JSON pointer in errors.",
    503: "Busy: the evaluation did not finish within the compute deadline (or, for readiness, "
         "every other worker is held by a long request); retry after Retry-After seconds.",
}
HEADERS = {
    405: {"Allow": {"description": "The methods the path takes.", "schema": {"type": "string"},
                    "required": True}},
    503: {"Retry-After": {"description": "Seconds to wait before retrying.",
                          "schema": {"type": "integer"}}},
}
UNEXPECTED = "UnexpectedProblem"


def problems(blp, *statuses: int):
    """Document problem+json responses on an operation (those every operation has included)."""
    def decorator(view):
        for status in sorted(set(ANY_OPERATION + statuses)):
            view = blp.alt_response(status, schema=PROBLEM_REF, content_type=PROBLEM_JSON,
                                    description=DESCRIPTIONS[status],
                                    headers=HEADERS.get(status))(view)
        return view
    return decorator


def _enum_of(field) -> tuple[str, list] | None:
    if isinstance(field, NamedEnum):
        return field.component, list(field.values)
    if isinstance(field, fields.Enum) and issubclass(field.enum, enum.Enum) and field.by_value:
        return field.enum.__name__, [member.value for member in field.enum]
    return None


def enum_reference(converter, field, ret, **kwargs):
    """An apispec attribute function (run last): an enum field becomes a $ref to its named
    component, nullable as oneOf with null, so a generated client has one type per set."""
    if isinstance(field, DocumentedAs):
        for key in ("type", "anyOf"):
            ret.pop(key, None)
        ret["$ref"] = f"#/components/schemas/{field.component}"
        return {}
    found = _enum_of(field)
    if found is None:
        return {}
    name, values = found
    schemas = converter.spec.components.schemas
    if name not in schemas:
        converter.spec.components.schema(name, {"type": "string", "enum": values})
    elif schemas[name]["enum"] != values:
        raise ValueError(f"two enums named {name} with different values")
    for key in ("type", "enum", "anyOf"):
        ret.pop(key, None)
    ref = {"$ref": f"#/components/schemas/{name}"}
    if field.allow_none:
        ret["oneOf"] = [ref, {"type": "null"}]
    else:
        ret.update(ref)
    return {}


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json and documenting it so."""

    # Every operation's `default` response: what an unexpected failure looks like.
    DEFAULT_ERROR_RESPONSE_NAME = UNEXPECTED

    def handle_http_exception(self, error: HTTPException):
        return for_client(from_http_exception(error))

    def _register_responses(self):
        # Replaces flask-smorest's Error and DEFAULT_ERROR: no response the service sends uses them.
        self.spec.components.schema("Problem", schema=ProblemSchema)
        self.spec.components.response(UNEXPECTED, {
            "description": "Any other error, e.g. 500: problem details.",
            "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}})
        self.ma_plugin.converter.add_attribute_function(enum_reference)

    def _register_pagination_header(self):
        # No operation is paginated: registering the header would add PaginationMetadata.
        pass

    # The finished document this Api serves (see adopt), or None while it documents each
    # blueprint itself.
    _adopted: bytes | None = None

    def finished_document(self) -> bytes:
        """This Api's finished document (paths, tags, components), frozen for adopt()."""
        spec = self.spec
        # Pickled: immutable, and unpickling is a deep copy many times faster than deepcopy.
        return pickle.dumps((spec._paths, spec._tags, spec.components._subsections),
                            protocol=pickle.HIGHEST_PROTOCOL)

    def adopt(self, document: bytes) -> None:
        """Serve a copy of a document finished_document() froze on an Api of the same code,
        instead of documenting the blueprints again (call before registering them)."""
        paths, tags, subsections = pickle.loads(document)
        self.spec._paths.clear()
        self.spec._paths.update(paths)
        self.spec._tags[:] = tags
        self.spec.components._subsections = subsections
        self._adopted = document

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register a blueprint, and document it unless this Api serves an adopted document."""
        if self._adopted is None:
            super().register_blueprint(blp, parameters=parameters, **options)
            return
        # What flask-smorest's register_blueprint does besides documenting.
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)


REQUEST_ID_PARAMETER = {
    "in": "header", "name": "X-Request-ID", "required": False,
    "description": "The caller's id for this request (1 to 128 visible ASCII characters): "
                   "echoed in the response, in a problem's `instance` and in the access log. "
                   "Without it the service makes one; a malformed one is a 400.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]+$"}}
REQUEST_ID_HEADER = {"description": "This request's id: the caller's X-Request-ID, or a new one.",
                     "required": True, "schema": {"type": "string"}}
OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch")


def document_conditional_requests(spec, if_none_match: dict) -> None:
    """Declare If-None-Match on every operation that may answer 304. Added here, not with
    @blp.doc(parameters=...): that list replaces the query parameters @blp.arguments documents."""
    for operations in spec._paths.values():
        for method, operation in operations.items():
            if method not in OPERATIONS or "304" not in operation.get("responses", {}):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == if_none_match["name"] for p in parameters):
                parameters.append(dict(if_none_match))


def document_request_ids(spec) -> None:
    """Declare X-Request-ID on every operation and every response the document holds (run once
    the blueprints are registered)."""
    spec.components.header("RequestId", REQUEST_ID_HEADER)
    reference = {"$ref": "#/components/headers/RequestId"}
    for operations in spec._paths.values():  # apispec keeps no public iterator over paths
        for method, operation in operations.items():
            if method not in OPERATIONS:
                continue
            operation.setdefault("parameters", []).append(dict(REQUEST_ID_PARAMETER))
            for response in operation.get("responses", {}).values():
                if isinstance(response, dict) and "$ref" not in response:
                    response.setdefault("headers", {})["X-Request-ID"] = reference
    for response in spec.components.responses.values():
        response.setdefault("headers", {})["X-Request-ID"] = reference


SECURITY_SCHEME = {
    "type": "http", "scheme": "bearer",
    "description": "An API key, when the service runs with API_KEYS or API_KEYS_FILE (off by "
                   "default: then no key is needed). Health, readiness and metrics never need "
                   "one (API_KEY_EXEMPT_PATHS)."}
WWW_AUTHENTICATE = {"WWW-Authenticate": {
    "description": 'Bearer realm="lm-network-advisor", with error="invalid_token" for a key '
                   "that is not valid.", "required": True, "schema": {"type": "string"}}}
UNAUTHORIZED = {
    "description": "API keys are on and the request carries none, or one that is not valid.",
    "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def document_security(spec, exempt) -> None:
    """Declare the bearer scheme: optional on every operation but the exempt ones ({} stands for
    a service running without keys), with its 401 (run once the blueprints are registered)."""
    from .auth import is_exempt
    spec.components.security_scheme("apiKey", SECURITY_SCHEME)
    for path, operations in spec._paths.items():
        for method, operation in operations.items():
            if method not in OPERATIONS:
                continue
            if is_exempt(path, exempt):
                operation["security"] = []
                continue
            operation["security"] = [{"apiKey": []}, {}]
            # A copy each: the request id's header is added to each response later.
            operation.setdefault("responses", {})["401"] = {
                **UNAUTHORIZED, "headers": dict(WWW_AUTHENTICATE)}


def document_ruleset_answers(spec, schema, component: str, base: str = "Evaluation") -> None:
    """Document another ruleset's answer beside the `base` one wherever an evaluation is sent:
    the evaluation's media type and a batch item's evaluation become oneOf the two (each
    closed, so an answer matches exactly one). The other ruleset's comes first: it has a
    required field the base has not, so a client that tries each in turn (a generated one)
    takes a base answer for what it is. Run once the blueprints are registered."""
    spec.components.schema(component, schema=schema)
    base_ref = {"$ref": f"#/components/schemas/{base}"}
    both = [{"$ref": f"#/components/schemas/{component}"}, base_ref]
    for operations in spec._paths.values():
        for method, operation in operations.items():
            if method not in OPERATIONS:
                continue
            for response in operation.get("responses", {}).values():
                content = response.get("content", {}) if isinstance(response, dict) else {}
                sent = content.get("application/json")
                if sent is not None and sent.get("schema") == base_ref:
                    sent["schema"] = {"oneOf": list(both)}
    item = spec.components.schemas["BatchItem"]["properties"]["evaluation"]
    item.pop("anyOf", None)
    item["oneOf"] = [*both, {"type": "null"}]
