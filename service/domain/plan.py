"""The remediation planner: for each better class some change can reach, the cheapest set of
changes that reaches it, as ordered steps.

A node's class depends only on the node and two cluster settings (a redundant cluster path, TCP
Chimney Offload), and the cluster's class is the worst of its nodes' and of the cluster-wide
findings. So the planner searches each node's own changes once per combination of those two
settings (combinations of up to MAX_COMBINATION changes, cheapest first, re-assessing only the
changed node), then adds the cluster-wide fixes a target class needs and picks the cheapest
combination. Nodes that are alike share their searches through the assessment's memo. Every plan
is then applied step by step and assessed for real; a plan whose result falls short is dropped.
The search makes at most WORK_LIMIT node assessments: past that, what was found is returned and
the evaluation says the search was cut short.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import TYPE_CHECKING

from .assessment import assess, assess_node, designed_layout
from .catalogue import Scope
from .changes import STEP_ORDER, Change, declare, strip_roles
from .model import Classification, Cluster, Evaluation, Node, Plan, PlanStep, Remediation, Settings
from .names import hardware_signature
from .ports import build_ports

if TYPE_CHECKING:
    from .ruleset import Ruleset

MAX_COMBINATION = 2  # changes combined on one node
# The bound on the worst case: node assessments one search may make, each weighing one unit per
# four adapters of the node (a fresh layout search costs about that much more on a big node).
WORK_LIMIT = 640
LAST_ORDER = len(STEP_ORDER)  # a change marked `last` comes after every other step


@dataclass
class Work:
    """The node assessments a search has made, against its limit."""

    limit: int = WORK_LIMIT
    done: int = 0
    cut_short: bool = False

    def spend(self, node: Node) -> bool:
        """Count one assessment of `node`; False (and remembered) once the limit is reached."""
        weight = max(1, len(node.adapters) // 4)
        if self.done + weight > self.limit:
            self.cut_short = True
            return False
        self.done += weight
        return True


@dataclass(frozen=True)
class Option:
    """A way for one node to reach a class: its changes, their cost, and the node after them."""

    rank: int
    cost: int
    changes: tuple[Change, ...]
    signature: tuple  # the node's hardware after the changes


def _ordered(changes) -> list[Change]:
    return sorted(changes, key=lambda c: (STEP_ORDER.index(c.kind), c.cost, c.key))


def _apply(node: Node, changes) -> Node:
    for change in _ordered(changes):
        node = change.to_node(node)
    return node


def _combinations(candidates: list[Change]):
    """Change sets of up to MAX_COMBINATION changes that do not touch the same thing, cheapest
    first."""
    sets = []
    for size in range(1, MAX_COMBINATION + 1):
        for combo in combinations(candidates, size):
            conflicts = [c.conflicts for c in combo if c.conflicts]
            if sum(len(c) for c in conflicts) == len(frozenset().union(*conflicts)):
                sets.append(combo)
    return sorted(sets, key=lambda combo: (sum(c.cost for c in combo), len(combo),
                                           tuple(c.key for c in combo)))


@dataclass
class _Search:
    """One planning run: the ruleset, the cluster, its mode, and the node options found so far."""

    ruleset: Ruleset
    cluster: Cluster
    work: Work = field(default_factory=Work)
    options: dict = field(default_factory=dict)
    shapes: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def shape_of(self, node: Node) -> tuple:
        if node not in self.shapes:
            self.shapes[node] = shape(node)
        return self.shapes[node]

    def as_is(self, settings: Settings, node: Node):
        """The result of the node, or of one of its shape, without changes under `settings`
        (None past the work limit); the cluster's own settings cost nothing: the assessment
        made those already."""
        key = (settings, self.shape_of(node))
        if key not in self.unchanged:
            if settings != self.cluster.settings and not self.work.spend(node):
                return None
            self.unchanged[key] = assess_node(self.ruleset, settings, self.cluster.audit_mode,
                                              node)
        return self.unchanged[key]

    def node_options(self, settings: Settings, node: Node) -> dict[int, list[Option]]:
        """The cheapest change sets found for each class this node can reach under `settings`
        (every one of the lowest cost). Nodes of one shape share one search."""
        key = (settings, self.shape_of(node))
        if key not in self.options:
            self.options[key] = self._search_node(settings, node)
        return self.options[key]

    def _search_node(self, settings: Settings, node: Node) -> dict[int, list[Option]]:
        audit = self.cluster.audit_mode
        ruleset = self.ruleset
        if not self.work.spend(node):
            return {}
        base = assess_node(ruleset, settings, audit, node)
        ports = base.context.ports
        found = {base.evaluation.classification.rank:
                 [Option(base.evaluation.classification.rank, 0, (), hardware_signature(ports))]}
        designed = None
        if audit:
            if not self.work.spend(node):
                return found
            designed = designed_layout(ruleset, settings, strip_roles(node))
        alternative = base.evaluation.alternative.layout if base.evaluation.alternative else None
        redeclare = (lambda n: declare(n, designed_layout(ruleset, settings, strip_roles(n)))) \
            if audit else None
        candidates = ruleset.changes.node(ruleset, self.cluster, node, ports,
                                          base.evaluation.layout, designed, alternative, redeclare)
        best_rank = Classification.RECOMMENDED.rank
        for combo in _combinations(candidates):
            cost = sum(c.cost for c in combo)
            if best_rank in found and found[best_rank][0].cost < cost:
                break  # nothing left can be as cheap for any class
            if not self.work.spend(node):
                break
            changed = _apply(node, combo)
            result = assess_node(ruleset, settings, audit or any(c.audit for c in combo),
                                 changed)
            rank = result.evaluation.classification.rank
            option = Option(rank, cost, tuple(_ordered(combo)),
                            hardware_signature(result.context.ports))
            if rank not in found or cost < found[rank][0].cost:
                found[rank] = [option]
            elif cost == found[rank][0].cost:
                found[rank].append(option)
        return found


def shape(node: Node) -> tuple:
    """What a node's plan depends on, names and host addresses left out: nodes alike in it have
    the same options (the changes name ports, not nodes)."""
    ports = build_ports(node)
    return (tuple((p.name, p.profile, p.members, p.vlan_id, p.subnet, p.roles) for p in ports),
            tuple((a.name, a.speed_mbps, a.team) for a in node.adapters), node.processor_vendor)


def _cheapest(options: dict[int, list[Option]], target: int,
              reference: tuple | None) -> Option | None:
    """The cheapest option reaching `target` or better; at equal cost, one that leaves the node's
    hardware like the reference's, then the fewer changes."""
    fitting = [o for same in options.values() for o in same if o.rank >= target]
    return min(fitting, default=None,
               key=lambda o: (o.cost, o.signature != reference, len(o.changes),
                              tuple(c.key for c in o.changes)))


