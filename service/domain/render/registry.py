"""One node's QoS policy set as a .reg file of Policy-based QoS values (Windows Server 2008 R2)."""
from __future__ import annotations

from ..model import Evaluation, QosPolicy
from ..qos import dialog_kilobytes_per_second
from ._common import (
    no_policy_reason,
    node_evaluation,
    policy_summary,
    single_line,
    source_address,
    unenforced_caps,
)

QOS_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\QoS"
CRLF = "\r\n"  # regedit's own export format ends lines with CR LF

# The 11 value names, all REG_SZ even where they hold numbers. Microsoft documents them in
# [MS-GPQOS], which we could not read; names and types are those that the public Group Policy QoS
# scripts we checked (Set-GPRegistryValue and REG ADD scripts) all write, consistently.
VALUE_NAMES = (
    "Version", "Application Name", "Protocol", "Local Port", "Local IP", "Local IP Prefix Length",
    "Remote Port", "Remote IP", "Remote IP Prefix Length", "DSCP Value", "Throttle Rate",
)

HEADER_NOTES = (
    "UNCONFIRMED UNIT: no Microsoft document we could read gives the unit of \"Throttle Rate\"",
    "([MS-GPQOS] defines it; we could not consult it). It is written here in kilobytes per second,",
    "the gpedit.msc dialog's unit, counted with 1 KB = 1024 bytes and rounded down",
    "(bit/s // 8 // 1024): if Windows counts 1 KB as 1000 bytes the throttle is a little lower,",
    "never above the cap. Were the value read in another unit altogether the rate would be wrong,",
    "so check on one host first: create a 1 MBps policy in gpedit.msc and read its \"Throttle Rate\".",
    "",
    "\"DSCP Value\" -1 = no DSCP marking; \"*\" = any. Ports and addresses describe OUTBOUND",
    "traffic, so \"Local\" is the source and \"Remote\" the destination.",
    "Guide notes: the policies throttle only outgoing traffic; with TCP Chimney enabled in the",
    "management operating system the adapter bypasses QoS and the policies do nothing.",
    "Import with regedit, then restart or run 'gpupdate /force' (not confirmed whether Windows",
    "needs either to pick the values up).",
    "On a computer outside a domain, scripts also set REG_SZ \"Do not use NLA\"=\"1\" under",
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\QoS so that the policies apply;",
    "no Microsoft document confirms it, so it is left out here.",
)


def _reg_string(value: str) -> str:
    """A .reg REG_SZ literal: backslash and double quote escaped with a backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: str) -> str:
    # ASCII only: a .reg file without a BOM is read in the ANSI code page.
    safe = single_line(text).encode("ascii", "backslashreplace").decode("ascii")
    return "; " + safe if safe else ";"


def policy_values(policy: QosPolicy) -> tuple[tuple[str, str], ...]:
    """The 11 (name, REG_SZ data) pairs of one policy, in the order of VALUE_NAMES."""
    local_ip, local_prefix = "*", "*"
    if policy.source_ip is not None:
        # Guide: the management policy applies "to outbound traffic from a source IP address";
        # for outbound traffic the source is this computer, so it is the *Local* IP.
        address, prefix = source_address(policy)
        local_ip, local_prefix = address, str(prefix)
    remote_port = str(policy.destination_port) if policy.destination_port is not None else "*"
    values = {
        "Version": "1.0",
        "Application Name": "*",  # guide step 6: "All applications"
        "Protocol": "TCP" if policy.protocol == "tcp" else "*",  # guide step 7: TCP for live migration
        "Local Port": "*",  # guide step 8: "From any source port"
        "Local IP": local_ip,
        "Local IP Prefix Length": local_prefix,
        "Remote Port": remote_port,  # guide step 9: destination port 6600
        "Remote IP": "*",
        "Remote IP Prefix Length": "*",
        "DSCP Value": "-1",  # the guide sets a throttle only, no DSCP marking
        # Unit not confirmed (see the header): KBps, 1 KB = 1024 bytes, rounded down.
        "Throttle Rate": str(dialog_kilobytes_per_second(policy.throttle_rate_bits_per_second)),
    }
    return tuple((name, values[name]) for name in VALUE_NAMES)


def _check_key_name(name: str) -> None:
    # A backslash would open a subkey and a bracket or line break would end the key line.
    if not name or any(ch in name for ch in "\\[]\r\n") or not name.isprintable():
        raise ValueError(f"policy name {name!r} cannot be a registry key name")


def render_reg(evaluation: Evaluation, node: str) -> str:
    """A 'Windows Registry Editor Version 5.00' file for one node (ValueError for an unknown node)."""
    item = node_evaluation(evaluation, node)
    lines = ["Windows Registry Editor Version 5.00", ""]
    head = [
        f"Hyper-V live migration QoS policies for node {item.name} "
        "(Policy-based QoS, Windows Server 2008 R2).",
        f"Ruleset: {evaluation.ruleset_version}",
        "",
        *HEADER_NOTES,
    ]
    lines += [_comment(line) for line in head]
    lines.append("")
    if not item.qos_policies:
        lines += [_comment(f"No QoS policy for {item.name}: {no_policy_reason(item)}"), ""]
    else:
        lines += [_comment(f"NOT ENFORCED: {gap}.") for gap in unenforced_caps(item)]
        lines += [""] if unenforced_caps(item) else []
    for policy in item.qos_policies:
        _check_key_name(policy.name)
        lines.append(_comment(policy_summary(policy)))
        rate = policy.throttle_rate_bits_per_second
        lines.append(_comment(f"Throttle Rate {dialog_kilobytes_per_second(rate)}"
                              f" = {rate} bit/s // 8 // 1024"))
        for note in policy.notes:
            lines.append(_comment(f"WARNING: {note}"))
        lines.append(f"[{QOS_KEY}\\{policy.name}]")
        lines += [f"{_reg_string(name)}={_reg_string(value)}" for name, value in policy_values(policy)]
        lines.append("")
    return CRLF.join(lines) + CRLF
