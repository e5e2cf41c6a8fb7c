"""The chat answer: one message, every finding, Markdown that reads the same in Slack."""
from __future__ import annotations

from dataclasses import replace

import pytest

from service.domain.evaluate import evaluate
from service.domain.model import Adapter, Cluster, Node
from service.domain.render.chat import chat_text, code_span, name_list
from service.domain.render.markdown import MAX_CHARS, render_markdown
from service.domain.shorthand import parse_shorthand

VARIED = ["1x100M", "2x1G", "3x1G", "4x1G", "2x10G", "1x10G,1x1G", "2x10G,1x1G",
          "3x1G team(2,public)", "1x1G,1x100M public"]


def varied_cluster(nodes: int = 64) -> Cluster:
    """Nodes of many shapes, long names and addresses: many layouts, many distinct findings."""
    out = []
    for i in range(nodes):
        node = parse_shorthand(VARIED[i % len(VARIED)]).nodes[0]
        out.append(replace(node, name=f"hyper-v-node-with-a-rather-long-name-{i:02d}",
                           management_ip=f"10.0.{i}.1"))
    return Cluster(nodes=tuple(out), live_migration_ipsec=True, tcp_chimney_offload=True)


@pytest.mark.parametrize("cluster", [
    varied_cluster(), parse_shorthand("1x100M", 64), parse_shorthand("3x1G team(2,public)", 64),
], ids=["64 varied nodes", "64 single-adapter nodes", "64 public-team nodes"])
def test_one_message_holds_every_finding_code(cluster):
    evaluation = evaluate(cluster)
    text = render_markdown(evaluation)
    assert len(text) <= MAX_CHARS
    for code in {f.code for f in evaluation.findings}:
        assert code in text, code
    if len(render_markdown(evaluation, limit=10 ** 6)) > MAX_CHARS:
        assert "Shortened to fit one chat message" in text  # says where the full text is


def test_a_small_answer_keeps_every_finding_in_full():
    evaluation = evaluate(parse_shorthand("1x100M"))
    text = render_markdown(evaluation)
    for finding in evaluation.findings:
        assert chat_text(finding.message) in text
    assert "Shortened" not in text


def test_risky_words_become_code_spans_not_backslashes():
    assert chat_text("set redundant_cluster_path: true") == "set `redundant_cluster_path`: true"
    assert chat_text("see http://example.com now") == "see `http://example.com` now"
    assert chat_text("ping @here and <!channel>") == "ping `@here` and `<!channel>`"
    assert chat_text("NIC1 (1 Gbps) is fine.") == "NIC1 (1 Gbps) is fine."
    assert "\\" not in chat_text("a*b_c [d](e) `f`")


def test_a_code_span_holds_backticks():
    assert code_span("a`b") == "`` a`b ``"
    assert code_span("plain") == "`plain`"


def test_long_node_lists_are_summarised():
    names = [f"n{i}" for i in range(1, 65)]
    assert name_list(names) == "64 nodes: n1, n2, n3, …, n64"
    assert name_list(names[:3]) == "n1, n2, n3"


def test_names_with_markdown_characters_reach_the_table_safely():
    node = Node("hv_01", (Adapter("NIC|1*", 1000), Adapter("NIC_2", 1000)))
    text = render_markdown(evaluate(Cluster(nodes=(node,))))
    assert "| `NIC\\|1*` |" in text  # the pipe escaped for the table, the rest a code span
    assert "`hv_01`" in text
