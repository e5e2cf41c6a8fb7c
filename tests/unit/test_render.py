"""Renderings of an evaluation: golden files for row 2 of the guide's table, and their invariants.

The expected files in tests/unit/expected/ were generated once and then reviewed by hand; to
regenerate them after a deliberate change run: UPDATE_EXPECTED=1 pytest tests/unit/test_render.py
and review the diff.
"""
from __future__ import annotations

import dataclasses
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from service.domain.evaluate import evaluate
from service.domain.model import Adapter, Cluster, Node, Team
from service.domain.render import (
    render_gpedit_steps, render_markdown, render_powershell, render_reg, render_svg,
)

EXPECTED = Path(__file__).parent / "expected"
RULESET = "ws2008r2-live-migration/1+test"  # the real one hashes the domain's source
SVG_NS = "{http://www.w3.org/2000/svg}"


def row2_node(name: str = "hv01", ip: str | None = "10.0.0.11", team_ip: str = "192.168.10.11/24") -> Node:
    """Row 2: 3 x 1 Gbps, two of them teamed for link aggregation on a private network."""
    return Node(
        name=name, management_ip=ip, processor_vendor="intel",
        adapters=(Adapter("NIC1", 1000), Adapter("NIC2", 1000, team="T1"),
                  Adapter("NIC3", 1000, team="T1", address=team_ip)),
        teams=(Team("T1", mode="link_aggregation", network="private"),),
    )


def row1_node(name: str = "hv01") -> Node:
    """Row 1: 4 x 1 Gbps, every role on its own adapter, no cap, so no policy."""
    return Node(name=name, management_ip="10.0.0.11", processor_vendor="intel",
                adapters=tuple(Adapter(f"NIC{i}", 1000) for i in range(1, 5)))


def row8_node(name: str = "hv01") -> Node:
    """Row 8: 2 x 1 Gbps, live migration capped at 90% of 1 Gbps (the guide's own example)."""
    return Node(name=name, management_ip="10.0.0.11", processor_vendor="intel",
                adapters=(Adapter("NIC1", 1000), Adapter("NIC2", 1000)))


def evaluated(*nodes: Node, **settings):
    evaluation = evaluate(Cluster(nodes=nodes, **settings))
    return dataclasses.replace(evaluation, ruleset_version=RULESET)


@pytest.fixture(scope="module")
def row2_cluster() -> Cluster:
    return Cluster(nodes=(row2_node("hv01", "10.0.0.11", "192.168.10.11/24"),
                          row2_node("hv02", "10.0.0.12", "192.168.10.12/24")),
                   name="hv-prod-01")


@pytest.fixture(scope="module")
def row2(row2_cluster):
    return dataclasses.replace(evaluate(row2_cluster), ruleset_version=RULESET)


def _renderings(evaluation, cluster) -> dict[str, str]:
    return {
        "row2.ps1": render_powershell(evaluation),
        "row2.reg": render_reg(evaluation, "hv01"),
        "row2-gpedit.md": render_gpedit_steps(evaluation),
        "row2.md": render_markdown(evaluation),
        "row2.svg": render_svg(evaluation, "hv01", cluster=cluster),
    }


