"""The ws2016 remediation planner: for each better class the catalogue's changes reach, a cheap
set of changes that reaches it, as ordered steps each checked by evaluating the design.

Greedy with verification, not an exhaustive search: the search space is every subset of the
changes in every order they can apply in, and one evaluation of a large design takes
milliseconds. So the planner
1. discovers: from the findings, it applies the cheapest change addressing a finding that caps
   the class, keeps it when it clears some of its findings without lowering the class (else
   rejects it), and repeats until no such change is left;
2. prunes, for each class from the best reached down: it drops first every change that
   addresses only findings capping at that class or above, then each remaining change, most
   expensive first, while the rest still reach the class (each trial replayed for real);
3. replays the kept changes in step order (settings, then cabling and switch work, teams, then
   hardware; a change that only applies once another is made comes after it), evaluating after
   each step.
A plan may therefore cost more than the cheapest possible one where two changes address the
same findings and the cheaper alone does not clear them. Every evaluation of a design not seen
before counts against WORK_LIMIT; past it the planner returns what it found and says the
search was not complete.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Classification, Plan, PlanStep
from .changes import CATALOGUE, Change
from .description import Design
from .evaluate import RULES, Verdict, evaluate

WORK_LIMIT = 300  # evaluations of a design
# The same work measured by the size of what is evaluated: a node costs one unit plus one per
# four adapters and host vNICs (an evaluation and the changes tried around it take about 0.1 ms
# a unit), so a large cluster gets fewer evaluations and the answer stays within about half a
# second; deterministic, so the same description always gets the same plans.
UNIT_LIMIT = 5_000


def size(design: Design) -> int:
    """What one evaluation of `design` costs against UNIT_LIMIT."""
    return sum(1 + (len(h.nics) + len(h.vnics)) // 4 for h in design.hosts)
_CAPS = {r.code: r.cap for r in RULES}
_POSITION = {change: i for i, change in enumerate(CATALOGUE)}


@dataclass
class Work:
    """The evaluations one planning run has made, against its limit; each design once."""

    limit: int = WORK_LIMIT
    unit_limit: int = UNIT_LIMIT
    evaluations: int = 0
    units: int = 0
    cut_short: bool = False
    verdicts: dict[Design, Verdict] = field(default_factory=dict)

    def verdict(self, design: Design) -> Verdict | None:
        """The design's verdict, or None (remembered) once a limit is reached."""
        known = self.verdicts.get(design)
        if known is not None:
            return known
        cost = size(design)
        if self.evaluations >= self.limit or self.units + cost > self.unit_limit:
            self.cut_short = True
            return None
        self.evaluations += 1
        self.units += cost
        self.verdicts[design] = verdict = evaluate(design)
        return verdict


@dataclass(frozen=True)
class _Made:
    """A change made for every finding it addresses: the design after, what to do, where, and
    what it costs."""

    change: Change
    design: Design
    action: str
    nodes: tuple[str, ...]
    cost: int


@dataclass(frozen=True)
class _Step:
    made: _Made
    verdict: Verdict  # of the design after this step and every step before it


def _make(change: Change, design: Design, verdict: Verdict) -> _Made | None:
    """The change made for each finding of its codes that caps the class (None: it changes
    nothing). Alike nodes get alike edits: the remedies read the node, not its name."""
    state, cost = design, 0
    where: dict[str, list[str]] = {}  # action -> nodes
    # A remedy reads a finding's node only and mends all of that node at once: later findings
    # of the same node would only recompute it (quadratic in a node's switches and members).
    visited: set[str | None] = set()
    for finding in verdict.findings:
        if finding.code not in change.codes or finding.classification_cap is None \
                or finding.node in visited:
            continue
        visited.add(finding.node)
        edit = change.remedy(state, finding)
        if edit is None or edit.design == state:
            continue
        state, cost = edit.design, cost + edit.cost
        where.setdefault(edit.action, []).extend(n for n in edit.nodes
                                                  if n not in where.get(edit.action, []))
    if state == design:
        return None
    names = [h.name for h in design.hosts]
    nodes = tuple(n for n in names if any(n in ns for ns in where.values()))
    if len(where) == 1:
        action = next(iter(where))
        if len(nodes) < len(names):
            action += f" Nodes: {', '.join(nodes)}."
    else:
        action = " ".join(f"On {', '.join(ns)}: {text}" for text, ns in where.items())
    return _Made(change, state, action, nodes, cost)


def _capped(verdict: Verdict, codes: frozenset[str]) -> int:
    return sum(f.code in codes and f.classification_cap is not None for f in verdict.findings)


