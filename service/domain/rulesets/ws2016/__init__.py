"""Windows Server 2016 and later: Hyper-V live migration networks (SMB, RDMA, SET).

The domain core of the second ruleset (issue 14, step 2), served in design and audit mode by
`serve.py`
(`"ruleset": "ws2016"`; what the API takes and answers: docs/rulesets/ws2016-rules.md, "Served
through the API"): its facts and sources
are docs/rulesets/ws2016-and-later.md, its proposed catalogue docs/rulesets/ws2016-rules.md.
Here: the description it reads (`description.py`, the proposal's fields), its rules (`rules/`,
each citing its Microsoft page), the bandwidth plan of Microsoft's converged example
(`bandwidth.py`), a small evaluator (`evaluate.py`), the designer for converged and
dedicated layouts (`designer.py`), its renderers (`render_ps1.py`, `render_md.py`,
`render_svg.py`) and a remediation planner (`plan.py` over the catalogue of `changes.py`). It is
not a `Ruleset` value: the shared engine's contexts carry no RDMA, SET or
DCB facts, so `serve.py` answers with this package's own evaluator and designer.
"""
from __future__ import annotations

from .bandwidth import ConvergedPlan, converged, smb_limit_factor
from .evaluate import RULES, Verdict, evaluate
from .plan import plans
from .sources import SOURCES

NAME = "ws2016-live-migration"
RELEASE = "13"  # 1: served by the API (design mode); 2: audit mode, and the designer keeps
# switchless storage apart from the switch, InfiniBand off the switch and out of DCB, S2D speed
# judged on the management adapters when storage has none of its own; 3: plans (design mode too);
# 4: WS107, Network ATC needs Windows Server 2025 or later; 5: WS108, mixed Windows Server versions;
# 6: the designer puts storage on RDMA adapters, then on the most bandwidth, before names;
# 7: a Network ATC cluster's script adds intents and cluster overrides; 8: minimum-bandwidth weights
# on a converged switch without RDMA (designed, declared in audits, WS510-WS512); 9: WS502 advises
# SMB on RDMA from the planned share when no limit is given; a one-member switch takes its second
# member with Set-VMSwitchTeam when SET-capable, else is removed and created again; 10: WS403 and
# WS407 cite the switched non-converged pattern's page (S22) rather than a switchless one; 11:
# WS210, a Hyper-V switch takes Ethernet adapters only (InfiniBand-only nodes), with its plan;
# 12: no weights of the designer's where Network ATC deploys the host networking; 13: after a review,
# WS513 (weights on SET: S5's doubt), WS510's advice by what the switch can still take, WS502 within
# a declared SMB reservation, plans that make a switch again keep its mode and management vNIC and
# drain the node, no VLAN on InfiniBand storage adapters (scripts only: Network ATC's overrides are
# given as New-NetIntentGlobalClusterOverrides' parameters, S41, with no release of their own)
TITLE = "Windows Server 2016 and later: Hyper-V live migration networks (SMB, RDMA, SET)"

__all__ = ["NAME", "RELEASE", "RULES", "SOURCES", "TITLE", "ConvergedPlan", "Verdict",
           "converged", "evaluate", "plans", "smb_limit_factor"]
