"""The QoS policy set as a PowerShell script of New-NetQosPolicy calls (Windows Server 2012 R2 and later)."""
from __future__ import annotations

from ..model import Evaluation, NodeEvaluation, QosPolicy
from ._common import (
    no_policy_reason,
    policy_summary,
    selected_nodes,
    single_line,
    source_address,
    unenforced_caps,
)

HEADER_NOTES = (
    "Units (New-NetQosPolicy docs): -ThrottleRateActionBitsPerSecond is in bits per second. Values",
    "are plain integers on purpose: PowerShell multiplier suffixes are 1024-based (MB = 1048576, not 10^6).",
    "Windows Server 2012 (RTM) documents the parameter as -ThrottleRateActionBytesPerSecond instead;",
    "the full name is used, not an alias such as -MaxBw, so that such a host fails loudly rather than",
    "reading the number in another unit. Run this on Windows Server 2012 R2 or later, elevated.",
    "",
    "Live migration is matched with -IPProtocolMatchCondition TCP -IPDstPortMatchCondition 6600, not",
    "with -LiveMigration: the docs say the built-in filters cannot be mixed with other conditions.",
    "",
    "Notes (Hyper-V: Live Migration Network Configuration Guide):",
    "- The policies throttle outbound traffic only: \"The bandwidth throttling ... provides control",
    "  only for the outgoing traffic of a physical network adapter\". Run the script on every node.",
    "- \"If TCP Chimney is enabled in the Hyper-V management operating system, the QoS configuration",
    "  ... will not work\": check with 'netsh int tcp show global' and disable Chimney Offload first.",
    "- Each node's block runs only where $env:COMPUTERNAME (the NetBIOS name, compared without regard",
    "  to case) equals the node's name as the description gives it; an FQDN there never matches.",
)


def ps_quote(text: str) -> str:
    """A PowerShell string expression: single-quoted (no expansion), every single quote doubled.

    Non-ASCII characters become [char] codes joined to the quoted parts, so the script stays
    ASCII: Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page.
    Control characters too: an ESC or BEL written verbatim would reach the terminal of whoever
    reads the script (an escape sequence can hide lines) while the name stays exact.
    """
    parts: list[str] = []
    run = ""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            run += ch
            continue
        if run:
            parts.append("'" + run.replace("'", "''") + "'")
            run = ""
        parts.append(f"[char]0x{ord(ch):04X}" if ord(ch) <= 0xFFFF else
                     f"[char]::ConvertFromUtf32(0x{ord(ch):X})")
    if run or not parts:
        parts.append("'" + run.replace("'", "''") + "'")
    if len(parts) == 1 and parts[0].startswith("'"):
        return parts[0]
    # A leading [char] must be turned into a string first, or '+' would add code points.
    if not parts[0].startswith("'"):
        parts.insert(0, "''")
    return "(" + " + ".join(parts) + ")"


def _comment(text: str) -> str:
    # One line (a line break in a name would end the comment and turn the rest into code), ASCII.
    safe = single_line(text).encode("ascii", "backslashreplace").decode("ascii")
    return "# " + safe if safe else "#"


def _new_policy(policy: QosPolicy) -> str:
    """The New-NetQosPolicy call for one policy (parameters as in the New-NetQosPolicy docs)."""
    parts = ["New-NetQosPolicy", "-Name", ps_quote(policy.name), "-PolicyStore", "$PolicyStore"]
    if policy.kind == "live_migration":
        # Guide: "limit TCP traffic on port 6600"; -IPDstPortMatchCondition is a UInt16 port number.
        parts += ["-IPProtocolMatchCondition", "TCP",
                  "-IPDstPortMatchCondition", str(policy.destination_port)]
    else:
        # Guide: "Only for the following source IP address or prefix"; the cmdlet takes an address
        # with an optional prefix (New-NetQosPolicy docs: -IPSrcPrefixMatchCondition, e.g. 192.168.1.0/24).
        address, prefix = source_address(policy)
        parts += ["-IPSrcPrefixMatchCondition", ps_quote(f"{address}/{prefix}")]
        if policy.protocol == "tcp":
            parts += ["-IPProtocolMatchCondition", "TCP"]
    # New-NetQosPolicy docs: -ThrottleRateActionBitsPerSecond, UInt64, bits per second.
    parts += ["-ThrottleRateActionBitsPerSecond", str(int(policy.throttle_rate_bits_per_second))]
    return " ".join(parts)


def _node_block(node: NodeEvaluation) -> list[str]:
    lines = [f"if ($env:COMPUTERNAME -eq {ps_quote(node.name)}) {{", "    $matched = $true"]
    if not node.qos_policies:
        lines.append("    " + _comment(f"No QoS policy for {node.name}: {no_policy_reason(node)}"))
    else:
        lines += ["    " + _comment(f"NOT ENFORCED: {gap}.") for gap in unenforced_caps(node)]
    for policy in node.qos_policies:
        lines.append("    " + _comment(policy_summary(policy)))
        for note in policy.notes:
            lines.append("    " + _comment(f"WARNING: {note}"))
        # Idempotent: a second run replaces the policy instead of failing on the duplicate name.
        lines.append(f"    Remove-NetQosPolicy -Name {ps_quote(policy.name)} -PolicyStore $PolicyStore "
                     "-Confirm:$false -ErrorAction SilentlyContinue")
        lines.append("    " + _new_policy(policy))
    lines.append("}")
    return lines


def render_powershell(evaluation: Evaluation, node: str | None = None) -> str:
    """One script with a guarded block per node (or just the named node; ValueError if unknown)."""
    nodes = selected_nodes(evaluation, node)
    scope = f"cluster {evaluation.name}" if evaluation.name else "cluster"
    if node is not None:
        scope = f"node {node}"
    head = [
        f"Hyper-V live migration QoS policies for {scope}, as New-NetQosPolicy calls.",
        f"Ruleset: {evaluation.ruleset_version}",
        "",
        "Policies (caps of the evaluated layout; rates are port speed x cap, 1 Gbps = 10^9 bit/s):",
    ]
    for item in nodes:
        if item.qos_policies:
            head += [f"  {policy_summary(p)}" for p in item.qos_policies]
        else:
            head.append(f"  {item.name}: none ({no_policy_reason(item)})")
    head += ["", *HEADER_NOTES]
    lines = [_comment(line) for line in head]
    lines += [
        "#Requires -Modules NetQos",
        "[CmdletBinding()]",
        "param(",
        "    # New-NetQosPolicy docs: without -PolicyStore the policy goes to the local computer and",
        "    # persists; 'ActiveStore' applies at once but \"will not persist after reboot\".",
        "    # A Group Policy store ('GPO:COMPUTERNAME', 'GPO:DOMAIN\\GPONAME') also works.",
        "    [string]$PolicyStore = $env:COMPUTERNAME",
        ")",
        "$ErrorActionPreference = 'Stop'",
        "$matched = $false",
        "",
    ]
    for item in nodes:
        lines += _node_block(item)
        lines.append("")
    lines += [
        "if (-not $matched) {",
        "    Write-Warning \"This computer ($env:COMPUTERNAME) is not a node of this plan; "
        "nothing was changed.\"",
        "}",
    ]
    return "\n".join(lines) + "\n"
