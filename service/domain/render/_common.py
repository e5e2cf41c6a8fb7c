"""Helpers the renderers share: finding a node, naming roles, formatting caps and addresses."""
from __future__ import annotations

import ipaddress
import re

from ..model import Evaluation, NodeEvaluation, QosPolicy, Role
from ..names import ROLE_NAMES
from ..ports import format_speed

__all__ = ["ROLE_NAMES", "Role", "format_speed", "node_evaluation", "selected_nodes",
           "unenforced_caps", "no_policy_reason", "policy_summary",
           "source_address", "single_line", "cap_text", "md_escape"]

# Inline specials only: escaped text never starts a line, so '#', '-', '+' and '.' are safe.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@])")
# What chat clients and GFM turn into links without any markup: scheme://..., www.example.
_BARE_LINK = re.compile(r"(?i):(?=//)|(?<![\w.-])(www)\.")
# Controls (C0, DEL, C1), line and paragraph separators, bidirectional overrides and isolates,
# and noncharacters: none belongs on a line of a script, a Markdown answer or an SVG picture.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(17))
    + "]+")


def node_evaluation(evaluation: Evaluation, name: str) -> NodeEvaluation:
    """The named node's evaluation; ValueError when the evaluation has no such node."""
    for node in evaluation.nodes:
        if node.name == name:
            return node
    known = ", ".join(repr(n.name) for n in evaluation.nodes)
    raise ValueError(f"unknown node {name!r}; the evaluation has: {known}")


def selected_nodes(evaluation: Evaluation, name: str | None) -> tuple[NodeEvaluation, ...]:
    """Every node (name None) or just the named one (ValueError when unknown)."""
    if name is None:
        return evaluation.nodes
    return (node_evaluation(evaluation, name),)


def source_address(policy: QosPolicy) -> tuple[str, int]:
    """The management policy's source address and its host prefix length (32 for IPv4, 128 for IPv6).

    The guide: "type the IP address for the management operating system", one address, so the
    prefix is always a host prefix, even if the description gave the address in CIDR form.
    """
    if policy.source_ip is None:
        raise ValueError(f"policy {policy.name!r} has no source IP address")
    ip = ipaddress.ip_interface(policy.source_ip).ip
    return str(ip), ip.max_prefixlen


def single_line(text: str) -> str:
    """Text with line breaks, control characters, bidirectional controls and noncharacters folded
    to spaces (safe inside a line comment, and in XML)."""
    return _CONTROL.sub(" ", text)


def cap_text(cap: int | None) -> str:
    """'≤ 40%' for a capped role, '' for an uncapped one."""
    return "" if cap is None else f"\u2264 {cap}%"


def unenforced_caps(node: NodeEvaluation) -> list[str]:
    """Capped roles no policy enforces (the management cap when no management_ip was given)."""
    kinds = {p.kind for p in node.qos_policies}
    out = []
    for placement in node.layout:
        if placement.bandwidth_cap_percent is not None and placement.role.value not in kinds:
            out.append(f"{ROLE_NAMES[placement.role]} is capped at {placement.bandwidth_cap_percent}% "
                       f"on {placement.port}, but no policy can be written for it"
                       + (": the description gives no management_ip" if placement.role is Role.MANAGEMENT
                          else ""))
    return out


def no_policy_reason(node: NodeEvaluation) -> str:
    """Why a node gets no policy: no capped role, or capped roles that lack what a policy needs."""
    missing = unenforced_caps(node)
    if missing:
        return "; ".join(missing) + "."
    return "no role on this node shares a port with a bandwidth cap, so no QoS policy is needed."


def policy_summary(policy: QosPolicy) -> str:
    """One line: what the policy matches, where, and its cap in bit/s."""
    if policy.kind == "live_migration":
        what = f"live migration, TCP to destination port {policy.destination_port}"
    else:
        address, prefix = source_address(policy)
        what = f"management operating system, source {address}/{prefix}"
    return (f"{policy.name}: {what}, on {policy.port} ({format_speed(policy.port_speed_mbps)}), "
            f"cap {policy.bandwidth_cap_percent}% = {policy.throttle_rate_bits_per_second} bit/s")


def md_escape(text: str) -> str:
    """Text with Markdown's inline special characters backslash-escaped, on one line; mentions
    (@channel) and bare links (https://, www.) escaped so that no client links or notifies."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", single_line(text))
    # "\\:" and "www\\." render as ":" and "www." (CommonMark escapes) but match no linker.
    return _BARE_LINK.sub(lambda m: "\\:" if m.group(1) is None else m.group(1) + "\\.", escaped)
