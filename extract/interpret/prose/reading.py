"""One figure's own words: the passes that read a figure from the tokens around it.

``find`` makes the record (value and unit); then, in the order ``FIGURE_PASSES`` declares, each
pass returns a new record: qualifier and range, direction and measure, subject (the noun phrase
after it); ``attach_bases`` then reads the bases of a Doc's figures together. Words come from
:func:`extract.vocab.narrative.narrative_vocab`; windows are its named ``Windows``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Optional

from spacy.tokens import Doc, Token

from extract.interpret.narrative_periods import YEAR_TOKEN
from extract.interpret.numbers import fraction_percent, magnitude, number_words, word_value
from extract.interpret.prose.record import Figure
from extract.vocab.narrative import narrative_vocab
from extract.vocab.rows import UNITS

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kKmM]|hrs|hr|hours)?$")
SIGNED = re.compile(r"^([+\-−–])(\d[\d,]*(?:\.\d+)?)$")
DASHES = ("-", "–", "—")
ORDINAL = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)$", re.I)
#: a fraction printed after a whole number: "123 ½ years"
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}

FigurePass = Callable[[Figure, Doc], Figure]


def _nxt(doc: Doc, i: int) -> Optional[Token]:
    return doc[i] if i < len(doc) else None


def _before(doc: Doc, fig: Figure) -> str:
    """The words right before a figure, where a qualifier or a change word stands."""
    return doc[max(0, fig.start - narrative_vocab().windows.qualifier_before) : fig.start].text.lower()


# ---- find: value and unit ---------------------------------------------------------------------


def digits_figure(doc: Doc, tok: Token, m: re.Match, sign: Optional[str] = None) -> Figure:
    """The figure printed in digits at ``tok``: its value (magnitudes, a sign) and unit."""
    digits, decimals, suffix = m.group(1), m.group(2) or "", (m.group(3) or "").lower()
    value = float(digits.replace(",", "") + decimals)
    if sign is not None and sign != "+":
        value = -value
    value, end, raw = _magnitude(doc, tok, value, suffix)
    unit, end, raw = _unit(doc, tok, end, raw, suffix)
    return Figure(tok.i, end, value, unit, raw, sign=sign)


def _magnitude(doc: Doc, tok: Token, value: float, suffix: str) -> tuple[float, int, str]:
    """ "40k", "5.8 million", "£1.2 billion", "£40 k": the value multiplied, the end moved on."""
    end, raw, nxt = tok.i + 1, tok.text, _nxt(doc, tok.i + 1)
    if nxt is not None and nxt.text in VULGAR and not suffix:
        return round(value + VULGAR[nxt.text], 6), end + 1, raw + " " + nxt.text  # "123 ½": 123.5
    if suffix in ("k", "m"):
        return round(value * (1000 if suffix == "k" else 1_000_000), 6), end, raw
    if nxt is not None and len(nxt.text) > 2 and magnitude(nxt.text):
        return round(value * (magnitude(nxt.text) or 1.0), 6), end + 1, raw + " " + nxt.text
    if nxt is not None and tok.i > 0 and doc[tok.i - 1].text == "£" and magnitude(nxt.text.rstrip(".")):
        return round(value * (magnitude(nxt.text.rstrip(".")) or 1.0), 6), end + 1, raw  # "£1.2m." split
    return value, end, raw


def _unit(doc: Doc, tok: Token, end: int, raw: str, suffix: str) -> tuple[str, int, str]:
    """The unit printed with a figure: £, %, "per cent", a unit word after it, glued "hrs"."""
    nxt = _nxt(doc, end)
    if tok.i > 0 and doc[tok.i - 1].text == "£":
        return "GBP", end, "£" + raw
    if nxt is not None and nxt.text == "%":
        return "percent", end + 1, raw + "%"
    if nxt is not None and nxt.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent":
        return "percent", end + 2, raw
    if nxt is not None and nxt.lower_ == "percent":  # "41.1 percent", as US reports write it
        return "percent", end + 1, raw + " " + nxt.text
    name = unit_name(nxt)
    if name is not None:
        return (name if name in UNITS else "other"), end, raw
    return ("hours" if suffix in ("hrs", "hr", "hours") else "count"), end, raw


def unit_name(tok: Optional[Token]) -> Optional[str]:
    """The unit a word after a figure names ("tonnes", "minutes", "years"), from ``units``."""
    if tok is None:
        return None
    return next((name for name, words in narrative_vocab()["units"].items() if tok.lower_ in words), None)


def worded_figure(doc: Doc, tok: Token) -> Optional[Figure]:
    """A figure written in words: "three per cent", "six arrests", "twenty-one", "a quarter of",
    "over half of" (a share, as a percentage). None when ``tok`` does not open one."""
    words = number_words()
    alpha = tok.is_alpha or tok.text.replace("-", "").isalpha()  # "twenty-one" is one token
    if not alpha or (tok.i > 0 and doc[tok.i - 1].lower_ in narrative_vocab()["naming_words"]):
        return None
    end, value = tok.i + 1, word_value(tok.text)
    if value is not None and tok.lower_ in words.tens and end + 1 < len(doc) and doc[end].text == "-":
        joined = word_value(f"{tok.text}-{doc[end + 1].text}")
        if joined is not None:
            value, end = joined, end + 2  # "twenty-one"
    if value is not None and tok.i > 0 and word_value(doc[tok.i - 1].text) is not None:
        return None  # the second word of "twenty one"
    fraction = fraction_figure(doc, tok)
    if fraction is not None or value is None or value < words.min_word_value or end >= len(doc):
        return fraction
    if tok.i > 0 and doc[tok.i - 1].lower_ in blockers():
        return None  # "these four panels", "the five panels": naming a set, not counting
    return _worded_count(doc, tok, end, float(value))


def _worded_count(doc: Doc, tok: Token, end: int, value: float) -> Optional[Figure]:
    nxt = doc[end]
    if nxt.lower_ in narrative_vocab()["numbers"]["document_parts"]:
        return None  # "three strands are set out", "Four themes": the document's own parts, not a statistic
    per_cent = nxt.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent"
    percent = nxt.text == "%" or nxt.lower_ == "percent" or per_cent
    plural = nxt.is_alpha and nxt.is_lower and nxt.lower_.endswith("s") and nxt.lower_ not in not_counted()
    if not (percent or plural) or fraction_percent([tok.text, nxt.text]) is not None:
        return None
    fig = Figure(tok.i, end, value, "count", doc[tok.i : end].text, kind="words")
    if percent:
        fig = replace(fig, unit="percent", raw=fig.raw + " per cent", end=end + (2 if per_cent else 1))
    return fig


def rank_figure(doc: Doc, tok: Token) -> Optional[Figure]:
    """A rank: "5th/43", "ranked 5th of 43", "7th out of 12", "placed 2nd": measure rank, its
    value the position, the number of places its base."""
    m = ORDINAL.match(tok.text)
    if m is None:
        return None
    of = _places_after(doc, tok.i + 1)
    previous = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if of is None and previous not in narrative_vocab()["numbers"]["rank_words"]:
        return None
    base = doc[tok.i + 1 : of + 1].text.replace(" / ", "/") if of is not None else None
    return Figure(tok.i, tok.i + 1, float(m.group(1)), "other", tok.text, kind="rank", measure="rank", base=base)


def _places_after(doc: Doc, i: int) -> Optional[int]:
    """The token of N in "/N", "of N", "out of N" at ``i``: how many places a rank is out of."""
    for words in (("/",), ("of",), ("out", "of")):
        j = i + len(words)
        if [t.lower_ for t in doc[i:j]] == list(words) and j < len(doc) and NUMBER.match(doc[j].text):
            return j
    return None


def one_in(doc: Doc, tok: Token) -> Optional[Figure]:
    """ "1 in 4", "one in five", "3 in 10 residents": a share stated as N in M, one figure (N) whose
    base is "in M"; M is not a figure of its own."""
    value = _number_value(tok)
    if value is None or tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "in":
        return None
    whole = _number_value(doc[tok.i + 2])
    if whole is None or whole <= value or whole > 1000 or doc[tok.i + 2].text.startswith("0"):
        return None
    after = doc[tok.i + 3] if tok.i + 3 < len(doc) else None
    if after is not None and (after.lower_ in narrative_vocab()["time_units"] or unit_name(after) is not None):
        return None  # "12 in 24 hours": a count in a time, not a share
    raw = doc[tok.i : tok.i + 3].text
    return Figure(tok.i, tok.i + 1, value, "count", tok.text, kind="share", measure="share", base=raw.split(" ", 1)[1])


def _number_value(tok: Token) -> Optional[float]:
    m = NUMBER.match(tok.text)
    if m is not None and not m.group(3):
        return float(m.group(1).replace(",", "") + (m.group(2) or ""))
    value = word_value(tok.text)
    return float(value) if value is not None else None


def not_counted() -> set:
    """Plural words after a number word that do not make it a count ("two years", "three times")."""
    words = narrative_vocab()
    return set(words["time_units"]) | set(words["stop_words"]) | set(words["numbers"]["not_counted"])


def blockers() -> set:
    """Words before a number word or fraction that make it name a set or a period, not a figure."""
    return set(narrative_vocab()["numbers"]["word_blockers"])


def fraction_figure(doc: Doc, tok: Token) -> Optional[Figure]:
    """ "a quarter of", "over half of", "two thirds of": a share as a percentage."""
    words = number_words()
    if tok.lower_ not in words.fractions or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ not in words.fraction_of:
        return None
    before = doc[tok.i - 1].text if tok.i > 0 else ""
    start = tok.i - 1 if before and (word_value(before) or before.lower() in ("a", "an", "one")) else tok.i
    share = fraction_percent([t.text for t in doc[start : tok.i + 1]])
    if start == tok.i and tok.lower_ not in words.bare_fractions:
        return None  # "the 3rd quarter of the year": a period, not a share
    if share is None or (start > 0 and doc[start - 1].lower_ in blockers()):
        return None  # "the first three quarters of 2029/30"
    return Figure(start, tok.i + 1, share, "percent", doc[start : tok.i + 1].text, kind="fraction", measure="share")


# ---- qualifier and range ----------------------------------------------------------------------


def read_range(fig: Figure, doc: Doc) -> Figure:
    """ "120 – 140", "7.5 - 10%", "between 120 and 150": each end a figure, qualifier "range";
    a unit printed on one end only ("7.5 - 10%") belongs to both."""
    if fig.kind != "digits":
        return fig
    other = _range_other(doc, fig)
    if other is None:
        return fig
    percent = fig.unit == "count" and other > fig.start and other + 1 < len(doc) and doc[other + 1].text == "%"
    return replace(fig, qualifier="range", unit="percent" if percent else fig.unit)


def _number_at(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and NUMBER.match(doc[i].text) is not None


def _range_other(doc: Doc, fig: Figure) -> Optional[int]:
    """The token of a range's other end, if ``fig`` is one end of a range."""
    i, end = fig.start, fig.end
    after = doc[end].lower_ if end < len(doc) else ""
    if after in DASHES and _number_at(doc, end + 1):
        return end + 1
    if i >= 2 and doc[i - 1].text in DASHES and _number_at(doc, i - 2):
        return i - 2
    if i >= 1 and doc[i - 1].lower_ == "between" and after == "and" and _number_at(doc, end + 1):
        return end + 1
    if i >= 3 and doc[i - 1].lower_ == "and" and _number_at(doc, i - 2) and doc[i - 3].lower_ == "between":
        return i - 2
    return None


