"""What a prose figure counts, read around it: the noun phrase after it ("600 safe and well
visits"), the words before it in its clause ("ABH accounted for 81.54%", "X down 5.6%") and the
section heading it sits under, joined into one short label. Words come from
``schema/narrative.yaml`` (key ``subjects``); no part-of-speech model is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span

from extract.interpret.narrative_periods import vocab

WORD = re.compile(r"^[A-Za-z][A-Za-z'’\-]*[A-Za-z]$|^[A-Z]$")


@dataclass(frozen=True)
class SubjectSettings:
    """How much of the context a subject takes (from ``subjects`` in schema/narrative.yaml)."""

    max_words: int
    before_words: int
    heading_words: int
    clause_breaks: frozenset
    ignore: frozenset
    joiners: frozenset
    after_words: int
    after_stops: frozenset
    auxiliaries: frozenset
    participles: frozenset
    label_marks: frozenset


@lru_cache(maxsize=1)
def settings() -> SubjectSettings:
    words = vocab()
    s = words["subjects"]
    ignore = set(s["filler"]) | set(words["change_up"]) | set(words["change_down"]) | set(words["months"])
    for phrases in words["qualifiers"].values():
        ignore |= {p for p in phrases if " " not in p}
    return SubjectSettings(
        int(s["max_words"]),
        int(s["before_words"]),
        int(s["heading_words"]),
        frozenset(s["clause_breaks"]),
        frozenset(w.lower() for w in ignore),
        frozenset(s["joiners"]),
        int(s["after_words"]),
        frozenset(s["after_stops"]),
        frozenset(s["passive_auxiliaries"]),
        frozenset(s["participles"]),
        frozenset(s["label_marks"]),
    )


def is_content(text: str, is_stop: bool) -> bool:
    """A word that can say what is counted: a word (not a number or sign), not a stop word or filler."""
    low = text.lower()
    return bool(WORD.match(text)) and not is_stop and low not in settings().ignore


def content_of(text: str) -> list[str]:
    """Content words of a printed label (a heading), in order, without repeats."""
    from spacy.lang.en.stop_words import STOP_WORDS

    out: list[str] = []
    for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Z]", text):
        if is_content(w, w.lower() in STOP_WORDS) and w.lower() not in (o.lower() for o in out):
            out.append(w)
    return out


def words_before(doc: Doc, sent: Span, start: int, limit: int) -> list[str]:
    """Content words before the figure in its clause, nearest last, at most ``limit``."""
    breaks = settings().clause_breaks
    out: list[str] = []
    i = start - 1
    if i >= sent.start and doc[i].text in settings().label_marks:
        i -= 1  # "X: 45"
    while i >= sent.start and len(out) < limit:
        tok = doc[i]
        if tok.text == ")":  # "Formal Action Taken (FAT) outcome rate": an acronym in brackets
            j = i
            while j > sent.start and doc[j].text != "(":
                j -= 1
            if doc[j].text == "(" and i - j <= 4:
                out[:0] = [t.text for t in doc[j + 1 : i] if is_content(t.text, t.is_stop)]
                i = j - 1
                continue
        if tok.text in breaks or tok.like_num:
            break
        if is_content(tok.text, tok.is_stop):
            out.insert(0, tok.text)
        i -= 1
    return out


def _participle(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{3,}ed", text)) or text in settings().participles


def words_after(doc: Doc, sent: Span, end: int, limit: int) -> list[str]:
    """Content words after the figure (past a bracketed share right after it), up to a clause
    break, a number, a verb or a conjunction: "248 (28%) of the reported crime ..."."""
    cfg = settings()
    i = end
    if i < sent.end and doc[i].text == "(":
        while i < sent.end and doc[i].text != ")":
            i += 1
        i += 1
    out: list[str] = []
    while i < sent.end and len(out) < limit:
        tok = doc[i]
        if tok.lower_ in cfg.auxiliaries and i + 1 < sent.end and _participle(doc[i + 1].text):
            out.append(doc[i + 1].text)  # "were referred"
            break
        if tok.text in cfg.clause_breaks or tok.like_num or tok.lower_ in cfg.after_stops:
            break
        if is_content(tok.text, tok.is_stop):
            out.append(tok.text)
        i += 1
    return out


def join_subject(after: str, before: list[str], heading: list[str]) -> str:
    """One label: heading topic, the words before, the phrase after; capped in content words."""
    cfg = settings()
    from spacy.lang.en.stop_words import STOP_WORDS

    after_words = [w for w in after.split() if is_content(w, w.lower() in STOP_WORDS)]
    seen = {w.lower() for w in after_words}
    room = cfg.max_words - len(after_words)
    before = [w for w in before if w.lower() not in seen][-max(room, 0) :] if room > 0 else []
    seen |= {w.lower() for w in before}
    room -= len(before)
    head = [w for w in heading if w.lower() not in seen][: max(min(room, cfg.heading_words), 0)]
    parts = [" ".join(head), " ".join(before + ([after] if after else []))]
    return ": ".join(p for p in parts if p)


def subject_around(doc: Doc, start: int, end: int, after: str, heading: Optional[str]) -> str:
    """The subject of the figure at token ``start`` whose phrase after it is ``after``."""
    cfg = settings()
    sent = doc[start].sent
    before = words_before(doc, sent, start, cfg.before_words)
    tail = words_after(doc, sent, end + len(after.split()), cfg.after_words)
    after = " ".join(w for w in [after, *tail] if w)
    head = content_of(heading or "")
    return join_subject(after, before, head)


def merge_labels(own: str, topic: str) -> str:
    """A figure with no noun phrase of its own ("73 were from urban areas") under the topic of
    the figure before it: the topic's words first, then its own, capped in content words."""
    cap = settings().max_words
    words = content_of(topic)
    seen = {w.lower() for w in words}
    extra = [w for w in content_of(own) if w.lower() not in seen]
    keep = max(cap - len(extra), 0)
    return " ".join(words[:keep] + extra[:cap])