def _discover(work: Work, design: Design, verdict: Verdict) -> dict[Change, int]:
    """Changes that together clear what they can, each with what it cost. A change chosen once
    may be chosen again where another brought up new findings of its codes (replaced adapters
    to tag, say)."""
    chosen: dict[Change, int] = {}
    rejected: set[Change] = set()
    seen = {design}
    state, current = design, verdict
    while True:
        capping = {f.code for f in current.findings if f.classification_cap is not None}
        options = []
        for change in CATALOGUE:
            if change in rejected or not change.codes & capping:
                continue
            made = _make(change, state, current)
            if made is not None and made.design not in seen:
                options.append(((made.cost, change.order, _POSITION[change]), made))
        if not options:
            return chosen
        made = min(options, key=lambda option: option[0])[1]
        after = work.verdict(made.design)
        if after is None:
            return chosen
        helps = (after.classification.rank >= current.classification.rank
                 and _capped(after, made.change.codes) < _capped(current, made.change.codes))
        if helps:
            chosen[made.change] = chosen.get(made.change, 0) + made.cost
            seen.add(made.design)
            state, current = made.design, after
        else:
            rejected.add(made.change)


def _replay(work: Work, design: Design, verdict: Verdict,
            changes) -> list[_Step] | None:
    """The changes made in step order, each evaluated after (None: the work limit stopped it):
    at each step the first in order that applies. A change applies again where an earlier step
    brought up new findings of its codes, and not at all where others cleared them."""
    order = sorted(changes, key=lambda c: (c.order, _POSITION[c]))
    steps: list[_Step] = []
    seen = {design}
    state, current = design, verdict
    while True:
        made = next((m for m in (_make(c, state, current) for c in order)
                     if m is not None and m.design not in seen), None)
        if made is None:
            return steps
        after = work.verdict(made.design)
        if after is None:
            return None
        steps.append(_Step(made, after))
        seen.add(made.design)
        state, current = made.design, after


def _rank(steps: list[_Step], verdict: Verdict) -> int:
    return (steps[-1].verdict if steps else verdict).classification.rank


def _needed(change: Change, target: int) -> bool:
    """Whether the change addresses a finding that caps the class below `target`."""
    return any((cap := _CAPS.get(code)) is not None and cap.rank < target
               for code in change.codes)


def _prune(work: Work, design: Design, verdict: Verdict, kept: list[Change],
           costs: dict[Change, int], target: int) -> list[Change] | None:
    """`kept` without the changes `target` does not need (None: the work limit stopped it).
    Each trial replays from scratch, but the steps before the dropped change are the designs
    replayed before: only the steps after it are evaluated anew."""
    trials = [[c for c in kept if not _needed(c, target)]]
    trials += [[c] for c in sorted(kept, key=lambda c: (-costs[c], -c.order, -_POSITION[c]))]
    for trial in trials:
        rest = [c for c in kept if c not in trial]
        if len(rest) == len(kept):
            continue
        steps = _replay(work, design, verdict, rest)
        if steps is None:
            return None
        if _rank(steps, verdict) >= target:
            kept = rest
    return kept


def _as_plan(steps: list[_Step]) -> Plan:
    return Plan(steps[-1].verdict.classification, sum(s.made.cost for s in steps),
                tuple(PlanStep(s.made.action, s.made.change.kind, s.made.nodes,
                               s.verdict.classification) for s in steps))


def plans(design: Design, work: Work | None = None) -> tuple[tuple[Plan, ...], bool]:
    """The plans for each better class the catalogue's changes reach, worst class first, each
    kept only if every better class costs more; and whether the search was complete (False when
    it reached its work limit). A recommended design gets no plan."""
    work = work if work is not None else Work()
    verdict = work.verdict(design)
    if verdict is None:
        return (), False
    current = verdict.classification.rank
    if current == Classification.RECOMMENDED.rank:
        return (), True
    costs = _discover(work, design, verdict)
    steps = _replay(work, design, verdict, costs)
    found: dict[Classification, Plan] = {}
    kept = list(costs)
    for target in range(_rank(steps, verdict) if steps else current, current, -1):
        pruned = _prune(work, design, verdict, kept, costs, target)
        steps = _replay(work, design, verdict, pruned) if pruned is not None else None
        if pruned is None or steps is None:
            break
        kept = pruned
        if steps and _rank(steps, verdict) > current:
            plan = _as_plan(steps)
            known = found.get(plan.classification)
            if known is None or plan.cost < known.cost:
                found[plan.classification] = plan
    ordered = sorted(found.values(), key=lambda p: p.classification.rank)
    shown = [p for i, p in enumerate(ordered) if all(q.cost > p.cost for q in ordered[i + 1:])]
    return tuple(shown), not work.cut_short


def designs_after(design: Design, plan: Plan) -> tuple[Design, ...]:
    """The design after each step of `plan`, each step made again from the catalogue (the
    change of its kind whose action it is); ValueError when a step is not one the catalogue
    makes there."""
    out = []
    for step in plan.steps:
        verdict = evaluate(design)
        made = next((m for m in (_make(c, design, verdict) for c in CATALOGUE
                                 if c.kind == step.change)
                     if m is not None and m.action == step.action), None)
        if made is None:
            raise ValueError(f"ws2016: no change makes the step {step.action!r} here")
        design = made.design
        out.append(design)
    return tuple(out)
