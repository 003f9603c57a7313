"""Inline markup of the text renditions: footnote markers, HTML fragments in cells, light Markdown.

Kept apart from the reader so the PDF reader and the narrative stage treat a marker or a bullet
the same way.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
#: A markdown link ``[text](url)``: the link text may not hold a bracket, so each ``[`` is
#: scanned only to the next one and a line of ``[x[x[x…`` is read in linear time.
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MARKER = re.compile(rf"\s?([{SUPERSCRIPT_DIGITS}]+)")
BULLETS = "•●▪◦‣·"


def split_markers(text: str) -> tuple[str, list[str]]:
    """Remove superscript footnote markers: ("877¹ crimes", ) -> ("877 crimes", ["1"])."""
    markers = [m.translate(_TO_ASCII) for m in _MARKER.findall(text)]
    if not markers:
        return text, []
    cleaned = _MARKER.sub("", text)
    return cleaned, markers


def leading_marker(text: str) -> tuple[str | None, str]:
    """A footnote line starts with its marker: "¹⁸ This service ..." -> ("18", "This service ...")."""
    m = re.match(rf"\s*([{SUPERSCRIPT_DIGITS}]+)\s*", text)
    if not m:
        return None, text
    return m.group(1).translate(_TO_ASCII), text[m.end() :]


def clean_markdown(text: str) -> str:
    """Drop emphasis and link syntax, keep the words: "**Deliver** [Act](url)" -> "Deliver Act"."""
    text = _MD_LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("\\(", "(").replace("\\)", ")")
    text = re.sub(r"(?<!\w)_(\S[^_]*\S)_(?!\w)", r"\1", text)
    return text


class _CellHTML(HTMLParser):
    """Collects the paragraphs and list items of an HTML fragment in a cell."""

    BREAKS = {"p", "li", "ul", "ol", "br", "div", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._buf: list[str] = []

    def _flush(self):
        text = " ".join("".join(self._buf).split())
        if text:
            self.pieces.append(text)
        self._buf = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self._flush()

    def handle_data(self, data):
        self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def has_html(text: str) -> bool:
    return re.search(r"</?(p|ul|ol|li|i|b|em|strong|br|span|div)\b", text, re.I) is not None


def cell_paragraphs(raw: str) -> list[str]:
    """The prose pieces of a cell: HTML paragraphs and list items, and "•" bullets within them."""
    if has_html(raw):
        parser = _CellHTML()
        parser.feed(raw)
        parser.close()
        pieces = parser.pieces
    else:
        pieces = [unescape(raw)]
    out: list[str] = []
    for piece in pieces:
        parts = re.split(rf"\s*[{BULLETS}]\s+", piece)
        out.extend(p.strip() for p in parts if p.strip())
    return out


def is_prose(text: str) -> bool:
    """A sentence rather than a label or a value: several words and a verb-like length."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= 8
