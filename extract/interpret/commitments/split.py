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


def _starts_item(prev: str, word: str, current: list[str]) -> bool:
    """Whether ``word`` starts a new item after the words ``current`` (``prev`` the last of them)."""
    c = cues()
    if not word[:1].isupper() or prev.lower() in c.joining_words or prev.endswith((",", ":", "-", "–", "/", "(")):
        return False
    title = word[1:2].islower()  # Title-case, not an acronym
    if word.endswith(",") and prev[:1].isupper():
        return False  # "... Schools Partnership, Parish meetings": a name in a list goes on
    if word.strip("(),.;:") in c.item_starters:
        return True
    if prev.endswith(")") and prev[:1] != "(" and _closes_bracket(current):
        # a complete item ending in a bracket: a capitalised word or an acronym after it starts the next
        return title or (word[:2].isupper() and len(current) >= 3)
    return title and prev[:1].islower() and prev[-1:].isalpha()


def _closes_bracket(words: list[str]) -> bool:
    text = " ".join(words)
    return text.count("(") > 0 and text.count("(") == text.count(")")


def _names_only(item: str) -> bool:
    """An item of capitalised names and the words joining them ("SPO and Non-Molestation Orders")."""
    words = item.rstrip(".;").split()
    return bool(words) and all(w[:1].isupper() or w in ("and", "or", "&", "of", "the") for w in words)


def _rejoin(items: list[str]) -> list[str]:
    """Pieces that are not items of their own go back to the item before them: a single word
    ("(DAHA)" | "Accreditation"), or a list of names continuing an enumeration that a full stop
    interrupted ("... Restraining Orders, Clare's Law." | "SPO and Non-Molestation Orders")."""
    out: list[str] = []
    for item in items:
        prev = out[-1] if out else ""
        single = len(item.split()) == 1
        enumeration = prev.endswith(".") and prev.count(",") >= 2 and _names_only(item)
        if prev and (single or enumeration):
            out[-1] = f"{prev} {item}"
        else:
            out.append(item)
    return out


def split_run(text: str) -> list[str]:
    """One piece of text (no bullets) → items at stops and capitalised item starts."""
    items: list[str] = []
    for sentence in _STOP.split(text):
        words = sentence.split()
        current: list[str] = []
        for w in words:
            if current and len(current) >= 2 and _starts_item(current[-1], w, current):
                items.append(" ".join(current))
                current = []
            current.append(w)
        if current:
            items.append(" ".join(current))
    return _rejoin([_finish(i, text) for i in items if i.strip()])


def _finish(item: str, whole: str) -> str:
    """An item split at a full stop keeps its stop when the source printed one."""
    item = item.strip()
    if not item.endswith((".", ";")) and item + "." in whole:  # a plain search: no pattern made per item
        item += "."
    return item


_SENTENCE_END = re.compile(r"(?<!\bi\.e)(?<!\be\.g)(?<=[A-Za-z0-9)\]'’%][A-Za-z0-9)\]'’%])[.;]\s+(?=[A-Z0-9])")


def split_sentences(pieces: list[str]) -> list[str]:
    """Reported prose (an achievements cell) → whole sentences: split at bullets, at sentence ends,
    and where a sentence ends in a bracket without a stop ("... (4 right to know) In relation to ...");
    never inside a sentence."""
    out: list[str] = []
    for part in _BULLET.split(" ".join(clean(p) for p in pieces)):
        for sentence in _SENTENCE_END.split(part.strip()):
            words, current = sentence.split(), list[str]()
            for w in words:
                if current and len(current) >= 3 and current[-1].endswith(")") and w[1:2].islower():
                    if w[:1].isupper() and _closes_bracket(current):
                        out.append(" ".join(current))
                        current = []
                current.append(w)
            if current:
                out.append(" ".join(current))
    return [_finish(s, " ".join(pieces)) for s in out if s.strip()]


def split_cell(pieces: list[str]) -> list[str]:
    """A cell's prose pieces (paragraphs, list items) → items, bullets and run-together items split."""
    text = " ".join(clean(p) for p in pieces)
    out: list[str] = []
    for part in _BULLET.split(text):
        part = part.strip()
        if part:
            out += split_run(part)
    return out
