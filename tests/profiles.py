"""Hypothesis profiles: `dev` (fast, the default) and `ci` (deeper), chosen by HYPOTHESIS_PROFILE.

Each property keeps its own depth as its `ci` example count; `dev` runs a quarter of it, so
the README's test command stays short on a small machine.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
DEV_FRACTION = 4  # dev runs 1/DEV_FRACTION of a property's ci examples

settings.register_profile("ci", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow])


def load() -> str:
    """Load the profile HYPOTHESIS_PROFILE names (dev when unset); return its name."""
    name = os.environ.get(PROFILE_VARIABLE) or "dev"
    if name not in ("dev", "ci"):
        raise ValueError(f"{PROFILE_VARIABLE}={name!r}: use dev or ci")
    settings.load_profile(name)
    return name


def examples(ci: int) -> int:
    """How many examples a property runs under the loaded profile, given its ci count."""
    if settings.get_current_profile_name() == "ci":
        return ci
    return max(10, ci // DEV_FRACTION)
