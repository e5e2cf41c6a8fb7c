"""Shared fixtures: an app with the embedded cache, and its test client."""
from __future__ import annotations

import pytest

from service.app import create_app
from service.config import Settings


@pytest.fixture()
def app():
    return create_app(Settings())


@pytest.fixture()
def client(app):
    return app.test_client()
