"""What a prose figure counts, as a phrase a reader can read: the words of its sentence in their
own order (``extract/interpret/prose/phrase.py``) — the noun phrase it quantifies with what goes
on describing it ("warning letters for dog fouling offences"), after the clause's own words before
it ("the team responded to | requests for support"), or, with none, the noun phrase its clause
names before it ("Bicycle thefts accounted for 12%"); the section heading before it only when the
phrase does not say what is counted. Words come from ``schema/narrative.yaml`` (keys
``subjects`` and ``phrases``); no part-of-speech model is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span

from extract.interpret.narrative_periods import PERIOD_TOKEN, vocab
from extract.interpret.prose.phrase import (
    adjective_participle,
    body_opening,
    capped,
    capped_left,
    clause_start,
    is_participle,
    opens_clause,
    read_after,
    read_before,
    read_context,
    said,
    sentence_adjunct,
    twin,
    weight,
)
from extract.interpret.prose.phrase import text as phrase_text
from extract.interpret.prose.phrase import words as phrase_words
from extract.interpret.prose.topics import heading_subjects
from extract.vocab.categories import categories, match_phrase

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
    full_words: int
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
    pointing_back: frozenset
    generic_counted: frozenset
    who_counted: frozenset
    bodies: frozenset
    service_bodies: frozenset
    people: frozenset
    additive: frozenset
    whole: frozenset
    profile_roles: tuple


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
        int(s["full_words"]),
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
        frozenset(s["pointing_back"]),
        frozenset(w.lower() for w in s["generic_counted"]),
        frozenset(w.lower() for w in s["who_counted"]),
        frozenset(w.lower() for w in s["bodies"]),
        frozenset(w.lower() for w in s["service_bodies"]),
        frozenset(w.lower() for w in s["people"]),
        frozenset(w.lower() for w in s["additive_words"]),
        frozenset(w.lower() for w in s["whole_words"]),
        tuple(w.lower() for w in s["profile_roles"]),
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


def _partitive_at(doc: Doc, i: int) -> int:
    """The length of a partitive phrase ("of those") at token ``i``, else 0."""
    for phrase in settings().partitives:
        if tuple(t.lower_ for t in doc[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _joined(context: str, own: str) -> str:
    """Context words before a figure's own phrase: "Vehicle offences: crimes"; a phrase going on
    from its context ("from urban areas", "referred to ...") joined without a colon."""
    if not context:
        return own
    if not own:
        return context
    have, extra = said(context), said(own)
    if extra <= have:
        return context
    if extra >= have:
        return own
    first = own.split()[0].lower()
    cfg = phrase_words()
    goes_on = first in cfg.prepositions or first in cfg.relatives or bool(re.fullmatch(r"[a-z]{3,}(ed|ing)", first))
    return f"{context} {own}" if goes_on else f"{context}: {own}"


def without_repeats(label: str) -> str:
    """A label with a run of three or more words said twice kept once (a phrase and the figure's
    before it can both end on their sentence's opening adjunct)."""
    words = label.split()
    for n in range(len(words) // 2, 2, -1):
        for i in range(len(words) - 2 * n + 1):
            run = [w.lower() for w in words[i : i + n]]
            for j in range(i + n, len(words) - n + 1):
                if [w.lower() for w in words[j : j + n]] == run:
                    return without_repeats(" ".join(words[:j] + words[j + n :]))
    return label


def with_topic(core: str, heading: str, band: Optional[str] = None, change: bool = False) -> str:
    """The label: the section's topic before the figure's own phrase when the phrase does not say
    it — when the phrase names no category and shares no word with the topic — as room allows, or
    when the phrase says little (fewer than two words that say something) always; then the age
    band the figure is about ("aged 35–49"). Capped at ``max_words`` words that say something."""
    cfg = settings()
    tail = f" aged {band}" if band else ""
    if band:
        core = _without_age_words(core)  # "suspects being aged" + "aged 20–40": the band says it
    cap = cfg.max_words - (1 if band else 0) - (2 if change else 0)  # a change's measure says three words
    core = without_repeats(core)
    topics = heading_subjects(heading) if heading else ()
    topic = topics[0] if topics else ""
    shared = (said(core) & said(topic)) - cfg.bodies  # "the team responded": the heading names the team
    redundant = not topic or bool(shared) or _same_category(core, topic) or weight(core) >= cfg.full_words
    if weight(core) >= 2 and redundant:
        return capped(core, cap) + tail
    room = max(cap - weight(core), 0)
    topic = next((t for t in topics if weight(t) <= room), "")  # a heading's words whole or not at all
    if not topic:
        return capped(core, cap) + tail
    return capped(_joined(topic, capped_left(core, cap - weight(topic))), cap) + tail


def _without_age_words(core: str) -> str:
    """A phrase without the age words it ends on ("majority of the suspects: aged")."""
    ages = set(vocab()["age_words"]) | set(settings().copulas)
    words = core.split()
    while words and words[-1].strip(":,").lower() in ages:
        words.pop()
    return " ".join(words).rstrip(":,; ")


def _same_category(core: str, topic: str) -> bool:
    """The phrase names a category, and the topic no other ("FAT outcome rate" under "Violence with
    injury" still needs its heading: the rate is of that crime)."""
    if not names_category(core):
        return False
    named = match_phrase(topic)
    # a theme ("Quality of Life") over a crime the phrase names says nothing more of what is counted
    return named is None or named == match_phrase(core) or categories()[named]["scheme"] == "theme"


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


def lead_in(doc: Doc, sent: Span, start: int) -> str:
    """A label opening the sentence and ending in a colon or dash before its first figure ("Out of
    court disposals: 88 cautions, 399 community resolutions"): the topic of every figure after it."""
    cfg = settings()
    for i in range(sent.start, min(start, sent.start + cfg.lead_words + 1)):
        tok = doc[i]
        if tok.like_num:
            return ""
        if tok.text in cfg.lead_marks and i > sent.start:
            return doc[sent.start : i].text.strip()
    return ""


def phrase_start(doc: Doc, sent: Span, end: int, after: str) -> tuple[int, bool]:
    """Where the phrase after a figure opens: at the noun phrase read after it, else past a
    bracketed share, a partitive ("of those") and a copula ("24.3% were repeat victims": then
    what follows says what the figure is, not what it counts, and the second value is true)."""
    first = after.split()[0] if after else None
    if first is not None:
        for j in range(end, min(sent.end, end + 4)):
            if doc[j].text == first:
                return j, False
    i = past_brackets(doc, sent, end)
    if part := _partitive_at(doc, i):
        i += part
    if i < sent.end and doc[i].lower_ in settings().copulas:
        return i + 1, True
    return i, False


def _percent(doc: Doc, end: int) -> bool:
    return doc[end - 1].text == "%" or doc[end - 1].lower_ == "cent"


def _own_phrase(doc: Doc, sent: Span, end: int, after: str, change: bool) -> tuple[list, bool]:
    """The phrase after a figure, and whether it is a noun phrase of its own (not a preposition,
    a verb or what a copula says it is)."""
    cfg = phrase_words()
    at, predicate = phrase_start(doc, sent, end, after)
    own = read_after(doc, sent, at)
    if not own:
        return own, False
    lead = own[0].lower_
    if change and lead in ("in", "of") and len(own) > 1:
        return own[1:], True  # "a reduction of 60% in retail crime": what changed (the clause before adds nothing)
    if lead == "of" and _percent(doc, end):
        return [], False  # "12% of all thefts": the base, stored as such
    if lead == "of" and len(own) > 1 and not predicate:  # "100 of the offenders managed by ...": what it counts
        rest = own[2:] if own[1].lower_ in cfg.determiners else own[1:]
        return rest, bool(rest)
    if lead in cfg.relatives or lead in ("with", "by", "at", "as"):
        return [], False  # "... accounting for 74% with 40% of those ...": another clause
    noun = lead not in cfg.prepositions and (not is_participle(own[0]) or adjective_participle(doc, sent, own[0].i))
    return own, noun and not predicate and weight(phrase_text(own)) > 0


def subject_parts(
    doc: Doc, start: int, end: int, after: str, heading: Optional[str], change: bool = False
) -> tuple[str, str]:
    """What the figure at token ``start`` (noun phrase after it ``after``) counts, read in order
    from its sentence, and the topic of its lead-in label or section heading. A noun phrase of its
    own comes after the clause's words before it ("the team responded to | requests for support");
    otherwise the clause names it before the figure ("Bicycle thefts accounted for 12%")."""
    sent = doc[start].sent
    special = _spelled_or_equated(doc, sent, start, end, after, change)
    if special is not None:
        return special.strip(), (lead_in(doc, sent, start) or (heading or "")).strip()
    if _alone_in_brackets(doc, sent, start, end):  # "For a number of crimes (31) the gender ..."
        start, end = start - 1, end + 1
    core = _with_clause(doc, sent, start, end, after, change)
    if twin(doc, sent, start):
        pass  # "from 31 in 2023 to 48": what its twin counts (read_paragraph)
    elif weight(core) < 2 or (weight(core) < 3 and _reported(doc, sent, start)):
        core = _joined(opening_clause(doc, sent, start), core)
    if weight(core) < 2 and _percent(doc, end):
        core = _joined(core, _of_phrase(doc, sent, end))  # "Around 45% of respondents said they felt safe"
    core = _with_adjunct(doc, sent, core)
    body = _opening_body(doc, sent, start, core)
    if body:  # the sentence names the body: no heading over it
        return f"{body}: {core}".strip(), ""
    head = lead_in(doc, sent, start) or (heading or "")
    return core.strip(), head.strip()


def _with_clause(doc: Doc, sent: Span, start: int, end: int, after: str, change: bool) -> str:
    """The figure's own phrase after the clause's words before it ("the team responded to |
    requests for support"), or, with no noun phrase of its own, after the noun phrase its clause
    names before it ("Bicycle thefts accounted for | 12%")."""
    own, noun = _own_phrase(doc, sent, end, after, change)
    core = phrase_text(own)
    if not noun:
        return _joined(phrase_text(read_before(doc, sent, start)), core)
    if _second_conjunct(doc, sent, start) or (change and own[0].i > end):
        return core
    if (
        start - 1 > sent.start
        and doc[start - 1].lower_ == "the"
        and doc[start - 2].lower_ in phrase_words().prepositions
    ):
        return core  # "the types of action taken in relation to the 868 reported crimes": the crimes it counts
    core = capped(core, settings().max_words - 2)
    context, linked = read_context(doc, sent, start)
    room = settings().max_words - weight(core)
    words_before = phrase_text(context)
    if not words_before or room <= 0:
        return core
    words_before = capped_left(words_before, min(room, settings().before_words))
    if said(core) <= said(words_before):
        return words_before  # "Referrals for young people ... from 31 referrals"
    return f"{words_before}: {core}" if linked else f"{words_before} {core}"


def _opening_body(doc: Doc, sent: Span, start: int, core: str) -> str:
    """The body the sentence opens by naming ("Working age services provided by SHFT ..., roughly
    650 referrals a month"), when the phrase does not name it already; else ''."""
    body = body_opening(doc, sent) or _figures_frame(doc, sent)
    if body and said(core) and not said(body) <= said(core) and start > sent.start + len(body.split()):
        return body
    return ""


def _figures_frame(doc: Doc, sent: Span) -> str:
    """ "Figures for children and young people referral sources show that ...": what the figures
    the sentence reports are of ("children and young people referral sources"), else ''."""
    lows = [t.lower_ for t in doc[sent.start : min(sent.end, sent.start + 14)]]
    if len(lows) < 4 or lows[0] not in ("figures", "data") or lows[1] not in ("for", "on"):
        return ""
    reporting = phrase_words().reporting_verbs | {"show", "shows", "demonstrate", "demonstrates", "demonstrated"}
    end = next((k for k, w in enumerate(lows) if w in reporting), None)
    return doc[sent.start + 2 : sent.start + end].text if end and end > 2 else ""


ACRONYM = re.compile(r"^[A-Z]{2,8}s?$")


def spelled_out(doc: Doc, noun: str, start: int) -> str:
    """The name an acronym standing alone after a figure stands for, where the text before the
    figure defines it ("Community Protection Notices (CPN) ... 4 CPN"): the capitalised words right
    before "(" ACRONYM ")", as printed; '' when the noun is no lone acronym or is not defined."""
    if not ACRONYM.match(noun or ""):
        return ""
    bare = noun.rstrip("s") if noun.endswith("s") and noun[:-1].isupper() else noun
    for k in range(start - 2, 0, -1):
        if doc[k].text in (noun, bare) and doc[k - 1].text == "(" and k + 1 < len(doc) and doc[k + 1].text == ")":
            j = k - 2
            while j >= 0 and doc[j].is_alpha and (doc[j].text[:1].isupper() or doc[j].lower_ in ("of", "and", "&")):
                j -= 1
            name = doc[j + 1 : k - 1]
            while len(name) and (
                not name[0].text[:1].isupper()
                or (name.start == name[0].sent.start and re.fullmatch(r"[a-z]{3,}ed", name[0].lower_))
            ):
                name = name[1:]  # "Administered Community Protection Notice (CPN)": the verb opening the sentence
            return name.text if len(name) > 1 else ""
    return ""


def _spelled_or_equated(doc: Doc, sent: Span, start: int, end: int, after: str, change: bool) -> Optional[str]:
    """The words of a figure whose noun is an acronym the paragraph spells out ("... 12 Protection
    Orders (DVPO) against 3 DVPO"), or of one after "=" in brackets ("an increase in reporting (for
    Q1 to Q3 = +28.6%)": what the clause names); None for any other figure."""
    acronym = doc[end].text if end < sent.end else ""
    spelled = spelled_out(doc, acronym, start)
    if spelled:
        own, _ = _own_phrase(doc, sent, end, after, change)
        words = phrase_text(own).split() or [acronym]
        return " ".join(spelled if w == acronym else w for w in words)
    opened = _equated_aside(doc, sent, start)
    if opened is not None:
        return _with_adjunct(doc, sent, phrase_text(read_before(doc, sent, opened)))
    return None


def _equated_aside(doc: Doc, sent: Span, start: int) -> Optional[int]:
    """The "(" opening a bracketed aside whose figure follows "=" ("(for Q1 to Q3 = +28.6%)"), or
    that opens with "as" ("Residential Burglary (as measured by the Home Office is up +9.2%)"): the
    aside names no subject of its own."""
    opened = next((k for k in range(start - 1, max(sent.start, start - 12) - 1, -1) if doc[k].text in "()"), None)
    if opened is not None and doc[opened].text == "(" and opened + 1 < start and doc[opened + 1].lower_ == "as":
        return opened
    if start - 1 <= sent.start or doc[start - 1].text != "=":
        return None
    for k in range(start - 2, max(sent.start, start - 10) - 1, -1):
        if doc[k].text == "(":
            return k
        if doc[k].text in (")", ".", ";"):
            return None
    return None


def _of_phrase(doc: Doc, sent: Span, end: int) -> str:
    """The whole a percentage opening its clause is of, and what the sentence says of it:
    "45% of respondents said they felt safe" → "respondents said"."""
    at = past_brackets(doc, sent, end)
    tokens = read_after(doc, sent, at)
    if not tokens or tokens[0].lower_ != "of":
        return ""
    rest = tokens[1:]
    while rest and rest[0].lower_ in phrase_words().determiners:
        if len(rest) > 1 and is_participle(rest[1]) and rest[0].lower_ in settings().pointing_back:
            break  # "of those supported": "those" is what the participle describes
        rest = rest[1:]
    after = tokens[-1].i + 1
    if rest and after + 1 < sent.end and doc[after].lower_ in settings().copulas:
        said_of = read_after(doc, sent, after + 1, lead_verb=False)  # "8% of those supported were men"
        if said_of and not is_participle(said_of[0]):
            return f"{phrase_text(rest)}: {phrase_text(said_of)}"
    return phrase_text(rest)


def _with_adjunct(doc: Doc, sent: Span, core: str) -> str:
    """The phrase with what its sentence opens by saying all its figures are about, when it does
    not say it already: "cautions in relation to DA offences"."""
    end = sentence_adjunct(doc, sent)
    if end == sent.start:
        return core
    adjunct = doc[sent.start : end].text
    cues = phrase_words().adjunct_cues | phrase_words().openers | phrase_words().prepositions
    topic = {w for w in said(adjunct) if w not in cues}
    if not topic or topic <= said(core):
        return core
    return f"{core} {adjunct[:1].lower()}{adjunct[1:]}".strip()


def _reported(doc: Doc, sent: Span, start: int) -> bool:
    """The figure's clause is what a frame before it reports ("Figures for young people's referrals
    show that referrals fell from 40"): the frame names the topic."""
    cfg = phrase_words()
    i = clause_start(doc, sent, start) - 1
    frame = doc[i - 1] if i - 1 >= sent.start else None
    return (
        frame is not None
        and doc[i].lower_ == "that"
        and (frame.lower_ in cfg.verbs | cfg.links or is_participle(frame))
    )


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


def opening_clause(doc: Doc, sent: Span, start: int) -> str:
    """What the sentence names before the clause the figure stands in: the topic of a figure that
    says little itself ("... a reduction in CCTV recorded incidents of begging, data showed that
    there were 52 reports", "Figures for young people's referrals show that referrals fell from
    40")."""
    cfg = phrase_words()
    if sent[0].lower_ in cfg.prepositions or sent[0].lower_ in cfg.openers:
        return ""  # "In addition to the above programmes, ...": an adjunct, not a topic
    bands = doc.user_data.get("csp_band_tokens", ())
    for tok in doc[sent.start : start]:
        if tok.like_num and not PERIOD_TOKEN.match(tok.text) and tok.i not in bands:
            return ""  # another figure's clause (an age of a band is none)
        if opens_clause(doc, sent, tok.i):
            return phrase_text(read_before(doc, sent, tok.i))
    return ""  # the figure is in the first clause: its own words were read


def merge_labels(own: str, topic: str) -> str:
    """A figure with little phrase of its own ("73 were from urban areas") under the topic of
    the figure before it: the topic first, then its own words, capped (the topic gives way)."""
    cap = settings().max_words
    own = capped(own, cap)
    topic = _gapped(topic, own)
    room = cap - weight(own)
    topic = capped_left(topic, room) if room > 0 else ""
    return _joined(topic, own)


def _gapped(topic: str, own: str) -> str:
    """A figure's own words opening on a preposition the topic has too ("73 were from urban areas
    and 47 from rural areas"): the second says what the first said after it, so the topic stops
    before its own use of it ("forms received from urban areas" → "forms received")."""
    words = own.split()
    if not words or words[0].lower() not in phrase_words().prepositions:
        return topic
    lowered = [w.lower() for w in topic.split()]
    if words[0].lower() not in lowered:
        return topic
    cut = len(lowered) - 1 - lowered[::-1].index(words[0].lower())
    return " ".join(topic.split()[:cut]).rstrip(":,; ") if cut > 0 else topic