def read_qualifier(fig: Figure, doc: Doc) -> Figure:
    """The qualifier printed before a figure ("over", "nearly", "less than")."""
    before = _before(doc, fig)
    qualifier = fig.qualifier
    for phrases in narrative_vocab()["qualifiers"].values():
        for phrase in phrases:
            if re.search(rf"(?<![a-z]){re.escape(phrase)}\s*£?$", before):
                qualifier = phrase
    return replace(fig, qualifier=qualifier) if qualifier != fig.qualifier else fig


# ---- direction and measure --------------------------------------------------------------------


def read_direction(fig: Figure, doc: Doc) -> Figure:
    """increase / decrease when the words around the figure make it a change."""
    if fig.kind in ("fraction", "rank", "share"):
        return fig
    direction = _direction(doc, fig)
    return replace(fig, direction=direction) if direction != fig.direction else fig


def _updown(words: list[str]) -> Optional[str]:
    vocab = narrative_vocab()
    up = any(w in vocab.change_up for w in words)
    down = any(w in vocab.change_down for w in words)
    if not (up or down):
        return None
    return "decrease" if down and not up else "increase"


def _direction(doc: Doc, fig: Figure) -> Optional[str]:
    vocab = narrative_vocab()
    before = _before(doc, fig)
    window = " ".join(t.lower_ for t in doc[max(0, fig.start - vocab.windows.direction_before) : fig.start]).split()
    after = doc[fig.end].lower_ if fig.end < len(doc) else ""
    around = _updown(window)
    prep = r"\b(by|of|in)\s*(nearly|over|about|approximately|almost|around)?\s*£?$"
    if around and re.search(prep, before.strip() + " "):
        return around
    if around and fig.unit == "percent" and re.search(r"\b(a|an)\s*$", before):
        return around
    if fig.unit == "percent" and _updown([after]):
        return _updown([after])
    if fig.sign is not None:
        return "decrease" if fig.sign != "+" else "increase"
    previous = doc[fig.start - 1].lower_ if fig.start > 0 else ""
    if previous in vocab["change_verbs"]:  # "grew 4.5 per cent", "fell 12%": the verb's change
        return _updown([previous])
    if previous in vocab["change_before"]:  # "up 17 offences", "an extra 43"
        return "decrease" if previous in vocab.change_down else "increase"
    if fig.unit == "count" and after in vocab["change_after"]:  # "9 less recorded offences", "25 additional incidents"
        return "decrease" if after in vocab.change_down else "increase"
    return None


