"""The ws2016 answer for people: Markdown and the SVG picture against hand-reviewed files
(converged RDMA, dedicated storage, no RDMA), and their invariants: exact bytes and bits for the
SMB limit, names escaped, every finding under its Microsoft page, one chat message at most, a
well-formed and deterministic picture.

To regenerate the expected files after a deliberate change: UPDATE_EXPECTED=1 pytest
tests/unit/test_ws2016_outputs.py, then review the diff line by line.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from service.application import usecases
from service.domain.render.markdown import MAX_CHARS
from service.domain.rulesets.ws2016 import serve
from service.domain.rulesets.ws2016.render_md import gbps, page_link, render_markdown
from service.domain.rulesets.ws2016.render_svg import render_svg
from tests.ws2016_json import TWO_10, TWO_10_TWO_RDMA_25, TWO_RDMA_25, adapter, ws2016

EXPECTED = Path(__file__).parent / "expected"
SVG_NS = "{http://www.w3.org/2000/svg}"


DESIGNS = {
    "ws2016-converged-2x25": ws2016(TWO_RDMA_25, max_simultaneous_live_migrations=4),
    "ws2016-dedicated-2x10-2x25": ws2016(TWO_10_TWO_RDMA_25),
    "ws2016-no-rdma-2x10": ws2016(TWO_10),
}


def served(description: dict) -> serve.Served:
    return serve.serve(usecases.load_description(description))


def check_expected(name: str, text: str) -> None:
    path = EXPECTED / name
    if os.environ.get("UPDATE_EXPECTED"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs: review and regenerate"


@pytest.mark.parametrize("name", DESIGNS)
def test_markdown_matches_the_reviewed_file(name):
    check_expected(f"{name}.md", render_markdown(served(DESIGNS[name]).evaluation))


def test_the_smb_limit_is_exact_bytes_with_its_bits_and_decimal_gigabits():
    text = render_markdown(served(DESIGNS["ws2016-converged-2x25"]).evaluation)
    assert "906250000 bytes/s = 7250000000 bit/s (7.25 Gbps)" in text
    assert "-BytesPerSecond 906250000" in text
    assert not re.search(r"\d\s*(MB|GB|KB|MiB|GiB)\b", text)


@pytest.mark.parametrize("bits, text", [(7_250_000_000, "7.25"), (10_000_000_000, "10"),
                                        (8_388_608, "0.008388608"), (1, "0.000000001")])
def test_gigabits_are_decimal_and_exact(bits, text):
    assert gbps(bits) == text


def test_without_smb_the_answer_says_the_limit_does_not_apply_and_dcb_is_off():
    text = render_markdown(served(DESIGNS["ws2016-no-rdma-2x10"]).evaluation)
    assert "Transport: Compression" in text
    assert "SMB bandwidth limit: none" in text and "**DCB**: none" in text


def test_findings_are_grouped_by_rule_under_the_microsoft_page():
    evaluation = served(ws2016([adapter("a", 1)])).evaluation
    text = render_markdown(evaluation)
    for code in {f.code for f in evaluation.findings}:
        assert text.count(f"**{code}**") == 1
    assert "· [Failover clustering hardware requirements and storage options]" \
           "(https://learn.microsoft.com/windows-server/failover-clustering/" \
           "clustering-requirements)" in text
    assert "set by WS407, WS411" in text
    for finding in evaluation.findings:  # each node's own message, under its rule
        assert finding.message in text


def test_a_page_title_with_parentheses_keeps_them_and_a_finding_without_a_page_has_no_link():
    assert page_link("Remote Direct Memory Access (RDMA) and SET (https://learn.microsoft.com/x)") \
        == "[Remote Direct Memory Access (RDMA) and SET](https://learn.microsoft.com/x)"
    assert page_link("Facts the description does not give ()") == ""
    assert page_link(None) == ""


def test_user_names_go_into_code_spans_and_cannot_break_a_table_or_mention_anyone():
    hostile = [adapter("*NIC|1_", 25, rdma=True, model="R"),
               adapter("@channel", 25, rdma=True, model="R")]
    description = ws2016(hostile)
    description["nodes"][0]["name"] = "hv_01 [x](https://evil.example)"
    description["nodes"][1]["name"] = "hv02"
    text = render_markdown(served(description).evaluation)
    assert "`*NIC\\|1_`" in text and "`@channel`" in text
    assert "`hv_01` `[x](https://evil.example`)" in text  # the trailing ) is outside
    for line in text.splitlines():
        if line.startswith("| ") and "pNIC" not in line:
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (6, 7, 8), line  # the columns of the table, no more


def test_many_different_nodes_fit_one_chat_message_with_every_finding():
    description = ws2016(TWO_RDMA_25, nodes=16)
    for i, node in enumerate(description["nodes"]):
        node["adapters"] = [adapter(f"n{i}-{k}", 1 + i + k, model=f"M{i}") for k in range(3)]
        node["os_version"] = "2012r2" if i % 3 == 0 else "2022"
    evaluation = served(description).evaluation
    text = render_markdown(evaluation)
    assert len(text) <= MAX_CHARS
    for code in {f.code for f in evaluation.findings}:
        assert code in text
    assert "every finding's full text is in the JSON answer" in text


def test_the_same_description_always_renders_the_same_bytes():
    first = render_markdown(served(DESIGNS["ws2016-dedicated-2x10-2x25"]).evaluation)
    assert render_markdown(served(DESIGNS["ws2016-dedicated-2x10-2x25"]).evaluation) == first


# ---- the SVG picture ---------------------------------------------------------------------------

def picture(description: dict, node: str | None = None) -> str:
    answer = served(description)
    return render_svg(answer.evaluation, answer.design, node)


@pytest.mark.parametrize("name", DESIGNS)
def test_svg_matches_the_reviewed_file(name):
    check_expected(f"{name}.svg", picture(DESIGNS[name]))


def boxes(svg: str) -> dict[str, list[str]]:
    """Each drawn box's kind -> the names of its boxes, in order."""
    out: dict[str, list[str]] = {}
    for group in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if "data-name" in group.attrib:
            out.setdefault(group.attrib["class"], []).append(group.attrib["data-name"])
    return out


