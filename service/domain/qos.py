"""The QoS policy set that enforces a layout's caps, with exact rates.

The guide's two policies: live migration traffic (TCP, destination port 6600) and the management
operating system's traffic (source IP = its address). Rates are bits per second, 1 Gbps = 10^9 bit/s.
"""
from __future__ import annotations

import re

from .layout import Layout
from .model import QosPolicy, Role
from .ports import Port, format_speed, mixed_speed_aggregate, slower_standby

# The guide: "TCP traffic on port 6600, which is the port that is used for live migration".
LIVE_MIGRATION_TCP_PORT = 6600
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


def _planned_speed(port: Port, kind: str, cap: int) -> tuple[int, tuple[str, ...]]:
    """The speed a policy's rate is planned on, and what the reader must know about the port."""
    profile = port.profile
    speed = profile.speed_mbps
    notes: list[str] = []
    if kind == "live_migration" and mixed_speed_aggregate(profile):
        speed = profile.member_speed_mbps
        notes.append(
            f"{port.name} aggregates members of different speeds: one live migration is one TCP "
            f"stream and never runs faster than one member, so the rate is planned on the "
            f"slowest member ({format_speed(speed)}), not on the team's "
            f"{format_speed(profile.speed_mbps)}.")
    if slower_standby(profile):
        standby = profile.member_speed_mbps * BITS_PER_MBPS
        rate = throttle_bits_per_second(speed, cap)
        notes.append(
            f"After a failover of {port.name} to its slower member "
            f"({format_speed(profile.member_speed_mbps)}), this rate ({rate:,} bit/s) is "
            f"{rate * 100 / standby:.0f}% of that link, not {cap}%.")
    return speed, tuple(notes)


def _policy(node: str, kind: str, port: Port, cap: int, source_ip: str | None,
            base_notes: tuple[str, ...]) -> QosPolicy:
    speed, notes = _planned_speed(port, kind, cap)
    live = kind == "live_migration"
    return QosPolicy(
        name=policy_name(node, kind), kind=kind, protocol="tcp" if live else "any",
        destination_port=LIVE_MIGRATION_TCP_PORT if live else None, source_ip=source_ip,
        port=port.name, port_speed_mbps=speed, bandwidth_cap_percent=cap,
        throttle_rate_bits_per_second=throttle_bits_per_second(speed, cap),
        notes=base_notes + notes,
    )


def policies(node: str, management_ip: str | None, layout: Layout, ports: tuple[Port, ...] = (),
             tcp_chimney_offload: bool = False) -> tuple[QosPolicy, ...]:
    """The node's policies: one per capped role the guide's procedures can throttle.

    The management policy matches traffic from the management address, so it belongs to the port
    that holds that address when one does (audit mode may have management elsewhere: LM303).
    """
    notes = (CHIMNEY_NOTE,) if tcp_chimney_offload else ()
    out = []
    lm_cap = layout.caps[Role.LIVE_MIGRATION]
    if lm_cap is not None:
        port = layout.group_of(Role.LIVE_MIGRATION).placed
        out.append(_policy(node, "live_migration", port, lm_cap, None, notes))
    mgmt_cap = layout.caps[Role.MANAGEMENT]
    if mgmt_cap is not None and management_ip is not None:
        home = next((p for p in ports if p.profile.management_home), None)
        port = home or layout.group_of(Role.MANAGEMENT).placed
        out.append(_policy(node, "management", port, mgmt_cap, management_ip, notes))
    return tuple(out)
