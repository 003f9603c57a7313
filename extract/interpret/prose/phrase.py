"""What a figure counts as a phrase a reader can read: words taken in order from its sentence.

No part-of-speech model: a clause-aware walk over the tokens with the words of ``phrases`` in
``schema/narrative.yaml``. After a figure, the noun phrase it quantifies goes on through
prepositional phrases ("issued for domestic abuse offences"), participles and passives ("were
referred to the talking service": the auxiliary passed over), and relative clauses ("who chose
to enter therapy"); it ends at a clause break, another figure, a time phrase ("in 2024", "during
the same period"), a comparison ("compared with") or a finite verb after its noun. Before a
figure, the clause's own subject ("Bicycle thefts accounted for 12%", "The most common type was
violence against the person accounting for 60": the complement of its copula).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span, Token

from extract.interpret.narrative_periods import PERIOD_TOKEN as PERIOD
from extract.vocab.narrative import PhraseWords, narrative_vocab

BREAKS = frozenset({",", ";", ":", "(", ")", "–", "—", "-", ".", "•", "|", "/", "?", "!"})
TIME_PREPOSITIONS = frozenset({"during", "in", "for", "since", "throughout", "over", "within"})
RATE_WORDS = frozenset({"per", "a", "an", "each", "every"})
TIME_UNITS = frozenset({"day", "week", "month", "quarter", "year", "annum", "night", "hour"})
QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})
NUMERIC = re.compile(r"^[£$+\-−]?\d[\d,.]*(%|k|m|st|nd|rd|th|s)?$|^\d+/\d+$|^Q[1-4]$", re.I)
PARTICIPLE = re.compile(r"^[a-z]{3,}ed$")
#: words that never weigh in a phrase's length (the scorer's and a reader's function words)
LIGHT = frozenset(
    {
        "of",
        "in",
        "to",
        "and",
        "or",
        "for",
        "on",
        "by",
        "with",
        "at",
        "from",
        "as",
        "per",
        "the",
        "a",
        "an",
        "&",
        "overall",
    }
)
#: words after a determiner that may still open a time ("the same period", "the current reporting year")
TIME_ADJECTIVES = frozenset(
    {
        "same",
        "current",
        "previous",
        "last",
        "this",
        "reporting",
        "financial",
        "calendar",
        "first",
        "second",
        "third",
        "final",
        "past",
        "next",
        "rolling",
        "whole",
    }
)


def words() -> PhraseWords:
    return narrative_vocab().phrases


def is_number(tok: Token) -> bool:
    return bool(NUMERIC.match(tok.text)) or (tok.like_num and not tok.is_alpha) or tok.text in ("½", "¼", "¾")


def adjective_participle(doc: Doc, sent: Span, j: int) -> bool:
    """ "used needles", "recorded crimes": a participle before its noun."""
    if j + 1 >= sent.end or not is_participle(doc[j]):
        return False
    nxt, cfg = doc[j + 1], words()
    return (
        nxt.is_alpha
        and nxt.is_lower
        and not (
            nxt.lower_ in cfg.prepositions
            or nxt.lower_ in cfg.determiners
            or nxt.lower_ in narrative_vocab().stop_words
        )
    )


def is_participle(tok: Token) -> bool:
    return tok.is_lower and (bool(PARTICIPLE.match(tok.text)) or tok.lower_ in words().participles)


def _month_or_time(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    return low in words().time_words or low in narrative_vocab()["months"] or is_number(tok)


def _time_after(tok: Token) -> bool:
    """A determiner before a time ("referrals a month", "in the same period"): not the phrase."""
    return _time_from(tok.doc, tok.sent, tok.i + 1)


def _time_from(doc: Doc, sent: Span, k: int) -> bool:
    """A time opens at token ``k`` ("2024", "the same period", "this year"), past determiners and
    words like "same" and "current" that only open a time before a time word."""
    start = k
    while k < sent.end and doc[k].lower_ in words().determiners:
        k += 1
    while k < sent.end and doc[k].lower_ in TIME_ADJECTIVES and k < start + 4:
        k += 1
    if k < sent.end and is_number(doc[k]) and not PERIOD.match(doc[k].text):
        nxt = doc[k + 1].lower_.rstrip("s") if k + 1 < sent.end else ""
        return not nxt.isalpha() or nxt in TIME_UNITS  # "for 10 individuals": a count, not a time
    return k < sent.end and _month_or_time(doc[k]) and doc[k].lower_ not in TIME_ADJECTIVES


def opens_time(doc: Doc, sent: Span, j: int) -> bool:
    """A preposition at ``j`` opening a time ("in 2024", "during the same period", "for the
    year"), not a noun phrase."""
    return _time_from(doc, sent, j + 1)


def _numbered_name(doc: Doc, sent: Span, j: int, out: list[Token]) -> bool:
    """ "Section 34 dispersal orders", "Schedule 7": a number inside a name."""
    return bool(out) and out[-1].text[:1].isupper() and j + 1 < sent.end and doc[j + 1].is_alpha


def _figure_clause_after(doc: Doc, sent: Span, j: int) -> bool:
    """After "and" at ``j``, a verb and then a number before any break: the words open another
    figure's clause ("and male victims accounted for 478")."""
    cfg = words()
    verb = False
    for tok in doc[j + 1 : min(sent.end, j + 8)]:
        if tok.text in BREAKS:
            return False
        low = tok.lower_
        if low in cfg.comparisons:
            return False  # "were issued in 2024 compared with 64": the compared side, not another clause
        if low in cfg.linking_verbs or low in cfg.verbs or low in cfg.auxiliaries:
            verb = True
        elif is_number(tok) and not PERIOD.match(tok.text):
            return verb
    return False


def _worded_in_phrase(doc: Doc, j: int, out: list[Token]) -> bool:
    """ "seen on only one occasion", "linked to one offender": a number word inside the phrase,
    after a preposition, that is no figure of its own."""
    tok = doc[j]
    if not (out and tok.is_alpha and tok.is_lower):
        return False
    starts = {f.start for f in doc._.figures} if doc.has_extension("figures") else set()
    return j not in starts and any(t.lower_ in words().prepositions for t in out[-2:])


def _duration_limit(doc: Doc, sent: Span, j: int) -> bool:
    """ "within 2 weeks", "within 48 hours": a time limit on what is counted, not when it was."""
    if doc[j].lower_ != "within" or j + 2 >= sent.end or not is_number(doc[j + 1]) or PERIOD.match(doc[j + 1].text):
        return False
    return doc[j + 2].lower_.rstrip("s") in TIME_UNITS or doc[j + 2].lower_ in ("hrs", "hours", "mins", "minutes")


def _joiner_goes_on(doc: Doc, sent: Span, j: int) -> bool:
    """ "safe and well visits", "charged and summonsed": "and" inside a phrase, not before another
    figure or clause ("and 21 cautions", "and the rest were ...")."""
    if j + 1 >= sent.end:
        return False
    nxt = doc[j + 1]
    cfg = words()
    return not (
        is_number(nxt)
        or nxt.lower_ in cfg.determiners
        or nxt.lower_ in cfg.verbs
        or nxt.lower_ in cfg.auxiliaries
        or nxt.lower_ in cfg.stops
        or nxt.is_punct
        or _verb_before_figure(doc, sent, j + 1)
    )


def _verb_before_figure(doc: Doc, sent: Span, k: int) -> bool:
    """A lower-case word at ``k`` with a figure within ``coordinated_verb_words`` tokens after it and
    no break between: a verb opening another figure's clause ("supported 48 people and delivered 97
    sessions", "visited 14 parks and spoke to 230 residents"), not a word of this phrase."""
    tok = doc[k]
    if not (tok.is_alpha and tok.is_lower) or tok.lower_ in words().prepositions:
        return False
    if k + 1 < sent.end and doc[k + 1].lower_ == "of":
        return False  # "fines and costs of £695": a noun and what it amounts to
    for t in doc[k + 1 : min(sent.end, k + 1 + words().coordinated_verb_words)]:
        if t.text in BREAKS:
            return False
        if is_number(t) and not PERIOD.match(t.text):
            unit = doc[t.i + 1].lower_.rstrip("s") if t.i + 1 < sent.end else ""
            return unit not in TIME_UNITS  # "and support within 2 weeks": a duration, no figure
    return False


def _passive(doc: Doc, sent: Span, j: int) -> int:
    """Auxiliaries at ``j`` before a participle ("were referred", "have been seen"): how many."""
    k = j
    while k < sent.end and doc[k].lower_ in words().auxiliaries:
        k += 1
    after = k + 1 if k < sent.end and doc[k].lower_ == "not" else k  # "was not stated": "not" is kept
    if k > j and after < sent.end and is_participle(doc[after]) and not active_verb(doc, sent, after):
        return k - j
    return 0


def _perfect(doc: Doc, sent: Span, j: int) -> int:
    """Auxiliaries at ``j`` right after a figure before a participle acting on an object ("have
    completed the course", "had attended a session"): how many."""
    k = j
    while k < sent.end and doc[k].lower_ in words().auxiliaries:
        k += 1
    return k - j if k > j and k < sent.end and is_participle(doc[k]) else 0


def _which_describes(doc: Doc, sent: Span, j: int) -> bool:
    """ "breaches which proceeded to notices": "which" before a verb in the past that says what
    happened to the counted, not a comment on the figure ("which equates to", "which resulted in",
    "which increased")."""
    if j + 1 >= sent.end:
        return False
    nxt, vocab = doc[j + 1], narrative_vocab()
    return (
        bool(PARTICIPLE.match(nxt.text))
        and nxt.lower_ not in words().stops | words().linking_verbs
        and nxt.lower_ not in vocab.change_up | vocab.change_down
    )


def active_verb(doc: Doc, sent: Span, k: int) -> bool:
    """A participle with an object after it ("has achieved an ...", "conducted Safe and Well
    visits", "issued 4 ..."): a verb acting, not a word describing what is counted."""
    if k + 1 >= sent.end:
        return False
    nxt = doc[k + 1]
    return nxt.lower_ in words().determiners or (nxt.text[:1].isupper() and nxt.is_alpha) or is_number(nxt)


def _aside(doc: Doc, sent: Span, j: int) -> int:
    """A short bracketed aside in a phrase ("Formal Action Taken (FAT) outcome rate"): its length, else 0."""
    for k in range(j + 1, min(sent.end, j + 10)):
        if doc[k].text == ")":
            return k - j + 1
        if is_number(doc[k]) or doc[k].text in BREAKS:
            return 0
    return 0


def _function_word(tok: Token, out: list[Token], after_figure: bool = True) -> Optional[bool]:
    """Whether a function word at this point goes on (True), ends the phrase (False), or is no
    function word (None)."""
    cfg, low = words(), tok.lower_
    if low == "which" and out and _which_describes(tok.doc, tok.sent, tok.i):
        return True
    if low == "as" and after_figure and out and is_participle(out[-1]) and _noun_phrase_after(tok):
        return True  # "identified as a female suspect", "recorded as public order offences"
    if low in cfg.stops:
        # "support around their physical health": a word that qualifies numbers ("around 45") is a
        # preposition before a noun phrase that opens no time
        if bool(out) and low in cfg.qualifiers and _noun_phrase_after(tok):
            return True
        describing = low.endswith("ing") and low not in cfg.listing
        return bool(out) and describing and _describes(tok)  # "people showing reliable improvement"
    if low in cfg.relatives:
        return bool(out)
    if low in cfg.verbs or low in cfg.auxiliaries:
        return False
    if low in cfg.determiners:
        return bool(out) and not _time_after(tok)
    if low in ("'s", "’s", "'", "’", "&"):
        return bool(out)
    if low in cfg.ends:
        return False
    return None


def _noun_phrase_after(tok: Token) -> bool:
    """A noun phrase, not a number or a time, opens right after ``tok``."""
    doc, k = tok.doc, tok.i + 1
    if k >= len(doc) or not doc[k].is_alpha or doc[k].like_num:
        return False
    return not _time_from(doc, tok.sent, k)


def _describes(tok: Token) -> bool:
    """An -ing word that describes what is counted ("people showing reliable improvement"), not
    one opening a change or a figure ("showing a 26% increase", "representing 5%", "resulting in")."""
    doc, k, cfg = tok.doc, tok.i + 1, words()
    if k >= len(doc):
        return False
    nxt = doc[k]
    vocab = narrative_vocab()
    return (
        nxt.is_alpha
        and nxt.is_lower
        and not nxt.like_num
        and nxt.lower_ not in cfg.determiners | cfg.prepositions | cfg.stops
        and nxt.lower_ not in vocab.change_up | vocab.change_down
    )


def _leading_verb(doc: Doc, sent: Span, j: int) -> bool:
    """Right after a figure with no noun, a verb says what the counted did ("16 relate to rural
    areas", "14 resulted in no further action", "30 completed the course")."""
    tok, cfg = doc[j], words()
    if tok.lower_ in cfg.auxiliaries or tok.lower_ in cfg.ends or not tok.is_lower:
        return False
    return tok.lower_ in cfg.verbs or is_participle(tok)


def _marks(doc: Doc, sent: Span, j: int, out: list[Token], lead_verb: bool) -> Optional[int]:
    """Brackets, rate periods, breaks and quotes."""
    tok = doc[j]
    if tok.text == "(" and out and (aside := _aside(doc, sent, j)):
        return aside if aside <= 5 else -aside  # "Formal Action Taken (FAT) rate": a short aside kept
    if out and tok.lower_ in RATE_WORDS and j + 1 < sent.end and doc[j + 1].lower_ in TIME_UNITS:
        return -2  # "visits per quarter would be expected": the rate's period, read as its base
    if tok.text in BREAKS or tok.is_space or tok.is_currency:
        return 0
    if _to_date(doc, sent, j):
        return 0  # "VAP year to date", "referrals to date": when, not what is counted
    if _opens_marker(doc, sent, j):
        return 0  # "is in line with the force average": a comparison, not the phrase
    if tok.lower_ in words().comparisons and _compares(doc, sent, j):
        return 0  # "a rate of 12% compared to 9%": the compared side, another clause
    if tok.lower_ in TIME_ADJECTIVES and _time_from(doc, sent, j):
        return 0  # "against 9% last year", "9 notices last year": a time, not what the figure counts
    if not out and (tok.lower_ in words().determiners or tok.text in QUOTES) and not _time_after(tok):
        return -1  # "x persons", "the offenders", "'Your Winchester' forms": the phrase opens after it
    return 1 if tok.text in QUOTES else None


def _to_date(doc: Doc, sent: Span, j: int) -> bool:
    """ "to date" or "year to date" opens at ``j``."""
    lows = [t.lower_ for t in doc[j : min(sent.end, j + 3)]]
    return lows[:2] == ["to", "date"] or (lows[0].rstrip("s") in TIME_UNITS and lows[1:3] == ["to", "date"])


def _opens_marker(doc: Doc, sent: Span, j: int) -> bool:
    """A comparison marker of several words opens at ``j`` ("in line with", "as opposed to")."""
    return any(
        len(parts) > 1 and tuple(t.lower_ for t in doc[j : min(sent.end, j + len(parts))]) == parts
        for parts in comparison_markers()
    )


@lru_cache(maxsize=1)
def comparison_markers() -> tuple[tuple[str, ...], ...]:
    """The comparison markers of ``schema/narrative.yaml`` as word tuples ("compared", "with"),
    split once (the phrase reader asks at every token)."""
    return tuple(tuple(m.split()) for m in narrative_vocab()["comparison_markers"])


def _compares(doc: Doc, sent: Span, j: int) -> bool:
    """A comparison word at ``j`` opening a compared side: "compared", or "against"/"than" with a
    figure within four words ("violence against the person" compares nothing)."""
    if doc[j].lower_ not in narrative_vocab()["weak_comparison_markers"]:
        return True  # "compared", "in contrast": always a comparison
    return any(is_number(t) for t in doc[j + 1 : min(sent.end, j + 5)])


def _reports(doc: Doc, sent: Span, j: int, out: list[Token], lead_verb: bool) -> Optional[int]:
    """Verbs of saying and the clause they report ("clients identified that they had housing
    needs", "people decided they would like to enter therapy"): the reported clause is kept."""
    tok, cfg = doc[j], words()
    if not out:
        return None
    if tok.lower_ in cfg.reporting_verbs and j + 1 < sent.end and doc[j + 1].lower_ == "that":
        return 1  # "clients identified that ...": what they said is what they are counted for
    if out[-1].lower_ in cfg.reporting_verbs and tok.lower_ == "that":
        return -_that_clause_opening(doc, sent, j)
    if out[-1].lower_ in cfg.reporting_verbs and tok.lower_ in cfg.pronouns:
        return 1  # "people decided they would like to ...": the reported clause, whole
    if (tok.lower_ in cfg.verbs or tok.lower_ in cfg.auxiliaries) and _reported_clause(doc, out):
        return 1  # "residents stated that the area was clean"
    return None


def _verbs(doc: Doc, sent: Span, j: int, out: list[Token], lead_verb: bool) -> Optional[int]:
    """Verbs: one acting after a bare noun, auxiliaries after a relative, passives, a leading verb."""
    tok, cfg = doc[j], words()
    if out and out[-1].lower_ in cfg.relatives and tok.lower_ in cfg.auxiliaries:
        k = j
        while k < sent.end and doc[k].lower_ in cfg.auxiliaries:
            k += 1
        return k - j  # "residents who had been burgled": the relative clause's verb kept whole
    resulted = tok.lower_ in cfg.stops and j + 1 < sent.end and doc[j + 1].lower_ == "in"  # "1 case resulted in ..."
    if out and is_participle(tok) and (active_verb(doc, sent, j) or resulted):
        # "1 individual breached his order": after a figure, what the counted did says what it counts
        return 1 if lead_verb and weight(text(out)) < 2 else 0
    if skip := _passive(doc, sent, j):
        return -skip
    if not out and lead_verb and (skip := _perfect(doc, sent, j)):
        return -skip  # "30 have completed the course": what the counted did
    if not out and lead_verb and _leading_verb(doc, sent, j):
        return 1
    return None


def _reported_clause(doc: Doc, out: list[Token]) -> bool:
    """The phrase has gone into what a verb of saying reports ("stated that ...")."""
    cfg = words()
    return any(
        t.lower_ in cfg.reporting_verbs and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in cfg.pronouns | {"that"}
        for t in out
    )


def _that_clause_opening(doc: Doc, sent: Span, j: int) -> int:
    """ "that they had been", "that it was": the words opening a reported clause that say nothing
    of what was reported (the phrase goes on after them)."""
    cfg = words()
    k = j + 1
    if k < sent.end and doc[k].lower_ in cfg.ends:
        k += 1
    while k < sent.end and doc[k].lower_ in cfg.auxiliaries:
        k += 1
    return k - j


def _frequency(doc: Doc, sent: Span, j: int) -> int:
    """ "between 2 and 5 times" at ``j``: how often the counted were seen or did something, part
    of what is counted (its length), else 0."""
    lows = [t.lower_ for t in doc[j : min(sent.end, j + 5)]]
    if len(lows) == 5 and lows[0] == "between" and lows[2] in ("and", "to") and lows[4] in ("times", "occasions"):
        return 5 if is_number(doc[j + 1]) and is_number(doc[j + 3]) else 0
    return 0


def _having(doc: Doc, sent: Span, j: int, out: list[Token]) -> int:
    """A bare noun after a figure and what it has ("8 schools now have school pastors in place"):
    the tokens of "(now) have" to pass over into the phrase (a negative count: skipped, the
    rest read), else 0."""
    if len(out) != 1 or not out[0].is_alpha:
        return 0
    k = j + 1 if doc[j].lower_ in ("now", "also", "currently", "still") else j
    if k < sent.end and doc[k].lower_ in ("have", "has") and k + 1 < sent.end and doc[k + 1].is_alpha:
        return k - j + 1
    return 0


def _goes_on(doc: Doc, sent: Span, j: int, out: list[Token]) -> int:
    """Tokens at ``j`` that go on describing the counted though they would end a phrase: how often
    ("seen between 2 and 5 times"), what they have ("8 schools now have pastors"), an infinitive
    ("people deemed to be vulnerable"); how many, else 0."""
    if out and (often := _frequency(doc, sent, j)):
        return often
    if having := _having(doc, sent, j, out):
        return having
    if doc[j].lower_ == "be" and out and out[-1].lower_ == "to" and j + 1 < sent.end and doc[j + 1].is_alpha:
        return 1
    return 0


def _words(doc: Doc, sent: Span, j: int, out: list[Token], lead_verb: bool) -> Optional[int]:
    """Numbers, adverbs, "and", prepositions and the other function words."""
    tok, cfg = doc[j], words()
    if taken := _goes_on(doc, sent, j, out):
        return taken
    if tok.like_num and tok.is_alpha and _worded_in_phrase(doc, j, out):
        return 1
    if is_number(tok):
        return 1 if _numbered_name(doc, sent, j, out) else 0
    if tok.is_lower and tok.text.endswith("ly") and len(tok.text) > 4 and tok.lower_ not in cfg.not_adverbs:
        if j + 1 < sent.end and is_participle(doc[j + 1]) and (lead_verb or out):
            return 1  # "15 partially achieved", "12 successfully completed": how the counted did it
        return 0  # an adverb: "largely", "currently"
    if tok.lower_ in cfg.conjunctions:
        # after a figure, "and male victims accounted for 478" opens another figure's clause
        goes_on = _joiner_goes_on(doc, sent, j) and not (lead_verb and _figure_clause_after(doc, sent, j))
        return 1 if out and goes_on else 0
    if tok.lower_ in cfg.prepositions:
        if out and _duration_limit(doc, sent, j):
            return 3  # "support within 2 weeks", "seen within 48 hours": a condition of what is counted
        return 0 if opens_time(doc, sent, j) else 1
    verdict = _function_word(tok, out, lead_verb)
    return None if verdict is None else (1 if verdict else 0)


#: What the phrase reader asks of each token, in this order; the first rule with an answer decides.
STEPS = (_marks, _reports, _verbs, _words)


def _step(doc: Doc, sent: Span, j: int, out: list[Token], lead_verb: bool) -> int:
    """What the phrase does at token ``j``: take it (a count of tokens), pass over it (a negative
    count of tokens to skip), or end (0); a word no rule speaks of is taken."""
    for rule in STEPS:
        answer = rule(doc, sent, j, out, lead_verb)
        if answer is not None:
            return answer
    return 1


def read_after(doc: Doc, sent: Span, i: int, stop: Optional[int] = None, lead_verb: bool = True) -> list[Token]:
    """The phrase from token ``i``: the noun phrase there and what goes on describing it, in order
    (``lead_verb``: a verb may open it, as after a figure with no noun: "16 relate to ...")."""
    end = min(sent.end, stop if stop is not None else sent.end)
    out: list[Token] = []
    j = i
    while j < end and len(out) < words().max_tokens:
        step = _step(doc, sent, j, out, lead_verb)
        if step == 0:
            break
        if step > 0:
            out.extend(doc[j : j + step])
        j += abs(step)
    return trimmed(out)


def trimmed(tokens: list[Token]) -> list[Token]:
    """A phrase without the function words it ended on ("referred to" of "referred to 6 ...")."""
    cfg = words()
    loose = cfg.prepositions | cfg.determiners | cfg.auxiliaries | cfg.relatives | cfg.links | cfg.conjunctions | {"&"}
    out = list(tokens)
    while out and (
        (out[-1].lower_ in loose and not is_participle(out[-1]))
        or out[-1].is_punct
        or out[-1].lower_ in ("final", "first", "last", "next", "same", "previous", "current", "past")
    ):  # "... and on the final": the opening of another figure's phrase
        if out[-1].text == ")" and any(t.text == "(" for t in out):
            break  # "arrests (provisional)": an aside kept whole
        out.pop()
    while out and out[-1].is_lower and out[-1].text.endswith("ly") and len(out[-1].text) > 4:
        if out[-1].lower_ in cfg.not_adverbs:
            break  # "patrols carried out weekly", "a supply": no adverb
        out.pop()  # "cases opened and proactively": an adverb cut from its verb
    while len(out) > 2 and out[-1].lower_ in cfg.adjunct_cues and out[-2].lower_ in ("in", "with"):
        del out[-2:]  # "... issued by the team in respect": cut before what it is in respect of
    while out and (out[0].lower_ in cfg.determiners or out[0].is_punct):
        out.pop(0)
    return out


def clause_start(doc: Doc, sent: Span, start: int) -> int:
    """Where the clause holding token ``start`` opens: after a clause break or another figure (a
    year is no figure), or right at the figure after "and" ("16 related to rural areas and 23 ...")."""
    if start - 1 >= sent.start and doc[start - 1].lower_ in words().joiners:
        return start
    i = start - 1
    while i >= sent.start and not opens_clause(doc, sent, i):
        i -= _aside_back(doc, sent, i) or 1
    return i + 1


def opens_clause(doc: Doc, sent: Span, i: int) -> bool:
    """Token ``i`` ends the clause before it: a break, another figure (not a year), a word that
    opens a clause ("that", "which", "while") or "and" before a new subject ("and this is ...")."""
    tok, low = doc[i], doc[i].lower_
    if tok.text == ")" and _aside_back(doc, sent, i):
        return False
    if tok.text in BREAKS:
        return True
    if is_number(tok) and not PERIOD.match(tok.text) and not _in_band(doc, i):
        return True  # another figure; not an age of a band ("were between 19 and 54 accounting for 576")
    if low in words().clause_words:
        return True
    if low in words().conjunctions and _new_subject_after(doc, sent, i):
        return True  # "supported 18 people and group work was delivered to 23 carers"
    if _in_band(doc, i + 1):
        return False  # "between 19 and 54": one age band
    return low in words().conjunctions and not _joiner_goes_on(doc, sent, i)


def _new_subject_after(doc: Doc, sent: Span, i: int) -> bool:
    """ "and" at ``i`` between two figures' clauses, opening one with a subject of its own before
    its verb ("... 18 people and group work was delivered to 23 carers"): a figure before it in the
    sentence, and words, a verb and a figure after it before any break."""
    if not any(is_number(t) and not PERIOD.match(t.text) for t in doc[sent.start : i]):
        return False
    if not (i + 2 < sent.end and doc[i + 1].is_alpha):
        return False
    cfg = words()
    finite = False
    for tok in doc[i + 1 : min(sent.end, i + 8)]:
        low = tok.lower_
        if tok.text in BREAKS or low in cfg.comparisons:
            return False
        if low in cfg.auxiliaries or (low in cfg.linking_verbs | cfg.verbs and not low.endswith("ing")):
            finite = True  # "group work was delivered", not "theft and handling offences accounting for"
        elif is_number(tok) and not PERIOD.match(tok.text):
            return finite
    return False


def _aside_back(doc: Doc, sent: Span, i: int) -> int:
    """A short bracketed aside closing at ``i`` ("(FAT)"): its length, else 0."""
    if doc[i].text != ")":
        return 0
    for k in range(i - 1, max(sent.start - 1, i - 5), -1):
        if doc[k].text == "(":
            return i - k + 1
        if is_number(doc[k]) or doc[k].text in BREAKS:
            return 0
    return 0


def _tail_start(doc: Doc, begin: int, start: int) -> int:
    """Back from a figure over the words linking it to what it counts ("accounted for", "was",
    "rate of", "currently at", a year): where that phrase ends."""
    cfg, vocab = words(), narrative_vocab()
    passed = cfg.links | cfg.verbs | cfg.stops | cfg.qualifiers | vocab.change_up | vocab.change_down
    j = start - 1
    while j >= begin and (doc[j].lower_ in passed or doc[j].text in BREAKS or PERIOD.match(doc[j].text)):
        j -= 1
    return j + 1


def _verb_like(tok: Token) -> bool:
    """A verb or participle, capitalised or not ("Published – 6 updates")."""
    low = tok.lower_
    return bool(PARTICIPLE.match(low)) or low in words().participles or low in words().verbs


def _chunks(doc: Doc, sent: Span, begin: int, stop: int) -> list[list[Token]]:
    """The noun phrases between ``begin`` and ``stop``, in order (verbs and linking words between them)."""
    cfg = words()
    lead = cfg.prepositions | cfg.determiners | cfg.openers | cfg.time_words
    out: list[list[Token]] = []
    i = begin
    while i < stop:
        if is_participle(doc[i]) and active_verb(doc, sent, i):
            i += 1  # "has achieved an ...": a verb, not the phrase
            continue
        chunk = read_after(doc, sent, i, stop=stop, lead_verb=False)
        i = max(i + 1, chunk[-1].i + 1) if chunk else i + 1
        while chunk and (chunk[0].lower_ in lead or _month_or_time(chunk[0])) and not _ranking(chunk[0]):
            chunk.pop(0)
        if weight(text(chunk)) and not all(_verb_like(t) for t in chunk):
            out.append(chunk)
    return out


def _ranking(tok: Token) -> bool:
    """ "second" of "the second highest age group": a rank, not a time."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return (
        nxt is not None
        and tok.lower_ in ("first", "second", "third")
        and (nxt.lower_.endswith("est") or nxt.lower_ == "most")
    )


def _time_at(doc: Doc, j: int) -> bool:
    """A preposition opening a period ("during 2021/22", "in the reporting period")."""
    return doc[j].lower_ in TIME_PREPOSITIONS and opens_time(doc, doc[j].sent, j)


def _trailing(doc: Doc, j: int) -> bool:
    """A word a clause's own words do not end on: an auxiliary, a pronoun, a period."""
    cfg = words()
    low = doc[j].lower_
    return low in cfg.auxiliaries or low in cfg.ends or bool(PERIOD.match(doc[j].text)) or _time_at(doc, j)


def _past_time(doc: Doc, begin: int, k: int) -> int:
    """Back from token ``k`` past a time phrase ("in 2024", "during the year"): the token before it."""
    j = k
    while j > begin and (PERIOD.match(doc[j].text) or _month_or_time(doc[j]) or doc[j].lower_ in TIME_ADJECTIVES):
        j -= 1
        if doc[j].lower_ in words().determiners:
            j -= 1
    if j < k and doc[j].lower_ in TIME_PREPOSITIONS:
        return j - 1 if j > begin else j
    return k


def _before_time(doc: Doc, begin: int, end: int) -> int:
    """Where a time phrase closing a clause's words opens ("reports made to the ASB lead during
    the reporting period"), else ``end``."""
    cfg = words()
    for k in range(begin + 1, end):
        if _time_at(doc, k) and all(
            t.lower_ in cfg.determiners or t.lower_ in TIME_ADJECTIVES or _month_or_time(t) for t in doc[k + 1 : end]
        ):
            return k
    return end


def _context_end(doc: Doc, begin: int, start: int) -> tuple[int, bool]:
    """Back from a figure over qualifiers and change words ("over", "nearly", "an increase of"),
    then a linking verb and its preposition ("accounted for", "was", "stood at") or a label's
    colon: where the clause's own words end, and whether a link was passed (the words before
    then name the figure's topic, not a verb acting on it)."""
    cfg, vocab = words(), narrative_vocab()
    loose = vocab.change_up | vocab.change_down | cfg.qualifiers | cfg.determiners
    linking = cfg.linking_verbs | vocab.change_up | vocab.change_down
    j = start - 1
    while j >= begin and (
        doc[j].lower_ in loose or PERIOD.match(doc[j].text) or doc[j].is_currency or _time_at(doc, j)
    ):
        j -= 1
    end, linked = j + 1, False
    if j >= begin and (doc[j].lower_ in cfg.comparisons or doc[j - 1].lower_ in cfg.comparisons):
        return begin, True  # "compared to 4.83 months": the figure compared with, no words of its own
    if j >= begin and doc[j].text in (":", "–", "—", "-"):
        end, linked = j, True
    elif (
        j - 1 >= begin
        and doc[j].lower_ in cfg.link_prepositions
        and doc[_past_time(doc, begin, j - 1)].lower_ in linking
    ):
        end, linked = _past_time(doc, begin, j - 1), True  # "increased in 2024 from 31"
    elif j >= begin and doc[j].lower_ in linking:
        end, linked = j, True
    while end - 1 >= begin and _trailing(doc, end - 1):
        end -= 1  # "has seen", "there were", "during 2021/22 was"
    end = _before_time(doc, begin, end)
    if end - 2 >= begin and doc[end - 1].lower_ in ("with", "at", "by") and not is_participle(doc[end - 2]):
        end, linked = end - 1, True  # "ABH accounted for the majority of offences with 716 crimes"
    if not linked and end < start and doc[end].lower_ == "of" and _noun_of(doc, begin, end):
        end += 1  # "the removal of 6 needles": what the figure is part of, "of" kept
    return end, linked


def _noun_of(doc: Doc, begin: int, end: int) -> bool:
    """The word before "of" at ``end`` is a noun the figure is a part or object of ("removal of"),
    not a quantity word ("a total of", "the majority of") or a verb."""
    if end - 1 < begin:
        return False
    before = doc[end - 1]
    cfg, vocab = words(), narrative_vocab()
    quantity = cfg.qualifiers | cfg.determiners | vocab.change_up | vocab.change_down | cfg.quantity_nouns
    return before.is_alpha and before.lower_ not in quantity and not _verb_like(before)


def twin(doc: Doc, sent: Span, start: int) -> bool:
    """The second figure of "from 31 referrals in 2023 to 48 in 2024": the first one's twin, with
    no words of its own."""
    if start - 1 < sent.start or doc[start - 1].lower_ != "to":
        return False
    window = range(max(sent.start, start - 10), start - 2)
    return any(doc[k].lower_ == "from" and is_number(doc[k + 1]) for k in window)


def read_context(doc: Doc, sent: Span, start: int) -> tuple[list[Token], bool]:
    """The clause's own words before a figure with a noun phrase of its own, in order, verbs kept
    ("the team responded to", "Winchester Police Teams made"), its opening ("In 2024 there were",
    "During the reporting period") and linking verb left out; and whether it ended on a link."""
    if twin(doc, sent, start):
        return [], True
    begin = clause_start(doc, sent, start)
    if begin == start and start - 1 >= sent.start and doc[start - 1].text == ":":
        begin = clause_start(doc, sent, start - 1)
    begin = max(begin, sentence_adjunct(doc, sent))  # its words are added after the phrase
    end, linked = _context_end(doc, begin, start)
    cfg = words()
    lead = cfg.openers | cfg.determiners | cfg.links | cfg.time_words | cfg.ends | cfg.stops
    shared = _shared_subject(doc, sent, begin) if begin < end else []
    i = _past_as_a(doc, begin, end)
    while not shared and i < end and (doc[i].lower_ in lead or _month_or_time(doc[i]) or doc[i].is_punct):
        if _ranking(doc[i]):
            break  # "The second highest age group ...": a rank, kept
        i += 1
    tokens = [
        t
        for t in doc[i:end]
        if not ((t.is_punct and t.text not in ("&", "'", "’")) or t.is_currency or _in_band(doc, t.i))
    ]  # an age band's words are said once, as "aged 19–24" after the phrase
    tokens = shared + tokens  # "The officer supported 48 people and delivered 97": the officer delivered them
    dropped = set(narrative_vocab()["subjects"]["dropped_before_figure"])
    while tokens and (tokens[-1].lower_ in cfg.determiners or tokens[-1].lower_ in dropped):
        tokens.pop()  # "purchased a further 6 cameras": the verb and what it acts on, not "a further"
    if _another_figures_phrase(doc, sent, begin, tokens, start):
        return [], False  # "27 arrests for 28 offences": "arrests" is what 27 counts
    light = cfg.auxiliaries | cfg.prepositions | cfg.determiners | cfg.links
    listed = bool(tokens) and tokens[0].i == sent.start and all(_verb_like(t) or t.lower_ in light for t in tokens)
    if listed or all(t.lower_ in light for t in tokens):
        return [], linked  # "Investigated 19 fly tip cases", "has been ... for": no words of its own
    return tokens, linked


def _another_figures_phrase(doc: Doc, sent: Span, begin: int, tokens: list[Token], start: int) -> bool:
    """The words before a figure are all the noun phrase of the figure right before them, joined
    to it by a preposition ("27 arrests for 28 offences"): that figure's, not this one's."""
    if not tokens or begin - 1 < sent.start or not _is_figure(doc, begin - 1):
        return False
    cfg = words()
    if len(tokens) > 1 and tokens[-1].lower_ == "for":
        tokens = tokens[:-1]  # "27 arrests for | 28 offences": the preposition linking them
    link = tokens[-1].i + 1
    if link >= start or doc[link].lower_ != "for" or any(_verb_like(t) for t in tokens):
        return False  # "sites involving 29 businesses", "breached his order on 35 occasions": its own words
    if not all(t.lower_ in cfg.determiners | cfg.qualifiers for t in doc[link + 1 : start]):
        return False
    theirs = read_after(doc, sent, begin, stop=tokens[-1].i + 1)
    return [t.i for t in theirs] == [t.i for t in tokens]


def _in_band(doc: Doc, i: int) -> bool:
    """Token ``i`` is an age of an age band the figure finder passed over (never a figure)."""
    return i in doc.user_data.get("csp_band_tokens", ())


def _is_figure(doc: Doc, i: int) -> bool:
    """Token ``i`` ends a figure the engine found (not a year, not "Safer Streets 5")."""
    if doc.has_extension("figures") and doc._.figures:
        return any(f.end - 1 == i for f in doc._.figures)
    return is_number(doc[i]) and not PERIOD.match(doc[i].text)


def _past_as_a(doc: Doc, begin: int, end: int) -> int:
    """Past an opening "As a <noun>" ("As a snapshot there were 27 arrests", "As an example, 4
    ..."), or "At the time of <this report>": a frame for the clause, not what its figure counts."""
    lows = [t.lower_ for t in doc[begin : min(end, begin + 6)]]
    if "time" in lows[:3] and lows.index("time") + 1 < len(lows) and lows[lows.index("time") + 1] == "of":
        k = begin + lows.index("time") + 2
        while k < end and doc[k].lower_ in words().determiners:
            k += 1
        return min(k + 1, end)  # "At the time of this report there were 118 ..."
    if (
        end - begin >= 3
        and doc[begin].lower_ == "as"
        and doc[begin + 1].lower_ in ("a", "an")
        and doc[begin + 2].is_alpha
        and doc[begin + 2].is_lower
    ):
        return begin + 3
    return begin


def _shared_subject(doc: Doc, sent: Span, begin: int) -> list[Token]:
    """A clause opening on a verb right after "and" shares the subject of the clause it is joined
    to ("The outreach officer supported 48 people and delivered 97 sessions": the officer delivered
    them): that clause's words before its first verb, from the sentence's start or its last break."""
    if begin - 1 <= sent.start:
        return []
    comma = doc[begin - 1].text == "," and not any(_is_figure(doc, t.i) for t in doc[sent.start : begin - 1])
    if doc[begin - 1].lower_ not in words().joiners and not comma:
        return []  # after "and", or after a comma closing a clause with no figure ("Patrols run in May, engaged ...")
    if not (_verb_like(doc[begin]) or _verb_before_figure(doc, sent, begin)):
        return []
    k = begin - 2
    if k > sent.start and doc[k].text == "," and doc[begin - 1].lower_ in words().joiners:
        k -= 1  # "1-2-1 counselling is available, and has been provided for 10 people"
    stop = k + 1
    while k >= sent.start and doc[k].text not in BREAKS:
        k -= 1
    cfg = words()
    lead = cfg.openers | cfg.determiners | cfg.time_words | cfg.prepositions
    clause = list(doc[k + 1 : stop])
    figures = [t.i for t in clause if _is_figure(doc, t.i)]
    verb = figures[0] - 1 if figures else begin  # "took 300 calls": the verb right before its figure
    while clause and verb > clause[0].i and (doc[verb].lower_ in cfg.qualifiers | cfg.determiners):
        verb -= 1
    out: list[Token] = []
    for tok in clause:
        if tok.i >= verb or _verb_like(tok) or tok.lower_ in cfg.auxiliaries or tok.i in figures:
            break
        out.append(tok)
    while out and (out[0].lower_ in lead or _month_or_time(out[0])):
        out.pop(0)
    return out


def read_before(doc: Doc, sent: Span, start: int) -> list[Token]:
    """What the clause a figure stands in names before it: its last noun phrase before the linking
    words ("Bicycle thefts accounted for 12%", "The most common type was violence against the
    person accounting for 60", "achieved an overall satisfaction rate of 90%"); a phrase opening
    on a participle with the noun it describes ("the majority of crimes were linked to ...")."""
    if twin(doc, sent, start):
        return []
    begin = clause_start(doc, sent, start)
    if begin == start and start - 1 >= sent.start and doc[start - 1].text == ":":
        begin = clause_start(doc, sent, start - 1)  # "Overall outcome rate achieved: 6.5%"
    chunks = _chunks(doc, sent, begin, _tail_start(doc, begin, start))
    if not chunks:
        return []
    full = [c for c in chunks if weight(text(c)) >= 2]
    last = full[-1] if full else chunks[-1]
    earlier = chunks[: chunks.index(last)]
    vocab = narrative_vocab()
    last = _after_change(last)
    if last[0].lower_ in vocab.change_up | vocab.change_down and len(last) > 2:
        last = last[2:] if last[1].lower_ in words().prepositions else last[1:]  # "a decrease in the referrals"
        if last and last[0].lower_ in words().determiners:
            last = last[1:]
        if earlier and last and last[0].lower_ == earlier[-1][-1].lower_:
            last = last[1:]  # "young person referrals" + "referrals to the refuge"
        return (earlier[-1] + last) if earlier else last
    if earlier and is_participle(last[0]) and len(last) > 1:
        return earlier[-1] + last
    return last


def _after_change(chunk: list[Token]) -> list[Token]:
    """A phrase framing what changed ("notable changes include a rise in noise notices", "a shift
    in referral source with a reduction in referrals from schools"): from its last change word
    before "in", the change word kept (the figures are counts of what changed, or the change)."""
    vocab = narrative_vocab()
    change = vocab.change_up | vocab.change_down
    at = [k for k in range(1, len(chunk) - 2) if chunk[k].lower_ in change and chunk[k + 1].lower_ == "in"]
    return chunk[at[-1] :] if at else chunk


def text(tokens: list[Token]) -> str:
    """Tokens as printed, their spacing kept."""
    if not tokens:
        return ""
    parts = []
    for a, b in zip(tokens, tokens[1:]):
        parts.append(a.text + (a.whitespace_ if b.i == a.i + 1 else " "))
    parts.append(tokens[-1].text)
    return "".join(parts).strip()


def said(phrase: str) -> set[str]:
    """The words of a phrase that say something (function words left out), lower-cased."""
    cfg = words()
    light = LIGHT | cfg.determiners | cfg.auxiliaries
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", phrase) if w.lower() not in light}


def weight(phrase: str) -> int:
    """How many different words of a phrase say something (function words not counted)."""
    return len(said(phrase))


def capped(phrase: str, limit: int) -> str:
    """The phrase cut after its ``limit``-th word that says something, function words at its end dropped."""
    if weight(phrase) <= limit:
        return phrase
    cfg = words()
    light = LIGHT | cfg.determiners | cfg.auxiliaries
    kept: list[str] = []
    seen: set[str] = set()
    for w in phrase.split():
        core = re.sub(r"[^A-Za-z'’\-]", "", w).lower()
        if core and core not in light and core not in seen:
            if len(seen) == limit:
                break
            seen.add(core)
        kept.append(w)
    while kept and (kept[-1].lower().strip(":,") in light or re.fullmatch(r"[a-z]{3,}ly", kept[-1])):
        kept.pop()
    while len(kept) > 2 and kept[-1].lower() in words().adjunct_cues and kept[-2].lower() in ("in", "with"):
        del kept[-2:]  # "... issued by Parking Services in respect": a phrase cut before what it is in respect of
        while kept and kept[-1].lower().strip(":,") in light:
            kept.pop()
    return " ".join(kept).rstrip(":,;")


def capped_left(phrase: str, limit: int) -> str:
    """The phrase's last ``limit`` words that say something (and the function words among them),
    from a determiner or preposition where one opens a part that fits ("the italk service received")."""
    if weight(phrase) <= limit:
        return phrase
    split = phrase.split()
    cfg = words()
    for k, w in enumerate(split[1:], 1):
        rest = " ".join(split[k + 1 :])
        if (w.lower() in cfg.determiners or w.lower() in cfg.prepositions) and limit - 1 <= weight(rest) <= limit:
            opening = rest.split()
            while opening and opening[0].lower() in cfg.determiners:
                opening.pop(0)
            return " ".join(opening)
    light = LIGHT | cfg.determiners | cfg.auxiliaries
    kept: list[str] = []
    seen: set[str] = set()
    for w in reversed(phrase.split()):
        core = re.sub(r"[^A-Za-z'’\-]", "", w).lower()
        if core and core not in light and core not in seen:
            if len(seen) == limit:
                break
            seen.add(core)
        kept.insert(0, w)
    while kept and kept[0].lower() in light:
        kept.pop(0)
    return " ".join(_whole_name(split[: len(split) - len(kept)], kept))


#: content words a name cut by the cap may take back to be whole ("Stop Domestic Abuse reported")
NAME_SLACK = 2


def _whole_name(dropped: list[str], kept: list[str]) -> list[str]:
    """Words kept from a phrase's end that open inside a capitalised name ("Domestic Abuse" of "Stop
    Domestic Abuse reported ...") take back the rest of the name when it is short, else drop the
    name's tail when a verb follows it ("Service conducted ..."): never a name cut in two."""
    if not (kept and dropped and _name_piece(dropped[-1]) and kept[0][:1].isupper()):
        return kept
    if dropped[-1].endswith(("'", "’", "'s", "’s")):
        return kept  # "The Councils' Fly tip Officer": a possessive closes the name before it
    r = len(dropped)
    while r > 0 and _name_piece(dropped[r - 1]):
        r -= 1
    back = dropped[r:]
    while back and back[0].lower() in LIGHT | words().determiners:
        back.pop(0)
    if weight(" ".join(back)) <= NAME_SLACK:
        return back + kept
    tail = 0
    while tail < len(kept) and _name_piece(kept[tail]):
        tail += 1
    after = kept[tail] if tail < len(kept) else ""
    if PARTICIPLE.match(after) or after in words().verbs or after in words().participles:
        return kept[tail:]  # "... Fire & Rescue Service conducted visits": the verb, not "Service"
    return kept


def _name_piece(word: str) -> bool:
    return word[:1].isupper() or word in ("&", "of", "and")


def _for_topic(doc: Doc, sent: Span) -> int:
    """ "For MSV, there has been ...", "For shed burglary, ...": a sentence opening "For" and a
    short noun phrase closed by a comma, with no figure or time in it, says what its figures are
    about; its end, else ``sent.start``."""
    if doc[sent.start].lower_ != "for":
        return sent.start
    for k in range(sent.start + 1, min(sent.end, sent.start + 6)):
        tok = doc[k]
        if tok.text == ",":
            return k if k > sent.start + 1 else sent.start
        if (
            is_number(tok)
            or _month_or_time(tok)
            or tok.lower_ in TIME_ADJECTIVES
            or not (tok.is_alpha or tok.text == "&")
        ):
            return sent.start
    return sent.start


def body_opening(doc: Doc, sent: Span) -> str:
    """The body a sentence opens by naming before a comma, in a phrase with no verb of its own and
    no figure ("Working age services provided by SHFT in the West division in 2030, roughly 650
    referrals a month were made to the service ..."): its name and who provides it ("Working age
    services provided by SHFT"), the place and time after it left out; '' when there is none."""
    bodies = narrative_vocab()["subjects"]["service_bodies"]
    comma = next((k for k in range(sent.start, min(sent.end, sent.start + 25)) if doc[k].text == ","), None)
    if comma is None:
        return ""
    span = doc[sent.start : comma]
    if any(_is_figure(doc, t.i) or t.lower_ in words().auxiliaries or t.lower_ in words().verbs for t in span):
        return ""
    if PARTICIPLE.match(span[0].lower_):
        return ""  # "Provided support to the project, ...": a clause, its verb first
    at = next((t.i for t in span if t.lower_ in bodies), None)
    if at is None or at == sent.start:
        return ""
    end = at + 1
    if end + 2 < comma and is_participle(doc[end]) and doc[end + 1].lower_ == "by" and doc[end + 2].text[:1].isupper():
        end += 3  # "provided by SHFT", "provided by Northvale Trust"
        while end < comma and doc[end].text[:1].isupper():
            end += 1
    return doc[sent.start : end].text


def sentence_adjunct(doc: Doc, sent: Span) -> int:
    """The end of a phrase opening the sentence that says what all its figures are about ("In
    relation to DA offences 60 perpetrators were charged, 21 cautions ...", "In terms of burglary,
    ..."): up to its comma or first number; ``sent.start`` when it has none."""
    cues = words().adjunct_cues
    if not any(t.lower_ in cues for t in doc[sent.start : min(sent.end, sent.start + 3)]):
        return _for_topic(doc, sent)
    k = sent.start
    while k < sent.end and doc[k].text not in BREAKS and not is_number(doc[k]):
        k += 1
    while k - 1 > sent.start and doc[k - 1].lower_ in words().determiners:
        k -= 1  # "In relation to CPNs all 4 CPNs ...": the adjunct ends before "all"
    return k if k - sent.start <= 8 else sent.start
