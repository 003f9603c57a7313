"""Age ranges a prose figure is about ("64 (34%) were in the 35 – 49 age group", "the 45-54 age
group had the highest percentage ... 48.5%"): read by token shape, with words from
``schema/narrative.yaml`` (``subjects.age_bands``), so a breakdown by age says so in its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span

from extract.interpret.narrative_periods import vocab
from extract.interpret.subjects import past_brackets

AGE = re.compile(r"^\d{1,3}$")
DASHED = re.compile(r"^[-–—](\d{1,3})$")  # "19 -24": the tokenizer keeps the dash on the number
DASHES = ("-", "–", "—")
OPEN = re.compile(r"^(\d{1,3})([-–—+])(yrs|years)?$")


@dataclass(frozen=True)
class AgeWords:
    """Words around an age range (``subjects.age_bands`` in schema/narrative.yaml)."""

    before: frozenset
    after: frozenset
    units: frozenset
    age_words: frozenset
    joiners: frozenset
    link_words: frozenset
    link_tokens: int


@dataclass(frozen=True)
class Band:
    """An age range in a sentence: token span [start, end) and its text ("35–49", "18–20 and 50+")."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def age_words() -> AgeWords:
    a = vocab()["subjects"]["age_bands"]
    return AgeWords(
        frozenset(a["before"]),
        frozenset(a["after"]),
        frozenset(a["units"]),
        frozenset(a["age_words"]),
        frozenset(a["joiners"]),
        frozenset(a["link_words"]),
        int(a["link_tokens"]),
    )


def _piece(doc: Doc, i: int, end: int) -> Optional[tuple[int, str, bool]]:
    """One range at token ``i``: "35 – 49", "19 -24", "50+", with a unit after it ("years");
    its end, text and whether a unit was printed."""
    if i >= end:
        return None
    if m := OPEN.match(doc[i].text):  # "18- 25yrs", "50+yrs": the tokenizer keeps the mark on the number
        if m.group(2) == "+":
            return i + 1, f"{m.group(1)}+", bool(m.group(3))
        if i + 1 < end and AGE.match(doc[i + 1].text):
            unit = i + 2 < end and doc[i + 2].lower_ in age_words().units
            return i + (3 if unit else 2), f"{m.group(1)}–{doc[i + 1].text}", unit
        return None
    if not AGE.match(doc[i].text):
        return None
    low = doc[i].text
    j = i + 1
    if j + 1 < end and doc[j].text in DASHES and AGE.match(doc[j + 1].text):
        text, j = f"{low}–{doc[j + 1].text}", j + 2
    elif j < end and (m := DASHED.match(doc[j].text)):
        text, j = f"{low}–{m.group(1)}", j + 1
    elif j < end and doc[j].text == "+":
        text, j = f"{low}+", j + 1
    else:
        text = low
    unit = j < end and doc[j].lower_ in age_words().units
    return (j + 1 if unit else j), text, unit


def age_bands(doc: Doc, sent: Span) -> list[Band]:
    """The age ranges of a sentence: a range before "age" ("the 26 - 34 years age group"), after
    "aged", or in years when the sentence speaks of age ("was 19 -24 years")."""
    words = age_words()
    said = {t.lower_ for t in sent}
    if not said & (words.before | words.after | words.age_words):
        return []  # every band is marked by a word of age ("aged", "age group", "… years" about age)
    about_age = bool(said & words.age_words)
    bands: list[Band] = []
    i = sent.start
    while i < sent.end:
        spanned = _between(doc, i, sent.end) if about_age else None
        if spanned is not None and not (bands and bands[-1].end > i):
            bands.append(spanned)  # "the majority of victims were between 19 and 54"
            i = spanned.end
            continue
        piece = _piece(doc, i, sent.end)
        if piece is None or (bands and bands[-1].end > i):
            i += 1
            continue
        j, text, unit = piece
        texts, ranged = [text], "–" in text or "+" in text
        while j + 1 < sent.end and doc[j].lower_ in words.joiners and (more := _piece(doc, j + 1, sent.end)):
            if not ("–" in more[1] or "+" in more[1] or more[2]):
                break  # "aged 19-24 and 12 were ...": a bare number after "and" is a figure, not an age
            j, extra, more_unit = more
            texts.append(extra)
            unit = unit or more_unit
        after = j < sent.end and doc[j].lower_ in words.after
        before = i > sent.start and doc[i - 1].lower_ in words.before
        if before or (ranged and (after or (unit and about_age))):
            bands.append(Band(i, j, " and ".join(texts)))
        i = j
    return bands


def _between(doc: Doc, i: int, end: int) -> Optional[Band]:
    """ "between 19 and 54 (years)" at token ``i`` in a sentence about age: the range 19–54."""
    if not (doc[i].lower_ == "between" and i + 3 < end and doc[i + 2].lower_ == "and"):
        return None
    low, high = doc[i + 1].text, doc[i + 3].text
    if not (AGE.match(low) and AGE.match(high) and int(low) < int(high)):
        return None
    j = i + 4
    if j < end and doc[j].lower_ in age_words().units:
        j += 1
    return Band(i + 1, j, f"{low}–{high}")


def _linked_after(doc: Doc, sent: Span, end: int, bands: list[Band]) -> Optional[Band]:
    """The band right after a figure (past its bracketed share), with only linking words between."""
    words = age_words()
    i = past_brackets(doc, sent, end)
    starts = {b.start: b for b in bands}
    for _ in range(words.link_tokens + 1):
        if i in starts:
            return starts[i]
        if i >= sent.end or doc[i].lower_ not in words.link_words:
            return None
        i += 1
    return None


def _claimed(doc: Doc, sent: Span, band: Band) -> bool:
    """A figure stands right before the band, with only linking words between: the band is its."""
    words = age_words()
    i = band.start - 1
    for _ in range(words.link_tokens + 1):
        if i < sent.start:
            return False
        if doc[i].text == ")":
            while i > sent.start and doc[i].text != "(":
                i -= 1
            i -= 1
            continue
        if doc[i].text[:1].isdigit():
            return True
        if doc[i].lower_ not in words.link_words:
            return False
        i -= 1
    return False


def band_of(doc: Doc, start: int, end: int, breaks: frozenset) -> Optional[str]:
    """The age band the figure at tokens [start, end) is about: one right after it ("64 (34%) were
    in the 35 – 49 age group"), else the nearest before it in its clause that no figure before it
    claims ("the 45-54 age group had ... 48.5%")."""
    sent = doc[start].sent
    bands = age_bands(doc, sent)
    if not bands:
        return None
    after = _linked_after(doc, sent, end, bands)
    if after is not None:
        return after.text
    ends = {b.end - 1: b for b in bands}
    i = start - 1
    while i >= sent.start:
        if i in ends:
            band = ends[i]
            return None if _claimed(doc, sent, band) else band.text
        if doc[i].text in breaks or doc[i].text[:1].isdigit():
            return None
        i -= 1
    return None
