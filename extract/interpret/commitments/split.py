"""Cell and list text → items: markup and numbering removed, run-together items split apart.

Delivery-plan cells often print several items one after another without bullet marks; an item
starts at a bullet, after a full stop, or where a capitalised word follows a lower-case word that
does not join phrases ("... take up Retention rates increased ...").
"""

from __future__ import annotations

import html
import re

from extract.interpret.commitments.cues import cues

_TAG = re.compile(r"<sup>[^<]*</sup>|<[^>]+>")
_NUMBERING = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[•\-–*▪●○◦])\s+")
_BULLET = re.compile(r"\s*[•▪●◦]\s*")
_BROKEN_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?=[A-Za-z][a-z])")  # "Non- Molestation" broken at a line end
_STOP = re.compile(r"(?<!\bi\.e)(?<!\be\.g)(?<=[a-z0-9)\]'’])[.;]\s+(?=[A-Z])")


def clean(text: str) -> str:
    """Markup, bold marks and list numbering removed; whitespace collapsed."""
    text = html.unescape(_TAG.sub(" ", text or "")).replace("**", "")
    text = _BROKEN_HYPHEN.sub("-", " ".join(text.split()))
    return _NUMBERING.sub("", text).strip()


def _starts_item(prev: str, word: str) -> bool:
    c = cues()
    if not word[:1].isupper() or prev.lower() in c.joining_words or prev.endswith((",", ":", "-", "–", "/", "(")):
        return False
    if word.strip("(),.;:") in c.item_starters:
        return True
    title = word[1:2].islower()  # Title-case, not an acronym
    return title and prev[:1].islower() and prev[-1:].isalpha() or (title and prev.endswith(")") and prev[:1] != "(")


def split_run(text: str) -> list[str]:
    """One piece of text (no bullets) → items at stops and capitalised item starts."""
    items: list[str] = []
    for sentence in _STOP.split(text):
        words = sentence.split()
        current: list[str] = []
        for w in words:
            if current and _starts_item(current[-1], w) and len(current) >= 2:
                items.append(" ".join(current))
                current = []
            current.append(w)
        if current:
            items.append(" ".join(current))
    return [_finish(i, text) for i in items if i.strip()]


def _finish(item: str, whole: str) -> str:
    """An item split at a full stop keeps its stop when the source printed one."""
    item = item.strip()
    if not item.endswith((".", ";")) and re.search(re.escape(item) + r"[.]", whole):
        item += "."
    return item


def split_cell(pieces: list[str]) -> list[str]:
    """A cell's prose pieces (paragraphs, list items) → items, bullets and run-together items split."""
    text = " ".join(clean(p) for p in pieces)
    out: list[str] = []
    for part in _BULLET.split(text):
        part = part.strip()
        if part:
            out += split_run(part)
    return out
