"""The web page end to end in headless Chromium: load it, submit an inventory, read the answer.

The server is the real app on a real socket (Werkzeug's server, in a thread); the browser is
Debian's chromium, driven over the DevTools protocol (tests/browser.py). It skips only where no
Chromium is installed; .ci/run installs it.
"""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from service.app import create_app
from service.config import Settings
from tests.browser import Chromium, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install "
                                                        "chromium; .ci/run does)")


@pytest.fixture(scope="module")
def base_url():
    server = make_server("127.0.0.1", 0, create_app(Settings()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as chromium:
        yield chromium


def test_load_the_page_submit_an_inventory_and_see_the_answer(base_url, browser):
    browser.navigate(base_url + "/")
    assert browser.evaluate("document.title") == "Live Migration Network Advisor"
    assert browser.evaluate("document.querySelector('#result')") is None
    assert browser.evaluate("document.scripts.length") == 0  # the page itself runs no script
    browser.evaluate("document.querySelector('#inventory').value = '2x10GbE,1x1G'")
    browser.submit("#evaluate-inventory")
    assert browser.evaluate("location.pathname") == "/"
    assert browser.evaluate("document.querySelector('#classification').textContent") == \
        "Supported"
    answer = browser.evaluate("document.querySelector('#result').innerText")
    assert "from the guide's table (row 5)" in answer
    # The picture is drawn, the plans and downloads are there.
    assert browser.evaluate("document.querySelectorAll('#picture svg g.port').length") == 3
    assert "To reach recommended" in browser.evaluate(
        "document.querySelector('#plans').innerText")
    assert browser.evaluate("document.querySelectorAll('#downloads button').length") >= 6


def test_a_description_with_a_fault_comes_back_with_the_field_named(base_url, browser):
    browser.navigate(base_url + "/")
    browser.evaluate("document.querySelector('#description').value = "
                     "'{\"nodes\": [{\"name\": \"hv01\", \"adapters\": "
                     "[{\"name\": \"NIC1\", \"speed_mbps\": 5}]}]}'")
    browser.submit("#evaluate-description")
    errors = browser.evaluate("document.querySelector('#errors').innerText")
    assert "/description/nodes/0/adapters/0/speed_mbps" in errors
    # What the person typed is kept for correcting.
    assert '"speed_mbps": 5' in browser.evaluate("document.querySelector('#description').value")


def test_describe_the_adapters_in_the_table(base_url, browser):
    browser.navigate(base_url + "/")
    for i in range(1, 5):
        browser.evaluate(f"document.querySelector('[name=adapter{i}_name]').value = 'NIC{i}'")
        browser.evaluate(f"document.querySelector('[name=adapter{i}_speed]').value = '1000'")
    browser.submit("#evaluate-table")
    assert browser.evaluate("document.querySelector('#classification').textContent") == \
        "Recommended"
    assert "row 1" in browser.evaluate("document.querySelector('#result').innerText")