def _unit_kind(doc: Doc, fig: Figure) -> Optional[str]:
    kinds = narrative_vocab()["unit_kinds"]
    if fig.unit in kinds:
        return kinds[fig.unit]
    name = unit_name(doc[fig.end]) if fig.unit == "other" and fig.end < len(doc) else None
    return kinds.get(name) if name else None


def read_measure(fig: Figure, doc: Doc) -> Figure:
    """The measure kind (extract/vocab/rows.py MEASURE_KINDS) of a prose figure."""
    if fig.kind in ("fraction", "rank", "share"):
        return fig
    measure = _measure(doc, fig)
    return replace(fig, measure=measure) if measure != fig.measure else fig


def _measure(doc: Doc, fig: Figure) -> str:
    vocab = narrative_vocab()
    windows = vocab.windows
    measure = fig.measure
    if fig.unit == "percent":
        rate_window = doc[max(0, fig.start - windows.rate_words_before) : fig.start].text.lower()
        if fig.direction:
            measure = "percentage change"
        elif fig.start > 0 and doc[fig.start - 1].text == "(":
            measure = "share"
        elif (
            fig.end < len(doc) and doc[fig.end].lower_ == "of" and fig.end + 1 < len(doc) and doc[fig.end + 1].is_alpha
        ):
            measure = "share"  # "accounting for 0.4% of all recorded crime": a share of a stated whole
        elif any(w in rate_window for w in vocab.rate_words) or _rate_named_before(doc, fig):
            measure = "rate"
        elif _clause_subject(doc, fig):
            measure = (
                "share"  # "32.9% leading to a positive outcome", "24% were repeat victims": a part of those counted
            )
        else:
            measure = "percent"
    elif fig.direction:
        measure = "change in count" if fig.unit == "count" else "change"
    elif measure == "count" and (kind := _unit_kind(doc, fig)) is not None:
        measure = kind  # "£297k": money; "6.1 months", "11 minutes": a duration; "357 tonnes": a quantity
    target_window = doc[max(0, fig.start - windows.target_words_before) : fig.start]
    if not fig.direction and (any(t.lower_ in vocab.target_words for t in target_window) or _commanded(doc, fig)):
        measure = "target" if measure in ("count", "percent") else measure + " (target)"
    return measure


