"""The use cases, with no web framework: load and validate a description, evaluate it, render it.

The API, the web page and the command line share this one path, so a description is judged the
same way wherever it comes from. Errors name JSON pointers into the input (the domain gives
paths; pointers.py writes them out), so every edge reports them alike.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from marshmallow import ValidationError

from ..domain import validate
from ..domain.evaluate import evaluate
from ..domain.model import Classification, Cluster, Evaluation
from ..domain.render.formats import RENDERERS, NodeChoice
from ..domain.ruleset import Ruleset
from ..domain.rulesets import DEFAULT, IDS
from ..domain.rulesets.ws2016 import serve as ws2016_serve
from ..domain.selection import ruleset_of
from ..domain.shorthand import ShorthandError, parse_shorthand
from ..schemas.bodies import ClusterSchema, dump_evaluation
from .pointers import flatten, json_pointer
from .results import EvaluationCounter, counted

FORMATS = ("json", *RENDERERS)
# The formats that take a node, as an error message lists them.
_NODE_FORMATS = [f for f, r in RENDERERS.items() if r.node is not NodeChoice.NONE]
NODE_FORMATS = f"{', '.join(_NODE_FORMATS[:-1])} and {_NODE_FORMATS[-1]}"
# What a gate can rely on: 0 for a configuration Microsoft supports, 1 for one it does not
# recommend or support (2 is bad input, decided by the caller that reads the input).
EXIT_CODES = {
    Classification.RECOMMENDED: 0,
    Classification.SUPPORTED: 0,
    Classification.NOT_RECOMMENDED: 1,
    Classification.UNSUPPORTED: 1,
}

_CLUSTER = ClusterSchema()


class InvalidInput(ValueError):
    """A description or inventory that cannot be evaluated; `errors` are {pointer, detail}."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['pointer'] or '(body)'}: {e['detail']}" for e in errors))


@dataclass(frozen=True)
class Answer:
    """An evaluation and the description it judged (renderings need both)."""

    cluster: Cluster
    evaluation: Evaluation
    # The ws2016 design the evaluation rates (its script is rendered from it); None under 2008 R2.
    ws2016: ws2016_serve.Served | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.evaluation.classification]


def load_description(payload, rulesets: tuple[str, ...] = IDS) -> Cluster:
    """A raw JSON value as a Cluster, or InvalidInput naming each bad field (and the ruleset,
    when the caller answers with fewer `rulesets` than the service knows)."""
    try:
        cluster = _CLUSTER.load(payload)
    except ValidationError as error:
        raise InvalidInput(flatten(error.messages)) from None
    if ruleset_of(cluster) not in rulesets:
        raise InvalidInput([{"pointer": "/ruleset", "detail": (
            f"'{ruleset_of(cluster)}' is not answered here (only {', '.join(rulesets)}): send it to "
            f"POST /v1/evaluations")}])
    return checked(cluster)


def problems(cluster: Cluster) -> list[dict]:
    """A loaded description's cross-field problems as {pointer, detail} (empty when sound)."""
    return [{"pointer": json_pointer(p), "detail": d} for p, d in validate.problems(cluster)]


def checked(cluster: Cluster) -> Cluster:
    """The cluster, or InvalidInput naming each cross-field problem."""
    found = problems(cluster)
    if found:
        raise InvalidInput(found)
    return cluster


def parse_json(text: str):
    """Text as JSON, or InvalidInput (NaN and Infinity are not JSON)."""
    def refuse(name: str):
        raise ValueError(f"{name} is not valid JSON")
    try:
        return json.loads(text, parse_constant=refuse)
    except (ValueError, RecursionError) as error:
        raise InvalidInput([{"pointer": "", "detail": f"not valid JSON: {str(error)[:200]}"}]) \
            from None


def load_inventory(inventory: str, nodes: int = 1) -> Cluster:
    """A one-line inventory (`2x10G,1x1G`) on `nodes` identical nodes, or InvalidInput."""
    try:
        return parse_shorthand(inventory, nodes)
    except ShorthandError as error:
        pointer = "/nodes" if error.position is None else "/inventory"
        raise InvalidInput([{"pointer": pointer, "detail": str(error)}]) from None


def evaluated(cluster: Cluster, counter: EvaluationCounter | None = None) -> Evaluation:
    """Evaluate a loaded, checked description by the ruleset it selects (remediation plans
    included), counted by its class when there is a counter."""
    return counted(evaluate(cluster), counter)


def answer(cluster: Cluster, ruleset: Ruleset = DEFAULT) -> Answer:
    """Evaluate a loaded, checked description by `ruleset` (remediation plans included), or by
    the Windows Server 2016 and later ruleset when the description selects it."""
    if ruleset_of(cluster) == "ws2016":
        served = ws2016_serve.serve(cluster)
        return Answer(cluster, served.evaluation, served)
    return Answer(cluster, evaluate(cluster, ruleset=ruleset))


def check_node(result: Answer, node: str | None, required: bool = False) -> str | None:
    """The node a rendering is for: InvalidInput for an unknown one, or when one is needed."""
    names = [n.name for n in result.evaluation.nodes]
    if node is None and required and len(names) > 1:
        raise InvalidInput([{"pointer": "/node",
                             "detail": f"name a node: the cluster has {len(names)} nodes"}])
    if node is not None and node not in names:
        raise InvalidInput([{"pointer": "/node", "detail": f"no node named '{node}'"}])
    return node


def render(result: Answer, fmt: str, node: str | None = None) -> str:
    """The answer in one of FORMATS (text); InvalidInput for a bad node or format."""
    evaluation = result.evaluation
    if fmt not in FORMATS:
        raise InvalidInput([{"pointer": "/format",
                             "detail": f"unknown format '{fmt}': one of {', '.join(FORMATS)}"}])
    renderer = RENDERERS.get(fmt)  # None: the JSON evaluation
    if ruleset_of(result.cluster) == "ws2016":
        return _render_ws2016(result, fmt, node)
    node = check_node(result, node,
                      required=renderer is not None and renderer.node is NodeChoice.REQUIRED)
    if node is not None and (renderer is None or renderer.node is NodeChoice.NONE):
        # Ignoring it would hand back every node while the caller asked for one.
        raise InvalidInput([{"pointer": "/node",
                             "detail": f"a node applies to {NODE_FORMATS}, not to {fmt}"}])
    if renderer is None:
        return json.dumps(dump_evaluation(evaluation), ensure_ascii=False, indent=2) + "\n"
    return renderer.render(evaluation, node, result.cluster)


def _render_ws2016(result: Answer, fmt: str, node: str | None) -> str:
    """The ws2016 answer as JSON or Markdown, a node's SVG picture or one node's PowerShell
    script; the 2008 R2 guide's other renderings are refused naming /ruleset."""
    if fmt not in ws2016_serve.RENDERINGS:
        raise InvalidInput([{"pointer": "/ruleset", "detail": ws2016_serve.refusal(fmt)}])
    if fmt in ("json", "markdown"):
        if node is not None:
            raise InvalidInput([{"pointer": "/node",
                                 "detail": f"a node applies to the PowerShell script and the "
                                           f"SVG picture, not to {fmt}"}])
        if fmt == "markdown":
            return ws2016_serve.markdown(result.evaluation)
        return json.dumps(dump_evaluation(result.evaluation), ensure_ascii=False, indent=2) + "\n"
    served = result.ws2016 or ws2016_serve.serve(result.cluster)
    if fmt == "svg":
        return ws2016_serve.svg(served, check_node(result, node))
    node = check_node(result, node, required=True) or result.evaluation.nodes[0].name
    return ws2016_serve.powershell(served, node)
