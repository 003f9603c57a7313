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

from extract.interpret.narrative_periods import PERIOD_TOKEN, vocab
from extract.vocab.categories import match_phrase

ACRONYM = re.compile(r"^[A-Z]{2,}s?$")  # "ASB", "TICs", "DVPNs"
WORD = re.compile(r"^[A-Za-z][A-Za-z'’\-]*[A-Za-z]$|^[A-Z]$")


@dataclass(frozen=True)
class SubjectSettings:
    """How much of the context a subject takes (from ``subjects`` in schema/narrative.yaml)."""

    max_words: int
    before_words: int
    bare_before_words: int
    heading_words: int
    clause_breaks: frozenset
    ignore: frozenset
    joiners: frozenset
    after_words: int
    after_stops: frozenset
    auxiliaries: frozenset
    participles: frozenset
    label_marks: frozenset
    generic_heading: frozenset
    heading_separators: tuple
    negations: frozenset
    lead_marks: frozenset
    lead_words: int
    copulas: frozenset
    modals: frozenset
    partitives: tuple
    anaphora: frozenset


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
        int(s["bare_before_words"]),
        int(s["heading_words"]),
        frozenset(s["clause_breaks"]),
        frozenset(w.lower() for w in ignore),
        frozenset(s["joiners"]),
        int(s["after_words"]),
        frozenset(s["after_stops"]),
        frozenset(s["passive_auxiliaries"]),
        frozenset(s["participles"]),
        frozenset(s["label_marks"]),
        frozenset(w.lower() for w in s["generic_heading_words"]),
        tuple(s["heading_separators"]),
        frozenset(s["negations"]),
        frozenset(s["lead_marks"]),
        int(s["lead_words"]),
        frozenset(s["copulas"]),
        frozenset(s["modals"]),
        tuple(tuple(p.split()) for p in s["partitives"]),
        frozenset(s["anaphora"]),
    )


def is_content(text: str, is_stop: bool) -> bool:
    """A word that can say what is counted: a word (not a number or sign), not a stop word or
    filler — but a negation ("violence without injury") always counts."""
    low = text.lower()
    if low in settings().negations:
        return True
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
        if tok.text == ")":
            j = i
            while j > sent.start and doc[j].text != "(":
                j -= 1
            if doc[j].text == "(" and i - j <= 4:
                if i - j == 2:  # "Formal Action Taken (FAT) outcome rate": an acronym in brackets
                    out[:0] = [t.text for t in doc[j + 1 : i] if is_content(t.text, t.is_stop)]
                i = j - 1  # "Operation X (organised crime group) resulted in": an aside, passed over
                continue
        if PERIOD_TOKEN.match(tok.text):
            i -= 1  # "FAT outcome rate for public order 2021/22 17.5%": the period is not a break
            continue
        if tok.text in breaks or tok.like_num:
            break
        if is_content(tok.text, tok.is_stop) or _name_part(doc, sent, i):
            out.insert(0, tok.text)
        i -= 1
    return out


def _name_part(doc: Doc, sent: Span, i: int) -> bool:
    """A capitalised stop word joined to a capitalised word is part of a name ("Safe and Well")."""
    return (
        doc[i].text[:1].isupper()
        and i - 2 >= sent.start
        and doc[i - 1].lower_ in settings().joiners
        and doc[i - 2].text[:1].isupper()
        and bool(WORD.match(doc[i].text))
    )


def past_brackets(doc: Doc, sent: Span, i: int) -> int:
    """The token after a bracketed aside opening at ``i`` ("484 (75.6%) were ..."), else ``i``."""
    if i < sent.end and doc[i].text == "(":
        while i < sent.end and doc[i].text != ")":
            i += 1
        i += 1
    return i


