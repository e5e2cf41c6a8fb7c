"""The QoS policy set that enforces a layout's caps, with exact rates.

The guide's two policies: live migration traffic (TCP, destination port 6600) and the management
operating system's traffic (source IP = its address). Rates are bits per second, 1 Gbps = 10^9 bit/s.
"""
from __future__ import annotations

import re

from .layout import Layout
from .model import QosPolicy, Role

LIVE_MIGRATION_TCP_PORT = 6600  # the guide: "TCP traffic on port 6600, which is the port that is used for live migration"
BITS_PER_MBPS = 1_000_000


def throttle_bits_per_second(speed_mbps: int, cap_percent: int) -> int:
    """Port speed times the cap, exactly (integers only: 1 Mbps = 10^6 bit/s)."""
    return speed_mbps * BITS_PER_MBPS * cap_percent // 100


def dialog_kilobytes_per_second(bits_per_second: int) -> int:
    """The gpedit.msc dialog's KBps figure, rounded down with 1 KB = 1,024 bytes.

    Microsoft's documentation does not say whether the dialog's KB is 1,000 or 1,024 bytes;
    counting 1,024 and rounding down keeps the throttle at or under the cap either way.
    """
    return bits_per_second // 8 // 1024


def guide_megabytes_per_second(speed_mbps: int, cap_percent: int) -> float:
    """The guide's own arithmetic: '115 MBps ... 90% of 1 Gbps' counts 1 Gbps as 128 MBps."""
    return round(speed_mbps * 0.128 * cap_percent / 100, 1)


def exact_megabytes_per_second(bits_per_second: int) -> float:
    """The exact rate in decimal megabytes per second (10^6 bytes)."""
    return bits_per_second / 8 / 1_000_000


CHIMNEY_NOTE = ("TCP Chimney Offload is enabled: the adapter bypasses QoS and this policy has no "
                "effect until it is disabled.")


def policy_name(node: str, kind: str) -> str:
    """A policy name that is safe in a registry key, a file name and PowerShell quotes."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", node).strip("-") or "node"
    return f"{safe}-{kind.replace('_', '-')}"


def policies(node: str, management_ip: str | None, layout: Layout,
             tcp_chimney_offload: bool = False) -> tuple[QosPolicy, ...]:
    """The node's policies: one per capped role the guide's procedures can throttle."""
    notes = (CHIMNEY_NOTE,) if tcp_chimney_offload else ()
    out = []
    lm_cap = layout.caps[Role.LIVE_MIGRATION]
    if lm_cap is not None:
        group = layout.group_of(Role.LIVE_MIGRATION)
        out.append(QosPolicy(
            name=policy_name(node, "live_migration"), kind="live_migration", protocol="tcp",
            destination_port=LIVE_MIGRATION_TCP_PORT, source_ip=None, port=group.port.name,
            port_speed_mbps=group.profile.speed_mbps, bandwidth_cap_percent=lm_cap,
            throttle_rate_bits_per_second=throttle_bits_per_second(group.profile.speed_mbps, lm_cap),
            notes=notes,
        ))
    mgmt_cap = layout.caps[Role.MANAGEMENT]
    if mgmt_cap is not None and management_ip is not None:
        group = layout.group_of(Role.MANAGEMENT)
        out.append(QosPolicy(
            name=policy_name(node, "management"), kind="management", protocol="any",
            destination_port=None, source_ip=management_ip, port=group.port.name,
            port_speed_mbps=group.profile.speed_mbps, bandwidth_cap_percent=mgmt_cap,
            throttle_rate_bits_per_second=throttle_bits_per_second(group.profile.speed_mbps, mgmt_cap),
            notes=notes,
        ))
    return tuple(out)
