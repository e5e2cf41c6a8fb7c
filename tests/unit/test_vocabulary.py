"""The domain reads enums (network, team mode, mode, scope) whose values are the contract's strings."""
from __future__ import annotations

import json

from service.domain.catalogue import Scope
from service.domain.evaluate import evaluate
from service.domain.model import Mode, Network, TeamMode
from service.domain.shorthand import format_shorthand, parse_shorthand
from service.application.usecases import load_description


def test_the_one_line_inventory_gives_enums_and_reads_back_the_same():
    cluster = parse_shorthand("2x1G private, 2x10G team(2,fo,public)")
    node = cluster.nodes[0]
    assert {a.network for a in node.adapters if a.team is None} == {Network.PRIVATE}
    assert node.teams[0].mode is TeamMode.FAILOVER and node.teams[0].network is Network.PUBLIC
    assert format_shorthand(node) == "2x1G private, 2x10G team(2,failover,public)"


def test_a_description_loads_into_enums():
    cluster = load_description({"nodes": [{"name": "hv01", "adapters": [
        {"name": "A", "speed_mbps": 1000, "network": "public"},
        {"name": "B", "speed_mbps": 1000, "team": "T"},
        {"name": "C", "speed_mbps": 1000, "team": "T"}],
        "teams": [{"name": "T", "mode": "link_aggregation", "network": "private"}]}]})
    node = cluster.nodes[0]
    assert node.adapters[0].network is Network.PUBLIC
    assert node.teams[0].mode is TeamMode.LINK_AGGREGATION
    assert node.teams[0].network is Network.PRIVATE


def test_enums_are_their_strings_wherever_text_is_written():
    evaluation = evaluate(parse_shorthand("4x1G"))
    assert evaluation.mode is Mode.DESIGN
    assert json.dumps([evaluation.mode, Network.PUBLIC, TeamMode.FAILOVER, Scope.LAYOUT]) \
        == '["design", "public", "failover", "layout"]'
    assert f"{Network.PRIVATE}" == "private" and Network.PRIVATE == "private"