def _commanded(doc: Doc, fig: Figure) -> bool:
    """The figure's sentence opens with a verb in the imperative ("Ensure that staffing is at a
    minimum of 3", "Deliver 4 events"; ``action_verbs``): a level the plan sets, a target."""
    sent = doc[fig.start].sent
    first = doc[sent.start]
    if not first.text[:1].isupper() or first.lower_ not in set(narrative_vocab()["subjects"]["action_verbs"]) | {
        "ensure"
    }:
        return False
    nxt = doc[sent.start + 1] if sent.start + 1 < sent.end else None
    return nxt is not None and (nxt.is_lower or nxt.like_num)  # "Support 40 families"; not "Support Services received"


def _clause_subject(doc: Doc, fig: Figure) -> bool:
    """A percentage that is the subject of the verb after it ("24% were repeat victims", "32.9%
    leading to an outcome", "12% reported feeling unsafe"): a share of those the sentence counts."""
    if fig.end >= len(doc):
        return False
    before = doc[fig.start - 1] if fig.start > doc[fig.start].sent.start else None
    if before is not None and before.lower_ in narrative_vocab().phrases.prepositions:
        return False  # "rises of 12% were seen": the figure is not what the verb speaks of
    nxt = doc[fig.end]
    low = nxt.lower_
    return nxt.is_lower and (
        low in narrative_vocab().phrases.auxiliaries or bool(re.fullmatch(r"[a-z]{3,}(ed|ing)", low))
    )


