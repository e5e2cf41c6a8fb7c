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
                    # Chat operations may also answer an error in Markdown, when asked for it.
                    expected = ["application/problem+json"] + (
                        ["text/markdown; charset=utf-8"] if path.startswith("/v1/chatops/")
                        and status in ("414", "422", "503") else []) + (
                        # The page shows a browser its faults on the page itself.
                        ["text/html; charset=utf-8"] if path == "/" and status == "422" else [])
                    assert list(response["content"]) == expected, (path, status)


def test_evaluations_have_one_example_per_table_row_and_one_for_ws2016():
    for path in ("/v1/evaluations", "/v1/evaluations/markdown", "/v1/evaluations/svg",
                 "/v1/qos-policies/powershell"):
        operation = committed()["paths"][path]["post"]
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert sorted(examples) == sorted([*(f"row{n}" for n in range(1, 10)), "ws2016"]), path
    for path in ("/v1/qos-policies/registry", "/v1/qos-policies/gpedit"):  # refused for ws2016
        operation = committed()["paths"][path]["post"]
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert sorted(examples) == sorted(f"row{n}" for n in range(1, 10)), path


def test_examples_are_what_the_service_answers(client):
    examples = committed()["paths"]["/v1/evaluations"]["post"]["requestBody"]["content"][
        "application/json"]["examples"]
    rows = {}
    for name, example in examples.items():
        answer = client.post("/v1/evaluations", json=example["value"]).get_json()
        if name == "ws2016":
            assert answer["ruleset_version"].startswith("ws2016-live-migration/")
            assert answer["reference_configuration"] is None
            assert answer["host_networking"]["live_migration_transport"] == "smb"
            continue
        rows[name] = answer["reference_configuration"]["row"]
    assert rows == {f"row{n}": n for n in range(1, 10)}
    assert "ws2016" in examples


OPERATION_IDS = {
    ("post", "/v1/evaluations"): "evaluateCluster",
    ("post", "/v1/evaluations/batch"): "evaluateBatch",
    ("post", "/v1/evaluations/markdown"): "renderMarkdown",
    ("post", "/v1/evaluations/svg"): "renderLayoutSvg",
    ("post", "/v1/qos-policies/powershell"): "renderPowerShell",
    ("post", "/v1/qos-policies/registry"): "renderRegistryFile",
    ("post", "/v1/qos-policies/gpedit"): "renderGpeditSteps",
    ("get", "/v1/reference-configurations"): "listReferenceConfigurations",
    ("get", "/v1/rulesets"): "listRulesets",
    ("get", "/v1/chatops/answer"): "answerInventory",
    ("get", "/v1/chatops/description"): "describeInventory",
    ("get", "/"): "showPage",
    ("post", "/"): "evaluateInPage",
    ("post", "/download"): "downloadDocument",
    ("get", "/healthz"): "checkHealth",
    ("get", "/readyz"): "checkReadiness",
    ("get", "/metrics"): "getMetrics",
}


def operations():
    for path, item in committed()["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_every_operation_has_its_stable_operation_id():
    assert {(m, p): o.get("operationId") for m, p, o in operations()} == OPERATION_IDS


def test_every_error_is_a_documented_problem():
    document = committed()
    default = document["components"]["responses"]["UnexpectedProblem"]
    assert default["content"] == {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}
    for method, path, operation in operations():
        responses = operation["responses"]
        assert responses["default"] == {"$ref": "#/components/responses/UnexpectedProblem"}
        assert {"404", "405", "414"} <= set(responses), (method, path)
        assert responses["405"]["headers"]["Allow"]["required"] is True
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), (method, path)
    for name in ("Error", "PaginationMetadata"):
        assert name not in document["components"]["schemas"]
    for path in ("/v1/evaluations", "/v1/evaluations/batch", "/v1/chatops/answer"):
        method = "get" if "chatops" in path else "post"
        assert "503" in document["paths"][path][method]["responses"]


def _schemas_reached(schema: dict, components: dict, seen: set) -> None:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref and ref not in seen:
            seen.add(ref)
            _schemas_reached(components[ref.rsplit("/", 1)[-1]], components, seen)
        for value in schema.values():
            _schemas_reached(value, components, seen)
    elif isinstance(schema, list):
        for value in schema:
            _schemas_reached(value, components, seen)


