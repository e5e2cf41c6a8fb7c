"""The guide's gpedit.msc procedures as Markdown steps, with the exact values to type per policy."""
from __future__ import annotations

from ..model import Evaluation, NodeEvaluation, QosPolicy
from ..ports import format_speed
from ..qos import (
    dialog_kilobytes_per_second,
    exact_megabytes_per_second,
    guide_megabytes_per_second,
)
from ._common import (
    md_escape,
    no_policy_reason,
    selected_nodes,
    single_line,
    source_address,
    unenforced_caps,
)

INTRO = (
    "Windows Server 2008 R2, Local Group Policy Editor: the procedures of the guide's section "
    "\"Managing bandwidth in the management operating system\", with this plan's values. "
    "Create each policy on the node it names: the policies throttle outbound traffic only.",
    "",
    "**Which figure to type.** The dialog takes the throttle rate in bytes per second, as kilobytes "
    "(KBps) or megabytes (MBps) per second, not bits. Microsoft does not document whether its KB is "
    "1,000 or 1,024 bytes, so type the **KBps** figure: it is counted with 1 KB = 1,024 bytes and "
    "rounded down (bit/s ÷ 8 ÷ 1,024), so it stays at or under the cap either way. The guide's own "
    "example (\"enter 115 MBps ... so that it does not exceed 90% of 1 Gbps\") counts 1 Gbps as "
    "128 MBps: 115.2 MBps, which it rounds to 115, where the exact decimal figure is 112.5 MB/s. "
    "Both MBps figures are shown below for comparison.",
    "",
    "**Before you start.** \"If TCP Chimney is enabled in the Hyper-V management operating system, "
    "the QoS configuration outlined in this guide will not work\": check with "
    "`netsh int tcp show global` and disable Chimney Offload first.",
)

STEPS_1_TO_3 = (
    "Click **Start**, type `gpedit.msc` in the **Search programs and files** box, and then press ENTER.",
    "In the console tree under **Local Computer Policy**, expand **Computer Configuration**, expand "
    "**Windows Settings**, right-click **Policy-based QoS**, and then click **Create new Policy**.",
)


def _code(text: str) -> str:
    # A code span cannot contain its own delimiter; the values typed here never hold a backquote.
    return "`" + single_line(text).replace("`", "'") + "`"


def _number(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def figures(policy: QosPolicy) -> list[str]:
    """The rate in every unit the user may meet, saying which one to type."""
    bits = policy.throttle_rate_bits_per_second  # QosPolicy: bits per second, 1 Gbps = 10^9 bit/s
    # Guide step 4: "a value greater than 1 in kilobytes per second (KBps) or megabytes per second
    # (MBps)"; the KB's size is undocumented, so 1,024 bytes and rounded down (qos.py).
    kbps = dialog_kilobytes_per_second(bits)
    exact = exact_megabytes_per_second(bits)  # decimal: 10^6 bytes per MB
    # The guide's example "115 MBps ... 90% of 1 Gbps" counts 1 Gbps as 128 MBps.
    guide = guide_megabytes_per_second(policy.port_speed_mbps, policy.bandwidth_cap_percent)
    lines = [
        f"- Cap: {policy.bandwidth_cap_percent}% of {format_speed(policy.port_speed_mbps)} = "
        f"{bits:,} bit/s.",
        f"- **Type in the dialog: `{kbps}` KBps** (bit/s ÷ 8 ÷ 1,024, rounded down).",
        f"- Exact rate in decimal MB/s: {_number(exact)} MB/s.",
    ]
    if guide != exact:
        over = " It is above the cap, so do not type it." if guide > exact else ""
        lines.append(f"- The guide's convention (1 Gbps ≈ 128 MBps): {_number(guide)} MBps.{over}")
    return lines


def _live_migration_steps(policy: QosPolicy) -> list[str]:
    kbps = dialog_kilobytes_per_second(policy.throttle_rate_bits_per_second)
    steps = [
        *STEPS_1_TO_3,
        f"In **Policy-based QoS**, under **Policy name**, type {_code(policy.name)}.",
        f"In **Specify Outbound Throttle Rate**, select the check box, type `{kbps}` and choose "
        "**KBps**. Click **Next**.",
        "In **IP Addresses**, keep **Any source IP address** and **Any destination IP address**. "
        "Click **Next**.",
        "In **Application Name**, keep **All applications**. Click **Next**.",
        "In **Protocols and Ports**, under **Select the protocol this QoS policy applies to:**, "
        "select **TCP**.",
        "Under **Select the source port number:**, select **From any source port**.",
        "Under **Specify the destination port number:**, select **To this destination port number "
        f"or range**, type `{policy.destination_port}`, and then click **Finish**.",
    ]
    return [f"{i}. {step}" for i, step in enumerate(steps, 1)]


def _management_steps(policy: QosPolicy) -> list[str]:
    kbps = dialog_kilobytes_per_second(policy.throttle_rate_bits_per_second)
    address, _ = source_address(policy)
    steps = [
        *STEPS_1_TO_3,
        f"In **Policy-based QoS**, under **Policy name**, type {_code(policy.name)}.",
        f"In **Specify Outbound Throttle Rate**, select the check box, type `{kbps}` and choose "
        "**KBps**. Click **Next**.",
        "In **IP Addresses**, under **This QoS policy applies to:**, select **Only for the following "
        f"source IP address or prefix:** and type {_code(address)}, the management operating "
        "system's address; keep **Any destination IP address**. Click **Next**.",
        "In **Application Name**, keep **All applications**. Click **Next**.",
        "In **Protocols and Ports**, keep the defaults (the guide's procedure changes nothing here: "
        "the policy applies to all of the address's outbound traffic), and then click **Finish**.",
    ]
    return [f"{i}. {step}" for i, step in enumerate(steps, 1)]


def _policy_section(policy: QosPolicy) -> list[str]:
    where = f"on {md_escape(policy.port)} ({format_speed(policy.port_speed_mbps)})"
    if policy.kind == "live_migration":
        title = f"### Live migration: {_code(policy.name)} {where}"
        steps = _live_migration_steps(policy)
    else:
        title = f"### Management operating system: {_code(policy.name)} {where}"
        steps = _management_steps(policy)
    lines = [title, "", *figures(policy)]
    lines += [f"- **Warning:** {md_escape(note)}" for note in policy.notes]
    return [*lines, "", *steps, ""]


def _node_section(node: NodeEvaluation) -> list[str]:
    lines = [f"## Node {md_escape(node.name)}", ""]
    if not node.qos_policies:
        return [*lines, f"No QoS policy: {md_escape(no_policy_reason(node))}", ""]
    lines += [f"**Not enforced:** {md_escape(gap)}." for gap in unenforced_caps(node)]
    lines += [""] if unenforced_caps(node) else []
    for policy in node.qos_policies:
        lines += _policy_section(policy)
    return lines


def render_gpedit_steps(evaluation: Evaluation, node: str | None = None) -> str:
    """Markdown gpedit.msc steps for every node (or the named one; ValueError if unknown)."""
    nodes = selected_nodes(evaluation, node)
    title = "# Policy-based QoS in gpedit.msc"
    if node is not None:
        title += f": node {md_escape(node)}"
    elif evaluation.name:
        title += f": cluster {md_escape(evaluation.name)}"
    lines = [title, "", *INTRO, ""]
    for item in nodes:
        lines += _node_section(item)
    lines.append(f"_Ruleset {md_escape(evaluation.ruleset_version)}_")
    return "\n".join(lines) + "\n"
