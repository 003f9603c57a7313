"""Figures stated in prose: a rule-based spaCy pipeline (``spacy.blank("en")``, a sentencizer and
a custom ``csp_figures`` component built on Matcher patterns) that finds every figure in
paragraphs, list items, captions, footnotes and prose table cells, and says what it counts, its
measure, its period and the comparison it belongs to.

Words come from ``schema/narrative.yaml``; period phrases are read with :mod:`extract.periods`.
No statistical model is loaded, ever.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from .markup import is_prose, split_markers
from .model import Block, Document, Fact
from .periods import Period, PeriodContext, explicit_span, parse_period, year_period
from .vocab import load_yaml

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kKmM]|hrs|hr|hours)?$")
YEAR = re.compile(r"^(199\d|20[0-2]\d|2030)$")  # a year a report of these decades would name
PROSE_KINDS = ("paragraph", "list_item", "caption", "footnote")


@lru_cache(maxsize=1)
def vocab() -> dict:
    return load_yaml("narrative.yaml")


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
    from_to: Optional[str] = None  # "from" / "to" in "from 6 to 9"


if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=[])


@Language.factory("csp_figures")
def make_figure_finder(nlp: Language, name: str):
    return FigureFinder(nlp)


class FigureFinder:
    """Marks figures on a Doc (``doc._.figures``), skipping numbers that name or date things."""

    def __init__(self, nlp: Language):
        words = vocab()
        self.skip = Matcher(nlp.vocab)
        num = {"TEXT": {"REGEX": r"^\d[\d,.]*$"}}
        self.skip.add("NAMING", [[{"LOWER": {"IN": words["naming_words"]}}, num]])
        self.skip.add("AGE_BAND", [[num, {"TEXT": {"IN": ["-", "–", "to"]}}, num, {"LOWER": {"IN": words["age_words"]}}],
                                   [{"LOWER": {"IN": ["aged", "age", "ages", "under", "over"]}}, num, {"TEXT": {"IN": ["-", "–", "to"]}}, num]])
        self.skip.add("BETWEEN_AGES", [[{"LOWER": "between"}, num, {"LOWER": {"IN": ["and", "to"]}}, num,
                                        {"LOWER": {"IN": words["age_words"] + ["years"]}, "OP": "?"}]])
        self.skip.add("NAMED_LIST", [[{"LOWER": {"IN": words["naming_words"] + ["figures", "sections"]}}, num,
                                      {"TEXT": ","}, {"IS_ASCII": True}, {"LOWER": "and"}, num],
                                     [{"LOWER": {"IN": words["naming_words"] + ["figures", "sections"]}}, num, {"LOWER": "and"}, num]])
        self.skip.add("BOUNDS", [[{"LOWER": "between"}, num, {"LOWER": "and"}, num, {"LOWER": "times"}],
                                 [num, {"TEXT": "+"}],
                                 [num, {"TEXT": {"REGEX": r"^[-–]\d+$"}}],
                                 [num, {"LOWER": {"IN": ["years", "yrs"]}}, {"LOWER": {"IN": ["age", "old"]}}],
                                 [num, {"LOWER": "to"}, num, {"LOWER": {"IN": ["work", "support", "sessions", "meetings"]}}]])
        self.skip.add("DATE", [[num, {"LOWER": {"IN": words["months"]}}], [{"LOWER": {"IN": words["months"]}}, num]])
        self.skip.add("PHONE", [[{"TEXT": {"REGEX": r"^0\d{3,}$"}}], [num, num, num]])
        self.skip.add("FINANCIAL_YEAR", [[{"TEXT": {"REGEX": r"^(19|20)\d\d$"}}, {"TEXT": {"IN": ["-", "–", "/"]}},
                                          {"TEXT": {"REGEX": r"^\d\d$"}}],
                                         [{"TEXT": {"REGEX": r"^(19|20)\d\d[-–/]$"}}, {"TEXT": {"REGEX": r"^\d\d$"}}]])
        self.skip.add("YOUNG_AGE", [[{"LOWER": {"IN": ["under", "aged"]}}, {"TEXT": {"REGEX": r"^1\d$|^2[0-5]$"}},
                                     {"LOWER": {"IN": ["sighted", "year", "years", "yrs", "s", "'s"]}, "OP": "?"}]])
        self.skip.add("NAMED_LIST", [[{"ORTH": "Top"}, num]])  # "the Top 10 for DA perpetrators"
        # a bracketed "(2 crimes)" after a noun qualifies it ("repeat victims (2 crimes)"): a threshold
        self.skip.add("THRESHOLD", [[{"IS_ALPHA": True}, {"ORTH": "("}, num, {"IS_ALPHA": True, "IS_LOWER": True}, {"ORTH": ")"}]])
        self.skip.add("STRATEGY_NAME", [[num, {"LOWER": "x"}, {"TEXT": {"REGEX": r"^P'?s?$"}}]])
        self.year_preps = set(words["year_prepositions"])

    def __call__(self, doc: Doc) -> Doc:
        skipped = set()
        ages = any(t.lower_ in ("age", "aged", "ages") for t in doc)
        for match_id, start, end in self.skip(doc):
            if doc.vocab.strings[match_id] == "BETWEEN_AGES" and not ages:
                continue
            for i in range(start, end):
                if NUMBER.match(doc[i].text) or re.match(r"^0\d", doc[i].text):
                    skipped.add(i)
        figures = []
        for tok in doc:
            m = NUMBER.match(tok.text)
            if not m or tok.i in skipped or self._is_year(tok) or self._is_list_number(tok) \
                    or self._is_framing_duration(tok) or self._is_hyphenated(tok):
                continue
            figures.append(read_figure(doc, tok, m))
        doc._.figures = figures
        return doc

    def _is_year(self, tok) -> bool:
        if not YEAR.match(tok.text):
            return False
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if prev and re.fullmatch(r"q[1-4]", prev):
            return True  # "Q4 2021"
        if prev in self.year_preps or prev in vocab()["months"]:
            return True
        if nxt is not None and nxt.text == "(":
            return False  # "accounted 2019 (25%)"
        if nxt is not None and (nxt.text in ("/", "-", "–") or nxt.lower_ in vocab()["months"]):
            return True
        return not (nxt is not None and (nxt.is_lower or nxt.text in ("(", "%")))

    @staticmethod
    def _is_framing_duration(tok) -> bool:
        """"the last 12 months", "a 12 week programme", "within 2 weeks", "up to 48hrs"."""
        words = vocab()
        doc = tok.doc
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        unit_next = nxt is not None and nxt.lower_ in words["time_units"]
        if nxt is not None and nxt.text in ("-", "–") and tok.i + 2 < len(doc) and doc[tok.i + 2].lower_ in words["time_units"]:
            unit_next = True  # "a 12-month period"
        if not unit_next and not re.search(r"(hrs|hr|hours)$", tok.text):
            return False
        before = doc[max(0, tok.i - 2): tok.i].text.lower()
        if any(re.search(rf"(?<![a-z]){re.escape(w)}$", before) for w in words["framing_before"]):
            return True
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        return bool(unit_next and after is not None and after.is_alpha and not after.is_lower)  # "12 week Freedom"

    @staticmethod
    def _is_hyphenated(tok) -> bool:
        """"1-2-1", "24-7": digits joined by hyphens name a thing."""
        doc = tok.doc
        left = tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_ and not doc[tok.i - 1].whitespace_ \
            and doc[tok.i - 2].like_num
        right = tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not tok.whitespace_ and not doc[tok.i + 1].whitespace_ \
            and doc[tok.i + 2].like_num
        return left or right

    @staticmethod
    def _is_list_number(tok) -> bool:
        """"1." or "10.4" opening a block or a sentence is list numbering ("10.4 The data ...")."""
        doc = tok.doc
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        closes = nxt is not None and nxt.text in (".", ")")
        if tok.i == 0 or tok.is_sent_start:
            section = bool(re.fullmatch(r"\d+\.\d+", tok.text)) and nxt is not None and nxt.text[:1].isupper()
            return closes or section
        return tok.nbor(-1).text in (":", "•", "-") and closes


def read_figure(doc: Doc, tok, m: re.Match) -> Found:
    """Value, unit, qualifier, measure and subject of the figure at ``tok``."""
    words = vocab()
    digits, decimals, suffix = m.group(1), m.group(2) or "", (m.group(3) or "")
    value = float(digits.replace(",", "") + decimals)
    end = tok.i + 1
    unit = "count"
    raw = tok.text
    nxt = doc[end] if end < len(doc) else None
    if suffix.lower() in ("k", "m"):
        value *= 1000 if suffix.lower() == "k" else 1_000_000
    elif nxt is not None and nxt.text in ("K", "k") and tok.i > 0 and doc[tok.i - 1].text == "£":
        value *= 1000
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
    if tok.i > 0 and doc[tok.i - 1].lower_ == "from" and end + 1 < len(doc) and doc[end].lower_ == "to" \
            and NUMBER.match(doc[end + 1].text):
        found.from_to = "from"
    elif tok.i > 2 and doc[tok.i - 1].lower_ == "to" and NUMBER.match(doc[tok.i - 2].text) and doc[tok.i - 3].lower_ == "from":
        found.from_to = "to"
    before = doc[max(0, tok.i - 3): tok.i].text.lower()
    for kind, phrases in words["qualifiers"].items():
        for phrase in phrases:
            if re.search(rf"(?<![a-z]){re.escape(phrase)}\s*£?$", before):
                found.qualifier = phrase
    window = " ".join(t.lower_ for t in doc[max(0, tok.i - 5): tok.i])
    up = any(w in window.split() for w in words["change_up"])
    down = any(w in window.split() for w in words["change_down"])
    after = doc[end].lower_ if end < len(doc) else ""
    if (up or down) and re.search(r"\b(by|of)\s*(nearly|over|about|approximately|almost|around)?\s*£?$", before.strip() + " "):
        found.direction = "decrease" if down and not up else "increase"
    elif (up or down) and unit == "percent" and re.search(r"\b(a|an)\s*$", before):
        found.direction = "decrease" if down and not up else "increase"
    elif unit == "percent" and (after in words["change_up"] or after in words["change_down"]):
        found.direction = "decrease" if after in words["change_down"] else "increase"
    if unit == "percent":
        if found.direction:
            found.measure = "percentage change"
        elif tok.i > 0 and doc[tok.i - 1].text == "(":
            found.measure = "share"
        elif any(w in doc[max(0, tok.i - 8): tok.i].text.lower() for w in words["rate_words"]):
            found.measure = "rate"
        else:
            found.measure = "percent"
    elif found.direction:
        found.measure = "change in count"
    found.subject = subject_after(doc, end)
    if found.measure == "count" and found.subject and unit == "count":
        found.measure = found.subject.split()[-1]
    return found


def subject_after(doc: Doc, i: int) -> str:
    stops = set(vocab()["stop_words"])
    words = []
    for tok in doc[i: i + 8]:
        if tok.is_punct or tok.lower_ in stops or NUMBER.match(tok.text):
            break
        words.append(tok.text)
    return " ".join(words)


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The narrative pipeline: blank English, a sentencizer and the figure finder."""
    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z])/(?=[0-9])", r"(?<=[0-9])/(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    for abbreviation in ("Qtr.", "qtr.", "No.", "approx.", "e.g.", "i.e.", "etc.", "Insp.", "Cllr.", "Cllrs."):
        nlp.tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures")
    return nlp


# ---- periods in a sentence --------------------------------------------------------------------

_FY = r"(?:19|20)\d\d\s*[/\-–]\s*\d\d(?!\d)"
_QUARTER = r"\b(?:Q|Qtr\.?|quarter)\s*[1-4](?:\s*(?:-|–|to|and|&)\s*(?:Q|Qtr\.?|quarter)?\s*[1-4])?(?:\s+(?:of\s+)?(?:" + _FY + r"|(?:19|20)\d\d))?"
_CAL_YEAR = r"\b(?:in|during|for|since|of|from)\s+(199\d|20[0-2]\d|2030)\b(?!\s*[/\-–]\s*\d)"


def period_mentions(text: str, ctx: Optional[PeriodContext]) -> list[tuple[int, int, Period]]:
    """Every period a sentence names, with its character span."""
    found: list[tuple[int, int, Period]] = []
    months = "|".join(vocab()["months"])
    span_re = (rf"(?:between\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{months})\w*(?:\s+(?:19|20)\d\d)?\s*(?:-|–|to|and)\s*"
               rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{months})\w*(?:\s+(?:19|20)\d\d(?:\s*/\s*\d\d)?)?")
    for m in re.finditer(span_re, text, re.I):
        p = explicit_span(m.group(0), ctx)
        if p:
            found.append((m.start(), m.end(), p))
    for m in re.finditer(r"first\s+(\d|one|two|three|four)\s+quarters\s+(?:of\s+)?(?:(" + _FY + r")|this year)", text, re.I):
        n = vocab()["number_words"].get(m.group(1).lower()) or int(m.group(1))
        base = parse_period(m.group(2), ctx) if m.group(2) else (ctx.period if ctx else None)
        if base and 1 <= n <= 4:
            found.append((m.start(), m.end(), parse_period(f"Q1-Q{n} {base.start.year}", ctx)))
    for pattern in (_QUARTER, _FY):
        for m in re.finditer(pattern, text, re.I):
            if any(s <= m.start() < e for s, e, _ in found):
                continue
            p = parse_period(m.group(0), ctx)
            if p:
                found.append((m.start(), m.end(), p))
    for m in re.finditer(_CAL_YEAR, text, re.I):
        if any(s <= m.start(1) < e for s, e, _ in found):
            continue
        found.append((m.start(), m.end(), year_period(int(m.group(1)), ctx, m.group(1))))
    for m in re.finditer(r"same (?:period|time)\s+(?:(?:in|for|of|during)\s+)?((?:19|20)\d\d)\b", text, re.I):
        if ctx is not None:
            year = int(m.group(1))
            found = [f for f in found if not (m.start() <= f[0] < m.end())]
            found.append((m.start(), m.end(), ctx.period.shifted_years(year - ctx.start.year)))
    if ctx is not None:
        for phrase in vocab()["previous_period"]:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.I):
                found.append((m.start(), m.end(), ctx.period.shifted_years(-1)))
    found.sort(key=lambda x: x[0])
    return found


