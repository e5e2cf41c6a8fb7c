"""Renderings of an evaluation: PowerShell, .reg, gpedit.msc steps, chat-ops Markdown and SVG."""
from __future__ import annotations

from .gpedit import render_gpedit_steps
from .markdown import render_markdown
from .powershell import render_powershell
from .registry import render_reg
from .svg import port_speeds_of, render_svg

__all__ = ["render_gpedit_steps", "render_markdown", "render_powershell", "render_reg",
           "render_svg", "port_speeds_of"]
