"""A cache miss without the evaluation: the service's own schemas, and nothing else.

One flask-smorest endpoint at POST /v1/evaluations that loads the body through the service's
ClusterSchema (its full validation) and answers an evaluation computed once at start-up, dumped
through the service's EvaluationSchema, as a miss's answer is. bench/service_bench.py serves it
with the service's gunicorn settings: what it reaches is the most a miss can reach with
marshmallow on the path, whatever the evaluation costs.
"""
from __future__ import annotations

from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint

from bench.service_bench import typical
from service.schemas.bodies import ClusterSchema, EvaluationSchema
from service.domain.evaluate import evaluate


def create_app() -> Flask:
    """The app: the schemas' load and dump around a precomputed answer."""
    app = Flask(__name__)
    app.config.update(API_TITLE="marshalling only", API_VERSION="v1", OPENAPI_VERSION="3.1.0")
    api = Api(app)
    blp = Blueprint("evaluations", __name__)
    answer = evaluate(ClusterSchema().load(typical("computed at start-up")))

    @blp.route("/v1/evaluations")
    class Evaluations(MethodView):
        @blp.arguments(ClusterSchema())
        @blp.response(200, EvaluationSchema)
        def post(self, cluster):
            return answer

    api.register_blueprint(blp)

    @app.get("/healthz")
    def health():
        return {"status": "ok"}

    return app
