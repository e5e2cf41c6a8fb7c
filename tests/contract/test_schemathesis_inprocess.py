"""schemathesis against the committed document, calling the app in-process (all checks)."""
from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from service.app import create_app
from service.config import Settings
from tests.profiles import examples

DOCUMENT = Path(__file__).parents[2] / "openapi" / "openapi.json"
APP = create_app(Settings())
schema = schemathesis.openapi.from_path(DOCUMENT)


@schema.parametrize()
@settings(max_examples=examples(25), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_operation_conforms(case):
    case.call_and_validate(app=APP)