def is_comparison(sentence: str, start: int) -> bool:
    """A period named as the comparison ("compared to 2209 in 2020/21", "the same period in 2023",
    "the previous year") belongs to its own figure only."""
    head = sentence[max(0, start - 40): start + 25].lower()
    return bool(re.search(r"\b(compared|than|versus|previous|from|same period|same time|last year)\b", head))


def _d(y, m, d):
    from datetime import date

    return date(y, m, d)


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The clause around a character position (between commas, 'compared', 'and', brackets)."""
    breaks = vocab()["clause_breaks"]
    start, end = 0, len(text)
    for b in breaks:
        i = text.rfind(b, 0, pos)
        if i != -1 and i + len(b) > start:
            start = i + len(b)
        j = text.find(b, pos)
        if j != -1 and j < end:
            end = j
    return start, end


def resolve_period(sentence: str, pos: int, found: Found, mentions, ctx: Optional[PeriodContext]) -> Optional[Period]:
    """A figure's period: one named in its clause (after it, else before it); a change takes the
    later period of its comparison; otherwise the report's own period."""
    if found.measure in ("percentage change", "change in count"):
        return ctx.period if ctx else None
    if ctx is not None and found.from_to == "from":
        return ctx.period.shifted_years(-1)  # "increased from 6 to 9": 6 a year earlier, 9 now
    if ctx is not None and found.from_to == "to":
        return ctx.period
    start, end = _clause(sentence, pos)
    after = [p for s, e, p in mentions if pos <= s < end]
    before = [p for s, e, p in mentions if start <= s < pos]
    if after:
        return after[0]
    if before:
        return before[-1]
    earlier = [p for s, e, p in mentions if s < pos and not is_comparison(sentence, s)]
    later = [p for s, e, p in mentions if s >= pos and not is_comparison(sentence, s)
             and not re.search(r"\b(compared|than)\b", sentence[pos:s], re.I)
             and re.search(r"\bfor\s+(the\s+)?$", sentence[:s], re.I)]
    if earlier:  # a period set at the head of the sentence ("Q4 snapshot: 32.9% ...")
        return earlier[0]
    if later:  # a period closing the sentence ("£281k against £297k for 2016/17")
        return later[0]
    if ctx is None:
        return None
    return ctx.period


