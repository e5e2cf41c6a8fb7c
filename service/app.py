"""The application factory: configuration, cache, metrics, blueprints and error handling."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from flask_swagger_ui import get_swaggerui_blueprint
from werkzeug.exceptions import InternalServerError

from .adapters.api_keys import KeyRing
from .adapters.cache import CacheStats, make_cache
from .adapters.metrics import Metrics
from .api import auth, chatops, cors, edge, evaluations, operations, reference, request_id
from .api.caching import RawBodyKeys
from .api.contract import (
    ProblemApi,
    document_conditional_requests,
    document_request_ids,
    document_ruleset_answers,
    document_security,
)
from .api.deadline import DeadlineExceeded
from .api.headers import IF_NONE_MATCH
from .api.problems import from_http_exception, problem
from .application.representation import representation_version
from .config import API_VERSION, Settings
from .schemas.bodies import Ws2016EvaluationSchema
from .web import page

API_TITLE = "Live Migration Network Advisor"
API_DESCRIPTION = (
    "Plans and checks the network of Hyper-V failover clusters for live migration, following "
    "Microsoft's *Hyper-V: Live Migration Network Configuration Guide* (Windows Server 2008 R2): "
    "a classification on the guide's scale, a role layout, the QoS policies that enforce it, "
    "findings with the guide's reasons, and remediation. Every error is "
    "`application/problem+json` (RFC 9457), except where a client asks otherwise: chat "
    "operations answer `Accept: text/markdown` in Markdown, and the web page shows a browser "
    "its faults on the page."
)
@dataclass
class Extension:
    """What the views reach through current_app.extensions['lmna']."""

    settings: Settings
    cache: object
    metrics: Metrics
    raw_keys: RawBodyKeys
    # Part of every cache key and ETag: changes with the response schemas and renderers.
    representation: str


def _handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", None)
    if isinstance(original, DeadlineExceeded):  # the deadline ran out inside a later hook
        return edge.deadline_problem(original)
    logging.getLogger("service").exception("unhandled error")
    return from_http_exception(InternalServerError())


# The OpenAPI document depends on the code alone, never on Settings, and building it is most
# of create_app's time: the first app of a process builds it and later ones (the test suite
# makes hundreds) serve a copy of it.
_document: bytes | None = None


def _build_document(api: ProblemApi) -> None:
    """Finish the document of the first app of the process and keep it for the later ones."""
    global _document
    # The committed contract documents the default exemptions, whatever this server's are.
    document_security(api.spec, auth.DEFAULT_EXEMPT)
    document_conditional_requests(api.spec, IF_NONE_MATCH)
    document_ruleset_answers(api.spec, Ws2016EvaluationSchema, "Ws2016Evaluation")
    document_request_ids(api.spec)  # last: every response, the 401s included
    _document = api.finished_document()


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """Build the Flask app; nothing is read or connected before this is called."""
    settings = (settings or Settings.from_env()).with_overrides(**overrides)
    logger = logging.getLogger("service")
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the contract's field order (SPEC §4)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": API_DESCRIPTION}},
    )
    metrics = Metrics()
    stats = CacheStats(on_event=metrics.cache_event)
    cache = make_cache(settings.redis_url, settings.cache_ttl_seconds, settings.cache_max_entries,
                       settings.redis_socket_timeout, stats, logger,
                       max_bytes=settings.cache_max_bytes, signing_key=settings.cache_signing_key)
    raw_keys = RawBodyKeys(settings.cache_max_entries, settings.cache_ttl_seconds)
    app.extensions["lmna"] = Extension(settings, cache, metrics, raw_keys,
                                       representation_version())

    api = ProblemApi(app)
    if _document is not None:
        api.adopt(_document)
    for module in (evaluations, reference, chatops, operations, page):
        api.register_blueprint(module.blp)
    if _document is None:
        _build_document(api)
    app.register_error_handler(Exception, _handle_unexpected)
    app.register_blueprint(get_swaggerui_blueprint("/docs", "/openapi.json",
                                                   config={"app_name": API_TITLE,
                                                           # no request to an outside validator
                                                           "validatorUrl": None}))
    edge.install(app, settings, metrics)
    app.register_error_handler(request_id.InvalidRequestId,
                               lambda error: problem(400, str(error)))
    auth.install(app, KeyRing(settings.api_keys, settings.api_keys_file, logger),
                 settings.api_key_exempt_paths)
    cors.install(app, settings.cors_origins)
    return app
