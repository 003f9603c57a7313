"""What a section heading says the figures under it are about, as words a subject can open with.

A heading is printed for a reader scanning a report, not as a label: it may carry a number
("Priority 2: Quality of Life", "3.1 Outcomes"), frame its topic ("Work of the Youth Team",
"Key themes in Northvale"), state an action ("Improve the level of service ...", "Achieved a
prosecution for ..."), or run longer than a subject has room for. The topic is the part that
names what is counted, whole or not at all: never a name cut in the middle.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.interpret.narrative_periods import vocab
from extract.interpret.prose.phrase import PARTICIPLE, capped, said, weight
from extract.interpret.prose.phrase import words as phrase_words
from extract.vocab.categories import named_in
from extract.vocab.fold import fold

#: a period printed in a heading ("2030/31", "2030-31", "2030"): said by the figure's period, not its subject
PERIOD_IN_HEADING = re.compile(r"\b(?:19|20)\d\d(?:\s*[/\-–]\s*\d\d(?:\d\d)?)?\b")
#: a section number opening a heading ("2 ", "3.1 ", "4.2.1. ")
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
#: a piece that only numbers the section ("Priority 2", "Priority1", "Theme 4a", "Part II")
NUMBERING = re.compile(r"^[A-Za-z]+\s?(?:\d+[a-z]?|[IVX]+)\.?$")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset, tuple, int, frozenset, int]:
    s = vocab()["subjects"]
    return (
        frozenset(w.lower() for w in s["generic_heading_words"]),
        tuple(s["heading_separators"]),
        int(s["heading_words"]),
        frozenset(w.lower() for w in s["action_verbs"]),
        int(s["name_words"]),
    )


def _name(piece: str) -> bool:
    """A piece printed as a name: every content word but the last capitalised ("West Northvale
    Clinical Commissioning Group", "Northvale Council Tenancy team")."""
    content = _content(piece)
    return len(content) > 1 and all(w[:1].isupper() for w in content[:-1])


#: an acronym in brackets ("Formal Action Taken (FAT)"): part of the name, not a separator
ACRONYM = re.compile(r"\s*\(([A-Z]{2,8})\)")


def _pieces(heading: str) -> list[str]:
    separators = _words()[1]
    pattern = "|".join(map(re.escape, separators))
    held = ACRONYM.sub(lambda m: f" \x00{m.group(1)}\x01", heading)
    pieces = (p.strip(" ()").replace("\x00", "(").replace("\x01", ")") for p in re.split(pattern, held))
    return [p for p in pieces if p]


def _content(piece: str) -> list[str]:
    """The piece's words that say something (not a function word, not "Q4" or "2021/22")."""
    words = (w.strip("(),.:;") for w in piece.split())
    return [w for w in words if re.fullmatch(r"[A-Za-z][A-Za-z'’\-]*", w) and w.lower() in said(w)]


def _is_place(text: str) -> bool:
    from extract.vocab.areas import area_of

    return area_of(text) is not None


def _generic(piece: str) -> bool:
    """A piece naming only a kind of section or a place ("Victim Overview", "Key themes in
    Northvale"): no topic."""
    generic = _words()[0]
    rest = [w for w in _content(piece) if w.lower() not in generic]
    return not rest or _is_place(" ".join(rest))


def _past_frame(piece: str) -> str:
    """A piece opening on section-kind words and a preposition frames its topic ("Work of the
    Youth Team", "Update from the Fire Service"): the topic after it."""
    generic, cfg = _words()[0], phrase_words()
    words = piece.split()
    k = 0
    while k < len(words) and words[k].lower() in generic:
        k += 1
    if 0 < k < len(words) - 1 and words[k].lower() in cfg.prepositions:
        k += 1
        while k < len(words) and words[k].lower() in cfg.determiners:
            k += 1
        return " ".join(words[k:])
    return piece


def _action(piece: str) -> bool:
    """A piece stating what was done or is to be done ("Achieved a prosecution for ...", "Reducing
    crime and disorder", "Improve the service to ..."), not naming a topic: a past participle, or a
    verb in -ing or in the vocabulary's ``action_verbs`` before a lower-case word."""
    words = piece.split()
    if not words or not words[0][:1].isupper():
        return False
    first = words[0].lower()
    nxt = words[1] if len(words) > 1 else ""
    lower_next = bool(nxt) and nxt[:1].islower()
    if PARTICIPLE.match(first) and (lower_next or len(words) == 1):
        return True
    return lower_next and (first.endswith("ing") or first in _words()[3])


def _named_prefix(piece: str) -> str:
    """The category a too-long piece opens by naming ("Violence with injury" of "Violence with
    injury Formal Action Taken"), or the partner it opens with ("Northvale Borough Council" of
    "Northvale Borough Council Housing Options Team"), as printed; else ''."""
    words = piece.split()
    folded = fold(piece)
    found = named_in(piece)
    if found is not None and folded.startswith(found[0]) and len(found[0].split()) > 1:
        n = len(found[0].split())
        return " ".join(words[:n])
    from extract.interpret.commitments.cues import partner_names

    for p in partner_names():  # longest first
        n = len(p.variant.split())
        if n > 1 and fold(" ".join(words[:n])) == fold(p.variant):
            return " ".join(words[:n])
    return ""


@lru_cache(maxsize=2048)
def heading_subjects(heading: str) -> tuple[str, ...]:
    """The words of ``heading`` a subject may open with, most telling first (the caller takes the
    first its room holds): its section number, numbering labels, framing words, places and action
    pieces left out; the whole, when it fits ``heading_words`` or is a name of at most
    ``name_words``; then the pieces that fit (one naming a category first); then as far as the
    category or partner its first piece opens with names; then, for a name, its first ``heading_words``."""
    limit = _words()[2]
    text = PERIOD_IN_HEADING.sub("", SECTION_NUMBER.sub("", heading.strip()))
    pieces = [_past_frame(p) for p in _pieces(text) if not NUMBERING.match(p)]
    pieces = [p for p in pieces if p and not _generic(p) and not _action(p)]
    if not pieces:
        return ()
    whole = " ".join(pieces)
    out: list[str] = []
    if weight(whole) <= limit or (len(pieces) == 1 and _name(whole) and weight(whole) <= _words()[4]):
        out.append(whole)
    fitting = [p for p in pieces if weight(p) <= limit]
    out += [p for p in fitting if named_in(p) is not None] + fitting
    out.append(_named_prefix(pieces[0]))
    if _name(pieces[0]):
        out.append(capped(pieces[0], limit))  # a body's name shortened ("Northvale & Isle of Dogs Fire")
    return tuple(dict.fromkeys(t for t in out if t))  # never a phrase cut in the middle


def heading_subject(heading: str) -> str:
    """The most telling words of ``heading`` a subject may open with (``heading_subjects``)."""
    found = heading_subjects(heading)
    return found[0] if found else ""