# ---- the stage --------------------------------------------------------------------------------

def _leading_number(text: str) -> Optional[int]:
    m = re.match(r"^(\d{1,2})(?:\s+[A-Z0-9.]|\.{2,})", text)
    return int(m.group(1)) if m else None


def numbered_blocks(doc: Document) -> set[int]:
    """Blocks that open with a list number: their neighbours open with the numbers around it
    ("1 Number of drunk people ...", "2 Number of ...")."""
    prose = [(bi, _leading_number(b.text)) for bi, b in enumerate(doc.blocks)
             if b.kind in PROSE_KINDS + ("heading",) and b.text]
    out = set()
    for k, (bi, n) in enumerate(prose):
        if n is None:
            continue
        near = [m for _, m in prose[max(0, k - 2): k] + prose[k + 1: k + 3] if m is not None]
        if any(0 < abs(m - n) <= 2 for m in near):
            out.add(bi)
    return out


def prose_units(doc: Document) -> Iterable[tuple[int, str, Optional[tuple], Optional[int]]]:
    """(block index, text, bbox, page) for every piece of prose: blocks and prose table cells;
    a list number opening a block is left out of its text."""
    numbered = numbered_blocks(doc)
    for bi, block in enumerate(doc.blocks):
        if block.kind in PROSE_KINDS and block.text:
            text = re.sub(r"^\d{1,2}(\s+|\.{2,})", "", block.text) if bi in numbered else block.text
            yield bi, text, block.bbox, block.page
        elif block.kind == "table" and block.table:
            seen = set()
            for row in block.table.rows:
                for cell in row:
                    for piece in cell.paragraphs or ([cell.text] if is_prose(cell.text) else []):
                        if piece not in seen:  # a piece repeated on a page break is read once
                            seen.add(piece)
                            yield bi, piece, cell.bbox, cell.page


