"""The web page end to end in headless Chromium: load it, submit an inventory, read the answer;
choose Windows Server 2016 and later and describe RDMA adapters.

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


def test_choose_windows_server_2016_and_describe_rdma_adapters(base_url, browser):
    browser.navigate(base_url + "/")
    # The ws2016 columns show only once that ruleset is chosen (a style rule, no script).
    rdma_cell = "getComputedStyle(document.querySelector('[name=adapter1_rdma]').parentElement)"
    team_cell = "getComputedStyle(document.querySelector('[name=adapter1_team]').parentElement)"
    assert browser.evaluate(f"{rdma_cell}.display") == "none"
    browser.evaluate("document.querySelector('#ruleset-ws2016').click()")
    assert browser.evaluate(f"{rdma_cell}.display") == "table-cell"
    assert browser.evaluate(f"{team_cell}.display") == "none"
    rows = [("pNIC01", "10000", "", ""), ("pNIC02", "10000", "", ""),
            ("pNIC03", "25000", "yes", "roce_v2"), ("pNIC04", "25000", "yes", "roce_v2")]
    for i, (name, speed, rdma, kind) in enumerate(rows, 1):
        for field, value in (("name", name), ("speed", speed), ("rdma", rdma),
                             ("rdma_kind", kind), ("make", "Contoso")):
            browser.evaluate(f"document.querySelector('[name=adapter{i}_{field}]').value = "
                             f"'{value}'")
    browser.evaluate("document.querySelector('#node_count').value = '2'")
    browser.evaluate("document.querySelector('#os_version').value = '2022'")
    browser.submit("#evaluate-table")
    assert browser.evaluate("document.querySelector('#classification').textContent") == \
        "Recommended"
    assert "Live migration over SMB" in browser.evaluate(
        "document.querySelector('#result').innerText")
    assert browser.evaluate("document.querySelectorAll('#picture svg').length") == 1
    assert "Switch Embedded Teaming" in browser.evaluate(
        "document.querySelector('#picture').innerText")
    buttons = browser.evaluate("[...document.querySelectorAll('#downloads button')]"
                               ".map(b => b.value).join(' ')")
    assert "powershell" in buttons and "reg" not in buttons.split()
