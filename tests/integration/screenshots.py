"""Regenerate the README's pictures: the page before and after submitting, and two diagrams.

    .venv/bin/python -m tests.integration.screenshots

Needs Chromium (see tests/browser.py). Writes docs/page-before.png, docs/page-after.png,
docs/page-ws2016.png (the README's ws2016-audit.json), docs/layout-example.svg/.png (the README's
cluster.json) and docs/layout-mixed.svg/.png.
"""
from __future__ import annotations

import json
import re
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from service.application import usecases
from service.app import create_app
from service.config import Settings
from tests.browser import Chromium, find_chromium

DOCS = Path(__file__).parents[2] / "docs"
README = (Path(__file__).parents[2] / "README.md").read_text()
EXAMPLE = {"name": "hv-prod-01", "nodes": [{
    "name": "hv01", "processor_vendor": "intel", "management_ip": "10.0.0.11",
    "adapters": [{"name": "NIC1", "speed_mbps": 1000},
                 {"name": "NIC2", "speed_mbps": 1000, "team": "T1"},
                 {"name": "NIC3", "speed_mbps": 1000, "team": "T1", "address": "192.168.10.11/24"}],
    "teams": [{"name": "T1", "mode": "link_aggregation", "network": "private"}]}]}
# Long vendor names, a public adapter, an idle one, and a second node that makes it unsupported.
MIXED = {"name": "hv-lab-02", "nodes": [
    {"name": "hv-lab-a", "adapters": [
        {"name": "Intel(R) Ethernet Converged Network Adapter X710 #1", "speed_mbps": 10000,
         "network": "public"},
        {"name": "Intel(R) Ethernet Converged Network Adapter X710 #2", "speed_mbps": 10000,
         "network": "private"},
        {"name": "Broadcom NetXtreme Gigabit Ethernet #1", "speed_mbps": 1000, "team": "MGMT"},
        {"name": "Broadcom NetXtreme Gigabit Ethernet #2", "speed_mbps": 1000, "team": "MGMT"},
        {"name": "Realtek PCIe GbE Family Controller (spare)", "speed_mbps": 1000}],
     "teams": [{"name": "MGMT", "mode": "failover", "network": "private"}]},
    {"name": "hv-lab-b", "adapters": [{"name": "Onboard LAN", "speed_mbps": 1000}]}]}


def _ws2016_audit() -> str:
    """The README's ws2016-audit.json (the JSON block of its audit mode section)."""
    section = README[README.index("#### Audit mode: a declared layout"):]
    return re.search(r"```json\n(.*?)```", section, re.S).group(1)


def _svg(description: dict, node: str | None) -> str:
    result = usecases.answer(usecases.load_description(description))
    return usecases.render(result, "svg", node)


def _picture(browser: Chromium, svg_text: str, name: str) -> None:
    (DOCS / f"{name}.svg").write_text(svg_text)
    width = int(svg_text.split('width="', 1)[1].split('"', 1)[0])
    height = int(svg_text.split('height="', 1)[1].split('"', 1)[0])
    browser.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                 height=height, deviceScaleFactor=1, mobile=False)
    with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False) as handle:
        handle.write(svg_text)
    browser.navigate(Path(handle.name).as_uri())
    (DOCS / f"{name}.png").write_bytes(browser.screenshot(full_page=False))
    Path(handle.name).unlink()


def main() -> None:
    """Start the app on a free port, drive the page, write the pictures."""
    server = make_server("127.0.0.1", 0, create_app(Settings()), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    executable = find_chromium()
    if executable is None:
        raise SystemExit("no Chromium: apt-get install chromium")
    with Chromium(executable, width=1200, height=900) as browser:
        browser.navigate(base)
        (DOCS / "page-before.png").write_bytes(browser.screenshot())
        browser.evaluate("document.querySelector('#description').value = "
                         + json.dumps(json.dumps(EXAMPLE, indent=2)))
        browser.submit("#evaluate-description")
        (DOCS / "page-after.png").write_bytes(browser.screenshot())
        browser.navigate(base)
        browser.evaluate("document.querySelector('#description').value = "
                         + json.dumps(_ws2016_audit()))
        browser.submit("#evaluate-description")
        (DOCS / "page-ws2016.png").write_bytes(browser.screenshot())
        _picture(browser, _svg(EXAMPLE, None), "layout-example")
        _picture(browser, _svg(MIXED, None), "layout-mixed")
    server.shutdown()


if __name__ == "__main__":
    main()