def extract_figures(doc: Document, ctx: Optional[PeriodContext], area: Optional[str] = None) -> list[Fact]:
    """Every figure stated in the document's prose, as facts with source_kind 'text'."""
    nlp = pipeline()
    units = list(prose_units(doc))
    facts: list[Fact] = []
    texts = [split_markers(text)[0] for _, text, _, _ in units]
    for (bi, _, bbox, page), sdoc in zip(units, nlp.pipe(texts, batch_size=64)):
        block = doc.blocks[bi]
        offset = block.start if block.kind != "table" and block.start is not None else None
        sentences = list(sdoc.sents)
        mentions_by_sent = {s.start: period_mentions(s.text, ctx) for s in sentences}
        previous: Optional[Found] = None
        for n, found in enumerate(sdoc._.figures):
            sent = sdoc[found.start].sent
            if not found.subject and previous is not None and previous.unit == found.unit \
                    and sdoc[previous.start].sent.start == sent.start:
                found.subject = previous.subject  # "813 offences ... compared to 754": the same thing
                if found.measure == "count" and previous.measure not in ("share", "percent"):
                    found.measure = previous.measure
            previous = found
            pos = sdoc[found.start].idx - sent.start_char
            period = resolve_period(sent.text, pos, found, mentions_by_sent[sent.start], ctx)
            measure = found.measure
            if found.direction:
                measure = f"{measure} ({found.direction})"
            facts.append(Fact(
                value=found.value, unit=found.unit, source_kind="text", raw=found.raw,
                measure=measure, category=found.subject or None, area=area,
                period_label=period.label if period else None,
                period_start=period.start.isoformat() if period else None,
                period_end=period.end.isoformat() if period else None,
                quote=sent.text.strip(), qualifier=found.qualifier, block_index=bi, page=page, bbox=bbox,
                char_start=(offset + sdoc[found.start].idx) if offset is not None else sdoc[found.start].idx,
                char_end=(offset + sdoc[found.end - 1].idx + len(sdoc[found.end - 1])) if offset is not None else None,
                method="narrative:" + ("change" if found.direction else found.measure.split()[0]),
                key=f"b{bi}n{len(facts)}",
            ))
    return facts