def _rate_named_before(doc: Doc, fig: Figure) -> bool:
    """A rate word earlier in the figure's sentence, with only other percentages between ("FAT
    outcome rates achieved for drug offences: 93.18% (possession) and 99.8% (trafficking)")."""
    rate_words = set(narrative_vocab().rate_words)
    phrases = narrative_vocab().phrases
    stops = phrases.clause_words  # "the rate fell, while 12% ...": another clause
    sent = doc[fig.start].sent
    for tok in reversed(doc[sent.start : fig.start]):
        if tok.lower_ in rate_words:
            return True
        if tok.text in (";", ".") or tok.lower_ in stops:
            return False
        if NUMBER.match(tok.text) and not (tok.i + 1 < len(doc) and doc[tok.i + 1].text == "%"):
            if not YEAR_TOKEN.match(tok.text):
                return False
    return False


def read_target(fig: Figure, doc: Doc) -> Figure:
    """A target: "to cut thefts by 10% by 2030", "aims to increase reports by 200": a change the
    sentence sets out to make ("to" and a change verb before the figure, "by" right before it) is a
    target, its direction the verb's."""
    if fig.kind not in ("digits", "words") or fig.start == 0:
        return fig
    vocab = narrative_vocab()
    sent = doc[fig.start].sent
    start = fig.start - 2 if fig.qualifier == "range" and doc[fig.start - 1].text in DASHES else fig.start
    near = [t.lower_ for t in doc[max(sent.start, start - vocab.windows.qualifier_before - 1) : start]]
    if "by" not in near:
        return fig
    lowers = [t.lower_ for t in doc[sent.start : fig.start]]
    verbs = [
        lowers[k + 1] for k in range(len(lowers) - 1) if lowers[k] == "to" and lowers[k + 1] in vocab["target_verbs"]
    ]
    if not verbs:
        return fig
    direction = vocab["target_verbs"][verbs[-1]]
    measure = "target" if fig.measure in ("count", "percent", "percentage change", "change in count") else fig.measure
    return replace(fig, measure=measure, direction=direction)


# ---- subject: the noun phrase after a figure -------------------------------------------------


