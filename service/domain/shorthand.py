"""The chat-ops one-line inventory form (SPEC §7): parse `2x10G,1x1G` into a Cluster and back."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .model import Adapter, Cluster, Network, Node, Team, TeamMode

MIN_SPEED_MBPS = 10
MAX_SPEED_MBPS = 400_000
MAX_ADAPTERS = 32
MAX_NODES = 64

# The notations people type: 10G, 10Gb, 10Gbps, 10Gb/s, 10Gbit/s, 10GbE, 10GigE (and the M forms).
_UNITS = {
    **dict.fromkeys(("m", "mb", "mbps", "mb/s", "mbit", "mbit/s", "mbe"), 1),
    **dict.fromkeys(("g", "gb", "gbps", "gb/s", "gbit", "gbit/s", "gbe", "gige"), 1_000),
}
_UNIT_NAMES = "M, Mb, Mbps, Mb/s, G, Gb, Gbps, Gb/s, GbE or GigE"
_MODES = {
    "lacp": TeamMode.LINK_AGGREGATION,
    "lag": TeamMode.LINK_AGGREGATION,
    "link_aggregation": TeamMode.LINK_AGGREGATION,
    "aggregation": TeamMode.LINK_AGGREGATION,
    "failover": TeamMode.FAILOVER,
    "fo": TeamMode.FAILOVER,
}
_NETWORKS = ("public", "private")
# RDMA words (the Windows Server 2016 and later ruleset reads them): the kind, or "rdma" when the
# protocol is not stated.
_RDMA = {"rdma": None, "roce": "roce", "rocev2": "roce_v2", "roce_v2": "roce_v2",
         "iwarp": "iwarp", "infiniband": "infiniband", "ib": "infiniband"}
_TIMES = "x×*"
_SEPARATORS = ",+"
_EXAMPLE = "2x10G,1x1G"

# Kept as data rather than in a docstring so that a chat bot can send it as its help text.
GRAMMAR = """\
inventory := item (("," | "+") item)*          e.g. 2x10G,1x1G   1x10G + 1x1G   3x1G team(2,private)
item      := [count ("x" | "×" | "*")] speed unit modifier*      count defaults to 1; 2 x 10 GbE
unit      := M | Mb | Mbps | Mb/s | G | Gb | Gbps | Gb/s | GbE | GigE   decimals: 2.5G, 100M
modifier  := public | private | team(size [, mode] [, network]) | rdma-word
mode      := lacp | lag | link_aggregation | aggregation  (link_aggregation, the default)
           | failover | fo                                  (failover)