def _split_classes(ruleset: Ruleset, cluster: Cluster) -> Classification:
    """The worst class of the clusters of at most the ruleset's node limit the description
    splits into."""
    size = ruleset.limits.max_nodes
    return Classification.worst(
        assess(ruleset, replace(cluster, nodes=cluster.nodes[i:i + size])).classification
        for i in range(0, len(cluster.nodes), size))


def _cluster_caps(ruleset: Ruleset, evaluation: Evaluation) -> dict[str, Classification]:
    """The worst cap of each cluster-wide finding code."""
    caps: dict[str, Classification] = {}
    for f in evaluation.findings:
        if f.classification_cap is not None and ruleset.scope_of(f.code) is Scope.CLUSTER:
            caps[f.code] = Classification.worst([f.classification_cap, caps.get(f.code,
                                                 Classification.RECOMMENDED)])
    return caps


@dataclass(frozen=True)
class _Draft:
    """A candidate plan before it is checked: cluster changes and each node's changes."""

    cost: int
    unlike: int  # nodes whose hardware ends unlike the reference node's
    cluster_changes: tuple[Change, ...]
    node_changes: tuple[tuple[str, tuple[Change, ...]], ...]


def _combined(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """Settings that change how nodes are judged, as one step (every node is judged once under
    them, not once per setting)."""
    if len(changes) < 2:
        return changes
    def both(c: Cluster) -> Cluster:
        for change in changes:
            c = change.to_cluster(c)
        return c
    return (Change("setting", " ".join(c.action for c in changes), sum(c.cost for c in changes),
                   "+".join(c.key for c in changes), cluster_change=both),)


def _settings_under(cluster: Cluster, chosen) -> Settings:
    for change in chosen:
        cluster = change.to_cluster(cluster)
    return cluster.settings


def _nodes_cost(search: _Search, settings: Settings, target: int, reference: tuple):
    """Each node's cheapest option for `target` under `settings`: (cost, unlike, per node), or
    None when some node cannot reach it."""
    cost = unlike = 0
    per_node = []
    for node in search.cluster.nodes:
        as_is = search.as_is(settings, node)
        if as_is is None:
            return None
        if as_is.evaluation.classification.rank >= target:
            unlike += hardware_signature(as_is.context.ports) != reference
            continue  # no search needed: the node reaches the target as it is
        option = _cheapest(search.node_options(settings, node), target, reference)
        if option is None:
            return None
        cost += option.cost
        unlike += option.signature != reference
        if option.changes:
            per_node.append((node.name, option.changes))
    return cost, unlike, tuple(per_node)


def _fails_more(search: _Search, settings: Settings, target: int, full: Settings,
                allowed: int) -> bool:
    """Whether more than `allowed` nodes that need no change under `full` settings fall short of
    `target` as they are under `settings` (then those settings cannot make a cheaper plan: each
    such node needs a change costing at least 1)."""
    failing = 0
    for node in search.cluster.nodes:
        reference = search.as_is(full, node)
        if reference is None or reference.evaluation.classification.rank < target:
            continue
        as_is = search.as_is(settings, node)
        if as_is is None:
            return True
        if as_is.evaluation.classification.rank < target:
            failing += 1
            if failing > allowed:
                return True
    return False


def _draft(search: _Search, target: int, fixes: list[Change],
           node_settings: list[Change]) -> _Draft | None:
    """The cheapest draft reaching `target`: over the combinations of the settings that change
    how nodes are judged, the cluster-wide fixes plus each node's cheapest option.

    Every such setting only ever helps a node, so all of them together are tried first; fewer
    can only be cheaper when few nodes need them, which a first look at the nodes as they are
    decides before their searches run.
    """
    cluster = search.cluster
    reference = hardware_signature(build_ports(cluster.nodes[0]))
    full = _settings_under(cluster, node_settings)
    base = sum(c.cost for c in fixes)
    found = _nodes_cost(search, full, target, reference)
    best = None
    if found is not None:
        best = _Draft(base + sum(c.cost for c in node_settings) + found[0], found[1],
                      (*fixes, *_combined(tuple(node_settings))), found[2])
    for size in range(len(node_settings) - 1, -1, -1):
        for chosen in combinations(node_settings, size):
            saved = sum(c.cost for c in node_settings) - sum(c.cost for c in chosen)
            settings = _settings_under(cluster, chosen)
            if best is not None and _fails_more(search, settings, target, full, saved):
                continue
            found = _nodes_cost(search, settings, target, reference)
            if found is None:
                continue
            draft = _Draft(base + sum(c.cost for c in chosen) + found[0], found[1],
                           (*fixes, *_combined(chosen)), found[2])
            if best is None or (draft.cost, draft.unlike) < (best.cost, best.unlike):
                best = draft
    return best


@dataclass(frozen=True)
class _Step:
    """A change as one step: the same change (kind and action) on the nodes it names, each node
    with its own change value (alike nodes' changes have the same effect, others may not)."""

    change: Change
    names: tuple[str, ...]
    per_node: tuple[tuple[str, Change], ...] = ()


def _steps(cluster: Cluster, draft: _Draft) -> list[_Step]:
    """The draft's changes as steps: one per change, naming the nodes it applies to, in order."""
    grouped: dict[tuple[str, str], list[tuple[str, Change]]] = {}
    for name, changes in draft.node_changes:
        for change in changes:
            grouped.setdefault((change.key, change.action), []).append((name, change))
    everyone = tuple(n.name for n in cluster.nodes)
    steps = [_Step(c, everyone) for c in draft.cluster_changes]
    steps += [_Step(pairs[0][1], tuple(name for name, _ in pairs), tuple(pairs))
              for pairs in grouped.values()]

    def order(step: _Step):
        change = step.change
        rank = LAST_ORDER if change.last else STEP_ORDER.index(change.kind)
        return (rank, change.cost, change.key)
    return sorted(steps, key=order)


def _apply_step(ruleset: Ruleset, cluster: Cluster, step: _Step) -> Cluster:
    change = step.change
    if change.cluster_change is not None:
        return change.cluster_change(cluster)
    if change.node_change is None:
        return cluster  # splitting the cluster: judged by `_split_classes`
    own = dict(step.per_node)
    nodes = tuple(own[n.name].to_node(n) if n.name in own else n for n in cluster.nodes)
    if change.audit and not cluster.audit_mode:
        # A declared layout on one node makes the description an audit: the others declare
        # the layout they have.
        layouts = {ne.name: ne.layout for ne in assess(ruleset, cluster).nodes}
        nodes = tuple(n if n.name in own else declare(n, layouts[n.name]) for n in nodes)
    return replace(cluster, nodes=nodes)


def _spend_on_changes(work: Work, before: Cluster, after: Cluster) -> bool:
    """Count the assessments a step causes: the nodes it changed, or every node when it changed
    how nodes are judged (settings, mode). False once the limit is reached."""
    everyone = before.settings != after.settings or before.audit_mode != after.audit_mode
    old = dict(zip((n.name for n in before.nodes), before.nodes))
    return all(work.spend(n) for n in after.nodes if everyone or old.get(n.name) != n)


def _checked_plan(ruleset: Ruleset, cluster: Cluster, draft: _Draft, work: Work) -> Plan | None:
    """The draft applied step by step and assessed after each (re-assessing only the nodes a
    step changes): the plan, or None if it falls short or the work limit stops it."""
    state = cluster
    split = False
    steps = []
    for step in _steps(cluster, draft):
        change, names = step.change, step.names
        before, state = state, _apply_step(ruleset, state, step)
        if not _spend_on_changes(work, before, state):
            return None
        split = split or change.kind == "topology"
        after = _split_classes(ruleset, state) if split else assess(ruleset, state).classification
        action = change.action if len(names) == len(cluster.nodes) \
            else f"{change.action} Nodes: {', '.join(names)}."
        steps.append(PlanStep(action, change.kind, names, after))
    if not steps:
        return None
    return Plan(steps[-1].classification_after, draft.cost, tuple(steps))


def plan(ruleset: Ruleset, cluster: Cluster, evaluation: Evaluation,
         work: Work | None = None) -> tuple[tuple[Plan, ...], bool]:
    """The plans for each better class reachable by `ruleset`'s changes, cheapest first, and
    whether the search was complete (False when it reached its work limit)."""
    current = evaluation.classification.rank
    search = _Search(ruleset, cluster, work or Work())
    checks = Work()  # the checks of the plans found have a limit of their own
    if current == Classification.RECOMMENDED.rank:
        return (), True
    caps = _cluster_caps(ruleset, evaluation)
    changes = ruleset.changes
    available = changes.cluster(ruleset, cluster, set(caps)) + list(changes.across_nodes(ruleset))
    node_settings = changes.node_settings(ruleset, cluster)
    plans: dict[Classification, Plan] = {}
    for target in range(current + 1, Classification.RECOMMENDED.rank + 1):
        needed = [code for code, cap in caps.items() if cap.rank < target]
        fixes = []
        for code in needed:
            fix = next((c for c in available if code in c.fixes), None)
            if fix is None:
                break
            if fix not in fixes:
                fixes.append(fix)
        else:
            draft = _draft(search, target, fixes, node_settings)
            checked = _checked_plan(ruleset, cluster, draft, checks) if draft is not None else None
            if checked is not None and checked.classification.rank > current:
                known = plans.get(checked.classification)
                if known is None or checked.cost < known.cost:
                    plans[checked.classification] = checked
    ordered = sorted(plans.values(), key=lambda p: p.classification.rank)
    # A plan is worth showing only if every better class costs more.
    kept = [p for i, p in enumerate(ordered) if all(q.cost > p.cost for q in ordered[i + 1:])]
    return tuple(kept), not (search.work.cut_short or checks.cut_short)


def remediate(ruleset: Ruleset, cluster: Cluster, evaluation: Evaluation,
              work: Work | None = None) -> Evaluation:
    """The evaluation with its plans, and `remediation` as the first plan's steps."""
    plans, complete = plan(ruleset, cluster, evaluation, work)
    remediation = tuple(Remediation(s.action, s.classification_after, s.change)
                        for s in plans[0].steps) if plans else ()
    return replace(evaluation, plans=plans, plans_complete=complete, remediation=remediation)
