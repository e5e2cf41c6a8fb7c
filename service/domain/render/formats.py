"""The renderings of an evaluation behind one interface, in one table.

The command line's formats, the page's download buttons and the API's download routes are all
read from `RENDERERS`: adding a rendering is one renderer module and one row here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ..model import Cluster, Evaluation
from .gpedit import render_gpedit_steps
from .markdown import render_markdown
from .powershell import render_powershell
from .registry import render_reg
from .svg import render_svg


class NodeChoice(StrEnum):
    """What a rendering does with a node name."""

    NONE = "none"  # the whole evaluation: a node name is refused
    OPTIONAL = "optional"  # every node, or only the one named
    REQUIRED = "required"  # one node: the one named, or the only one


@dataclass(frozen=True)
class Renderer:
    """One rendering: its format name, what it is for people, how it is sent and saved."""

    format: str
    label: str  # what a download button says
    media_type: str
    suffix: str  # the end of a download's file name
    node: NodeChoice
    write: Callable[[Evaluation, str | None, Cluster], str]

    def render(self, evaluation: Evaluation, node: str | None, cluster: Cluster) -> str:
        """The text for `node`, checked by the caller against the evaluation and `self.node`;
        a rendering of one node renders the only node when none is named."""
        if node is None and self.node is NodeChoice.REQUIRED:
            node = evaluation.nodes[0].name
        return self.write(evaluation, node, cluster)


RENDERERS: dict[str, Renderer] = {r.format: r for r in (
    Renderer("markdown", "Short answer (Markdown)", "text/markdown", ".md", NodeChoice.NONE,
             lambda evaluation, node, cluster: render_markdown(evaluation)),
    Renderer("powershell", "PowerShell script (New-NetQosPolicy)", "text/plain", "-qos.ps1",
             NodeChoice.OPTIONAL,
             lambda evaluation, node, cluster: render_powershell(evaluation, node)),
    Renderer("reg", ".reg file (Windows Server 2008 R2)", "text/plain", "-qos.reg",
             NodeChoice.REQUIRED,
             lambda evaluation, node, cluster: render_reg(evaluation,
                                                          node or evaluation.nodes[0].name)),
    Renderer("gpedit", "gpedit.msc steps (Markdown)", "text/markdown", "-qos-gpedit.md",
             NodeChoice.OPTIONAL,
             lambda evaluation, node, cluster: render_gpedit_steps(evaluation, node)),
    Renderer("svg", "Layout picture (SVG)", "image/svg+xml", "-layout.svg", NodeChoice.OPTIONAL,
             lambda evaluation, node, cluster: render_svg(evaluation, node, cluster=cluster)),
)}
