"""LM0xx: bookkeeping, what the description does not give (LM001 names the rule it left unchecked)."""
from __future__ import annotations

from ....catalogue import MISSING, ClusterContext, Scope, rule
from ....model import Severity as S
from .addressing import unchecked_management_address, unchecked_subnets
from .cluster import unchecked_processor_vendor, unchecked_smb_bindings


@rule("LM001", "Not checked: a fact is missing", S.INFO, MISSING, Scope.CLUSTER, source="",
      quote="")
def missing_facts(ctx: ClusterContext):
    # One channel for every rule a missing fact leaves unchecked, so that a rule's own code only
    # ever means its violation; each message names the rule and the field to give.
    yield from unchecked_processor_vendor(ctx)
    yield from unchecked_smb_bindings(ctx)
    yield from unchecked_subnets(ctx)
    yield from unchecked_management_address(ctx)


# This module's rules, in code order (a ruleset is built from these tuples).
RULES = (missing_facts,)
