"""Shared fixtures: an app with the embedded cache, its test client, and the contract check on
every answer any test client receives."""
from __future__ import annotations

import pytest
from flask import Flask

from service.app import create_app
from service.config import Settings
from tests import profiles
from tests.openapi_validation import ContractCheckingClient

profiles.load()


@pytest.fixture(autouse=True)
def answers_follow_the_contract(monkeypatch):
    """Every Flask test client, however its app was made, checks each answer against
    openapi/openapi.json (openapi-core): no test passes on an undocumented answer."""
    monkeypatch.setattr(Flask, "test_client_class", ContractCheckingClient)


@pytest.fixture()
def app():
    return create_app(Settings())


@pytest.fixture()
def client(app):
    return app.test_client()