@pytest.mark.parametrize("filename", ["row2.ps1", "row2.reg", "row2-gpedit.md", "row2.md", "row2.svg"])
def test_row2_matches_reviewed_file(row2, row2_cluster, filename):
    text = _renderings(row2, row2_cluster)[filename]
    path = EXPECTED / filename
    if os.environ.get("UPDATE_EXPECTED"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    # Bytes, not text: the .reg file's CRLF line endings are part of what is checked.
    assert text.encode("utf-8") == path.read_bytes()


def test_row2_rates_are_the_guides_caps(row2):
    """Team of 2 x 1 Gbps at 40% = 800,000,000 bit/s; management 10% of 1 Gbps = 100,000,000 bit/s."""
    policies = {p.kind: p for p in row2.nodes[0].qos_policies}
    assert policies["live_migration"].throttle_rate_bits_per_second == 800_000_000
    assert policies["management"].throttle_rate_bits_per_second == 100_000_000
    script = render_powershell(row2)
    assert "-IPProtocolMatchCondition TCP -IPDstPortMatchCondition 6600 " \
           "-ThrottleRateActionBitsPerSecond 800000000\n" in script
    assert "-IPSrcPrefixMatchCondition '10.0.0.11/32' -ThrottleRateActionBitsPerSecond 100000000\n" in script
    reg = render_reg(row2, "hv01")
    assert '"Throttle Rate"="97656"' in reg  # 800000000 // 8 // 1024
    assert '"Throttle Rate"="12207"' in reg  # 100000000 // 8 // 1024
    steps = render_gpedit_steps(row2, "hv01")
    assert "type `97656` and choose **KBps**" in steps
    assert "type `12207` and choose **KBps**" in steps


# ---- .reg ---------------------------------------------------------------------------------------

def _reg_keys(reg: str) -> dict[str, dict[str, str]]:
    keys: dict[str, dict[str, str]] = {}
    current = None
    for line in reg.split("\r\n"):
        if line.startswith("["):
            current = keys.setdefault(line.strip("[]"), {})
        elif line.startswith('"'):
            name, value = re.fullmatch(r'"([^"]+)"="([^"]*)"', line).groups()
            assert name not in current, f"duplicate value {name}"
            current[name] = value
    return keys


def test_reg_uses_crlf_and_has_exactly_11_values_per_policy_key(row2):
    reg = render_reg(row2, "hv01")
    assert reg.startswith("Windows Registry Editor Version 5.00\r\n\r\n")
    assert "\n" not in reg.replace("\r\n", "")
    assert reg.endswith("\r\n")
    assert all(line.startswith((";", "[", '"')) or line in ("", "Windows Registry Editor Version 5.00")
               for line in reg.split("\r\n"))
    keys = _reg_keys(reg)
    base = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\QoS\\"
    assert set(keys) == {base + "hv01-live-migration", base + "hv01-management"}
    for values in keys.values():
        assert len(values) == 11
        assert values["Version"] == "1.0"
        assert values["DSCP Value"] == "-1"
    lm = keys[base + "hv01-live-migration"]
    assert (lm["Protocol"], lm["Local Port"], lm["Remote Port"], lm["Local IP"]) == ("TCP", "*", "6600", "*")
    mgmt = keys[base + "hv01-management"]
    # Outbound traffic from the management address: the source is this computer, the Local IP.
    assert (mgmt["Local IP"], mgmt["Local IP Prefix Length"]) == ("10.0.0.11", "32")
    assert (mgmt["Remote IP"], mgmt["Remote IP Prefix Length"], mgmt["Protocol"]) == ("*", "*", "*")


def test_reg_says_the_throttle_rate_unit_is_unconfirmed(row2):
    reg = render_reg(row2, "hv01")
    assert "UNCONFIRMED UNIT" in reg
    assert reg.isascii()


def test_reg_is_for_one_node(row2):
    assert "hv02" not in render_reg(row2, "hv01")
    assert "10.0.0.12" in render_reg(row2, "hv02")


@pytest.mark.parametrize("render", [
    lambda e: render_reg(e, "nope"),
    lambda e: render_svg(e, "nope"),
    lambda e: render_powershell(e, "nope"),
    lambda e: render_gpedit_steps(e, "nope"),
])
def test_unknown_node_is_a_value_error(row2, render):
    with pytest.raises(ValueError, match="nope"):
        render(row2)


def test_ipv6_management_address_uses_a_128_bit_prefix():
    evaluation = evaluated(row2_node(ip="fd00::11"))
    assert "-IPSrcPrefixMatchCondition 'fd00::11/128'" in render_powershell(evaluation)
    mgmt = next(v for k, v in _reg_keys(render_reg(evaluation, "hv01")).items() if k.endswith("management"))
    assert (mgmt["Local IP"], mgmt["Local IP Prefix Length"]) == ("fd00::11", "128")


# ---- PowerShell ---------------------------------------------------------------------------------

def test_powershell_has_no_numeric_multiplier_suffixes(row2):
    script = render_powershell(row2)
    assert not re.search(r"\b\d+(?:\.\d+)?\s*(?:KB|MB|GB|TB|PB)\b", script, re.IGNORECASE)
    rates = re.findall(r"^ *New-NetQosPolicy .* -ThrottleRateActionBitsPerSecond (\S+)$", script, re.M)
    assert rates == ["800000000", "100000000", "800000000", "100000000"]


def test_powershell_is_idempotent_and_guarded_per_node(row2):
    script = render_powershell(row2)
    assert "#Requires -Modules NetQos" in script
    assert "[string]$PolicyStore = $env:COMPUTERNAME" in script
    assert "ActiveStore" in script and "reboot" in script
    for name in ("hv01", "hv02"):
        block = script.split(f"if ($env:COMPUTERNAME -eq '{name}') {{")[1].split("\n}")[0]
        for kind in ("live-migration", "management"):
            remove = block.index(f"Remove-NetQosPolicy -Name '{name}-{kind}' -PolicyStore $PolicyStore "
                                 "-Confirm:$false -ErrorAction SilentlyContinue")
            assert remove < block.index(f"New-NetQosPolicy -Name '{name}-{kind}' -PolicyStore $PolicyStore")
    assert script.count("New-NetQosPolicy -Name") == 4
    assert "TCP Chimney" in script and "outbound" in script


def test_powershell_for_one_node(row2):
    script = render_powershell(row2, "hv02")
    assert "'hv02'" in script and "'hv01'" not in script


def test_powershell_quotes_names_safely():
    evaluation = evaluated(row2_node(name="o'brien\u2019s\nhost"))
    script = render_powershell(evaluation)
    # Kept ASCII (PowerShell 5.1 reads a BOM-less script as ANSI): the typographic quote, which
    # PowerShell would also take for a quote, becomes a [char] outside the literal.
    assert ("if ($env:COMPUTERNAME -eq ('o''brien' + [char]0x2019 + 's' + [char]0x000A + "
            "'host')) {") in script
    assert script.isascii()
    # The name's line break is a [char] code: it never ends a comment or a line early.
    assert "\nhost" not in script
    assert "No QoS policy" not in script and "# hv" not in script


def test_tcp_chimney_is_flagged_on_the_policies():
    evaluation = evaluated(row2_node(), tcp_chimney_offload=True)
    assert "# WARNING: TCP Chimney Offload is enabled" in render_powershell(evaluation)
    assert "; WARNING: TCP Chimney Offload is enabled" in render_reg(evaluation, "hv01")
    assert "**Warning:** TCP Chimney Offload is enabled" in render_gpedit_steps(evaluation)


def test_management_cap_without_an_address_is_reported_not_dropped_silently():
    evaluation = evaluated(row2_node(ip=None))
    script = render_powershell(evaluation)
    assert script.count("New-NetQosPolicy -Name") == 1
    assert "no management_ip" in script
    assert "no management_ip" in render_reg(evaluation, "hv01")
    assert "**Not enforced:** management is capped at 10% on NIC1" in render_gpedit_steps(evaluation)


# ---- a node with no policy (row 1) ----------------------------------------------------------------

def test_row1_node_needs_no_policy():
    evaluation = evaluated(row1_node())
    assert evaluation.nodes[0].qos_policies == ()
    script = render_powershell(evaluation)
    assert "New-NetQosPolicy -Name" not in script and "Remove-NetQosPolicy" not in script
    assert "# No QoS policy for hv01: no role on this node shares a port with a bandwidth cap" in script
    reg = render_reg(evaluation, "hv01")
    assert _reg_keys(reg) == {}
    assert "; No QoS policy for hv01" in reg
    assert "No QoS policy: no role on this node shares a port" in render_gpedit_steps(evaluation)
    svg = ET.fromstring(render_svg(evaluation))
    assert len(svg.findall(f".//{SVG_NS}g[@class='port']")) == 4
    markdown = render_markdown(evaluation)
    assert markdown.splitlines()[0] == "**Recommended** · design mode · from the guide's table (row 1)"


# ---- gpedit.msc -------------------------------------------------------------------------------------

def test_gpedit_shows_both_megabyte_figures_and_which_to_type():
    """90% of 1 Gbps: the guide's 115.2 MBps (rounded to 115), exactly 112.5 MB/s, 109863 KBps."""
    steps = render_gpedit_steps(evaluated(row8_node()))
    assert "**Type in the dialog: `109863` KBps**" in steps  # 900000000 // 8 // 1024
    assert "Exact rate in decimal MB/s: 112.5 MB/s." in steps
    assert "The guide's convention (1 Gbps ≈ 128 MBps): 115.2 MBps. It is above the cap" in steps
    assert "gpedit.msc" in steps and "Create new Policy" in steps
    assert "**To this destination port number or range**, type `6600`" in steps
    assert "**Only for the following source IP address or prefix:** and type `10.0.0.11`" in steps
    assert "**From any source port**" in steps and "select **TCP**" in steps


# ---- Markdown -----------------------------------------------------------------------------------------

def test_markdown_is_short_and_says_where_the_class_came_from(row2):
    markdown = render_markdown(row2)
    lines = markdown.splitlines()
    assert lines[0] == "**Supported** · design mode · from the guide's table (row 2)"
    assert len(lines) < 40
    assert markdown.count("| live migration | T1 | no | ≤ 40% |") == 1  # same layout: shown once
    assert "**LM204** warning, caps at supported (hv01, hv02)" in markdown
    assert lines[-1] == f"_Ruleset {RULESET}_"


def test_markdown_shows_each_layout_when_nodes_differ():
    evaluation = evaluated(row2_node("hv01"), row1_node("hv02"))
    markdown = render_markdown(evaluation)
    assert "**hv01**: supported, from the guide's table (row 2)" in markdown
    assert "**hv02**: recommended, from the guide's table (row 1)" in markdown
    assert markdown.count("| role | port | virtual | cap |") == 2


def test_markdown_lists_every_finding_errors_first():
    nodes = tuple(row8_node(f"hv{i:02}") for i in range(1, 4))
    evaluation = evaluated(*nodes, live_migration_ipsec=True, tcp_chimney_offload=True,
                           failover_clustering=False)
    markdown = render_markdown(evaluation)
    findings = [line for line in markdown.splitlines() if line.startswith("- **LM")]
    assert findings[0].startswith("- **LM101** error")  # errors before warnings
    # one line for the three nodes, with what the finding caps the class at
    assert "**LM203** warning, caps at not recommended (hv01, hv02, hv03)" in markdown
    assert {f.code for f in evaluation.findings} == {
        line.split("**")[1] for line in findings}  # every code, info included


def test_render_modules_are_pure():
    """No web, schema or cache framework in the domain's renderers."""
    folder = Path(__file__).parents[2] / "service" / "domain" / "render"
    for module in folder.glob("*.py"):
        imports = [line for line in module.read_text().splitlines() if line.startswith(("import ", "from "))]
        assert not [line for line in imports if re.search(r"\b(flask|marshmallow|redis)", line)], module.name


# ---- SVG ------------------------------------------------------------------------------------------------

def test_svg_parses_and_marks_virtual_roles_and_caps(row2, row2_cluster):
    root = ET.fromstring(render_svg(row2, "hv01", cluster=row2_cluster))
    assert root.tag == f"{SVG_NS}svg"
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "SUPPORTED" in texts and "NIC1" in texts and "T1" in texts
    assert "adapter, 1 Gbps" in texts and "team, link aggregation, 2 Gbps" in texts
    assert "members: NIC2 (1 Gbps), NIC3 (1 Gbps)" in texts and "private network" in texts
    assert "vSwitch · ≤ 10%" in texts and "≤ 40%" in texts
    dashed = [g.get("data-role") for g in root.iter(f"{SVG_NS}g")
              if g.get("class") == "role" and g.find(f"{SVG_NS}rect").get("stroke-dasharray")]
    assert dashed == ["vm_access", "management"]


def test_svg_escapes_names():
    evaluation = evaluated(row2_node(name="a<b&c"))
    svg = render_svg(evaluation)
    assert "a<b&c" not in svg and "a&lt;b&amp;c" in svg
    root = ET.fromstring(svg)
    assert "a<b&c" in [t.text for t in root.iter(f"{SVG_NS}text")]
    assert root.find(f"{SVG_NS}title").text.startswith("Network layout of a<b&c")
    # The other renderings keep such a name harmless too (a code span shows it as it is).
    assert "`a<b&c`" in render_markdown(evaluated(row2_node("a<b&c"), row1_node("x")))
    assert "if ($env:COMPUTERNAME -eq 'a<b&c') {" in render_powershell(evaluation)


def test_svg_is_deterministic_and_defaults_to_the_first_node(row2):
    assert render_svg(row2) == render_svg(row2)
    assert render_svg(row2, "hv01") == render_svg(row2, "hv01")
    assert render_svg(row2, "hv02") != render_svg(row2, "hv01")
    assert "layout of hv01" in render_svg(row2)  # the first node's layout, the cluster's class


def test_svg_without_speeds_uses_the_policies_speeds(row2):
    root = ET.fromstring(render_svg(row2))
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "1 Gbps" in texts and "2 Gbps" in texts  # both ports carry a policy here


@pytest.mark.parametrize("control", ["\x00", "\x1b[8m", "\x07", "\x9b", "\u202e"])
def test_no_renderer_writes_a_control_character(control):
    """Names are refused with a 422 at the API; the renderers hold even if one gets through."""
    evaluation = evaluated(row2_node(name=f"hv{control}01"))
    texts = [render_powershell(evaluation), render_markdown(evaluation),
             render_gpedit_steps(evaluation), render_svg(evaluation, evaluation.nodes[0].name)]
    for text in texts:
        assert not any(ch in text for ch in "\x00\x1b\x07\x9b\u202e"), text[:200]


@pytest.mark.parametrize("nonchar", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe"])
def test_svg_stays_well_formed_with_noncharacters(nonchar):
    evaluation = evaluated(row2_node(name=f"hv{nonchar}01"))
    picture = render_svg(evaluation, evaluation.nodes[0].name)
    ET.fromstring(picture)  # raises on an ill-formed document
    assert nonchar not in picture


def test_markdown_escapes_links_and_mentions():
    """A mention or link in a name reaches the chat only inside a code span (no ping, no
    autolink) or escaped."""
    evaluation = evaluated(row2_node(name="@channel see https://x.example www.y.example"))
    text = render_markdown(evaluation)
    outside_code = re.sub(r"`[^`]*`", "", text)
    assert not re.search(r"(?<!\\)@channel|(?<!\\)://|www\.y", outside_code)
    assert "@channel" in text and "https://x.example" in text  # the name is still shown
