"""Text for chat clients: Markdown that reads the same in Slack, Teams and CommonMark.

Backslash escapes show as backslashes in Slack, so anything Markdown could misread (names with
`_` or `*`, links, mentions) goes into a code span instead; a code span shows its text as it is.
"""
from __future__ import annotations

import re

from ._common import single_line

# Characters that start Markdown inline syntax, a mention (@, #) or an HTML/Slack tag (<, &).
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&@#!]")
_LINK = re.compile(r"(://|^www\.)", re.IGNORECASE)
_TRAILING = ".,;:)"


def code_span(text: str) -> str:
    """`text` as a code span, its delimiter longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _token(token: str) -> str:
    core = token.rstrip(_TRAILING)
    tail = token[len(core):]
    lead = "(" if core.startswith("(") and ")" in tail else ""
    core = core[len(lead):]
    if core and (_SPECIAL.search(core) or _LINK.search(core)):
        return f"{lead}{code_span(core)}{tail}"
    return token


def chat_text(text: str) -> str:
    """Prose on one line with every risky word in a code span (never a backslash escape)."""
    return " ".join(_token(token) for token in single_line(text).split(" "))


def cell(text: str) -> str:
    """Text for a Markdown table cell: a pipe would end the cell even inside a code span."""
    return chat_text(text).replace("|", "\\|")


def name_list(names: list[str], limit: int = 4) -> str:
    """'a, b' or 'a, b, …, z (12 nodes)': long node lists must not fill a chat message."""
    shown = [chat_text(n) for n in names]
    if len(shown) <= limit:
        return ", ".join(shown)
    return f"{len(names)} nodes: {', '.join(shown[:limit - 1])}, …, {shown[-1]}"