def _participle(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{3,}ed", text)) or text in settings().participles


def words_after(doc: Doc, sent: Span, end: int, limit: int) -> list[str]:
    """Content words after the figure (past a bracketed share right after it), up to a clause
    break, a number, a verb or a conjunction: "248 (28%) of the reported crime ..."."""
    cfg = settings()
    i = past_brackets(doc, sent, end)
    out: list[str] = []
    first = i
    while i < sent.end and len(out) < limit:
        tok = doc[i]
        if tok.lower_ in cfg.auxiliaries and i + 1 < sent.end and _participle(doc[i + 1].text):
            out.append(doc[i + 1].text)  # "were referred" (to other service areas)
            i += 2
            continue
        if (
            tok.lower_ in cfg.modals
            and doc[i + 1 : i + 2].text in cfg.auxiliaries
            and _participle(doc[i + 2 : i + 3].text)
        ):
            out.append(doc[i + 2].text)  # "300 visits per quarter would be expected"
            break
        if i == first and (part := _partitive_at(doc, i)):
            i = first = i + part  # "40.02% of those being repeat perpetrators": the partitive, then what they are
            continue
        if i == first and tok.lower_ in cfg.copulas:
            i += 1  # "24.3% were repeat victims", "4 were of unknown location": what it is follows
            continue
        if tok.text in cfg.clause_breaks or tok.like_num or tok.lower_ in cfg.after_stops:
            break
        if is_content(tok.text, tok.is_stop):
            out.append(tok.text)
        i += 1
    return out


def expansion(doc: Doc, sent: Span, i: int, limit: int) -> list[str]:
    """Content words in brackets right after an acronym: what it stands for ("34 TICs (offences
    taken into consideration at sentencing)")."""
    if i >= sent.end or doc[i].text != "(":
        return []
    out: list[str] = []
    for tok in doc[i + 1 : sent.end]:
        if tok.text == ")" or tok.like_num or len(out) >= limit:
            break
        if is_content(tok.text, tok.is_stop):
            out.append(tok.text)
    return out


def _partitive_at(doc: Doc, i: int) -> int:
    """The length of a partitive phrase ("of those") at token ``i``, else 0."""
    for phrase in settings().partitives:
        if tuple(t.lower_ for t in doc[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def join_subject(after: str, before: list[str]) -> str:
    """The sentence's words for a figure: the words before, then the phrase after; capped in content words."""
    cfg = settings()
    from spacy.lang.en.stop_words import STOP_WORDS

    after_words = [w for w in after.split() if is_content(w, w.lower() in STOP_WORDS)]
    seen = {w.lower() for w in after_words}
    room = cfg.max_words - len(after_words)
    before = [w for w in before if w.lower() not in seen][-max(room, 0) :] if room > 0 else []
    return " ".join(before + ([after] if after else []))


def with_topic(core: str, heading: list[str], band: Optional[str] = None) -> str:
    """The label: the section's topic before the core — at most ``heading_words`` as room allows,
    or, when the topic names a category, always (the core's earliest words give way) — then the
    age band the figure is about ("aged 35–49"), which takes one word of the room."""
    cfg = settings()
    cap = cfg.max_words - (1 if band else 0)
    tail = f" aged {band}" if band else ""
    words = content_of(core)
    seen = {w.lower() for w in words}
    if heading and names_category(" ".join(heading)):
        head = heading[: cfg.heading_words]
        named = {w.lower() for w in head}
        words = [w for w in words if w.lower() not in named]
        words = words[max(len(words) + len(head) - cap, 0) :]
        return ": ".join(p for p in (" ".join(head), " ".join(words)) if p) + tail
    head = [w for w in heading if w.lower() not in seen][: cfg.heading_words]
    head = head[: max(cap - len(words), 0)]
    if len(words) > cap:
        core = " ".join(words[len(words) - cap :])
    return ": ".join(p for p in (" ".join(head), core) if p) + tail


@lru_cache(maxsize=4096)
def names_category(text: str) -> bool:
    """The text names a category (one heading is asked once, not once per figure under it)."""
    return match_phrase(text) is not None


def is_generic_heading(text: str) -> bool:
    """A heading that names a kind of section ("Victim/Perpetrator Overview", "Outcomes"), not a topic."""
    words = content_of(text)
    return all(w.lower() in settings().generic_heading for w in words)


def heading_topic(headings: list[str]) -> str:
    """The topic of the prose under ``headings`` (nearest first): the nearest heading, or when it
    only names a kind of section, the piece of the heading before it that names a category
    ("Violence with injury" of "Violence with injury – Formal Action Taken" over "Victim/Perpetrator
    Overview")."""
    if not headings:
        return ""
    nearest = headings[0]
    if is_generic_heading(nearest) and len(headings) > 1:
        pieces = re.split("|".join(map(re.escape, settings().heading_separators)), headings[1])
        topic = [p for p in pieces if names_category(p)]
        if topic:
            return " ".join(topic)
    return "" if is_generic_heading(nearest) else nearest


def lead_in(doc: Doc, sent: Span, start: int) -> list[str]:
    """A label opening the sentence and ending in a colon or dash before its first figure ("Out of
    court disposals: 88 cautions, 399 community resolutions"): the topic of every figure after it."""
    cfg = settings()
    for i in range(sent.start, min(start, sent.start + cfg.lead_words + 1)):
        tok = doc[i]
        if tok.like_num:
            return []
        if tok.text in cfg.lead_marks and i > sent.start:
            return [t.text for t in doc[sent.start : i] if is_content(t.text, t.is_stop)]
    return []


def subject_parts(doc: Doc, start: int, end: int, after: str, heading: Optional[str]) -> tuple[str, list[str]]:
    """What the figure at token ``start`` (phrase after it ``after``) counts: the sentence's words,
    and the topic words of its lead-in label or section heading."""
    cfg = settings()
    sent = doc[start].sent
    alone = _alone_in_brackets(doc, sent, start, end)
    if alone:  # "For a number of crimes (31) the gender of the victim was not stated"
        start, end = start - 1, end + 1
    tail = words_after(doc, sent, end + len(after.split()), cfg.after_words)
    if not tail and after and ACRONYM.match(after.split()[-1]):
        tail = expansion(doc, sent, end + len(after.split()), cfg.after_words)
    limit = cfg.before_words if content_of(" ".join([after, *tail])) else cfg.bare_before_words
    before = [] if content_of(after) and _second_conjunct(doc, sent, start) else words_before(doc, sent, start, limit)
    after = " ".join(w for w in [after, *tail] if w)
    head = lead_in(doc, sent, start) or content_of(heading or "")
    core = join_subject(after, before)
    if len(content_of(core)) < 2:
        known = {w.lower() for w in content_of(core)}
        opening = [w for w in opening_clause(doc, sent, start, cfg.before_words) if w.lower() not in known]
        core = " ".join([*opening, core]).strip()
    return core, head


def _second_conjunct(doc: Doc, sent: Span, start: int) -> bool:
    """ "issued 4 warning letters and 7 closure notices": a figure with its own phrase right after
    "and"/"or", right after another figure's noun phrase (no verb between them), opens a conjunct of
    its own; the words before it are the other figure's. After a clause ("visits were made to the
    homes of older residents and 7 calls"), the clause may speak of both: its words are kept."""
    if start - 1 <= sent.start or doc[start - 1].lower_ not in settings().joiners | {"or"}:
        return False
    numbers = [t.i for t in doc[sent.start : start - 1] if t.like_num]
    if not numbers:
        return False
    verbs = set(vocab()["finite_verbs"])
    between = doc[numbers[-1] + 1 : start - 1]
    return not any(t.lower_ in verbs or (t.is_lower and re.search(r"[a-z]{3}ed$", t.text)) for t in between)


def _alone_in_brackets(doc: Doc, sent: Span, start: int, end: int) -> bool:
    """A figure alone in brackets after words, not after another figure ("crimes (31) the ..."):
    it is read as if the brackets were not there."""
    return (
        start - 2 >= sent.start
        and doc[start - 1].text == "("
        and end < sent.end
        and doc[end].text == ")"
        and not doc[start - 2].like_num
        and doc[start - 2].text not in settings().clause_breaks
    )


def opening_clause(doc: Doc, sent: Span, start: int, limit: int) -> list[str]:
    """Content words of the sentence's first clause when the figure stands in a later one: the
    topic of a figure that says little itself ("... a reduction in CCTV recorded incidents of
    begging, data showed that there were 52 reports")."""
    cfg = settings()
    out: list[str] = []
    for tok in doc[sent.start : start]:
        if tok.text in cfg.clause_breaks:
            return out[:limit]
        if tok.like_num and not PERIOD_TOKEN.match(tok.text):
            return []  # another figure's clause
        if is_content(tok.text, tok.is_stop) and tok.text.lower() not in (o.lower() for o in out):
            out.append(tok.text)
    return []  # the figure is in the first clause: its own words were read


def merge_labels(own: str, topic: str) -> str:
    """A figure with no noun phrase of its own ("73 were from urban areas") under the topic of
    the figure before it: the topic's words first, then its own, capped in content words."""
    cap = settings().max_words
    words = content_of(topic)
    seen = {w.lower() for w in words}
    extra = [w for w in content_of(own) if w.lower() not in seen]
    keep = max(cap - len(extra), 0)
    return " ".join(words[:keep] + extra[:cap])
