"""What a ws2016 rule reads: the whole design (cluster scope) or one host within it (node scope)."""
from __future__ import annotations

from dataclasses import dataclass

from ..description import Design, Host


@dataclass(frozen=True)
class HostContext:
    design: Design
    host: Host


def gbps(mbps: int | float) -> str:
    """'25 Gbps', '2.5 Gbps', '500 Mbps'."""
    if mbps < 1000:
        return f"{mbps:g} Mbps"
    return f"{mbps / 1000:g} Gbps"
