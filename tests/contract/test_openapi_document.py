"""The committed OpenAPI document: generated from the code, valid, and complete."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openapi_spec_validator import validate

from service.app import create_app
from service.config import Settings

DOCUMENT = Path(__file__).parents[2] / "openapi" / "openapi.json"


def generated() -> dict:
    app = create_app(Settings())
    with app.app_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def committed() -> dict:
    return json.loads(DOCUMENT.read_text())


def test_committed_document_matches_the_code():
    # Regenerate with: flask --app "service.app:create_app()" openapi write --format json openapi/openapi.json
    assert generated() == committed(), "openapi/openapi.json is stale: regenerate it"


def test_flask_openapi_write_reproduces_the_file(tmp_path):
    out = tmp_path / "openapi.json"
    subprocess.run([sys.executable, "-m", "flask", "--app", "service.app:create_app()", "openapi",
                    "write", "--format", "json", str(out)], check=True)
    assert json.loads(out.read_text()) == committed()


def test_document_is_valid_openapi_3_1():
    document = committed()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_operation_has_summary_description_and_problem_errors():
    for path, item in committed()["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert operation.get("description"), f"{method} {path} has no description"
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (path, status)


def test_evaluations_have_one_example_per_table_row():
    operation = committed()["paths"]["/v1/evaluations"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(examples) == sorted(f"row{n}" for n in range(1, 10))


def test_examples_are_what_the_service_answers(client):
    examples = committed()["paths"]["/v1/evaluations"]["post"]["requestBody"]["content"][
        "application/json"]["examples"]
    rows = {}
    for name, example in examples.items():
        answer = client.post("/v1/evaluations", json=example["value"]).get_json()
        rows[name] = answer["reference_configuration"]["row"]
    assert rows == {f"row{n}": n for n in range(1, 10)}
