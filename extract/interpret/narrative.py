"""Figures stated in prose: a rule-based spaCy pipeline (``spacy.blank("en")``, a sentencizer and
a custom ``csp_figures`` component built on Matcher patterns) that finds every figure in
paragraphs, list items, captions, footnotes and prose table cells, and says what it counts, its
measure, its period and the comparison it belongs to.

Words come from ``schema/narrative.yaml``; period phrases are read with :mod:`extract.periods`.
No statistical model is loaded, ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from extract.interpret.age_bands import band_of
from extract.interpret.figure_patterns import applies, build_matcher
from extract.interpret.narrative_periods import YEAR_TOKEN, assign_periods, vocab
from extract.interpret.numbers import fraction_percent, magnitude, number_words, word_value
from extract.interpret.subjects import (
    content_of,
    heading_topic,
    merge_labels,
    settings,
    subject_parts,
    with_topic,
    words_before,
)
from extract.model import Document, Fact
from extract.readers.markup import is_prose, split_markers
from extract.vocab.periods import PeriodContext
from extract.vocab.relative import Published

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kKmM]|hrs|hr|hours)?$")
SIGNED = re.compile(r"^([+\-−–])(\d[\d,]*(?:\.\d+)?)$")
PROSE_KINDS = ("paragraph", "list_item", "caption", "footnote")


@dataclass
class Found:
    """A figure found in a sentence: token position, value and what the rules read around it."""

    start: int  # token index in the Doc
    end: int
    value: float
    unit: str
    raw: str
    qualifier: Optional[str] = None
    measure: str = "count"
    direction: Optional[str] = None
    subject: str = ""
    in_brackets: bool = False  # "877 (10.80%)": the 10.80 qualifies 877
    notes: list = field(default_factory=list)
    area: Optional[str] = None
    label: str = ""  # the subject read around the figure (heading, words before, phrase after)
    own: str = ""  # the words of its own sentence read around it
    core: str = ""  # the label's words from its sentence (or the figure it is part of), without the topic
    base: Optional[str] = None  # "per 1,000 people": the denominator the figure is stated over


if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=[])


@Language.component("csp_sentence_starts")
def sentence_starts(doc: Doc) -> Doc:
    """A sentence the source ran on without a full stop after a bracket: "... (4 right to know)
    In relation to ...". The sentencizer keeps boundaries set here."""
    openers = set(vocab()["sentence_openers"])
    for tok in doc[2:]:
        if doc[tok.i - 1].text == ")" and tok.is_title and tok.lower_ in openers:
            tok.is_sent_start = True
    return doc


@Language.factory("csp_figures")
def make_figure_finder(nlp: Language, name: str):
    return FigureFinder(nlp)