rdma-word := rdma | roce | rocev2 | iwarp | infiniband | ib   ruleset=ws2016 only: 2x25G rocev2
Case-insensitive; spaces optional around separators. An item's public/private applies to its
adapters outside the team; the team's network goes inside team(...). Adapters are named NIC1..NICn
in order (an item's lone adapters before its teamed ones), teams T1, T2, ...
Limits: speeds 10M..400G in whole Mbps, 1..32 adapters a node, a team of 1..count adapters.
"""


class ShorthandError(ValueError):
    """A one-line inventory that cannot be read; `position` is the 0-based index of the fault."""

    def __init__(self, message: str, position: int | None) -> None:
        # The position goes into the message too, so a chat bot can echo str(error) as it is.
        self.position = position
        self.message = message if position is None else f"{message} at position {position}"
        super().__init__(self.message)


@dataclass(frozen=True)
class _Item:
    """One parsed item: `count` adapters of one speed, `team_size` of them teamed."""

    count: int
    speed_mbps: int
    network: Network | None
    team_size: int
    team_mode: TeamMode
    team_network: Network | None
    rdma: bool = False
    rdma_kind: str | None = None  # None with rdma: RDMA of a kind not stated
    rdma_at: int = 0  # where the RDMA word starts (for the error when RDMA is not read)


class _Parser:
    """A hand-written scanner: each fault is reported at the character where it starts."""

    def __init__(self, text: str) -> None:
        # The text is never lower-cased as a whole: some characters change length when
        # lower-cased, which would shift every position reported after them.
        self.text = text
        self.pos = 0
        self.adapters = 0

    # ---- scanning ------------------------------------------------------------------------

    def _at_end(self) -> bool:
        return self.pos >= len(self.text)

    def _peek(self) -> str:
        return "" if self._at_end() else self.text[self.pos]

    def _skip_spaces(self) -> None:
        while not self._at_end() and self.text[self.pos].isspace():
            self.pos += 1

    def _fail(self, message: str, position: int | None = None) -> ShorthandError:
        return ShorthandError(message, self.pos if position is None else position)

    def _digits(self) -> str:
        start = self.pos
        # ASCII only: str.isdigit() also accepts superscripts, which int() then rejects.
        while not self._at_end() and "0" <= self.text[self.pos] <= "9":
            self.pos += 1
        return self.text[start:self.pos]

    def _number(self) -> tuple[str, str | None]:
        """Digits with an optional decimal part, as (whole, fraction or None)."""
        whole = self._digits()
        if self._peek() != ".":
            return whole, None
        self.pos += 1
        fraction = self._digits()
        if not fraction:
            raise self._fail("expected a digit after the decimal point")
        return whole, fraction

    def _word(self) -> str:
        start = self.pos
        while not self._at_end() and (self.text[self.pos] == "_"
                                      or ("a" <= self.text[self.pos].lower() <= "z"
                                          and self.text[self.pos].isascii())):
            self.pos += 1
        return self.text[start:self.pos]

    def _whole_number(self, what: str, upper: int) -> int:
        """A whole number of `what`, read at most as `upper + 1` (enough to reject it)."""
        start = self.pos
        whole, fraction = self._number()
        if fraction is not None:
            raise self._fail(f"expected a whole number of {what}", start)
        digits = whole.lstrip("0") or "0"
        # Compared by length first so that a thousand-digit count never reaches int().
        return upper + 1 if len(digits) > len(str(upper)) else min(int(digits), upper + 1)

    # ---- grammar -------------------------------------------------------------------------

    def inventory(self) -> list[_Item]:
        self._skip_spaces()
        if self._at_end():
            raise self._fail(f"expected an adapter inventory such as {_EXAMPLE}", 0)
        items = [self.item()]
        while True:
            self._skip_spaces()
            if self._at_end():
                return items
            # item() stops only at the end or at a separator, so this is one.
            separator = self.text[self.pos]
            self.pos += 1
            self._skip_spaces()
            if self._at_end():
                raise self._fail(f"expected an adapter item such as 1x1G after '{separator}'")
            items.append(self.item())

    def item(self) -> _Item:
        start = self.pos
        if not "0" <= self._peek() <= "9":
            raise self._fail("expected a count and speed such as 2x10G, or a speed such as 1G")
        whole, fraction = self._number()
        self._skip_spaces()
        count = 1
        if not self._at_end() and self._peek().lower() in _TIMES:
            # The first number was a count: read it again under the count rules.
            self.pos = start
            count = self._whole_number("adapters", MAX_ADAPTERS)
            if count == 0:
                raise self._fail("expected a count of at least 1", start)
            if self.adapters + count > MAX_ADAPTERS:
                raise self._fail(f"expected at most {MAX_ADAPTERS} adapters a node, "
                                 f"this item brings the count past {MAX_ADAPTERS}", start)
            self._skip_spaces()
            self.pos += 1  # the "x"
            self._skip_spaces()
            speed_start = self.pos
            if not "0" <= self._peek() <= "9":
                raise self._fail("expected a speed such as 1G or 10G")
            whole, fraction = self._number()
            self._skip_spaces()
        else:
            speed_start = start
            if self.adapters + 1 > MAX_ADAPTERS:
                raise self._fail(f"expected at most {MAX_ADAPTERS} adapters a node, "
                                 f"this item brings the count past {MAX_ADAPTERS}", start)
        speed = self._speed(whole, fraction, speed_start)
        self.adapters += count
        return self._modifiers(count, speed)

    def _speed(self, whole: str, fraction: str | None, start: int) -> int:
        unit_start = self.pos
        unit = self._word()
        if self._peek() == "/":  # Gb/s, Mbit/s
            self.pos += 1
            unit += "/" + self._word()
        if not unit:
            raise self._fail(f"expected a unit after the speed: {_UNIT_NAMES}")
        if unit.lower() not in _UNITS:
            raise self._fail(f"unknown unit '{unit}': expected {_UNIT_NAMES}", unit_start)
        multiplier = _UNITS[unit.lower()]
        whole = whole.lstrip("0") or "0"
        fraction = (fraction or "").rstrip("0")
        shown = self.text[start:self.pos]
        if len(shown) > 24:
            shown = shown[:20] + "..."  # the error goes back to a chat line: keep it short
        # Length checks before arithmetic keep int() away from absurdly long digit strings.
        if len(whole) > len(str(MAX_SPEED_MBPS)):
            raise self._fail(f"expected a speed from 10M to 400G, not {shown}", start)
        if len(fraction) > 3:
            raise self._fail(f"expected a whole number of Mbps, not {shown}", start)
        mbps = Fraction(int(whole + fraction.ljust(3, "0")), 1000) * multiplier
        if not MIN_SPEED_MBPS <= mbps <= MAX_SPEED_MBPS:
            raise self._fail(f"expected a speed from 10M to 400G, not {shown}", start)
        if mbps.denominator != 1:
            raise self._fail(f"expected a whole number of Mbps, not {shown}", start)
        return int(mbps)

    def _modifiers(self, count: int, speed: int) -> _Item:
        network: Network | None = None
        network_start = 0
        team: tuple[int, TeamMode, Network | None] | None = None
        rdma: tuple[str | None, int] | None = None
        while True:
            self._skip_spaces()
            if self._at_end() or self._peek() in _SEPARATORS:
                break
            word_start = self.pos
            word = self._word()
            if word.lower() in ("rocev", "roce_v") and self._peek() == "2":
                self.pos += 1  # words are letters: the version digit of RoCE v2 is read here
                word += "2"
            lowered = word.lower()
            if lowered in _NETWORKS:
                if network is not None:
                    raise self._fail("expected one network an item, not a second", word_start)
                network, network_start = Network(lowered), word_start
            elif lowered == "team":
                if team is not None:
                    raise self._fail("expected one team(...) an item; "
                                     "write another item for a second team", word_start)
                team = self._team(count)
            elif lowered in _RDMA:
                if rdma is not None:
                    raise self._fail("expected one RDMA word an item, not a second", word_start)
                rdma = (_RDMA[lowered], word_start)
            elif word:
                raise self._fail(f"unknown word '{word}': expected public, private, team(...) "
                                 "or an RDMA word (rdma, roce, rocev2, iwarp, infiniband)",
                                 word_start)
            else:
                raise self._fail("expected ',' or '+' between items, "
                                 "or public, private or team(...) after a speed")
        size, mode, team_network = team or (0, TeamMode.LINK_AGGREGATION, None)
        if network is not None and size == count:
            # Silently dropping it would hide a typo; the caller most likely meant the team.
            raise self._fail(f"expected the network inside team(...), since every adapter "
                             f"of this item ({count}) is teamed", network_start)
        if rdma is None:
            return _Item(count, speed, network, size, mode, team_network)
        return _Item(count, speed, network, size, mode, team_network, True, rdma[0], rdma[1])

    def _team(self, count: int) -> tuple[int, TeamMode, Network | None]:
        self._skip_spaces()
        if self._peek() != "(":
            raise self._fail("expected '(' after team, as in team(2,private)")
        self.pos += 1
        self._skip_spaces()
        size_start = self.pos
        if not "0" <= self._peek() <= "9":
            raise self._fail("expected the number of teamed adapters, as in team(2)")
        size = self._whole_number("teamed adapters", MAX_ADAPTERS)
        if size < 1:
            raise self._fail("expected a team of at least 1 adapter", size_start)
        if size > count:
            raise self._fail(f"expected a team of at most {count} adapter"
                             f"{'' if count == 1 else 's'} (the item has {count})", size_start)
        mode: TeamMode | None = None
        network: Network | None = None
        while True:
            self._skip_spaces()
            if self._peek() == ")":
                self.pos += 1
                return size, mode or TeamMode.LINK_AGGREGATION, network
            if self._peek() != ",":
                raise self._fail("expected ',' or ')' in team(...)")
            self.pos += 1
            self._skip_spaces()
            word_start = self.pos
            word = self._word()
            lowered = word.lower()
            if lowered in _MODES and mode is None:
                mode = _MODES[lowered]
            elif lowered in _NETWORKS and network is None:
                network = Network(lowered)
            elif lowered in _MODES or lowered in _NETWORKS:
                raise self._fail(f"expected one {'mode' if lowered in _MODES else 'network'} "
                                 f"in team(...), not a second", word_start)
            else:
                shown = f"unknown word '{word}': expected" if word else "expected"
                raise self._fail(f"{shown} a team mode (lacp, failover) or network "
                                 f"(public, private)", word_start)


def _build_node(name: str, items: Iterable[_Item]) -> Node:
    """Adapters NIC1..NICn in item order (an item's lone adapters before its team), teams T1.."""
    adapters: list[Adapter] = []
    teams: list[Team] = []
    for item in items:
        team_name = None
        if item.team_size:
            team_name = f"T{len(teams) + 1}"
            teams.append(Team(team_name, mode=item.team_mode, network=item.team_network))
        for index in range(item.count):
            teamed = index >= item.count - item.team_size
            adapters.append(Adapter(
                f"NIC{len(adapters) + 1}", item.speed_mbps,
                team=team_name if teamed else None,
                network=None if teamed else item.network,
            ))
    return Node(name, tuple(adapters), tuple(teams))


def _items(text: str, nodes: int) -> list[_Item]:
    if not isinstance(text, str):
        raise TypeError(f"expected the inventory as a str, not {type(text).__name__}")
    # bool is an int subclass; `nodes=True` is a caller bug, not one node.
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 1 <= nodes <= MAX_NODES:
        raise ShorthandError(f"expected nodes from 1 to {MAX_NODES}, not {nodes!r}", None)
    return _Parser(text).inventory()


def parse_shorthand(text: str, nodes: int = 1, *, rdma: bool = False) -> Cluster:
    """Parse one node's one-line inventory into a Cluster of identical nodes node1..nodeN.
    RDMA words are refused unless `rdma` (the caller reads them with `rdma_facts`)."""
    items = _items(text, nodes)
    if not rdma:
        word = next((item for item in items if item.rdma), None)
        if word is not None:
            raise ShorthandError("RDMA words are read by the Windows Server 2016 and later "
                                 "ruleset only (ruleset=ws2016)", word.rdma_at)
    template = _build_node("node1", items)
    return Cluster(nodes=tuple(
        Node(f"node{number}", template.adapters, template.teams) for number in range(1, nodes + 1)
    ))


def rdma_facts(text: str) -> dict[str, str | None]:
    """The adapters an inventory says are RDMA, by name (NIC1..), each with its kind (roce,
    roce_v2, iwarp, infiniband) or None when the kind is not stated."""
    facts: dict[str, str | None] = {}
    number = 0
    for item in _items(text, 1):
        for _ in range(item.count):
            number += 1
            if item.rdma:
                facts[f"NIC{number}"] = item.rdma_kind
    return facts


def _format_speed(mbps: int) -> str:
    """1000 -> '1G', 2500 -> '2.5G', 100 -> '100M', 1234 -> '1234M' (short and exact)."""
    if mbps >= 1_000 and mbps % 100 == 0:
        whole, rest = divmod(mbps, 1_000)
        return f"{whole}G" if rest == 0 else f"{whole}.{rest // 100}G"
    return f"{mbps}M"


def _check_speed(owner: str, mbps: int) -> None:
    # Formatting a speed parse_shorthand rejects would break the round trip the form promises.
    if isinstance(mbps, bool) or not isinstance(mbps, int) \
            or not MIN_SPEED_MBPS <= mbps <= MAX_SPEED_MBPS:
        raise ValueError(f"{owner}: speed {mbps!r} Mbps is outside 10..400000")


def _check_network(owner: str, network: str | None) -> None:
    if network not in (None, *_NETWORKS):
        raise ValueError(f"{owner}: network {network!r} is not public, private or unset")


def format_shorthand(node: Node) -> str:
    """The one-line inventory of `node`; raises ValueError for what the form cannot express."""
    declared = {team.name: team for team in node.teams}
    if not node.adapters or len(node.adapters) > MAX_ADAPTERS:
        raise ValueError(f"expected 1 to {MAX_ADAPTERS} adapters, not {len(node.adapters)}")
    members: dict[str, list[Adapter]] = {name: [] for name in declared}
    # Items keep the order in which their first adapter appears, so the output reads like the input.
    # A lone item by its (speed, network), a team by its name.
    order: list[tuple[int, Network | None] | str] = []
    lone: dict[tuple[int, Network | None], int] = {}
    for adapter in node.adapters:
        _check_speed(adapter.name, adapter.speed_mbps)
        _check_network(adapter.name, adapter.network)
        if adapter.team is None:
            key = (adapter.speed_mbps, adapter.network)
            if key not in lone:
                order.append(key)
            lone[key] = lone.get(key, 0) + 1
        elif adapter.team in members:
            if not members[adapter.team]:
                order.append(adapter.team)
            members[adapter.team].append(adapter)
        else:
            raise ValueError(f"{adapter.name}: team {adapter.team!r} is not declared")
    parts: list[str] = []
    for entry in order:
        if isinstance(entry, tuple):
            speed, network = entry
            count = lone[entry]
            parts.append(f"{count}x{_format_speed(speed)}" + (f" {network}" if network else ""))
            continue
        team = declared[entry]
        team_members = members[team.name]
        speeds = {a.speed_mbps for a in team_members}
        if len(speeds) != 1:
            raise ValueError(f"team {team.name} mixes speeds {sorted(speeds)}; "
                             f"the one-line form gives a team one speed")
        mode = team.mode or TeamMode.LINK_AGGREGATION  # not given: evaluated as link aggregation
        if mode not in tuple(TeamMode):
            raise ValueError(f"team {team.name}: mode {team.mode!r} is not link_aggregation "
                             f"or failover")
        _check_network(team.name, team.network)
        # The same rule as ports.build_ports: the team's network, else its first member's by name.
        network = next((n for n in [team.network, *(a.network for a in
                                                    sorted(team_members, key=lambda a: a.name))]
                        if n is not None), None)
        size = len(team_members)
        inside = ",".join([str(size), mode, *([network] if network else [])])
        parts.append(f"{size}x{_format_speed(speeds.pop())} team({inside})")
    empty = [name for name, found in members.items() if not found]
    if empty:
        raise ValueError(f"team {empty[0]} has no member")
    return ", ".join(parts)