def test_svg_draws_the_switch_over_its_members_and_each_vnic_over_its_mapped_member():
    svg = picture(DESIGNS["ws2016-converged-2x25"])
    assert boxes(svg) == {"switch": ["ConvergedSwitch"], "vnic": ["SMB1", "SMB2"],
                          "member": ["pNIC01", "pNIC02"]}
    root = ET.fromstring(svg)
    x = {g.attrib["data-name"]: g.find(f"{SVG_NS}rect").attrib["x"]
         for g in root.iter(f"{SVG_NS}g") if "data-name" in g.attrib}
    assert x["SMB1"] == x["pNIC01"] and x["SMB2"] == x["pNIC02"]
    assert "906250000 bytes/s = 7250000000 bit/s (7.25 Gbps)" in svg


def test_svg_shows_standalone_storage_adapters_and_adapters_left_unused():
    description = ws2016([*TWO_10_TWO_RDMA_25, adapter("lom1", 1, model="L")])
    found = boxes(picture(description))
    assert found["storage"] == ["pNIC03", "pNIC04"] and found["member"] == ["pNIC01", "pNIC02"]
    assert found["unused"] == ["lom1"]


def test_svg_badge_is_the_named_nodes_class_or_the_clusters():
    description = ws2016(TWO_RDMA_25)
    description["nodes"][1]["os_version"] = "2012r2"
    def badge(svg):
        return next(g.attrib["data-classification"] for g in ET.fromstring(svg).iter(
            f"{SVG_NS}g") if g.attrib.get("class") == "badge")
    assert badge(picture(description)) == "unsupported"
    assert badge(picture(description, "hv01")) == "recommended"
    with pytest.raises(ValueError):
        picture(description, "nope")


def test_svg_escapes_names_and_is_well_formed():
    hostile = [adapter("<b>&\"x'</b>", 25, rdma=True, model="R"),
               adapter("a&amp;b]]>", 25, rdma=True, model="R")]
    description = ws2016(hostile, name="</svg><script>alert(1)</script>")
    svg = picture(description)
    root = ET.fromstring(svg)  # well-formed
    assert "<script>" not in svg and "<b>" not in svg
    assert "a&amp;amp;b]]&gt;" in svg  # entities and CDATA ends stay text
    assert root.find(f"{SVG_NS}title").text.startswith("Host networking of ")
    assert boxes(svg)["member"][0] == "<b>&\"x'</b>"


def test_svg_is_deterministic():
    assert picture(DESIGNS["ws2016-no-rdma-2x10"]) == picture(DESIGNS["ws2016-no-rdma-2x10"])