class FigureFinder:
    """Marks figures on a Doc (``doc._.figures``), skipping numbers that name or date things."""

    def __init__(self, nlp: Language):
        words = vocab()
        self.skip = build_matcher(nlp.vocab, "skip")
        self.keep = build_matcher(nlp.vocab, "keep")
        self.year_preps = set(words["year_prepositions"])

    def __call__(self, doc: Doc) -> Doc:
        skipped = set()
        sentence_words = {t.lower_ for t in doc}
        for match_id, start, end in self.skip(doc):
            if not applies(doc.vocab.strings[match_id], "skip", sentence_words):
                continue
            for i in range(start, end):
                if NUMBER.match(doc[i].text) or re.match(r"^0\d", doc[i].text):
                    skipped.add(i)
        for _, start, _ in self.keep(doc):
            skipped.discard(start)
        figures = []
        denominators = _denominators(doc)
        for tok in doc:
            if tok.i in denominators:
                continue
            worded = _worded_figure(doc, tok)
            if worded is not None:
                figures.append(worded)
                continue
            m = NUMBER.match(tok.text)
            signed = SIGNED.match(tok.text)
            if (
                signed
                and tok.i + 1 < len(doc)
                and doc[tok.i + 1].text == "%"
                and not (tok.i > 0 and NUMBER.match(doc[tok.i - 1].text))
            ):
                unsigned = NUMBER.match(signed.group(2))
                if unsigned is not None:
                    figures.append(read_figure(doc, tok, unsigned, sign=signed.group(1)))
                continue  # "-5.6% for VAP with injury": a signed change
            if (
                not m
                or tok.i in skipped
                or self._is_year(tok)
                or self._is_list_number(tok)
                or self._is_framing_duration(tok)
                or self._is_hyphenated(tok)
            ):
                continue
            figures.append(read_figure(doc, tok, m))
        _attach_bases(doc, figures)
        doc._.figures = figures
        return doc

    def _is_year(self, tok) -> bool:
        if not YEAR_TOKEN.match(tok.text):
            return False
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if prev and re.fullmatch(r"q[1-4]", prev):
            return True  # "Q4 2021"
        if prev and tok.nbor(-1).is_upper and len(prev) >= 2 and tok.nbor(-1).is_alpha:
            return True  # "ONS 2018 suggests": a source and its year
        if nxt is not None and (_counted_noun(nxt) or _share_follows(tok)):
            return False  # "accounted for 2032 crimes", "2032 (25%)": a count of something
        if prev in self.year_preps or prev in vocab()["months"]:
            return True
        if nxt is not None and nxt.lower_ in vocab()["year_nouns"]:
            return True  # "against 2023 data", "the 2021 census"
        if nxt is not None and nxt.text == "(":
            return False  # "accounted 2019 (25%)"
        if nxt is not None and (nxt.text in ("/", "-", "–") or nxt.lower_ in vocab()["months"]):
            return True
        return not (nxt is not None and (nxt.is_lower or nxt.text in ("(", "%")))

    @staticmethod
    def _is_framing_duration(tok) -> bool:
        """ "the last 12 months", "a 12 week programme", "within 2 weeks", "up to 48hrs"."""
        words = vocab()
        doc = tok.doc
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        unit_next = nxt is not None and nxt.lower_ in words["time_units"]
        if (
            nxt is not None
            and nxt.text in ("-", "–")
            and tok.i + 2 < len(doc)
            and doc[tok.i + 2].lower_ in words["time_units"]
        ):
            unit_next = True  # "a 12-month period"
        if not unit_next and not re.search(r"(hrs|hr|hours)$", tok.text):
            return False
        before = doc[max(0, tok.i - 2) : tok.i].text.lower()
        if any(re.search(rf"(?<![a-z]){re.escape(w)}$", before) for w in words["framing_before"]):
            return True
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        return bool(unit_next and after is not None and after.is_alpha and not after.is_lower)  # "12 week Freedom"

    @staticmethod
    def _is_hyphenated(tok) -> bool:
        """ "1-2-1", "24-7": digits joined by hyphens name a thing."""
        doc = tok.doc
        left = (
            tok.i >= 2
            and doc[tok.i - 1].text == "-"
            and not doc[tok.i - 2].whitespace_
            and not doc[tok.i - 1].whitespace_
            and doc[tok.i - 2].like_num
        )
        right = (
            tok.i + 2 < len(doc)
            and doc[tok.i + 1].text == "-"
            and not tok.whitespace_
            and not doc[tok.i + 1].whitespace_
            and doc[tok.i + 2].like_num
        )
        return left or right

    @staticmethod
    def _is_list_number(tok) -> bool:
        """ "1." or "10.4" opening a block or a sentence is list numbering ("10.4 The data ...")."""
        doc = tok.doc
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        closes = nxt is not None and nxt.text in (".", ")")
        if tok.i == 0 or tok.is_sent_start:
            section = bool(re.fullmatch(r"\d+\.\d+", tok.text)) and nxt is not None and nxt.text[:1].isupper()
            return closes or section
        if tok.nbor(-1).text == "(" and nxt is not None and nxt.text == ")" and len(tok.text) <= 2:
            label = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
            return label is None or label.is_title  # "(1) Reducing Violence": a list label
        return tok.nbor(-1).text in (":", "•", "-") and closes


def _share_follows(tok) -> bool:
    """ "N (25%)": a number followed by its bracketed share is a count, whatever it looks like."""
    doc = tok.doc
    return (
        tok.i + 3 < len(doc)
        and doc[tok.i + 1].text == "("
        and bool(NUMBER.match(doc[tok.i + 2].text))
        and doc[tok.i + 3].text in ("%", ")")
    )


def _counted_noun(tok) -> bool:
    """A lower-case plural word that is not a year's noun or a verb: what a number before it counts."""
    words = vocab()
    text = tok.lower_
    return (
        tok.is_alpha
        and tok.is_lower
        and len(text) > 3
        and text.endswith("s")
        and not text.endswith("ss")
        and text not in words["year_nouns"]
        and text not in words["stop_words"]
        and text not in words["finite_verbs"]
    )


def _attach_bases(doc: Doc, figures: list[Found]) -> None:
    """The base stated after each figure; a figure and its bracketed share have the same base."""
    for found in figures:
        closes = found.end < len(doc) and doc[found.end].text == ")"
        found.base = found.base or _base_after(doc, found.end + 1 if closes else found.end, found.unit == "percent")
        if found.base and found.base.split()[0].lower() in number_words().denominator_words:
            found.measure = "rate"  # "5.2 per 1,000 population"
        elif found.base and found.unit == "percent" and found.measure == "percent" and not found.direction:
            found.measure = "share"  # "18% of women", "20% of the total": a part of a stated whole
        elif not found.base and (per := _rate_period_after(doc, found.end)) is not None:
            found.base = per  # "650 referrals a month": a rate per month
            found.measure = "rate" if found.measure == "count" else found.measure
    for found, nxt in zip(figures, figures[1:]):
        if not found.base and nxt.start == found.end + 1 and doc[found.end].text == "(":
            found.base = nxt.base  # "73 (38.8%) of the offenders": both are of the offenders
        elif not found.base and found.qualifier == nxt.qualifier == "range" and nxt.start <= found.end + 1:
            found.base = nxt.base  # "250 – 300 visits per quarter": both ends per quarter
            if nxt.measure == "rate" and found.measure == "count":
                found.measure = "rate"


