"""The page at / answering the Windows Server 2016 and later ruleset: design and audit
descriptions, the adapter table's ws2016 columns, escaping, faults by field, downloads, the CSP."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def adapter(name: str, mbps: int, **facts) -> dict:
    return {"name": name, "speed_mbps": mbps, "make": "Contoso", "model": f"X-{mbps // 1000}",
            **facts}


RDMA = {"rdma": True, "rdma_kind": "roce_v2"}
# Microsoft's two-node switched, non-converged pattern (the README's ws2016.json).
DESIGN = {"ruleset": "ws2016", "name": "azl-01", "nodes": [
    {"name": name, "os_version": "2022",
     "adapters": [adapter("pNIC01", 10000), adapter("pNIC02", 10000),
                  adapter("pNIC03", 25000, **RDMA), adapter("pNIC04", 25000, **RDMA)]}
    for name in ("hv01", "hv02")]}


def audit(switch: str = "ConvergedSwitch", node: str = "hv01") -> dict:
    """Microsoft's converged pattern, declared with three faults (the README's ws2016-audit.json):
    SMB live migration without a limit, Dynamic load balancing at 25 Gbps, an RDMA vNIC not
    mapped."""
    return {"ruleset": "ws2016", "name": "azl-02", "live_migration_transport": "smb",
            "dcb": {"switches": True, "heartbeat_bandwidth_percent": 1}, "nodes": [
                {"name": name, "os_version": "2022",
                 "adapters": [adapter("pNIC01", 25000, **RDMA), adapter("pNIC02", 25000, **RDMA)],
                 "switches": [{"name": switch, "members": ["pNIC01", "pNIC02"],
                               "load_balancing": "dynamic", "traffic": ["management", "compute"]}],
                 "host_vnics": [
                     {"name": "SMB1", "switch": switch, "traffic": ["storage"], "rdma": True,
                      "vlan_id": 711, "mapped_to": "pNIC01"},
                     {"name": "SMB2", "switch": switch, "traffic": ["storage"], "rdma": True,
                      "vlan_id": 712}]}
                for name in (node, "hv02")]}


def post(client, description: dict):
    return client.post("/", data={"description": json.dumps(description)}, headers=BROWSER)


def section(text: str, name: str) -> str:
    return re.search(rf'<section id="{name}".*?</section>', text, re.S).group(0)


def hidden_description(page: bytes) -> str:
    return html.unescape(re.search(rb'name="description" value="([^"]*)"', page).group(1).decode())


def test_the_form_offers_the_ruleset_choice_and_the_ws2016_columns(client):
    text = client.get("/", headers=BROWSER).get_data(as_text=True)
    assert re.search(r'id="ruleset-ws2008r2" checked>', text)  # the 2008 R2 guide by default
    assert 'value="ws2016" id="ruleset-ws2016">' in text
    for field in ("adapter1_rdma", "adapter1_rdma_kind", "adapter1_make", "adapter8_model",
                  "os_version"):
        assert f'name="{field}"' in text
    assert '<option value="roce_v2">roce v2</option>' in text


def test_a_design_description_is_answered_with_its_host_networking(client):
    page = post(client, DESIGN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="classification">Recommended<' in text and "Design mode" in text
    assert "Live migration over SMB, limited to 906250000 bytes/s (7.25 Gbps)." in text
    settings = section(text, "host-networking")
    assert "Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond 906250000" in settings
    assert "Set-VMHost -VirtualMachineMigrationPerformanceOption SMB" in settings
    assert "<td>SMB</td><td>3</td><td>50%</td>" in settings  # the DCB traffic classes
    layout = section(text, "picture")
    # Identical nodes share one picture, inline with ids of its own.
    assert layout.count("<svg") == 1 and 'aria-labelledby="layout-title-0 layout-desc-0"' in layout
    assert "<h3>hv01, hv02: recommended, dedicated" in layout
    assert "<td>MgmtCompute</td><td>pNIC01, pNIC02</td><td>Switch Embedded Teaming</td>" in layout
    assert "<td>pNIC03</td><td>25 Gbps</td><td>711</td><td>yes</td>" in layout
    assert json.loads(hidden_description(page.data)) == DESIGN
    assert "Ruleset ws2016-live-migration/" in text


def test_the_downloads_are_what_ws2016_offers(client):
    downloads = section(post(client, DESIGN).get_data(as_text=True), "downloads")
    formats = re.findall(r'name="format" value="(\w+)"', downloads)
    assert set(formats) == {"markdown", "svg", "json", "powershell"}
    assert "PowerShell for hv01" in downloads and "PowerShell for hv02" in downloads
    assert ".reg file for" not in downloads and "gpedit" not in formats


@pytest.mark.parametrize("fmt, node, media, start, suffix", [
    ("markdown", None, "text/markdown", "**Recommended**", ".md"),
    ("svg", None, "image/svg+xml", "<?xml", "-host-networking.svg"),
    ("svg", "hv02", "image/svg+xml", "<?xml", "-hv02-host-networking.svg"),
    ("json", None, "application/json", "{", ".json"),
    ("powershell", "hv01", "text/plain", "# hv01: host networking", "-hv01-host-networking.ps1"),
])
def test_every_ws2016_download_button_works(client, fmt, node, media, start, suffix):
    form = {"description": json.dumps(DESIGN), "format": fmt, **({"node": node} if node else {})}
    response = client.post("/download", data=form)
    assert response.status_code == 200 and response.mimetype == media
    assert response.headers["Content-Disposition"] == f'attachment; filename="azl-01{suffix}"'
    assert response.get_data(as_text=True).startswith(start)


@pytest.mark.parametrize("fmt", ["reg", "gpedit"])
def test_the_2008_r2_qos_documents_are_refused_for_ws2016(client, fmt):
    response = client.post("/download", data={"description": json.dumps(DESIGN), "format": fmt,
                                              "node": "hv01"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/description/ruleset"


def test_an_audit_description_is_answered_with_links_to_microsofts_pages(client):
    page = post(client, audit())
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="classification">Not recommended<' in text and "Audit mode" in text
    assert "Best reachable by design: <strong>recommended</strong>" in text
    assert "Live migration over SMB, no SMB bandwidth limit." in text
    findings = section(text, "findings")
    assert {"WS205", "WS310", "WS503"} <= set(re.findall(r"<td>(WS\d{3})</td>", findings))
    links = re.findall(r'<a href="(https://learn\.microsoft\.com/[^"]+)" rel="noreferrer">',
                       findings)
    assert links and "(https://" not in findings  # the page is a link, not text in parentheses
    vnics = section(text, "picture")
    assert "<td>SMB1</td><td>ConvergedSwitch</td><td>711</td><td>yes</td><td>pNIC01</td>" in vnics
    assert "<td>SMB2</td><td>ConvergedSwitch</td><td>712</td><td>yes</td><td>–</td>" in vnics
    assert "<td>Dynamic</td>" in vnics


def test_names_are_escaped_in_the_answer(client):
    page = post(client, audit(switch="<script>x</script>", node="hv<b>&01"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<script" not in text and "<b>" not in text
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td>" in text
    assert "hv&lt;b&gt;&amp;01" in text


def test_a_page_answer_holds_to_the_csp(client):
    page = post(client, audit())
    text = page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src" not in csp
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    assert "<script" not in text and " style=" not in text and text.count("<style") == 1
    assert not re.search(r'src="(https?:)?//', text)  # links to Microsoft's pages, no loads


TABLE = {"ruleset": "ws2016", "node_count": "2", "os_version": "2022",
         "adapter1_name": "pNIC01", "adapter1_speed": "10000", "adapter1_make": "Contoso",
         "adapter1_model": "X-10", "adapter1_rdma": "no",
         "adapter2_name": "pNIC02", "adapter2_speed": "10000", "adapter2_make": "Contoso",
         "adapter2_model": "X-10",
         "adapter3_name": "pNIC03", "adapter3_speed": "25000", "adapter3_rdma": "yes",
         "adapter3_rdma_kind": "roce_v2", "adapter3_make": "Contoso", "adapter3_model": "CX-25",
         "adapter4_name": "pNIC04", "adapter4_speed": "25000", "adapter4_rdma": "yes",
         "adapter4_rdma_kind": "roce_v2", "adapter4_make": "Contoso", "adapter4_model": "CX-25",
         # The 2008 R2 guide's columns are hidden with ws2016 chosen, and not read.
         "adapter1_team": "T1", "adapter2_network": "private", "team1_name": "T1",
         "team1_mode": "link_aggregation", "redundant_cluster_path": "on"}


def test_the_adapter_table_is_answered_by_ws2016_when_chosen(client):
    page = client.post("/", data=TABLE, headers=BROWSER)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="classification">Recommended<' in text
    assert re.search(r'id="ruleset-ws2016" checked>', text)  # the choice is kept
    description = json.loads(hidden_description(page.data))
    assert description["ruleset"] == "ws2016" and "redundant_cluster_path" not in description
    assert [n["name"] for n in description["nodes"]] == ["node1", "node2"]
    first = description["nodes"][0]
    assert first["os_version"] == "2022" and "teams" not in first
    assert first["adapters"][0] == {"name": "pNIC01", "speed_mbps": 10000, "rdma": False,
                                    "make": "Contoso", "model": "X-10"}
    assert first["adapters"][2] == {"name": "pNIC03", "speed_mbps": 25000, "rdma": True,
                                    "rdma_kind": "roce_v2", "make": "Contoso", "model": "CX-25"}


def test_the_adapter_table_takes_the_clusters_ws2016_facts(client):
    data = {**TABLE, "os_version": "2022", "storage_interconnect": "switched",
            "storage_spaces_direct": "on", "network_atc": "on", "azure_local": "on"}
    page = client.post("/", data=data, headers=BROWSER)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    description = json.loads(hidden_description(page.data))
    assert {k: description[k] for k in ("storage_interconnect", "shared_storage", "network_atc",
                                        "azure_local")} == {
        "storage_interconnect": "switched", "shared_storage": "storage_spaces_direct",
        "network_atc": True, "azure_local": True}
    # Network ATC on Windows Server 2022 (not Azure Local) is WS107's: the facts reach the rules.
    atc = client.post("/", data={**TABLE, "network_atc": "on"}, headers=BROWSER)
    assert "WS107" in atc.get_data(as_text=True) and "WS107" not in text
    assert re.search(r'<option value="switched" selected>', text)
    for name in ("storage_spaces_direct", "network_atc", "azure_local"):
        assert f'name="{name}" checked' in text  # kept for correcting
    plain = json.loads(hidden_description(client.post("/", data=TABLE, headers=BROWSER).data))
    assert not {"storage_interconnect", "shared_storage", "network_atc", "azure_local"} & set(plain)


def test_the_2008_r2_choice_reads_none_of_the_ws2016_columns(client):
    data = {"ruleset": "ws2008r2", "adapter1_name": "NIC1", "adapter1_speed": "1000",
            "adapter1_rdma": "yes", "adapter1_make": "Contoso", "os_version": "2022",
            "network_atc": "on", "storage_interconnect": "switchless"}
    page = client.post("/", data=data, headers=BROWSER)
    assert page.status_code == 200
    assert json.loads(hidden_description(page.data)) == {
        "nodes": [{"name": "node1", "adapters": [{"name": "NIC1", "speed_mbps": 1000}],
                   "teams": []}]}


@pytest.mark.parametrize("data, pointer", [
    ({**TABLE, "adapter3_speed": "fast"}, "/adapter3_speed"),
    ({**TABLE, "adapter2_rdma_kind": "quantum"}, "/adapter2_rdma_kind"),
    ({**TABLE, "adapter4_name": "pNIC01"}, "/adapter4_name"),
    ({**TABLE, "os_version": "2003"}, "/os_version"),
    ({**TABLE, "storage_interconnect": "wireless"}, "/storage_interconnect"),
    ({**TABLE, "azure_local": "yes"}, "/azure_local"),
    ({"ruleset": "ws2016", "description": json.dumps(DESIGN)}, "/ruleset"),
])
def test_a_fault_in_the_ws2016_table_names_its_cell(client, data, pointer):
    page = client.post("/", data=data, headers=BROWSER)
    assert page.status_code == 422 and page.mimetype == "text/html"
    assert f"<code>{pointer}</code>" in page.get_data(as_text=True)


def _bad_member(description: dict) -> dict:
    description["nodes"][0]["switches"][0]["members"] = ["pNIC01", "pNIC09"]
    return description


@pytest.mark.parametrize("description, pointer", [
    ({**DESIGN, "nodes": [{**DESIGN["nodes"][0], "teams": [{"name": "T1"}]}]},
     "/description/nodes/0/teams"),
    ({**DESIGN, "live_migration_transport": "smb"}, "/description/live_migration_transport"),
    ({**DESIGN, "nodes": [{**DESIGN["nodes"][0], "os_version": "2003"}]},
     "/description/nodes/0/os_version"),
    (_bad_member(audit()), "/description/nodes/0/switches/0/members/1"),
])
def test_a_fault_in_a_ws2016_description_names_its_field(client, description, pointer):
    page = post(client, description)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert f"<code>{pointer}</code>" in text
    assert '"ruleset": "ws2016"' in html.unescape(text)  # kept for correcting


def test_the_ws2016_answer_lists_its_plans(client):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("#### Audit mode: a declared layout"):]
    description = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    page = client.post("/", data={"description": description}, headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<section id="plans">' in text
    assert "To reach recommended" in text and "Set-VMNetworkAdapterTeamMapping" in text


def test_a_converged_design_without_rdma_shows_its_weights(client):
    description = {"ruleset": "ws2016", "nodes": [
        {"name": name, "adapters": [adapter("pNIC01", 10000), adapter("pNIC02", 10000)]}
        for name in ("hv01", "hv02")]}
    page = post(client, description).get_data(as_text=True)
    assert "<th>minimum bandwidth</th>" in page and "<th>weight</th>" in page
    assert "<td>weight, default flow 50</td>" in page
    assert re.search(r"<td>LiveMigration</td><td>ConvergedSwitch</td><td>710</td><td>no</td>"
                     r"<td>–</td><td>40</td>", page)