# Sent only sometimes: a problem's field list, and one cache backend's counters or the other's.
# instance: problems nginx sends on its own carry no request id.
OPTIONAL_IN_RESPONSES = {("Problem", "errors"), ("Problem", "instance"), ("CacheStatus", "entries"), ("CacheStatus", "bytes"),
                         ("CacheStatus", "consecutive_failures"),
                         ("CacheStatus", "retry_in_seconds")}


def test_every_field_a_response_always_carries_is_required():
    components = committed()["components"]["schemas"]
    seen: set = set()
    for method, path, operation in operations():
        if operation["operationId"] == "describeInventory":
            continue  # answers a request body (Cluster), whose optional fields stay optional
        for response in operation["responses"].values():
            _schemas_reached(response.get("content", {}), components, seen)
    objects = [ref.rsplit("/", 1)[-1] for ref in seen]
    objects = [name for name in objects if components[name].get("type") == "object"]
    assert {"Evaluation", "NodeEvaluation", "BatchItem", "Problem", "Ready", "Table"} <= set(objects)
    for name in objects:
        schema = components[name]
        optional = set(schema["properties"]) - set(schema.get("required", []))
        assert optional == {f for n, f in OPTIONAL_IN_RESPONSES if n == name}, (name, optional)


def test_enums_are_named_components_with_one_form_of_null():
    document = committed()
    text = json.dumps(document["components"]["schemas"])
    components = document["components"]["schemas"]
    for name in ("Classification", "Role", "Severity", "Network", "TeamMode", "Mode",
                 "ClassificationSource", "SharedStorage", "ProcessorVendor", "QosProtocol"):
        assert components[name]["type"] == "string" and components[name]["enum"], name
    # Inline enums would make one client class per field; null beside an enum value, several.
    for name, schema in components.items():
        if "enum" in schema:
            assert None not in schema["enum"], name
        for field, prop in schema.get("properties", {}).items():
            assert "enum" not in prop, (name, field)
    assert '"type": ["string", "null"], "enum"' not in text
    assert components["Finding"]["properties"]["classification_cap"]["oneOf"] == [
        {"$ref": "#/components/schemas/Classification"}, {"type": "null"}]
    assert components["BatchItem"]["properties"]["problem"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Problem"}
    assert components["BatchRequest"]["properties"]["items"]["items"]["$ref"] == (
        "#/components/schemas/Cluster")


def test_headers_and_media_types_are_declared():
    paths = committed()["paths"]
    evaluate = paths["/v1/evaluations"]["post"]
    for status in ("200", "304"):
        assert set(evaluate["responses"][status]["headers"]) == {
            "ETag", "Cache-Control", "X-Cache", "X-Ruleset-Version", "Vary", "X-Request-ID"}
    assert [p["name"] for p in evaluate["parameters"] if p["in"] == "header"] == [
        "If-None-Match", "X-Request-ID"]
    media = {path: list(item["post" if "post" in item else "get"]["responses"]["200"]["content"])
             for path, item in paths.items()}
    assert media["/v1/qos-policies/powershell"] == ["text/plain; charset=utf-8"]
    assert media["/v1/qos-policies/registry"] == ["text/plain; charset=utf-8"]
    assert media["/v1/qos-policies/gpedit"] == ["text/markdown; charset=utf-8"]
    assert media["/v1/evaluations/markdown"] == ["text/markdown; charset=utf-8"]
    assert media["/v1/evaluations/svg"] == ["image/svg+xml; charset=utf-8",
                                            "text/plain; charset=utf-8"]
    for path in ("powershell", "registry", "gpedit"):
        responses = paths[f"/v1/qos-policies/{path}"]["post"]["responses"]
        assert "Content-Disposition" in responses["200"]["headers"]
    node = {p["name"]: p for p in paths["/v1/qos-policies/powershell"]["post"]["parameters"]}
    assert "every node when omitted" in node["node"]["description"]


def test_every_app_of_a_process_serves_its_own_copy_of_the_same_document():
    # The first app of a process builds the document and later ones adopt a copy of it
    # (service/app.py): a later app serves the same document, and a change to one app's copy
    # never reaches another's.
    first, second = create_app(Settings()), create_app(Settings())
    served = [app.test_client().get("/openapi.json").get_json() for app in (first, second)]
    assert served[0] == served[1] == committed()
    spec = first.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec
    spec.components.schema("Planted", {"type": "object"})
    spec._paths["/planted"] = {}
    assert generated() == committed()