def _rate_period_after(doc: Doc, end: int) -> Optional[str]:
    """ "per month" for "650 referrals a month", "250 visits per quarter", "158 per month"."""
    words = vocab()
    stops = set(words["stop_words"]) | set(words["framing_before"])  # "12 thefts over a year": not a rate
    j = end
    while j < min(len(doc), end + words["rate_max_words"]) and doc[j].is_alpha and doc[j].lower_ not in stops:
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ in words["rate_per"] and doc[j + 1].lower_ in words["rate_periods"]:
        return f"per {doc[j + 1].lower_}"
    return None


def _denominators(doc: Doc) -> set[int]:
    """Token positions of the number in "per 1,000 people" / "every 100": a base, not a figure."""
    cues = number_words().denominator_words
    return {t.i for t in doc if t.i > 0 and doc[t.i - 1].lower_ in cues and NUMBER.match(t.text) and t.i >= 2}


def _base_after(doc: Doc, end: int, percent: bool = False) -> Optional[str]:
    """ "per 1,000 population", "of all crime", "of the offenders" right after a figure (and after
    a percentage any "of" phrase: "18% of women")."""
    words = number_words()
    if end + 1 < len(doc) and doc[end].lower_ in words.denominator_words and NUMBER.match(doc[end + 1].text):
        tail = [doc[end].text, doc[end + 1].text]
        if end + 2 < len(doc) and doc[end + 2].is_alpha and doc[end + 2].lower_ not in vocab()["stop_words"]:
            tail.append(doc[end + 2].text)
        return " ".join(tail)
    for opener in vocab()["base_openers"] + (vocab()["percent_base_openers"] if percent else []):
        parts = opener.split()
        if [t.lower_ for t in doc[end : end + len(parts)]] == parts:
            stop = end + len(parts)
            limit = end + len(parts) + vocab()["base_max_words"]
            while stop < min(len(doc), limit) and doc[stop].is_alpha and doc[stop].lower_ not in vocab()["base_stops"]:
                stop += 1
                if re.search(r"[^s]s$", doc[stop - 1].lower_):
                    break  # a plural noun heads the phrase ("of the burglaries hit sheds")
            if stop > end + len(parts):
                return doc[end:stop].text
    return None