def read_subject(fig: Figure, doc: Doc) -> Figure:
    """What the figure counts, as printed right after it ("600 fire and safety checks"); after a
    fraction, what follows its "of" and any determiner ("a quarter of all thefts")."""
    start = fig.end
    if fig.kind == "share":
        start = fig.end + 2  # "3 in 10 residents": what follows "in 10"
    places = _places_after(doc, fig.end) if fig.kind == "rank" else None
    if places is not None:
        start = places + 1  # "4th of 32 districts"
    if fig.kind == "fraction":
        start = fig.end + 1
        while start < len(doc) and doc[start].lower_ in narrative_vocab()["base_determiners"]:
            start += 1
    return replace(fig, subject=subject_after(doc, start))


def _joins(doc: Doc, j: int, stops: set) -> bool:
    """Two words (not numbers, stop words or punctuation) follow at ``j``: the phrase goes on."""
    pair = doc[j : j + 2]
    return len(pair) == 2 and all(t.is_alpha and t.lower_ not in stops for t in pair)


def _inside_phrase(doc: Doc, j: int, tok: Token, out: list[str], stops: set) -> bool:
    """ "fire and safety checks": "and" inside the phrase; "Section 34 dispersal orders": a numbered
    instrument inside the phrase."""
    if not out or not _joins(doc, j + 1, stops):
        return False
    if tok.lower_ in narrative_vocab()["subjects"]["joiners"]:
        return True
    return bool(NUMBER.match(tok.text)) and out[-1][:1].isupper()


def _ends_phrase(tok: Token, out: list[str], stops: set) -> bool:
    if tok.is_punct or tok.lower_ in stops or NUMBER.match(tok.text):
        return True
    verb_like = tok.lower_ in narrative_vocab()["subject_breaks"] or (
        tok.is_lower and re.search(r"[a-z]{3}(ed|ly|ing)$", tok.text)
    )
    return bool(out and verb_like)  # "4 tenants deemed ...", "9 clubs now have ...": the verb after the noun


def subject_after(doc: Doc, i: int) -> str:
    """The noun phrase a figure counts: the words after it, up to a verb, preposition or punctuation."""
    vocab = narrative_vocab()
    stops = set(vocab.stop_words)
    out: list[str] = []
    for j in range(i, min(len(doc), i + vocab.windows.subject_after)):
        tok = doc[j]
        if _inside_phrase(doc, j, tok, out, stops):
            out.append(tok.text)
            continue
        if _ends_phrase(tok, out, stops):
            break
        out.append(tok.text)
    return " ".join(out)


def read_named_rate(fig: Figure, doc: Doc) -> Figure:
    """A percentage whose own noun phrase is a rate ("a 92% arrest rate", "a 12.5% detection
    rate") is a rate, though no rate word stands before it."""
    named = {w.lower() for w in fig.subject.split()} & set(narrative_vocab().rate_words)
    if fig.unit == "percent" and fig.measure == "percent" and not fig.direction and named:
        return replace(fig, measure="rate")
    return fig


#: The passes one figure goes through after it is found, in this order.
FIGURE_PASSES: tuple[FigurePass, ...] = (
    read_range,
    read_qualifier,
    read_direction,
    read_measure,
    read_target,
    read_subject,
    read_named_rate,
)


def read(fig: Figure, doc: Doc) -> Figure:
    """A found figure through every pass of ``FIGURE_PASSES``."""
    for step in FIGURE_PASSES:
        fig = step(fig, doc)
    return fig


# ---- base: what a share or rate is of ---------------------------------------------------------


def denominators(doc: Doc) -> set[int]:
    """Token positions of the number in "per 1,000 people" / "every 100": a base, not a figure."""
    cues = number_words().denominator_words
    out = {t.i for t in doc if t.i > 0 and doc[t.i - 1].lower_ in cues and NUMBER.match(t.text) and t.i >= 2}
    for tok in doc:
        places = _places_after(doc, tok.i + 1) if ORDINAL.match(tok.text) else None
        if places is not None:
            out.add(places)  # "4th/32": 32 places, not a count
        elif one_in(doc, tok) is not None:
            out.add(tok.i + 2)  # "3 in 10": 10 is the whole, not a figure
    return out


