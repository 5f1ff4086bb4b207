"""A small markup for text staff write for the public (guides to spotting fakes).

What it understands:

- paragraphs separated by blank lines (a single line break inside a paragraph is kept);
- ``## `` at the start of a line: a heading;
- ``- `` at the start of lines: a bulleted list; ``1. `` (any number): a numbered list;
- ``**bold**`` inside a line;
- bare ``https://`` addresses become links (``rel="nofollow noopener"``).

Safety comes from the order of the work: every piece of text is escaped first, and only then
are the few tags this module writes itself added around it. No tag, attribute or URL scheme
typed by the author can come through: ``<script>`` stays text, ``javascript:`` is never a link
(only ``https://`` is), and a quote cannot end the ``href`` because it was escaped before.
Every step is linear in the length of the text, so a huge input cannot stall the server.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

_HEADING = re.compile(r"^##[ \t]+(\S.*)$")
_BULLET = re.compile(r"^[-*][ \t]+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,4})\.[ \t]+(\S.*)$")
#: An address in text that has already been escaped: it ends at a space or a "*" (bold markers).
_URL = re.compile(r"https://[A-Za-z0-9][^\s*]*")
#: Escaped forms of characters that end an address typed in running text.
_URL_STOPS = ("&lt;", "&gt;", "&#34;", "&#39;", "&quot;")
_TRAILING = ".,;:!?)"


def _link(match: re.Match) -> str:
    url = match.group(0)
    rest = ""
    cut = min((i for i in (url.find(stop) for stop in _URL_STOPS) if i >= 0), default=-1)
    if cut >= 0:
        url, rest = url[:cut], url[cut:]
    while url and url[-1] in _TRAILING:
        url, rest = url[:-1], url[-1] + rest
    if len(url) <= len("https://"):
        return match.group(0)
    # url is escaped text (no quote, no angle bracket), so it is safe inside the attribute
    return f'<a href="{url}" rel="nofollow noopener">{url}</a>{rest}'


def _bold(text: str) -> str:
    """Pair the ``**`` markers left to right; one without a partner stays as typed."""
    parts = text.split("**")
    markers = len(parts) - 1
    out = [parts[0]]
    index = 1
    while index < len(parts):
        inner = parts[index]
        closes = index < markers  # marker index-1 opens, marker index closes
        if closes and inner.strip():
            out.append(f"<strong>{inner}</strong>")
            if index + 1 < len(parts):
                out.append(parts[index + 1])
            index += 2
        else:
            out.append("**" + inner)
            index += 1
    return "".join(out)


def inline(text: str) -> str:
    """One line of text: escaped, then links and bold added."""
    escaped = str(escape(str.__str__(text)))  # a Markup input is escaped too: nothing typed is trusted
    return _bold(_URL.sub(_link, escaped))


def render(text: str | None) -> Markup:
    """The HTML of a text written in this markup."""
    if not text:
        return Markup("")
    text = str.__str__(text)  # plain text, even when handed a Markup
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[str] = []
    kind: str | None = None  # "p", "ul" or "ol": the block being built
    items: list[str] = []
    start = 1

    def close() -> None:
        nonlocal kind, items
        if kind == "p":
            blocks.append("<p>" + "<br>\n".join(items) + "</p>")
        elif kind == "ul":
            blocks.append("<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>")
        elif kind == "ol":
            attr = f' start="{start}"' if start != 1 else ""
            blocks.append(f"<ol{attr}>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ol>")
        kind, items = None, []

    for raw in lines:
        line = raw.strip()
        if not line:
            close()
            continue
        if heading := _HEADING.match(line):
            close()
            blocks.append(f"<h2>{inline(heading.group(1))}</h2>")
        elif bullet := _BULLET.match(line):
            if kind != "ul":
                close()
                kind = "ul"
            items.append(inline(bullet.group(1)))
        elif numbered := _NUMBERED.match(line):
            if kind != "ol":
                close()
                kind, start = "ol", int(numbered.group(1))
            items.append(inline(numbered.group(2)))
        else:
            if kind != "p":
                close()
                kind = "p"
            items.append(inline(line))
    close()
    # Every piece of text in the blocks was escaped before the few tags above were added.
    return Markup("\n".join(blocks))  # nosec B704
