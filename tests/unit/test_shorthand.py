"""The one-line chat-ops inventory form: grammar, positioned errors, format/parse round trip."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.model import Adapter, Cluster, Node, Team
from service.domain.ports import build_ports
from service.domain.shorthand import (
    GRAMMAR,
    ShorthandError,
    format_shorthand,
    parse_shorthand,
    rdma_facts,
)
from tests.profiles import examples


def node_of(text: str) -> Node:
    cluster = parse_shorthand(text)
    assert len(cluster.nodes) == 1
    return cluster.nodes[0]


def inventory(node: Node) -> Counter:
    """The node as the rules see it: a multiset of port profiles."""
    return Counter(port.profile for port in build_ports(node))


def summary(node: Node) -> list[tuple]:
    """Adapters as (name, speed, team, network), then teams as (name, mode, network)."""
    return ([(a.name, a.speed_mbps, a.team, a.network) for a in node.adapters]
            + [(t.name, t.mode, t.network) for t in node.teams])


# ---- the spec's two examples --------------------------------------------------------------------


def test_spec_example_two_ten_gig_and_one_gig():
    node = node_of("2x10G,1x1G")
    assert summary(node) == [
        ("NIC1", 10_000, None, None), ("NIC2", 10_000, None, None), ("NIC3", 1_000, None, None),
    ]


def test_spec_example_three_one_gig_with_a_private_team_of_two():
    node = node_of("3x1G team(2,private)")
    # The same shape as the request example of SPEC §3: NIC1 alone, NIC2 and NIC3 in T1.
    assert summary(node) == [
        ("NIC1", 1_000, None, None), ("NIC2", 1_000, "T1", None), ("NIC3", 1_000, "T1", None),
        ("T1", "link_aggregation", "private"),
    ]


def test_cluster_defaults_and_nodes_replicated():
    cluster = parse_shorthand("2x10G", nodes=3)
    assert isinstance(cluster, Cluster)
    assert [n.name for n in cluster.nodes] == ["node1", "node2", "node3"]
    assert len({(n.adapters, n.teams) for n in cluster.nodes}) == 1
    assert cluster.failover_clustering and cluster.shared_storage == "iscsi"
    assert not cluster.audit_mode


def test_sixty_four_nodes_allowed():
    assert len(parse_shorthand("1G", nodes=64).nodes) == 64


# ---- each grammar feature ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1x10G + 1x1G", "1x10G+1x1G", "1x10G ,1x1G", " 1x10G , 1x1G "])
def test_separators_and_spaces(text):
    assert [a.speed_mbps for a in node_of(text).adapters] == [10_000, 1_000]


@pytest.mark.parametrize("text", ["4x1G", "4X1G", "4×1G", "4*1G", "4 x 1G", "4 * 1 G"])
def test_count_separators(text):
    assert [a.speed_mbps for a in node_of(text).adapters] == [1_000] * 4


def test_counts_with_spaces_and_common_notations():
    assert [a.speed_mbps for a in node_of("2 x 10GbE, 1 X 1 GigE").adapters] == [
        10_000, 10_000, 1_000]


def test_count_defaults_to_one():
    assert [a.speed_mbps for a in node_of("10G").adapters] == [10_000]
    assert [a.speed_mbps for a in node_of("10G, 1G").adapters] == [10_000, 1_000]


@pytest.mark.parametrize("text,mbps", [
    ("100M", 100), ("100Mb", 100), ("100mbps", 100), ("100 MBPS", 100), ("10M", 10),
    ("1G", 1_000), ("1gb", 1_000), ("1Gbps", 1_000), ("2.5G", 2_500), ("0.5G", 500),
    ("1.25G", 1_250), ("400G", 400_000), ("010G", 10_000), ("2.50G", 2_500), ("100.0M", 100),
    # The notations people type (issue 11): GbE, GigE, Gb/s, Gbit/s, spaces around x.
    ("10GbE", 10_000), ("10GigE", 10_000), ("10 Gb/s", 10_000), ("1Gbit/s", 1_000),
    ("1gbit", 1_000), ("100Mb/s", 100), ("100 Mbit/s", 100), ("100MbE", 100),
])
def test_units_and_decimals(text, mbps):
    assert node_of(text).adapters[0].speed_mbps == mbps


@pytest.mark.parametrize("word,mode", [
    ("lacp", "link_aggregation"), ("LAG", "link_aggregation"),
    ("link_aggregation", "link_aggregation"), ("Aggregation", "link_aggregation"),
    ("failover", "failover"), ("FO", "failover"),
])
def test_team_modes(word, mode):
    node = node_of(f"2x1G team(2,{word})")
    assert node.teams == (Team("T1", mode=mode, network=None),)


def test_team_defaults_to_link_aggregation_and_no_network():
    node = node_of("2x10G team(2)")
    assert node.teams == (Team("T1", mode="link_aggregation", network=None),)
    assert [a.team for a in node.adapters] == ["T1", "T1"]


@pytest.mark.parametrize("inside", ["2,failover,public", "2, public, failover", " 2 ,FO,PUBLIC "])
def test_team_mode_and_network_in_either_order(inside):
    assert node_of(f"2x1G team({inside})").teams == (Team("T1", "failover", "public"),)


def test_item_network_applies_to_its_lone_adapters_only():
    node = node_of("3x1G public team(2,private)")
    assert summary(node) == [
        ("NIC1", 1_000, None, "public"), ("NIC2", 1_000, "T1", None), ("NIC3", 1_000, "T1", None),
        ("T1", "link_aggregation", "private"),
    ]
    # The network may also follow the team clause.
    assert summary(node_of("3x1G team(2,private) public")) == summary(node)


@pytest.mark.parametrize("text,network", [("1x1G public", "public"), ("2x10G Private", "private")])
def test_item_network(text, network):
    assert {a.network for a in node_of(text).adapters} == {network}


def test_adapters_and_teams_numbered_in_order():
    node = node_of("2x1G team(2,fo), 1x10G private, 3x10G team(2,lacp,private)")
    assert summary(node) == [
        ("NIC1", 1_000, "T1", None), ("NIC2", 1_000, "T1", None),
        ("NIC3", 10_000, None, "private"),
        ("NIC4", 10_000, None, None), ("NIC5", 10_000, "T2", None), ("NIC6", 10_000, "T2", None),
        ("T1", "failover", None), ("T2", "link_aggregation", "private"),
    ]


def test_team_of_one_is_allowed():
    assert node_of("1x10G team(1,failover)").teams == (Team("T1", "failover", None),)


def test_thirty_two_adapters_allowed():
    assert len(node_of("32x1G").adapters) == 32
    assert len(node_of("16x1G,16x10G team(16)").adapters) == 32


def test_grammar_text_mentions_every_keyword():
    for word in ("Mbps", "Gbps", "team(", "lacp", "lag", "link_aggregation", "aggregation",
                 "failover", "fo", "public", "private", "×", "*", "+", "rdma", "roce", "rocev2",
                 "iwarp", "infiniband", "ib", "ruleset=ws2016"):
        assert word in GRAMMAR


def test_rdma_words_name_their_adapters_and_kinds_when_asked_for():
    text = "2x25G rocev2, 2x10G, 1x25G ROCE_V2, 2x100G ib, 1x10G rdma, 1x40G iWARP, 1x25G roce"
    assert rdma_facts(text) == {
        "NIC1": "roce_v2", "NIC2": "roce_v2", "NIC5": "roce_v2", "NIC6": "infiniband",
        "NIC7": "infiniband", "NIC8": None, "NIC9": "iwarp", "NIC10": "roce"}
    # The same adapters and speeds as without the words.
    with_words = parse_shorthand(text, 2, rdma=True)
    plain = parse_shorthand(text.replace(" rocev2", "").replace(" ROCE_V2", "")
                            .replace(" ib", "").replace(" rdma", "").replace(" iWARP", "")
                            .replace(" roce", ""), 2)
    assert with_words == plain
    assert rdma_facts("2x10G,1x1G") == {}


# ---- errors: position and message ----------------------------------------------------------------


@pytest.mark.parametrize("text,position,expected", [
    ("", 0, "expected an adapter inventory such as 2x10G,1x1G"),
    ("   ", 0, "expected an adapter inventory such as 2x10G,1x1G"),
    ("2xG", 2, "expected a speed such as 1G or 10G"),
    ("2x", 2, "expected a speed such as 1G or 10G"),
    ("2 x  ", 5, "expected a speed such as 1G or 10G"),
    ("0x1G", 0, "expected a count of at least 1"),
    ("1G, 00x1G", 4, "expected a count of at least 1"),
    ("1.5x1G", 0, "expected a whole number of adapters"),
    ("5M", 0, "expected a speed from 10M to 400G, not 5M"),
    ("1x9M", 2, "expected a speed from 10M to 400G, not 9M"),
    ("1x0G", 2, "expected a speed from 10M to 400G, not 0G"),
    ("1x401G", 2, "expected a speed from 10M to 400G, not 401G"),
    ("1x400001M", 2, "expected a speed from 10M to 400G, not 400001M"),
    ("1x10.5M", 2, "expected a whole number of Mbps, not 10.5M"),
    ("1x1.0001G", 2, "expected a whole number of Mbps, not 1.0001G"),
    ("1x1.G", 4, "expected a digit after the decimal point"),
    ("1x1", 3, "expected a unit after the speed: M, Mb, Mbps, Mb/s, G, Gb, Gbps, Gb/s, GbE or GigE"),
    ("1x10 public", 5, "unknown unit 'public': expected M, Mb, Mbps, Mb/s, G, Gb, Gbps, Gb/s, GbE or GigE"),
    ("1x1Q", 3, "unknown unit 'Q': expected M, Mb, Mbps, Mb/s, G, Gb, Gbps, Gb/s, GbE or GigE"),
    ("1x1GbX", 3, "unknown unit 'GbX'"),
    ("1x1Gb/x", 3, "unknown unit 'Gb/x'"),
    ("33x1G", 0, "expected at most 32 adapters a node"),
    ("30x1G, 3x1G", 7, "expected at most 32 adapters a node"),
    ("3x1G team(4)", 10, "expected a team of at most 3 adapters (the item has 3)"),
    ("1x1G team(2)", 10, "expected a team of at most 1 adapter (the item has 1)"),
    ("3x1G team(0)", 10, "expected a team of at least 1 adapter"),
    ("3x1G team", 9, "expected '(' after team, as in team(2,private)"),
    ("3x1G team 2", 10, "expected '(' after team"),
    ("3x1G team()", 10, "expected the number of teamed adapters, as in team(2)"),
    ("3x1G team(2", 11, "expected ',' or ')' in team(...)"),
    ("3x1G team(2;lacp)", 11, "expected ',' or ')' in team(...)"),
    ("3x1G team(2,)", 12, "expected a team mode (lacp, failover) or network (public, private)"),
    ("3x1G team(2,bogus)", 12, "unknown word 'bogus': expected a team mode (lacp, failover)"),
    ("3x1G team(2,lacp,fo)", 17, "expected one mode in team(...), not a second"),
    ("3x1G team(2,public,private)", 19, "expected one network in team(...), not a second"),
    ("3x1G team(2.5)", 10, "expected a whole number of teamed adapters"),
    ("1x1G foo", 5, "unknown word 'foo': expected public, private, team(...) or an RDMA word"),
    ("2x25G roce", 6, "RDMA words are read by the Windows Server 2016 and later ruleset only"),
    ("1x1G, 2x25G public RoCEv2", 19, "RDMA words are read by the Windows Server 2016"),
    ("2x25G roce iwarp", 11, "expected one RDMA word an item, not a second"),
    ("2x25G rocev3", 6, "unknown word 'rocev'"),
    ("1x1G public private", 12, "expected one network an item, not a second"),
    ("2x1G team(1) team(1)", 13, "expected one team(...) an item"),
    ("2x1G team(2) public", 13, "expected the network inside team(...)"),
    ("1x1G 1x1G", 5, "expected ',' or '+' between items"),
    ("1x1G;1x1G", 4, "expected ',' or '+' between items"),
    ("1x1G,", 5, "expected an adapter item such as 1x1G after ','"),
    ("1x1G + ", 7, "expected an adapter item such as 1x1G after '+'"),
    ("1x1G,,1G", 5, "expected a count and speed such as 2x10G, or a speed such as 1G"),
    ("x1G", 0, "expected a count and speed such as 2x10G, or a speed such as 1G"),
    ("teams", 0, "expected a count and speed such as 2x10G"),
    ("1G\u0130", 2, "expected ',' or '+' between items"),
    ("1x\u00b9G", 2, "expected a speed such as 1G or 10G"),
])
def test_errors(text, position, expected):
    with pytest.raises(ShorthandError) as caught:
        parse_shorthand(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.position == position
    assert expected in error.message
    assert error.message.endswith(f" at position {position}")
    assert str(error) == error.message


def test_thirty_third_lone_item_is_rejected_at_its_position():
    text = ",".join(["1G"] * 33)
    with pytest.raises(ShorthandError) as caught:
        parse_shorthand(text)
    assert caught.value.position == 32 * 3
    assert "at most 32 adapters" in caught.value.message


@pytest.mark.parametrize("text,position", [
    ("9" * 5000 + "x1G", 0),       # a count far too large for int() must still be a clean error
    ("1x" + "9" * 5000 + "G", 2),  # likewise a speed
    ("3x1G team(" + "9" * 5000 + ")", 10),
    ("1x1." + "0" * 5000 + "1G", 2),
])
def test_absurd_numbers_are_clean_errors(text, position):
    with pytest.raises(ShorthandError) as caught:
        parse_shorthand(text)
    assert caught.value.position == position
    assert len(caught.value.message) < 200


@pytest.mark.parametrize("nodes", [0, -1, 65, 1000, True, 2.0, "2", None])
def test_nodes_out_of_range(nodes):
    with pytest.raises(ShorthandError) as caught:
        parse_shorthand("1G", nodes=nodes)
    assert caught.value.position is None
    assert "expected nodes from 1 to 64" in caught.value.message


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        parse_shorthand(None)  # type: ignore[arg-type]


# ---- format_shorthand ----------------------------------------------------------------------------


def test_format_the_spec_request_example():
    node = Node("hv01", (
        Adapter("NIC1", 1000),
        Adapter("NIC2", 1000, team="T1"),
        Adapter("NIC3", 1000, team="T1", address="192.168.10.11/24"),
    ), (Team("T1", "link_aggregation", "private"),))
    assert format_shorthand(node) == "1x1G, 2x1G team(2,link_aggregation,private)"


@pytest.mark.parametrize("text,formatted", [
    ("2x10G,1x1G", "2x10G, 1x1G"),
    ("1G public, 100M, 1G public, 2.5G", "2x1G public, 1x100M, 1x2.5G"),
    ("1234M", "1x1234M"),
    ("500M", "1x500M"),
    ("4x1G team(2, FO)", "2x1G, 2x1G team(2,failover)"),
])
def test_format_examples(text, formatted):
    assert format_shorthand(node_of(text)) == formatted


def test_format_takes_a_team_network_from_its_members_as_ports_do():
    node = Node("n", (Adapter("A", 1000, team="X", network="public"), Adapter("B", 1000, team="X")),
                (Team("X", "failover"),))
    assert format_shorthand(node) == "2x1G team(2,failover,public)"


@pytest.mark.parametrize("node,expected", [
    (Node("n", ()), "expected 1 to 32 adapters"),
    (Node("n", tuple(Adapter(f"N{i}", 1000) for i in range(33))), "expected 1 to 32 adapters"),
    (Node("n", (Adapter("A", 1000, team="X"), Adapter("B", 10000, team="X")), (Team("X"),)),
     "mixes speeds"),
    (Node("n", (Adapter("A", 1000, team="X"),)), "is not declared"),
    (Node("n", (Adapter("A", 1000),), (Team("X"),)), "has no member"),
    (Node("n", (Adapter("A", 5),)), "outside 10..400000"),
    (Node("n", (Adapter("A", 1000, network="dmz"),)), "is not public, private or unset"),
    (Node("n", (Adapter("A", 1000, team="X"),), (Team("X", mode="switch"),)), "mode 'switch'"),
])
def test_format_rejects_what_the_form_cannot_express(node, expected):
    with pytest.raises(ValueError, match=expected):
        format_shorthand(node)


# ---- properties ----------------------------------------------------------------------------------

SPEEDS = st.one_of(
    st.sampled_from([10, 100, 1_000, 2_500, 10_000, 25_000, 40_000, 100_000, 400_000]),
    st.integers(10, 400_000),
)
NETWORKS = st.sampled_from([None, "public", "private"])
MODES = st.sampled_from(["link_aggregation", "failover"])


@st.composite
def items(draw):
    """1-8 items (count, speed, lone network, team size, mode, team network), <= 32 adapters."""
    chosen = []
    room = 32
    for _ in range(draw(st.integers(1, 8))):
        if room == 0:
            break
        count = draw(st.integers(1, min(4, room)))
        room -= count
        chosen.append((count, draw(SPEEDS), draw(NETWORKS), draw(st.integers(0, count)),
                       draw(MODES), draw(NETWORKS)))
    return chosen


@st.composite
def nodes(draw):
    """A Node built from random items, with arbitrary names and adapter order."""
    adapters, teams = [], []
    for count, speed, network, size, mode, team_network in draw(items()):
        if size:
            team = f"team-{len(teams)}"
            teams.append(Team(team, mode=mode, network=team_network))
        for index in range(count):
            teamed = index < size
            adapters.append(Adapter(f"eth{len(adapters)}", speed, team=team if teamed else None,
                                    network=None if teamed else network))
    order = draw(st.permutations(adapters))
    return Node("hv", tuple(order), tuple(draw(st.permutations(teams))))


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(nodes())
def test_format_then_parse_keeps_the_inventory(node):
    text = format_shorthand(node)
    parsed = node_of(text)
    assert inventory(parsed) == inventory(node), text
    assert format_shorthand(parsed) == text  # the formatted form is a fixed point


def _spaces(draw):
    return draw(st.sampled_from(["", " ", "  "]))


def _case(draw, word):
    return draw(st.sampled_from([word, word.upper(), word.capitalize()]))


@st.composite
def texts(draw):
    """A valid inventory with random spacing, casing and aliases, and its expected profiles."""
    parts, expected = [], Counter()
    for count, speed, network, size, mode, team_network in draw(items()):
        if speed % 1000 == 0 and draw(st.booleans()):
            number, unit = str(speed // 1000), draw(st.sampled_from(["G", "Gb", "Gbps"]))
        else:
            number, unit = str(speed), draw(st.sampled_from(["M", "Mb", "Mbps"]))
        text = number + _spaces(draw) + _case(draw, unit)
        if count > 1 or draw(st.booleans()):
            text = f"{count}{_spaces(draw)}{draw(st.sampled_from('xX×*'))}{_spaces(draw)}{text}"
        words = []
        if network and size < count:
            words.append(_case(draw, network))
        if size:
            aliases = {"link_aggregation": ["lacp", "lag", "link_aggregation", "aggregation", ""],
                       "failover": ["failover", "fo"]}[mode]
            inside = [_case(draw, w) for w in (draw(st.sampled_from(aliases)), team_network or "")
                      if w]
            inside = draw(st.permutations(inside))
            words.append(f"{_case(draw, 'team')}{_spaces(draw)}("
                         + f"{_spaces(draw)},{_spaces(draw)}".join([str(size), *inside]) + ")")
        words = draw(st.permutations(words))
        parts.append(" ".join([text, *words]))
        lone_network = network if size < count else None
        for _ in range(count - size):
            expected[(speed, 0, None, lone_network)] += 1
        if size:
            expected[(speed, size, mode, team_network)] += 1
    separator = draw(st.sampled_from([",", "+"]))
    joined = f"{_spaces(draw)}{separator}{_spaces(draw)}".join(parts)
    return joined, expected


def profiles(node: Node) -> Counter:
    return Counter((p.profile.member_speed_mbps, p.profile.members if p.profile.is_team else 0,
                    p.profile.team_mode, p.profile.network) for p in build_ports(node))


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_generated_texts_parse_and_round_trip(case):
    text, expected = case
    node = node_of(text)
    assert profiles(node) == expected
    assert profiles(node_of(format_shorthand(node))) == expected


ALPHABET = st.sampled_from(list("0123456789xX×*.,+ ()GgMmbps") + ["team", "public", "private",
                                                                   "lacp", "fo", "\u0130", "é"])


@settings(max_examples=examples(500))
@given(st.one_of(st.text(max_size=40), st.lists(ALPHABET, max_size=25).map("".join)))
def test_any_text_parses_or_raises_a_positioned_error(text):
    try:
        cluster = parse_shorthand(text)
    except ShorthandError as error:
        assert error.position is not None and 0 <= error.position <= len(text)
        assert error.message.endswith(f" at position {error.position}")
    else:
        node = cluster.nodes[0]
        assert 1 <= len(node.adapters) <= 32
        assert all(10 <= a.speed_mbps <= 400_000 for a in node.adapters)
        assert inventory(node_of(format_shorthand(node))) == inventory(node)