def base_after(doc: Doc, end: int, percent: bool = False) -> Optional[str]:
    """ "per 1,000 population", "of all crime", "of the offenders" right after a figure (and after
    a percentage any "of" phrase: "27% of tenants")."""
    vocab = narrative_vocab()
    if end + 1 < len(doc) and doc[end].lower_ in number_words().denominator_words and NUMBER.match(doc[end + 1].text):
        tail = [doc[end].text, doc[end + 1].text]
        if end + 2 < len(doc) and doc[end + 2].is_alpha and doc[end + 2].lower_ not in vocab.stop_words:
            tail.append(doc[end + 2].text)
        return " ".join(tail)
    for opener in vocab["base_openers"] + (vocab["percent_base_openers"] if percent else []):
        parts = opener.split()
        if [t.lower_ for t in doc[end : end + len(parts)]] == parts:
            stop = _base_end(doc, end + len(parts))
            said = [t for t in doc[end + len(parts) : stop] if t.lower_ not in ("the", "all", "those", "these")]
            if said:  # "of the" before a stop word names no whole
                return doc[end:stop].text
    return None


def _base_end(doc: Doc, start: int) -> int:
    """Where a base phrase opened at ``start`` ends: a stop word, or its plural head noun."""
    vocab = narrative_vocab()
    stop, limit = start, min(len(doc), start + vocab.windows.base_max_words)
    while stop < limit and doc[stop].is_alpha and doc[stop].lower_ not in vocab["base_stops"]:
        stop += 1
        if re.search(r"[^s]s$", doc[stop - 1].lower_):
            break  # a plural noun heads the phrase ("of the burglaries hit sheds")
    return stop


def rate_period_after(doc: Doc, end: int) -> Optional[str]:
    """ "per month" for "410 referrals a month", "250 visits per quarter", "212 per month"."""
    vocab = narrative_vocab()
    stops = set(vocab.stop_words) | set(vocab["framing_before"])  # "12 thefts over a year": not a rate
    j = end
    while j < min(len(doc), end + vocab.windows.rate_max_words) and doc[j].is_alpha and doc[j].lower_ not in stops:
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in vocab["rate_per"] and doc[j + 1].lower_ in vocab["rate_periods"]:
        return f"per {doc[j + 1].lower_}"
    return None


def _own_base(doc: Doc, fig: Figure) -> Figure:
    """The base stated right after a figure, and the measure it makes it: a rate per N, a share
    of a stated whole, a rate per period."""
    closes = fig.end < len(doc) and doc[fig.end].text == ")"
    base = fig.base or base_after(doc, fig.end + 1 if closes else fig.end, fig.unit == "percent")
    if base and base.split()[0].lower() in number_words().denominator_words:
        return replace(fig, base=base, measure="rate")  # "5.2 per 1,000 population"
    if base and fig.unit == "percent" and fig.measure == "percent" and not fig.direction:
        return replace(fig, base=base, measure="share")  # "27% of tenants", "15% of the total"
    if not base and (per := rate_period_after(doc, fig.end)) is not None:
        return replace(fig, base=per, measure="rate" if fig.measure == "count" else fig.measure)
    return replace(fig, base=base)


def _shared_base(doc: Doc, fig: Figure, nxt: Figure) -> Figure:
    """A figure and its bracketed share, or both ends of a range, have the same base."""
    if fig.base:
        return fig
    if nxt.start == fig.end + 1 and doc[fig.end].text == "(":
        return replace(fig, base=nxt.base)  # "73 (38.8%) of the offenders": both are of the offenders
    if fig.qualifier == nxt.qualifier == "range" and nxt.start <= fig.end + 1:
        measure = "rate" if nxt.measure == "rate" and fig.measure == "count" else fig.measure
        return replace(fig, base=nxt.base, measure=measure)  # "120 – 140 visits per quarter"
    return fig


def attach_bases(doc: Doc, figures: list[Figure]) -> list[Figure]:
    """The base stated after each figure; a figure and its bracketed share have the same base."""
    figures = [_own_base(doc, fig) for fig in figures]
    return [_shared_base(doc, fig, nxt) for fig, nxt in zip(figures, figures[1:])] + figures[-1:]