def _worded_figure(doc: Doc, tok) -> Optional[Found]:
    """A figure written in words: "three per cent", "six arrests", "twenty-one", "a quarter of",
    "over half of" (a share, as a percentage). None when ``tok`` does not open one."""
    words = number_words()
    if not tok.is_alpha or (tok.i > 0 and doc[tok.i - 1].lower_ in vocab()["naming_words"]):
        return None
    end, value = tok.i + 1, word_value(tok.text)
    if value is not None and tok.lower_ in words.tens and end + 1 < len(doc) and doc[end].text == "-":
        joined = word_value(f"{tok.text}-{doc[end + 1].text}")
        if joined is not None:
            value, end = joined, end + 2  # "twenty-one"
    if value is not None and tok.i > 0 and word_value(doc[tok.i - 1].text) is not None:
        return None  # the second word of "twenty one"
    fraction = _fraction_at(doc, tok)
    if fraction is not None:
        return fraction
    if value is None or value < words.min_word_value or end >= len(doc):
        return None
    if tok.i > 0 and doc[tok.i - 1].lower_ in _blockers():
        return None  # "these three elements", "the five groups": naming a set, not counting
    nxt = doc[end]
    percent = (
        nxt.text == "%"
        or nxt.lower_ == "percent"
        or (nxt.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent")
    )
    plural = nxt.is_alpha and nxt.is_lower and nxt.lower_.endswith("s") and nxt.lower_ not in _not_counted()
    if not (percent or plural) or fraction_percent([tok.text, nxt.text]) is not None:
        return None
    found = _worded(doc, tok, end, float(value))
    if percent:
        found.unit, found.raw = "percent", doc[tok.i : end].text + " per cent"
        found.end = end + (2 if nxt.lower_ == "per" else 1)
    found.direction = _direction(doc, tok, found.unit, doc[max(0, tok.i - 3) : tok.i].text.lower(), None, found.end)
    found.measure = _measure(doc, tok, found)
    found.subject = subject_after(doc, found.end)
    return found


def _not_counted() -> set:
    """Plural words after a number word that do not make it a count ("two years", "three times")."""
    words = vocab()
    return set(words["time_units"]) | set(words["stop_words"]) | set(words["numbers"]["not_counted"])


def _blockers() -> set:
    """Words before a number word or fraction that make it name a set or a period, not a figure."""
    return set(vocab()["numbers"]["word_blockers"])


def _worded(doc: Doc, tok, end: int, value: float) -> Found:
    found = Found(tok.i, end, value, "count", doc[tok.i : end].text)
    _qualify(doc, tok, found)
    return found


def _fraction_at(doc: Doc, tok) -> Optional[Found]:
    """ "a quarter of", "over half of", "two thirds of": a share as a percentage."""
    words = number_words()
    if tok.lower_ not in words.fractions or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ not in words.fraction_of:
        return None
    before = doc[tok.i - 1].text if tok.i > 0 else ""
    start = tok.i - 1 if before and (word_value(before) or before.lower() in ("a", "an", "one")) else tok.i
    share = fraction_percent([t.text for t in doc[start : tok.i + 1]])
    if start == tok.i and tok.lower_ not in words.bare_fractions:
        return None  # "the 3rd quarter of the year": a period, not a share
    if share is None or (start > 0 and doc[start - 1].lower_ in _blockers()):
        return None  # "the first three quarters of 2024/25"
    found = Found(start, tok.i + 1, share, "percent", doc[start : tok.i + 1].text)
    _qualify(doc, doc[start], found)
    found.measure = "share"
    found.base = _base_after(doc, tok.i + 1)
    after = tok.i + 2
    while after < len(doc) and doc[after].lower_ in vocab()["base_determiners"]:
        after += 1  # "of all crime", "of the offenders": the subject is what follows
    found.subject = subject_after(doc, after)
    return found


def _qualify(doc: Doc, tok, found: Found) -> None:
    """The qualifier printed before a figure ("over", "nearly", "less than")."""
    before = doc[max(0, tok.i - 3) : tok.i].text.lower()
    for phrases in vocab()["qualifiers"].values():
        for phrase in phrases:
            if re.search(rf"(?<![a-z]){re.escape(phrase)}\s*£?$", before):
                found.qualifier = phrase


def read_figure(doc: Doc, tok, m: re.Match, sign: Optional[str] = None) -> Found:
    """Value, unit, qualifier, measure and subject of the figure at ``tok``."""
    words = vocab()
    digits, decimals, suffix = m.group(1), m.group(2) or "", (m.group(3) or "")
    value = float(digits.replace(",", "") + decimals)
    if sign is not None and sign != "+":
        value = -value
    end = tok.i + 1
    unit = "count"
    raw = tok.text
    nxt = doc[end] if end < len(doc) else None
    if suffix.lower() in ("k", "m"):
        value = round(value * (1000 if suffix.lower() == "k" else 1_000_000), 6)
    elif nxt is not None and len(nxt.text) > 2 and magnitude(nxt.text):
        value = round(value * (magnitude(nxt.text) or 1.0), 6)  # "5.8 million", "£1.2 billion"
        raw += " " + nxt.text
        end += 1
        nxt = doc[end] if end < len(doc) else None
    elif nxt is not None and tok.i > 0 and doc[tok.i - 1].text == "£" and magnitude(nxt.text.rstrip(".")):
        value = round(value * (magnitude(nxt.text.rstrip(".")) or 1.0), 6)  # "£40 k", "£1.2m." split
        end += 1
        nxt = doc[end] if end < len(doc) else None
    if suffix.lower() in ("hrs", "hr", "hours"):
        unit = "hours"
    if tok.i > 0 and doc[tok.i - 1].text == "£":
        unit = "GBP"
        raw = "£" + raw
    elif nxt is not None and nxt.text == "%":
        unit = "percent"
        raw += "%"
        end += 1
    elif nxt is not None and nxt.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent":
        unit = "percent"
        end += 2
    elif nxt is not None:
        for name, unit_words in words["units"].items():
            if nxt.lower_ in unit_words:
                unit = name if name in ("tonnes", "days", "months", "hours") else "other"
                break
    found = Found(tok.i, end, value, unit, raw)
    _read_range(doc, tok, found)
    before = doc[max(0, tok.i - 3) : tok.i].text.lower()
    for phrases in words["qualifiers"].values():
        for phrase in phrases:
            if re.search(rf"(?<![a-z]){re.escape(phrase)}\s*£?$", before):
                found.qualifier = phrase
    found.direction = _direction(doc, tok, unit, before, sign, end)
    found.measure = _measure(doc, tok, found)
    found.subject = subject_after(doc, end)
    return found


def _direction(doc: Doc, tok, unit: str, before: str, sign: Optional[str], end: int) -> Optional[str]:
    """increase / decrease when the words around the figure make it a change, else None."""
    words = vocab()
    window = " ".join(t.lower_ for t in doc[max(0, tok.i - 5) : tok.i]).split()
    up = any(w in window for w in words["change_up"])
    down = any(w in window for w in words["change_down"])
    after = doc[end].lower_ if end < len(doc) else ""
    if (up or down) and re.search(
        r"\b(by|of|in)\s*(nearly|over|about|approximately|almost|around)?\s*£?$", before.strip() + " "
    ):
        return "decrease" if down and not up else "increase"
    if (up or down) and unit == "percent" and re.search(r"\b(a|an)\s*$", before):
        return "decrease" if down and not up else "increase"
    if unit == "percent" and (after in words["change_up"] or after in words["change_down"]):
        return "decrease" if after in words["change_down"] else "increase"
    if sign is not None:
        return "decrease" if sign != "+" else "increase"
    if tok.i > 0 and doc[tok.i - 1].lower_ in words["change_before"]:  # "up 22 offences", "an extra 56"
        return "decrease" if doc[tok.i - 1].lower_ in words["change_down"] else "increase"
    if unit == "count" and after in words["change_after"]:  # "9 less recorded offences", "25 additional incidents"
        return "decrease" if after in words["change_down"] else "increase"
    return None


def _measure(doc: Doc, tok, found: Found) -> str:
    """The measure kind (extract/vocab/rows.py MEASURE_KINDS) of a prose figure."""
    words = vocab()
    measure = found.measure
    if found.unit == "percent":
        if found.direction:
            measure = "percentage change"
        elif tok.i > 0 and doc[tok.i - 1].text == "(":
            measure = "share"
        elif any(w in doc[max(0, tok.i - 8) : tok.i].text.lower() for w in words["rate_words"]):
            measure = "rate"
        else:
            measure = "percent"
    elif found.direction:
        measure = "change in count" if found.unit == "count" else "change"
    elif measure == "count" and found.unit in words["unit_kinds"]:
        measure = words["unit_kinds"][found.unit]  # "£297k": money; "6.1 months": a duration; "357 tonnes": a quantity
    if not found.direction and any(t.lower_ in words["target_words"] for t in doc[max(0, tok.i - 12) : tok.i]):
        measure = "target" if measure in ("count", "percent") else measure + " (target)"
    return measure


def _read_range(doc: Doc, tok, found: Found) -> None:
    """ "250 – 300", "12.5 - 15%", "between 120 and 150": each end a figure, qualifier "range";
    a unit printed on one end only ("12.5 - 15%") belongs to both."""

    def number_at(i: int) -> bool:
        return 0 <= i < len(doc) and NUMBER.match(doc[i].text) is not None

    dash = ("-", "–", "—")
    other = None
    if found.end + 1 < len(doc) and doc[found.end].text in dash and number_at(found.end + 1):
        other = found.end + 1
    elif tok.i >= 2 and doc[tok.i - 1].text in dash and number_at(tok.i - 2):
        other = tok.i - 2
    elif (
        tok.i >= 1
        and doc[tok.i - 1].lower_ == "between"
        and found.end + 1 < len(doc)
        and doc[found.end].lower_ == "and"
        and number_at(found.end + 1)
    ):
        other = found.end + 1
    elif tok.i >= 3 and doc[tok.i - 1].lower_ == "and" and number_at(tok.i - 2) and doc[tok.i - 3].lower_ == "between":
        other = tok.i - 2
    if other is None:
        return
    found.qualifier = "range"
    if found.unit == "count" and other > tok.i and other + 1 < len(doc) and doc[other + 1].text == "%":
        found.unit = "percent"


def _joins(doc: Doc, j: int, stops: set) -> bool:
    """Two words (not numbers, stop words or punctuation) follow at ``j``: the phrase goes on."""
    pair = doc[j : j + 2]
    return len(pair) == 2 and all(t.is_alpha and t.lower_ not in stops for t in pair)


def subject_after(doc: Doc, i: int) -> str:
    """The noun phrase a figure counts: the words after it, up to a verb, preposition or punctuation."""
    words = vocab()
    stops = set(words["stop_words"])
    out: list[str] = []
    joiners = set(words["subjects"]["joiners"])
    for k, tok in enumerate(doc[i : i + 8]):
        if out and tok.lower_ in joiners and _joins(doc, i + k + 1, stops):
            out.append(tok.text)  # "safe and well visits": "and" inside the phrase
            continue
        if NUMBER.match(tok.text) and out and out[-1][:1].isupper() and _joins(doc, i + k + 1, stops):
            out.append(tok.text)  # "Section 34 dispersal orders": a numbered instrument inside the phrase
            continue
        if tok.is_punct or tok.lower_ in stops or NUMBER.match(tok.text):
            break
        if out and (
            tok.lower_ in words["subject_breaks"] or (tok.is_lower and re.search(r"[a-z]{3}(ed|ly|ing)$", tok.text))
        ):
            break  # "3 people deemed ...", "8 schools now have ...": the verb or adverb after the noun
        out.append(tok.text)
    return " ".join(out)


@lru_cache(maxsize=1)
def area_matcher() -> PhraseMatcher:
    """Area names a sentence may state: the areas of schema/areas.csv and wider areas."""
    from extract.vocab.areas import area_index

    nlp = pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    names = {row["name"] for row in area_index().values()} | set(vocab()["wider_areas"])
    names |= {v.strip() for row in area_index().values() for v in (row.get("variants") or "").split("|") if v.strip()}
    for name in names:
        matcher.add(name, [nlp.make_doc(name)])
    return matcher


def known_area(name: str) -> bool:
    from extract.vocab.areas import area_of

    return area_of(name) is not None


def stated_areas(sent: Span) -> list[tuple[int, str, str]]:
    """(token index, area) for each area the sentence places its figures in ("across Hampshire",
    "in West Hampshire", "within Winchester District")."""
    doc = sent.doc
    out = []
    matches = list(area_matcher()(sent))  # the sentence only: matching the whole Doc per sentence is quadratic
    covered = -1
    for match_id, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
        if start < covered:
            continue  # "West Hampshire" over "Hampshire"
        covered = end
        how = _states_area(doc, sent, start, end)
        if not how:
            continue
        out.append((start, doc.vocab.strings[match_id], end, how))
    from extract.vocab.areas import area_of

    return [(i, area_of(name) or name, how) for i, name, _, how in out]


def _clause_break(doc: Doc, start: int, end: int) -> bool:
    """A comma, semicolon or colon between two tokens: an area after it places another clause."""
    return any(t.text in (",", ";", ":") for t in doc[start:end])


def _states_area(doc: Doc, sent: Span, start: int, end: int) -> str:
    """An area name places figures when a preposition stands before it ("44% for Hampshire"), it
    opens the sentence ("England and Wales recorded ..."), or a bracketed figure follows it
    ("National (7.8%)")."""
    if start > 0 and doc[start - 1].lower_ in vocab()["area_prepositions"]:
        return "preposition"
    if start == sent.start and doc[start].is_title and not (end < len(doc) and doc[end].is_title):
        return "opening"  # "England and Wales recorded"; not "Hampshire Fire Service"
    if end + 1 < len(doc) and doc[end].text == "(" and NUMBER.match(doc[end + 1].text) is not None:
        return "bracket"  # names the figure in the brackets only
    return ""


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The narrative pipeline: blank English, a sentencizer and the figure finder."""
    nlp = spacy.blank("en")
    nlp.max_length = max(nlp.max_length, 20_000_000)  # no parser or NER: a 2 MB paragraph fits in memory
    tokenizer: Tokenizer = nlp.tokenizer  # blank("en") builds a Tokenizer
    infixes = list(nlp.Defaults.infixes or ()) + [r"(?<=[A-Za-z])/(?=[0-9])", r"(?<=[0-9])/(?=[A-Za-z])"]
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    units = "|".join(sorted(vocab()["glued_units"], key=len, reverse=True))  # "49yrs", "48hrs" -> "49" "yrs"
    suffixes: list = [rf"(?<=[0-9])(?:{units})"] + list(nlp.Defaults.suffixes or ())
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for abbreviation in ("Qtr.", "qtr.", "No.", "approx.", "e.g.", "i.e.", "etc.", "Insp.", "Cllr.", "Cllrs."):
        tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    nlp.add_pipe("csp_sentence_starts")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures")
    return nlp


# ---- the stage --------------------------------------------------------------------------------


def _leading_number(text: str) -> Optional[int]:
    m = re.match(r"^(\d{1,2})(?:\s+[A-Z0-9.]|\.{2,})", text)
    return int(m.group(1)) if m else None


def numbered_blocks(doc: Document) -> set[int]:
    """Blocks that open with a list number: their neighbours open with the numbers around it
    ("1 Number of drunk people ...", "2 Number of ...")."""
    prose = [
        (bi, _leading_number(b.text))
        for bi, b in enumerate(doc.blocks)
        if b.kind in PROSE_KINDS + ("heading",) and b.text
    ]
    out = set()
    for k, (bi, n) in enumerate(prose):
        if n is None:
            continue
        near = [m for _, m in prose[max(0, k - 2) : k] + prose[k + 1 : k + 3] if m is not None]
        if any(0 < abs(m - n) <= 2 for m in near):
            out.add(bi)
    return out


@dataclass
class Unit:
    """A piece of prose read as one text: a block, a prose table cell, or a paragraph the source
    broke mid-sentence joined to its continuation; ``parts`` maps text offsets back to blocks."""

    text: str
    parts: list[tuple[int, int]]  # (offset in text, block index), ascending
    bbox: Optional[tuple] = None
    page: Optional[int] = None
    cell: bool = False

    def block_at(self, pos: int) -> tuple[int, int]:
        """(block index, offset of that block's text within the unit) for a text position."""
        offset, bi = self.parts[0]
        for o, b in self.parts:
            if o <= pos:
                offset, bi = o, b
        return bi, offset


def _continues(previous: str, following: str) -> bool:
    """A paragraph cut mid-sentence by a page or line break, continued by the next block
    ("... a total fine of" / "£3,430. Also ...", "... on public land in Soberton," / "Wickham, ...")."""
    if not previous or re.search(r"[.!?:)\]\"'”’]\s*$", previous):
        return False
    last = previous.split()[-1].lower()
    if previous.rstrip().endswith((",", ";", "–", "-")) or last in vocab()["continuing_words"]:
        return len(previous.split()) >= 6
    return bool(re.match(r"[a-z£$€(]|\d[\d,.]*(?:%|\s+[a-z])", following))


def prose_units(doc: Document) -> list[Unit]:
    """Every piece of prose: blocks and prose table cells; a list number opening a block is
    left out of its text."""
    numbered = numbered_blocks(doc)
    units: list[Unit] = []
    last_block: Optional[Unit] = None
    for bi, block in enumerate(doc.blocks):
        if block.kind in PROSE_KINDS and block.text:
            text = re.sub(r"^\d{1,2}(\s+|\.{2,})", "", block.text) if bi in numbered else block.text
            text = split_markers(text)[0]
            if (
                last_block is not None
                and last_block.parts[-1][1] == bi - 1
                and block.kind == "paragraph"
                and _continues(last_block.text, text)
            ):
                last_block.parts.append((len(last_block.text) + 1, bi))
                last_block.text += " " + text
                continue
            last_block = Unit(text, [(0, bi)], block.bbox, block.page)
            units.append(last_block)
        elif block.kind == "table" and block.table:
            last_block = None
            seen = set()
            for row in block.table.rows:
                for cell in row:
                    for piece in cell.paragraphs or ([cell.text] if is_prose(cell.text) else []):
                        if piece not in seen:  # a piece repeated on a page break is read once
                            seen.add(piece)
                            units.append(Unit(split_markers(piece)[0], [(0, bi)], cell.bbox, cell.page, cell=True))
        else:
            last_block = None
    return units


def _in_brackets(sdoc: Doc, sent: Span, i: int) -> bool:
    depth = 0
    for tok in sdoc[sent.start : i]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth:
            depth -= 1
    return depth > 0


def extract_figures(
    doc: Document, ctx: Optional[PeriodContext], area: Optional[str] = None, published: Optional[Published] = None
) -> list[Fact]:
    """Every figure stated in the document's prose, as facts with source_kind 'text'
    (``published`` dates "last year" in a report with no period)."""
    nlp = pipeline()
    units = prose_units(doc)
    facts: list[Fact] = []
    for unit, sdoc in zip(units, nlp.pipe([u.text for u in units], batch_size=64)):
        by_sentence: dict[int, list[Found]] = {}
        previous: Optional[Found] = None
        earlier: list[Found] = []
        heading = heading_before(doc, unit.parts[0][1])
        for found in sdoc._.figures:
            sent = sdoc[found.start].sent
            found.in_brackets = _in_brackets(sdoc, sent, found.start)
            _label(sdoc, found, previous, by_sentence.get(sent.start, []), heading, earlier)
            earlier.append(found)
            if not found.subject and found.in_brackets and previous is not None:
                found.subject = previous.subject  # "484 (75.63%)": the share of the same thing
            if (
                not found.subject
                and previous is not None
                and previous.unit == found.unit
                and sdoc[previous.start].sent.start == sent.start
            ):
                found.subject = previous.subject  # "813 offences ... compared to 754": the same thing
                if found.measure == "count" and previous.measure not in ("share", "percent") and not previous.direction:
                    found.measure = previous.measure
            if (
                found.in_brackets
                and found.unit == "percent"
                and previous is not None
                and previous.direction
                and not found.direction
                and sdoc[found.start - 1].text == "("
            ):
                found.direction, found.measure = previous.direction, "percentage change"  # "16 incidents (2.6%)"
            elif (
                found.in_brackets
                and found.unit == "count"
                and previous is not None
                and previous.direction
                and previous.unit == "percent"
                and not found.direction
                and sdoc[found.start - 1].text == "("
            ):
                found.direction, found.measure = previous.direction, "change in count"  # "7.8% (59 offences)"
            previous = found
            by_sentence.setdefault(sent.start, []).append(found)
        _share_range_subjects(sdoc._.figures)
        for sent_start, found_list in by_sentence.items():
            sent = sdoc[sent_start].sent
            periods = assign_periods(sent, found_list, ctx, published)
            places = stated_areas(sent)
            for found in found_list:
                before = [name for i, name, _ in places if i < found.start]
                later = [
                    name
                    for i, name, how in places
                    if i > found.start and how != "bracket" and not _clause_break(sdoc, found.end, i)
                ]
                found.area = before[-1] if before else (later[0] if later else None)
                if found.area is not None and not known_area(found.area):
                    found.notes.append(f"stated area: {found.area} (not in schema/areas.csv)")
                    found.area = None
            quote = sent.text.strip()
            for found, (period, note) in zip(found_list, periods):
                facts.append(_fact(unit, doc, sdoc, found, period, note, quote, area, len(facts)))
    return facts


def _share_range_subjects(figures: list[Found]) -> None:
    """The lower end of a range ("250 – 300 visits") counts what the upper end names."""
    for low, high in zip(figures, figures[1:]):
        if low.qualifier == high.qualifier == "range" and high.start <= low.end + 1:
            low.subject, low.core, low.label = low.subject or high.subject, high.core, high.label


def _label(
    sdoc: Doc, found: Found, previous: Optional[Found], same_sentence: list[Found], heading, earlier: list[Found]
) -> None:
    """The figure's subject label: a share in brackets right after a figure, a percentage change
    with no phrase of its own, a part of an earlier figure ("of those") and figures in brackets
    breaking one down say something of the figure they follow. The sentence's own words come
    first; the section's topic fills what room is left."""
    own, head = subject_parts(sdoc, found.start, found.end, found.subject, heading)
    found.own = own
    previous_in_brackets = previous is not None and previous.in_brackets
    bare = not content_of(found.subject)  # nothing after it but a change word ("a 42% reduction")
    whole = partitive_of(sdoc, found, earlier)
    if bare and found.in_brackets and previous is not None and previous.end == found.start - 1:
        found.core, found.label = previous.core, previous.label  # "484 (75.63%)"
        return
    if bare and found.direction and found.unit == "percent" and same_sentence:
        found.core, found.label = same_sentence[0].core, same_sentence[0].label  # "... 13, an increase of 46%"
        return
    in_sentence = bool(same_sentence) and same_sentence[-1] is previous
    host = next((f for f in reversed(same_sentence) if not f.in_brackets), None)
    if (
        bare
        and not found.direction
        and previous is not None
        and previous.core
        and not _own_clause(sdoc, found, in_sentence)
    ):
        # in its sentence, the figure before says all it was given; across sentences only its own words
        carried = in_sentence or not content_of(previous.subject)
        topic = previous.core if carried else previous.own
        found.core = merge_labels(own, topic)  # "... 120 forms; 73 were from urban areas"
    elif whole is not None and whole.core:
        found.core = merge_labels(own, whole.core)  # "Of those 188 offenders 64 ...", "16 related to rural areas"
    elif (
        in_sentence
        and previous is not None
        and found.subject.lower() == previous.subject.lower()
        and not _clause_break(sdoc, previous.end, found.start)
    ):
        found.core = merge_labels(own, previous.core)  # "X accounted for 877 crimes and levels rose by 22 crimes"
    elif found.in_brackets and host is not None and (previous is host or previous_in_brackets):
        found.core = merge_labels(found.subject, host.core)  # "18 disclosures (12 right to ask/6 right to know)"
    else:
        found.core = own
    band = band_of(sdoc, found.start, found.end, settings().clause_breaks)
    found.label = with_topic(found.core, head, band)
    if (
        found.measure == "rate"
        and found.base
        and found.base.lower().startswith("per ")
        and found.base not in found.label
    ):
        found.label += f" {found.base}"  # "visits per quarter": what the rate counts, and per what


def _own_clause(sdoc: Doc, found: Found, in_sentence: bool) -> bool:
    """A figure opening no sentence of its own, whose clause names what it counts before it ("The
    45-54 age group had the highest percentage of repeat victims with 48.5 %"): it carries no topic."""
    sent = sdoc[found.start].sent
    if in_sentence or sent[0].lower_ in settings().anaphora:
        return False
    return len(words_before(sdoc, sent, found.start, 2)) >= 2


def partitive_of(sdoc: Doc, found: Found, earlier: list[Found]) -> Optional[Found]:
    """The figure that ``found`` counts part of: the last figure ending before the last partitive
    ("of those", "of these") in its sentence up to just after it — "16 of these relate to ..." and
    "Of those 188 offenders, 64 ..." point before the sentence, "43 forms; of those 4 ..." at 43."""
    phrases = settings().partitives
    sent = sdoc[found.start].sent
    marks = [
        i
        for i in range(sent.start, min(found.end + 1, sent.end))
        for p in phrases
        if tuple(t.lower_ for t in sdoc[i : i + len(p)]) == p
    ]
    if not marks:
        return None
    before = [f for f in earlier if f.end < max(marks)]  # not the figure the partitive follows ("16 of these")
    return before[-1] if before else None


def heading_before(doc: Document, bi: int) -> Optional[str]:
    """The topic of the prose under block ``bi``, from its nearest heading and the one before it
    at the same or a higher level (the title left out)."""
    trail: list[str] = []
    level: Optional[int] = None
    for block in reversed(doc.blocks[:bi]):
        if block.kind != "heading" or not block.text or block.level == 1:
            continue
        if level is None or (block.level is not None and block.level <= level):
            trail.append(block.text)
            level = block.level if block.level is not None else 0
        if len(trail) == 2:
            break
    return heading_topic(trail) or None


def _fact(unit: Unit, doc: Document, sdoc: Doc, found: Found, period, note, quote, area, n) -> Fact:
    pos = sdoc[found.start].idx
    end = sdoc[found.end - 1].idx + len(sdoc[found.end - 1])
    bi, offset = unit.block_at(pos)
    block = doc.blocks[bi]
    base = block.start if (not unit.cell and block.start is not None) else None
    char_start, char_end = pos - offset, end - offset
    if base is not None:
        char_start, char_end = char_start + base, char_end + base
    measure = found.measure if not found.direction else f"{found.measure} ({found.direction})"
    notes = ([note] if note else []) + found.notes
    if found.qualifier == "range":
        notes.append("one end of a range")
    return Fact(
        value=found.value,
        unit=found.unit,
        source_kind="text",
        raw=found.raw,
        measure=measure,
        category=found.subject or None,
        subject=found.label or None,
        direction=found.direction,
        base=found.base,
        area=found.area or area,
        period_label=period.label if period else None,
        period_start=period.start.isoformat() if period else None,
        period_end=period.end.isoformat() if period else None,
        quote=quote,
        qualifier=found.qualifier,
        block_index=bi,
        page=unit.page if unit.page is not None else block.page,
        bbox=unit.bbox or block.bbox,
        char_start=char_start,
        char_end=char_end,
        method="narrative:" + ("change" if found.direction else found.measure.split()[0]),
        notes=notes,
        key=f"b{bi}n{n}",
    )
