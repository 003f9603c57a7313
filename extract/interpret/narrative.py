"""Figures stated in prose: a rule-based spaCy pipeline (``spacy.blank("en")``, a sentencizer and
a custom ``csp_figures`` component built on Matcher patterns) that finds every figure in
paragraphs, list items, captions, footnotes and prose table cells, and says what it counts, its
measure, its period and the comparison it belongs to.

Words come from ``schema/narrative.yaml``; period phrases are read with :mod:`extract.periods`.
No statistical model is loaded, ever.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

import spacy
from spacy.attrs import SENT_START
from spacy.lang.char_classes import ALPHA, HYPHENS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from extract.interpret.age_bands import age_bands, band_of
from extract.interpret.figure_patterns import applies, build_matcher
from extract.interpret.narrative_periods import PERIOD_TOKEN, YEAR_TOKEN, assign_periods, period_mentions, vocab
from extract.interpret.prose.phrase import clause_start, comparison_markers, said, twin, weight
from extract.interpret.prose.phrase import words as phrase_words
from extract.interpret.prose.reading import (
    NUMBER,
    SIGNED,
    attach_bases,
    digits_figure,
    one_in,
    rank_figure,
    read,
    worded_figure,
)
from extract.interpret.prose.reading import denominators as denominators_in
from extract.interpret.prose.record import Figure
from extract.interpret.prose.topics import heading_subject
from extract.interpret.subjects import (
    content_of,
    heading_topic,
    merge_labels,
    names_category,
    settings,
    subject_parts,
    with_topic,
    words_before,
)
from extract.model import Block, Cell, Document, Fact, shifted, span_at
from extract.model import Span as Printed
from extract.readers.markup import is_prose, split_markers
from extract.vocab.categories import canonical_kind, categories_named, last_named, match_phrase
from extract.vocab.periods import Period, PeriodContext
from extract.vocab.relative import Published

PROSE_KINDS = ("paragraph", "list_item", "caption", "footnote")


#: A figure found in prose (the frozen record the passes replace): kept under its old name.
Found = Figure


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


#: The most tokens read as one sentence. A "sentence" longer than this (a 5 MB line without a full
#: stop, a run of figures without one) is read in windows of at most this many tokens, cut after a
#: comma, semicolon or colon where there is one: whatever is read around a figure (its brackets,
#: its sentence's periods, areas and age bands, its quote) is then bounded, so the cost of a line
#: grows with its length, not with its square. The reports' longest sentences are under 100 tokens.
MAX_SENTENCE_TOKENS = 300
#: Tokens after which a window is cut, the latest of them in a window's second half.
WINDOW_CUTS = (",", ";", ":")


@Language.component("csp_sentence_windows")
def sentence_windows(doc: Doc) -> Doc:
    """Cut sentences longer than ``MAX_SENTENCE_TOKENS`` into windows (after the figures are
    found, so finding them is untouched); a sentence of normal length is left as it is."""
    starts = [s.start for s in doc.sents] + [len(doc)]
    cuts = []
    for start, end in zip(starts, starts[1:]):
        i = start
        while end - i > MAX_SENTENCE_TOKENS:
            cut = i + MAX_SENTENCE_TOKENS
            for j in range(cut, i + MAX_SENTENCE_TOKENS // 2, -1):
                if doc[j - 1].text in WINDOW_CUTS:
                    cut = j
                    break
            cuts.append(cut)
            i = cut
    if cuts:  # set at once: spaCy checks the whole Doc each time one token's start is set
        marks = doc.to_array([SENT_START])
        marks[cuts] = 1
        doc.from_array([SENT_START], marks)  # type: ignore[arg-type]  # to_array's own array
    return doc


def _in_age_bands(doc: Doc) -> set[int]:
    """The tokens of every age range ("the 26 – 34yrs age group", "in 18- 25yrs and 50+yrs age
    groups", "aged 19-24"): the ages a figure is about, never a figure."""
    out: set[int] = set()
    for sent in doc.sents:
        for band in age_bands(doc, sent):
            out.update(range(band.start, band.end))
    return out


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
        bands = _in_age_bands(doc)
        doc.user_data["csp_band_tokens"] = frozenset(bands)
        skipped |= bands
        denominators = denominators_in(doc)
        found = [self._figure_at(doc, tok, skipped) for tok in doc if tok.i not in denominators]
        figures = attach_bases(doc, [read(f, doc) for f in found if f is not None])
        doc._.figures = figures
        return doc

    def _figure_at(self, doc: Doc, tok, skipped: set[int]) -> Optional[Found]:
        """The figure opening at ``tok`` (value and unit only), or None."""
        special = rank_figure(doc, tok) or (one_in(doc, tok) if tok.i not in skipped else None)
        if special is not None:
            return special  # "4th/32", "3 in 10"
        worded = worded_figure(doc, tok)
        if worded is not None:
            return worded
        signed = SIGNED.match(tok.text)
        if signed and _signed_change(doc, tok):
            unsigned = NUMBER.match(signed.group(2))  # "-4.2% for shed burglary": a signed change
            return digits_figure(doc, tok, unsigned, sign=signed.group(1)) if unsigned is not None else None
        m = NUMBER.match(tok.text)
        if not m or tok.i in skipped or self._names_or_dates(tok):
            return None
        return digits_figure(doc, tok, m)

    def _names_or_dates(self, tok) -> bool:
        return (
            self._is_year(tok)
            or self._is_list_number(tok)
            or self._is_framing_duration(tok)
            or self._is_hyphenated(tok)
        )

    def _is_year(self, tok) -> bool:
        if not YEAR_TOKEN.match(tok.text):
            return False
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if prev and re.fullmatch(r"q[1-4]", prev):
            return True  # "Q2 2029"
        if prev and tok.nbor(-1).is_upper and len(prev) >= 2 and tok.nbor(-1).is_alpha:
            return True  # "ONS 2031 suggests": a source and its year
        if nxt is not None and (_counted_noun(nxt) or _share_follows(tok)):
            return False  # "accounted for 2044 crimes", "2044 (17%)": a count of something
        if prev in self.year_preps or prev in vocab()["months"]:
            return True
        if nxt is not None and nxt.lower_ in vocab()["year_nouns"]:
            return True  # "against 2029 data", "the 2021 census"
        if nxt is not None and nxt.text == "(":
            return False  # "accounted 2019 (25%)"
        if nxt is not None and (nxt.text in ("/", "-", "–") or nxt.lower_ in vocab()["months"]):
            return True
        return not (nxt is not None and (nxt.is_lower or nxt.text in ("(", "%")))

    @staticmethod
    def _is_framing_duration(tok) -> bool:
        """ "the last 12 months", "a 12 week programme", "within 2 weeks", "up to 72hrs"."""
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
        return bool(unit_next and after is not None and after.is_alpha and not after.is_lower)  # "10 week Recovery"

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


def _signed_change(doc: Doc, tok) -> bool:
    """ "-5.6%" not after another number ("2020-5%" is no change)."""
    return tok.i + 1 < len(doc) and doc[tok.i + 1].text == "%" and not (tok.i > 0 and NUMBER.match(doc[tok.i - 1].text))


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


def area_matcher() -> PhraseMatcher:
    """Area names a sentence may state: the areas of schema/areas.csv, the district's in use (its
    corpus's areas.csv: a matcher per district, so one build never places figures in another
    district's areas) and wider areas."""
    from extract.vocab.areas import district_areas_bytes

    return _area_matcher(hash(district_areas_bytes()))


@lru_cache(maxsize=4)
def _area_matcher(district: int) -> PhraseMatcher:
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
    "in North Testshire", "within Testshire District")."""
    doc = sent.doc
    out = []
    matches = list(area_matcher()(sent))  # the sentence only: matching the whole Doc per sentence is quadratic
    covered = -1
    for match_id, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
        if start < covered:
            continue  # "North Testshire" over "Testshire"
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
    opens the sentence ("England and Wales recorded ..."), a bracketed figure follows it
    ("National (7.8%)"), or it stands between a figure and the noun it counts ("900 Testshire
    households")."""
    if start > 0 and doc[start - 1].lower_ in vocab()["area_prepositions"]:
        return "preposition"
    if start == sent.start and doc[start].is_title and not (end < len(doc) and doc[end].is_title):
        return "opening"  # "England and Wales recorded"; not "Hampshire Fire Service"
    if end + 1 < len(doc) and doc[end].text == "(" and NUMBER.match(doc[end + 1].text) is not None:
        return "bracket"  # names the figure in the brackets only
    if start > sent.start and NUMBER.match(doc[start - 1].text) and end < sent.end and doc[end].is_lower:
        return "modifier"  # "5,560 Testshire families": whose the counted are; not "12 Testshire Fire crews"
    return ""


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The narrative pipeline: blank English, a sentencizer and the figure finder."""
    nlp = spacy.blank("en")
    nlp.max_length = max(nlp.max_length, 20_000_000)  # no parser or NER: a 2 MB paragraph fits in memory
    tokenizer: Tokenizer = nlp.tokenizer  # blank("en") builds a Tokenizer
    # a hyphen between letters joins one word ("anti-social", "year-on-year"); between a digit and a
    # letter it still splits ("a 12-month period")
    letters_hyphen = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
    infixes = [
        rf"(?<=[0-9])(?:{HYPHENS})(?=[{ALPHA}])" if rule == letters_hyphen else rule
        for rule in (nlp.Defaults.infixes or ())
    ]
    infixes += [r"(?<=[A-Za-z])/(?=[0-9])", r"(?<=[0-9])/(?=[A-Za-z])"]
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    units = "|".join(sorted(vocab()["glued_units"], key=len, reverse=True))  # "49yrs", "48hrs" -> "49" "yrs"
    suffixes: list = [rf"(?<=[0-9])(?:{units})", r"(?<=[0-9])[½¼¾⅓⅔]"] + list(nlp.Defaults.suffixes or ())
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for abbreviation in ("Qtr.", "qtr.", "No.", "approx.", "e.g.", "i.e.", "etc.", "Insp.", "Cllr.", "Cllrs."):
        tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    nlp.add_pipe("csp_sentence_starts")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures")
    nlp.add_pipe("csp_sentence_windows")
    return nlp


# ---- the stage --------------------------------------------------------------------------------


def _leading_number(text: str) -> Optional[int]:
    m = re.match(r"^(\d{1,2})(?:\s+[A-Z0-9.]|\.{2,})", text)
    return int(m.group(1)) if m else None


def numbered_blocks(doc: Document) -> set[int]:
    """Blocks that open with a list number: their neighbours open with the numbers around it
    ("1 Number of stray dogs ...", "2 Number of ...")."""
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
    spans: list[Printed]  # where its text was printed: a span a page, a block, a cell (offsets into text)
    cell: bool = False

    def block_at(self, pos: int) -> tuple[int, int]:
        """(block index, offset of that block's text within the unit) for a text position."""
        k = max(bisect_right(self.parts, (pos, math.inf)) - 1, 0)  # parts ascend by offset
        offset, bi = self.parts[k]
        return bi, offset


def _continues(previous: str, following: str, words: Optional[int] = None) -> bool:
    """A paragraph cut mid-sentence by a page or line break, continued by the next block
    ("... fines totalling" / "£1,275. Also ...", "... in the villages of Ashby," / "Brinkley, ...").
    ``words``: the words of the whole paragraph so far, when ``previous`` is only its end."""
    if not previous or re.search(r"[.!?:)\]\"'”’]\s*$", previous):
        return False
    last = previous.split()[-1].lower()
    if previous.rstrip().endswith((",", ";", "–", "-")) or last in vocab()["continuing_words"]:
        return (len(previous.split()) if words is None else words) >= 6
    return bool(re.match(r"[a-z£$€(]|\d[\d,.]*(?:%|\s+[a-z])", following))


def prose_units(doc: Document) -> list[Unit]:
    """Every piece of prose: blocks and prose table cells; a list number opening a block is
    left out of its text."""
    numbered = numbered_blocks(doc)
    units: list[Unit] = []
    last_block: Optional[Unit] = None
    joined = _Joined()  # the pieces of ``last_block``, joined once it is complete
    for bi, block in enumerate(doc.blocks):
        if block.kind in PROSE_KINDS and block.text:
            text = re.sub(r"^\d{1,2}(\s+|\.{2,})", "", block.text) if bi in numbered else block.text
            text = split_markers(text)[0]
            lead = len(block.text) - len(text)  # a list number left out (footnote markers are not in a PDF's text)
            if (
                last_block is not None
                and last_block.parts[-1][1] == bi - 1
                and block.kind == "paragraph"
                and _continues(joined.end(), text, joined.words)
            ):
                last_block.parts.append((joined.length + 1, bi))
                last_block.spans += _block_spans(block, lead, joined.length + 1)
                joined.add(text)
                continue
            joined.close()
            last_block = Unit(text, [(0, bi)], _block_spans(block, lead, 0))
            joined = _Joined(last_block)
            units.append(last_block)
        elif block.kind == "table" and block.table:
            joined.close()
            last_block = None
            seen = set()
            for row in block.table.rows:
                for cell in row:
                    for piece in cell.paragraphs or ([cell.text] if is_prose(cell.text) else []):
                        if piece not in seen:  # a piece repeated on a page break is read once
                            seen.add(piece)
                            spans = _piece_spans(cell, piece)
                            units.append(Unit(split_markers(piece)[0], [(0, bi)], spans, cell=True))
        else:
            joined.close()
            last_block = None
    joined.close()
    return units


def _block_spans(block: Block, lead: int, at: int) -> list[Printed]:
    """Where a block's text, less its first ``lead`` characters, was printed, as offsets into a
    unit holding it at ``at``."""
    spans = block.spans or [Printed(0, block.page, block.bbox)]
    return shifted(spans, lead, len(block.text), at)


def _piece_spans(cell: Cell, piece: str) -> list[Printed]:
    """Where a prose piece of a cell was printed: the cell's page and box, or for a cell running
    over a page break the spans of the stretch of its text the piece is."""
    whole = [Printed(0, cell.page, cell.bbox)]
    if not cell.spans:
        return whole
    found = re.search(r"\s+".join(re.escape(word) for word in piece.split()), cell.text)
    if found is None:  # a piece not found in the cell's text (reworded): the page the cell starts on
        return cell.spans[:1]
    return shifted(cell.spans, found.start(), found.end(), 0)


class _Joined:
    """A paragraph joined from the blocks that continue it, kept as pieces (joined with spaces once
    complete, not copied again for each block it takes) with its length, its word count and its
    end: each block joined costs its own length, not the paragraph's."""

    def __init__(self, unit: Optional[Unit] = None):
        self.unit = unit
        self.pieces = [unit.text] if unit is not None else []
        self.length = len(unit.text) if unit is not None else 0
        self.words = len(unit.text.split()) if unit is not None else 0
        self.last = 0  # the last piece with any words: the paragraph's end starts there

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += 1 + len(text)
        self.words += len(text.split())
        if text.strip():
            self.last = len(self.pieces) - 1

    def end(self) -> str:
        """The paragraph's text from its last piece with words on ("... the end," ""): its last
        word and its closing characters are the whole paragraph's."""
        return " ".join(self.pieces[self.last :] if self.pieces[self.last].strip() else self.pieces)

    def close(self) -> None:
        if self.unit is not None and len(self.pieces) > 1:
            self.unit.text = " ".join(self.pieces)
        self.unit = None


def _in_brackets(sdoc: Doc, sent: Span, i: int) -> bool:
    depth = 0
    for tok in sdoc[sent.start : i]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth:
            depth -= 1
    return depth > 0


#: The longest run of characters without a space the prose engine tokenises. spaCy strips a
#: token's prefixes and suffixes one at a time, each a search of the rest, so a run of n brackets or
#: stops costs n² steps (200,000 "(" on one line: over an hour); no figure is printed as a longer
#: word, and a longer run is blanked (same length, so every offset holds) before tokenising.
MAX_WORD = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def bounded_words(text: str) -> str:
    """``text`` with every run of more than MAX_WORD non-space characters blanked, offsets kept."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)


def extract_figures(
    doc: Document, ctx: Optional[PeriodContext], area: Optional[str] = None, published: Optional[Published] = None
) -> list[Fact]:
    """Every figure stated in the document's prose, as facts with source_kind 'text'
    (``published`` dates "last year" in a report with no period)."""
    nlp = pipeline()
    units = prose_units(doc)
    headings = Headings(doc)
    when = When(ctx, published)
    facts: list[Fact] = []
    for unit, sdoc in zip(units, nlp.pipe([bounded_words(u.text) for u in units], batch_size=64)):
        heading = headings.before(unit.parts[0][1])
        sdoc.user_data["csp_heading_area"] = heading_area(heading)
        sdoc.user_data["csp_heading"] = heading or ""
        figures = read_paragraph(sdoc, heading)
        opening: Optional[Period] = None
        framed = False  # "As a snapshot in quarter 4 ...": the sentences after it are of that period
        for n, (sent, found_list) in enumerate(_by_sentence(sdoc, figures)):
            for step in SENTENCE_PASSES:
                found_list = step(sdoc, sent, found_list, when)
            if opening is not None and n > 0:
                found_list = with_opening_period(sent, found_list, when, opening, framed)
            if n == 0 or _frames_period(sent):
                stated = opening_period(sent, found_list, when)
                if stated is not None or n == 0:
                    opening, framed = stated, True  # its period frames the paragraph's later sentences
            quote = sent.text.strip()
            for found in found_list:
                facts.append(_fact(unit, doc, sdoc, found, quote, area, len(facts)))
    return facts


@dataclass(frozen=True)
class When:
    """What the period pass reads a sentence's periods against: the report's own period, and
    when it was published (for "last year" in a report with no period)."""

    ctx: Optional[PeriodContext]
    published: Optional[Published]


def with_periods(sdoc: Doc, sent: Span, figures: list[Found], when: When) -> list[Found]:
    """The period pass: each figure of a sentence with the period it is about, and a note when
    that period was inferred (extract/interpret/narrative_periods.py)."""
    periods = assign_periods(sent, figures, when.ctx, when.published)
    return [replace(found, period=period, period_note=note) for found, (period, note) in zip(figures, periods)]


def opening_period(sent: Span, figures: list[Found], when: When) -> Optional[Period]:
    """The period a paragraph's opening sentence states for its first figure when it is not the
    report's ("Data from the Probation Service showed 159 offenders between 1st October - 30th
    September"): the period of the paragraph's data."""
    if when.ctx is None or not figures or figures[0].period is None or figures[0].period_note:
        return None
    first = figures[0].period
    stated = any(m.period == first and m.relative not in ("previous",) for m in period_mentions(sent.text, when.ctx))
    return first if stated and not _same_dates(first, when.ctx.period) else None


def _same_dates(a: Optional[Period], b: Optional[Period]) -> bool:
    return a is not None and b is not None and (a.start, a.end) == (b.start, b.end)


def _frames_period(sent: Span) -> bool:
    """The sentence frames what follows it as of its period ("As a snapshot in quarter 4 ...")."""
    return any(t.lower_ in vocab()["period_frames"] for t in sent)


def with_opening_period(
    sent: Span, figures: list[Found], when: When, opening: Period, framed: bool = False
) -> list[Found]:
    """A later sentence of the paragraph that names no period of its own is about the period its
    opening (or a snapshot before it, ``framed``) stated, not the report's, when it points back at
    what the paragraph counted ("Of those 159 offenders, 61 were ...") or is framed by it ("The
    most common offence type was ..."); a change, a target and a rate per period are not."""
    words = settings()
    text = f" {sent.text.lower()} "
    back = any(f" {' '.join(p)} " in text for p in words.partitives) or any(
        f" {w} " in text for w in words.pointing_back
    )
    if when.ctx is None or not (back or framed) or period_mentions(sent.text, when.ctx):
        return figures
    note = f"period stated at the paragraph's opening: {opening.label}"
    return [
        replace(found, period=opening, period_note=note)
        if _same_dates(found.period, when.ctx.period)
        and not found.direction
        and found.measure != "target"
        and not (found.base or "").startswith("per ")  # "250 visits per quarter would be expected"
        else found
        for found in figures
    ]


def _placed(sdoc: Doc, sent: Span, figures: list[Found], when: When) -> list[Found]:
    return place_figures(sdoc, sent, figures)


#: The prose engine's passes, in order. On a Doc (the ``csp_figures`` component): find (value
#: and unit: ``reading.digits_figure``, ``reading.worded_figure``), then ``reading.FIGURE_PASSES``
#: (range and qualifier, direction and measure, the phrase after it), then ``reading.attach_bases``.
#: Over a paragraph's figures: the subject pass (``read_paragraph``). Over each sentence's figures:
#: these. The category is decided from the fields these set when the fact is stored
#: (``extract/interpret/categorise.py``).
SENTENCE_PASSES = (with_periods, _placed)


def _by_sentence(sdoc: Doc, figures: list[Found]) -> list[tuple[Span, list[Found]]]:
    """A paragraph's figures grouped by sentence, in the order their sentences first appear."""
    groups: dict[int, list[Found]] = {}
    for found in figures:
        groups.setdefault(sdoc[found.start].sent.start, []).append(found)
    return [(sdoc[start].sent, group) for start, group in groups.items()]


class _Paragraph:
    """The figures of one paragraph read so far: what the subject passes of the next one read."""

    def __init__(self, sdoc: Doc, heading: Optional[str]):
        self.sdoc, self.heading = sdoc, heading
        self.body = paragraph_body(sdoc)  # (where its name ends, "italk service"), or None
        self.figures: list[Found] = []
        self.earlier = FoundSoFar()
        self.by_sentence: dict[int, list[Found]] = {}

    @property
    def previous(self) -> Optional[Found]:
        return self.figures[-1] if self.figures else None

    def add(self, found: Found) -> Found:
        sdoc, previous = self.sdoc, self.previous
        sent = sdoc[found.start].sent
        same_sentence = self.by_sentence.get(sent.start, [])
        found = replace(found, in_brackets=_in_brackets(sdoc, sent, found.start))
        heading = self.heading
        if self.body is not None and self._of_the_body(found, sent) and not _names_a_body(heading):
            heading = self.body[1]  # "... the recovery rate was 50%" after "the italk service received ..."
        found = _label(sdoc, found, previous, same_sentence, heading, self.earlier)
        if previous is not None:
            found = _carried_subject(sdoc, found, previous)
            found = _carried_direction(sdoc, found, previous)
        found = paragraph_topic(sdoc, found)
        found = bracketed_qualifier(sdoc, found)
        found = change_of_a_move(sdoc, found, previous)
        found = benchmark_of(sdoc, found, same_sentence)
        found = share_of_whole(sdoc, found, previous, self.earlier)
        found = compared_base(sdoc, found, same_sentence)
        found = self._people_of_a_share(found, previous)
        self.earlier.append(found)
        self.figures.append(found)
        self.by_sentence.setdefault(sent.start, []).append(found)
        return found

    def _of_the_body(self, found: Found, sent: Span) -> bool:
        """The figure is of the body the paragraph opened by naming: in a later sentence, or later
        in its sentence pointing back at it ("... the italk service received 4,933 referrals, of this
        number 3,706 people decided to enter therapy with the service")."""
        assert self.body is not None
        if sent.start > self.body[0]:
            return True
        after = self.sdoc[self.body[0] + 1 : sent.end].text.lower()
        nouns = "|".join(map(re.escape, settings().service_bodies))
        return found.start > self.body[0] and bool(re.search(rf"\bthe ({nouns})\b", after))

    def _people_of_a_share(self, found: Found, previous: Optional[Found]) -> Found:
        """A count and its bracketed share of people ("violence against the person accounting for
        60 (37.7%)" of the 159 offenders): both count those people, by what the label names."""
        if not found.in_brackets or not found.base or previous is None or previous is not self.previous:
            return found
        people = found.base.split()[-1]
        if previous.unit != "count" or people.lower() not in settings().people or people in previous.label:
            return found
        counted = replace(previous, label=_people_in(previous, people))
        self.figures[-1] = counted
        self.by_sentence[self.sdoc[previous.start].sent.start][-1] = counted
        return replace(found, label=_people_in(found, people))


def _people_in(found: Found, people: str) -> str:
    """The label with the people it counts before its own words, after any topic ("Probation
    Service: offenders: summary motoring offences")."""
    core = found.core.strip()
    if core and core in found.label:
        return found.label.replace(core, f"{people}: {core}", 1)
    return f"{people}: {found.label}"


def paragraph_body(sdoc: Doc) -> Optional[tuple[int, str]]:
    """The body a paragraph's first sentence names ("the italk service received ...", "Data from
    the Probation Service shows ...", "The Street Pastors scheme ..."): a word or name before one
    of ``bodies``; the figures of its later sentences are that body's (it says more of them than
    the section heading, as do the figures after it in that sentence). With the token its name ends
    at; None when it names none."""
    sents = list(sdoc.sents)
    if not sents:
        return None
    first = sents[0]
    bodies = settings().service_bodies
    determiners = phrase_words().determiners
    for tok in first:
        if tok.lower_ not in bodies or tok.i == first.start:
            continue
        k = tok.i - 1
        while k >= first.start and sdoc[k].lower_ not in determiners and _name_word(sdoc, k, tok.i):
            k -= 1
        name = sdoc[k + 1 : tok.i + 1]
        opening = sdoc[k] if k >= first.start else None
        lower_word = not name[0].text[:1].isupper()
        if lower_word and (opening is None or opening.lower_ not in ("the", "its", "their")):
            continue  # "the italk service": a name in lower case after "the"; not "support service"
        if name.start == first.start and not any(t.text[:1].isupper() for t in name[1:-1]):
            continue  # "Working age services provided ...": capitalised only as the sentence opens
        if len(name) > 1 and not any(t.lower_ in phrase_words().determiners for t in name):
            return tok.i, name.text
    return None


def _name_word(sdoc: Doc, k: int, body: int) -> bool:
    """Token ``k`` is part of the name of the body at token ``body``: capitalised, the word right
    before the body noun ("the italk service"), or "&", "and", "of" inside a capitalised name
    ("Northvale & Isle of Dogs Fire & Rescue Service")."""
    tok = sdoc[k]
    if tok.text in ("&", "and", "of"):
        return k - 1 >= 0 and sdoc[k - 1].text[:1].isupper() and sdoc[k + 1].text[:1].isupper()
    return tok.is_alpha and (tok.text[:1].isupper() or k == body - 1)


def _names_a_body(heading: Optional[str]) -> bool:
    """The section heading names a body itself ("Northvale Fire & Rescue Service", "Youth Team")."""
    return bool(heading) and any(
        w.lower() in settings().service_bodies for w in re.findall(r"[A-Za-z]+", heading or "")
    )


def read_paragraph(sdoc: Doc, heading: Optional[str]) -> list[Found]:
    """The subject pass over a paragraph's figures, in order: each figure's label, and what it
    takes from the figure before it; then the lower ends of ranges."""
    paragraph = _Paragraph(sdoc, heading)
    for found in sdoc._.figures:
        paragraph.add(found)
    return share_range_subjects(paragraph.figures)


def change_of_a_move(sdoc: Doc, found: Found, previous: Optional[Found]) -> Found:
    """A percentage in brackets right after the second figure of a move ("referrals fell from 479
    in 2020/21 to 436 in 2021/22 (8.97%)") is the move's percentage change, in the direction the
    clause's change word says."""
    if found.unit != "percent" or not found.in_brackets or found.direction or previous is None:
        return found
    sent = sdoc[found.start].sent
    between = sdoc[previous.end : found.start - 1]  # "to 436 in 2021/22 (8.97%)": words and periods only
    if not twin(sdoc, sent, previous.start) or not all(t.is_alpha or PERIOD_TOKEN.match(t.text) for t in between):
        return found
    opening = next((k for k in range(previous.start - 1, sent.start, -1) if sdoc[k].lower_ == "from"), None)
    if opening is not None and opening + 2 < len(sdoc) and sdoc[opening + 2].text == "(":
        return found  # "from 67 (14%) in 2023 to 71 (15.1%)": a share beside each end, not the change
    words = vocab()
    before = [t.lower_ for t in sdoc[sent.start : previous.start]]
    ups = [i for i, w in enumerate(before) if w in words["change_up"]]
    downs = [i for i, w in enumerate(before) if w in words["change_down"]]
    if not ups and not downs:
        return found
    direction = "increase" if (ups[-1] if ups else -1) > (downs[-1] if downs else -1) else "decrease"
    return replace(found, direction=direction, measure="percentage change", base=None).noted(
        "the percentage change of the move before it"
    )


def share_of_whole(sdoc: Doc, found: Found, previous: Optional[Found], earlier: list[Found]) -> Found:
    """A share in brackets after a count that is part of a stated whole ("Of those 188 offenders,
    64 (34.04%) were ...") is a share of that whole: its base, as printed ("of the 188 offenders")."""
    if found.base and previous is not None and found.in_brackets and _bare_total(found.base):
        whole = _whole_by_arithmetic(found, previous, earlier) if previous.unit == "count" else None
        if whole is None and (found.qualifier or found.kind in ("fraction", "share")):
            whole = _paragraph_total(found, previous, earlier)  # "over half of the overall figure": no exact sum
        if whole is not None:  # "181 (20.62%) of the total": the total it divides into, as printed
            return replace(found, base=f"{found.base} ({whole.raw} {whole.subject})").noted(
                f"base: {previous.raw} of {whole.raw} is {found.raw}"
            )
    if found.base or found.direction:
        return found
    if found.unit == "count":
        counted = counted_whole(sdoc, found.start, earlier)  # "Of those 257 offences, 36 related to ..."
        return replace(found, base=f"of the {counted.raw} {counted.subject}") if counted is not None else found
    if found.unit != "percent":
        return found
    if not found.in_brackets:
        named = named_whole(sdoc, found.start)
        if named is not None and named.end >= found.start - 1:  # "Of the male victims, 24% were ..."
            return replace(found, base=_as_base(named), measure="share")
        return _share_of_those(sdoc, found, earlier)
    if previous is not None and found.base is None:
        return _bracketed_share_of(sdoc, found, previous, earlier)
    return found


def _paragraph_total(found: Found, part: Found, earlier: list[Found]) -> Optional[Found]:
    """The paragraph's first count, larger than the part, of what the figure counts ("worked with
    188 offenders" before "100 of the offenders ... (over half of the overall figure)")."""
    counted = said(found.label)
    return next(
        (
            f
            for f in earlier
            if f.unit == "count" and f.value > part.value and f.subject and f.subject.split()[-1].lower() in counted
        ),
        None,
    )


def _bare_total(base: str) -> bool:
    """A base that names no whole but a total ("of the total", "of the overall figure")."""
    words = [w for w in base.lower().split() if w not in ("of", "the")]
    return bool(words) and set(words) <= settings().whole


def _as_base(named: Span) -> str:
    """A printed partitive as a base: "Of those offenders managed by the service" → "of those ..."."""
    printed = named.text.strip(" ,;:")
    return printed[:1].lower() + printed[1:]


def _bracketed_share_of(sdoc: Doc, found: Found, previous: Found, earlier: list[Found]) -> Found:
    """The whole of a share in brackets after the count ``previous``: the partitive opening its
    clause, the count such a partitive names, the figure a partitive points back at, the count
    it divides into, else the base of a parallel share."""
    named = named_whole(sdoc, previous.start)
    if named is not None and named.end == previous.start:
        return replace(found, base=_as_base(named), measure="share")  # "Of those offenders managed by ..."
    counted = counted_whole(sdoc, found.start, earlier)
    generic = settings().generic_counted
    if counted is not None and any(w.lower() not in generic for w in content_of(counted.subject)):
        return replace(found, base=f"of the {counted.raw} {counted.subject}", measure="share")  # "Of those 159 ..."
    whole = partitive_of(sdoc, previous, earlier)
    if whole is not None and whole.unit == "count" and whole.subject:
        return replace(found, base=f"of the {whole.raw} {whole.subject}", measure="share")
    whole = _whole_by_arithmetic(found, previous, earlier) if previous.unit == "count" else None
    if whole is not None:  # the printed whole the share divides into
        return replace(found, base=f"of the {whole.raw} {whole.subject}", measure="share").noted(
            f"base: {previous.raw} of {whole.raw} is {found.raw}"
        )
    return _parallel_base(sdoc, found, earlier)


def _share_of_those(sdoc: Doc, found: Found, earlier: list[Found]) -> Found:
    """A percentage followed by a partitive ("41% of those were repeat crimes", "12% of these")
    is a share of the count it points back at: the last count before it with a noun of its own."""
    end = found.end
    if not any(m == end for m in partitive_starts(sdoc)):
        return found
    last = next((f for f in reversed(list(earlier)) if f.end <= found.start), None)
    whole = last if last is not None and last.unit == "count" else None  # "74% with 40% of those": of the 74%
    if whole is None or whole.qualifier:
        return found
    noun = whole.subject
    if not noun and whole.in_brackets and sdoc[whole.start - 2].is_alpha:
        noun = sdoc[whole.start - 2].text  # "For a number of crimes (29) ..., 41% of those": the crimes
    return replace(found, base=f"of the {whole.raw} {noun}", measure="share") if noun else found


def compared_base(sdoc: Doc, found: Found, same_sentence: list[Found]) -> Found:
    """A share compared with one that states its base ("accounts for 1.53% (88) of all recorded
    crime ... compared with 1.6% (91) in the previous period") is of the same whole."""
    if found.base or found.unit != "percent" or found.direction:
        return found
    compared = compared_with(sdoc, found, same_sentence)
    if compared is None or not compared.base or compared.base.lower().startswith("per "):
        return found
    return replace(found, base=compared.base, measure=compared.measure).noted("base as the figure it is compared with")


def _whole_by_arithmetic(found: Found, part: Found, earlier: list[Found]) -> Optional[Found]:
    """The count before ``part`` that a bracketed share of it divides into ("in relation to the
    868 reported crimes and in 705 (81.22%) ..."): 705 / 868 = 81.22%, to the printed decimals."""
    decimals = len(found.raw.split(".")[1].rstrip("%")) if "." in found.raw else 0
    tolerance = 0.5 * 10**-decimals + 1e-9
    for whole in reversed(list(earlier)):
        if whole is part or whole.unit != "count" or not whole.subject or whole.value <= part.value:
            continue
        if whole.value and abs(100 * part.value / whole.value - found.value) <= tolerance:
            return whole
    return None


def _parallel_base(sdoc: Doc, found: Found, earlier: list[Found]) -> Found:
    """A bracketed share after a count, in a sentence where the bracketed share after the count
    before it states its base ("females account for 364 (43%) of the victims and males for 478
    (57%)"): the same whole, the clauses being parallel."""
    sent = sdoc[found.start].sent
    twins = [f for f in earlier if sent.start <= f.start < found.start and f.in_brackets and f.unit == "percent"]
    if not twins or not twins[-1].base or twins[-1].direction or twins[-1].base.lower().startswith("per "):
        return found
    return replace(found, base=twins[-1].base, measure="share").noted("base as the parallel share before it")


def benchmark_of(sdoc: Doc, found: Found, same_sentence: list[Found]) -> Found:
    """A benchmark with no noun of its own ("the increase in crime of 7.7% is in line with the
    force average of 7.1%") is the same quantity as the figure of its sentence it stands beside,
    elsewhere: that figure's words and measure, after the benchmark's own."""
    if content_of(found.subject) or benchmark_kind(sdoc, found) is None:
        return found
    beside = next((f for f in reversed(same_sentence) if f.unit == found.unit and not f.in_brackets), None)
    if beside is None or not beside.core:
        return found
    own = _from_benchmark_word(found.own)  # "above the force average" → "force average"
    label = f"{own}: {beside.core}" if own else beside.core
    return replace(
        found, label=label, measure=beside.measure, direction=beside.direction, subject=found.subject or beside.subject
    ).noted("a benchmark of the figure beside it: its measure")


def _from_benchmark_word(own: str) -> str:
    """A benchmark's own words from the word naming its wider area ("force", "national"), the
    comparison before it ("above the", "in line with the") left out."""
    words = own.split()
    kinds = vocab()["benchmark_areas"]
    at = next((i for i, w in enumerate(words) if w.lower().strip(",:;") in kinds), 0)
    return " ".join(words[at:])


def bracketed_qualifier(sdoc: Doc, found: Found) -> Found:
    """Words in brackets right after a figure say which part it counts ("rates for drug offences:
    93.18% (possession) and 99.8% (trafficking)"): they close its label."""
    end = found.end
    if end >= len(sdoc) or sdoc[end].text != "(":
        return found
    close = next((k for k in range(end + 1, min(len(sdoc), end + 6)) if sdoc[k].text == ")"), None)
    inside = sdoc[end + 1 : close] if close is not None else None
    if inside is None or not len(inside) or not all(t.is_alpha for t in inside):
        return found
    words = inside.text
    if words.lower() in found.label.lower():
        return found
    return replace(found, label=f"{found.label} ({words})")


def paragraph_topic(sdoc: Doc, found: Found) -> Found:
    """A figure counting only events of any kind ("In 2024 there were 637 incidents"), or who among
    them ("females account for 71%"), under a label naming no category counts the category its
    heading or its paragraph last named before it ("... in relation to violence with injury
    offences."): that category's words open its label, noted."""
    cfg = settings()
    reporting = phrase_words().reporting_verbs
    printed = found.core.split()
    core = content_of(" ".join(printed[: next((k for k, w in enumerate(printed) if w.lower() in reporting), None)]))
    counted = cfg.generic_counted | cfg.who_counted  # "637 incidents", "of those crimes, females: 71%"
    if core and _outcome_only(found.core):
        return _outcomes_of_crime(sdoc, found)
    if not core or names_category(found.core) or any(w.lower() not in counted for w in core):
        return found
    if names_category(found.label):  # "Criminal damage: incidents": its heading names the category
        return replace(found, core=found.label).noted("category from its heading")
    named = last_named(sdoc.text[: sdoc[found.start].idx])
    if named is None:
        return found
    printed = named[0].split()
    while len(printed) > 1 and printed[-1].lower() in cfg.generic_counted:
        printed.pop()  # "violence with injury offences" before "incidents": the category's own words
    topic = " ".join(printed)
    return replace(found, label=f"{topic} {found.core}", core=f"{topic} {found.core}").noted(
        f"category from the paragraph before it: {topic}"
    )


def _outcome_only(core: str) -> bool:
    """The words name an outcome category ("FAT outcomes") and no crime it is of."""
    named = match_phrase(core)
    return canonical_kind(named) == "outcome" and not categories_named(core, ("crime",))


def _outcomes_of_crime(sdoc: Doc, found: Found) -> Found:
    """Outcomes with no crime named ("an increase in FAT outcomes from 67 to 71") in a paragraph
    that named a crime before them ("... violence with injury offences"): that crime's outcomes."""
    sent = sdoc[found.start].sent
    clause = {t.lower_ for t in sdoc[clause_start(sdoc, sent, found.start) : found.start]}
    if clause & settings().whole:
        return found  # "The overall FAT outcome rate was 12%": of all crime
    named = last_named(sdoc.text[: sdoc[found.start].idx], ("crime",))
    heading = sdoc.user_data.get("csp_heading", "")
    if named is None and categories_named(heading, ("crime", "flag")):
        named = (heading_subject(heading), "")  # "Priority 1: Domestic Abuse" over "the number of FAT outcomes"
    if named is None or not named[0]:
        return found
    topic = named[0]  # its label only: the figure's own words still say it counts outcomes
    return replace(found, label=f"{topic}: {found.core}").noted(
        f"outcomes of the crime the paragraph named before it: {topic}"
    )


def _carried_subject(sdoc: Doc, found: Found, previous: Found) -> Found:
    """A figure with no phrase of its own counts what the figure before it counts: its bracketed
    share ("318 (61.2%)"), or a figure of the same unit in the same sentence ("813 offences ...
    compared to 754"), which also takes its measure."""
    if found.subject:
        return found
    if not found.in_brackets and _names_its_own(found.own):
        return found  # "868 crimes and in 705 evidential difficulties ...": its own phrase, not the crimes
    if found.in_brackets:
        found = replace(found, subject=previous.subject)
    same = previous.unit == found.unit and sdoc[previous.start].sent.start == sdoc[found.start].sent.start
    if not (same and not found.subject):
        return found
    measure = found.measure
    if found.measure == "count" and previous.measure not in ("share", "percent") and not previous.direction:
        measure = previous.measure
    elif found.measure == "percent" and not found.direction and not previous.direction:
        measure = previous.measure  # "arrest rates at 44% compared to 22%": the same rate
    return replace(found, subject=previous.subject, measure=measure)


def _carried_direction(sdoc: Doc, found: Found, previous: Found) -> Found:
    """A change in brackets right after a change is the same change in the other unit:
    "31 incidents (4.9%)", "6.1% (37 offences)"."""
    if not (found.in_brackets and previous.direction and not found.direction and sdoc[found.start - 1].text == "("):
        return found
    if found.unit == "percent":
        return replace(found, direction=previous.direction, measure="percentage change")
    if found.unit == "count" and previous.unit == "percent":
        return replace(found, direction=previous.direction, measure="change in count")
    return found


def place_figures(sdoc: Doc, sent: Span, figures: list[Found]) -> list[Found]:
    """The area pass: each figure placed in the area its sentence states for it (the last one
    before it, else the first after it in its clause), when that area is known."""
    places = stated_areas(sent)
    out = []
    for found in figures:
        before = [name for i, name, _ in places if i < found.start]
        later = [
            name
            for i, name, how in places
            if i > found.start and how != "bracket" and not _clause_break(sdoc, found.end, i)
        ]
        stated = benchmark_area(sdoc, found) or (before[-1] if before else (later[0] if later else None))
        stated = stated or sdoc.user_data.get("csp_heading_area")  # "West Hampshire CCG" over its figures
        if stated is not None and not known_area(stated):
            # placed where the sentence says, as printed: not the district's figure
            found = found.noted(f"stated area: {stated} (not in schema/areas.csv)")
        out.append(replace(found, area=stated))
    return out


def heading_area(heading: Optional[str]) -> Optional[str]:
    """The area a section heading opens with, when it is of a kind that places the figures under it
    (``heading_area_kinds``): "West Hampshire Clinical Commissioning Group" → West Hampshire."""
    if not heading:
        return None
    from extract.vocab.areas import area_index

    hdoc = pipeline().make_doc(heading)
    kinds = set(vocab()["heading_area_kinds"])
    for match_id, start, _ in sorted(area_matcher()(hdoc), key=lambda m: (m[1], -m[2])):
        if start != 0:
            continue
        row = area_index().get(hdoc.vocab.strings[match_id].lower())
        if row is not None and row.get("kind") in kinds:
            return row["name"]
    return None


def benchmark_area(sdoc: Doc, found: Found) -> Optional[str]:
    """The wider area of a benchmark the figure is ("in line with the force average of 7.1%", "a
    national rate of 40 per 1,000", "force-wide, 12%"): the area ``benchmark_areas`` names."""
    named = benchmark_kind(sdoc, found)
    return _area_named(named) if named is not None else None


def benchmark_kind(sdoc: Doc, found: Found) -> Optional[str]:
    """The kind of wider area a benchmark before the figure names ("force average of", "county
    rate of"): a key of ``benchmark_areas``, else None."""
    words = vocab()
    window = sdoc[max(sdoc[found.start].sent.start, found.start - 5) : found.start]
    for tok in window:
        nxt = sdoc[tok.i + 1] if tok.i + 1 < len(sdoc) else None
        named = words["benchmark_areas"].get(tok.lower_)
        wide = tok.lower_.endswith("wide")  # "force-wide, 12%"
        if named is not None and (wide or (nxt is not None and nxt.lower_ in words["benchmark_nouns"])):
            return named
    return None


def _area_named(name_or_kind: str) -> Optional[str]:
    """An area by its name, or the first area of that kind (the district's force area, county)."""
    from extract.vocab.areas import area_of, area_rows

    if area_of(name_or_kind) is not None:
        return area_of(name_or_kind)
    return next((row["name"] for row in area_rows() if row.get("kind") == name_or_kind), None)


def share_range_subjects(figures: list[Found]) -> list[Found]:
    """The lower end of a range ("120 – 140 visits") counts what the upper end names."""
    out = []
    for low, high in zip(figures, figures[1:]):
        if low.qualifier == high.qualifier == "range" and high.start <= low.end + 1:
            low = replace(low, subject=low.subject or high.subject, core=high.core, label=high.label)
        out.append(low)
    return out + figures[-1:]


def _label(
    sdoc: Doc, found: Found, previous: Optional[Found], same_sentence: list[Found], heading, earlier: list[Found]
) -> Found:
    """The figure's subject label: a share in brackets right after a figure, a percentage change
    with no phrase of its own, a part of an earlier figure ("of those") and figures in brackets
    breaking one down say something of the figure they follow. The sentence's own words come
    first; the section's topic fills what room is left."""
    own, head = subject_parts(sdoc, found.start, found.end, found.subject, heading, bool(found.direction))
    found = replace(found, own=own)
    bare = not content_of(found.subject)  # nothing after it but a change word ("a 42% reduction")
    if bare and found.in_brackets and previous is not None and _brackets_its(sdoc, previous, found):
        first_word, _, rest = previous.core.partition(" ")
        if found.unit == previous.unit == "count" and first_word.lower() in settings().additive and rest:
            total = rest  # "25 additional fire incidents (239)": the fire incidents
            return replace(found, core=total, label=previous.label.replace(previous.core, total)).noted(
                "the total the increase before it brings the count to"
            )
        return replace(found, core=previous.core, label=previous.label)  # "318 (61.2%)", "847 crimes (10.4%)"
    if bare and not _names_what_changed(found.own) and found.direction and found.unit == "percent" and same_sentence:
        # the change of the level before it ("a 92% arrest rate, an increase of 18.6%"), else the first figure
        first = next((f for f in reversed(same_sentence) if f.unit == found.unit and not f.direction), same_sentence[0])
        part = _part_named_after(sdoc, found)  # "(this equates to -5.6% for VAP with injury)"
        core = f"{first.core}: {part}" if part else first.core
        label = with_topic(core, head, change=True)  # a change's measure says three words
        return replace(found, core=core, label=label)  # "... 13, an increase of 46%"
    core = _core(sdoc, found, previous, same_sentence, earlier)
    band = band_of(sdoc, found.start, found.end, settings().clause_breaks)
    if band:
        core = _whose_ages(sdoc, found, core)
    label = with_topic(_counted_first(core), head, band, bool(found.direction))
    if found.measure == "rate" and found.base and found.base.lower().startswith("per ") and found.base not in label:
        label += f" {found.base}"  # "visits per quarter": what the rate counts, and per what
    return replace(found, core=core, label=label)


def _whose_ages(sdoc: Doc, found: Found, core: str) -> str:
    """An age band's figure in a sentence about one side's age profile ("The perpetrator age
    profile mirrors ..., with the 25-34 age group ... 21.87%"): whose ages, when the phrase does
    not say."""
    roles = "|".join(map(re.escape, settings().profile_roles))
    m = re.search(rf"\b({roles})s?\s+age\s+profile", sdoc[found.start].sent.text, re.I)
    if m is None or re.search(rf"\b({roles})", core, re.I):
        return core
    who = m.group(1).lower()
    return f"{who if who == 'aggrieved' else who + 's'}: {core}"


def _counted_first(core: str) -> str:
    """ "site visits resulting in the removal of unused needles" → "unused needles removed in site
    visits": what is counted first, the action (``nominal_verbs``) as a participle after it, so the
    label does not read as a count of the visits."""
    verbs = vocab()["nominal_verbs"]
    m = re.match(
        r"^(?P<before>.+?)\s+(?:(?:resulting|resulted|leading|led)\s+(?:in|to)\s+)?the (?P<nom>[a-z]+) of (?P<own>.+)$",
        core,
    )
    if m is None or m.group("nom") not in verbs:
        return core
    return f"{m.group('own')} {verbs[m.group('nom')]} in {m.group('before').strip(' :')}"


def _names_what_changed(own: str) -> bool:
    """A change's own words after it name what changed ("9% increase in standard risk cases")."""
    words = own.split()
    change = vocab()["change_up"] + vocab()["change_down"]
    return len(words) > 2 and words[0].lower() in change and words[1].lower() in ("in", "of")


def _brackets_its(sdoc: Doc, previous: Found, found: Found) -> bool:
    """A figure in brackets right after another and its noun phrase ("847 crimes (10.43%)")."""
    between = sdoc[previous.end : found.start - 1]
    return len(between) <= 4 and all(t.is_alpha for t in between) and sdoc[found.start - 1].text == "("


def _core(sdoc: Doc, found: Found, previous: Optional[Found], same_sentence: list[Found], earlier: list[Found]) -> str:
    """The label's words from the figure's sentence, with what the figure before it, the whole it
    is part of or the figure its brackets break down says."""
    own = found.own
    in_sentence = bool(same_sentence) and same_sentence[-1] is previous
    if in_sentence and previous is not None and _restates(sdoc, previous, found):
        part = _part_named_after(sdoc, found)  # "this equates to -5.6% for VAP with injury": that part of it
        if part:
            return f"{previous.core}: {part}"
        return merge_labels(own, previous.core)  # "an increase of 54.9% ..., this equates to an extra 56 offences"
    if in_sentence and previous is not None and (listed := _list_context(sdoc, found, previous)):
        # "the removal of 6 unused needles, 26 used needles and 42 canisters"
        return f"{listed}: {own}" if previous.core.startswith(f"{listed}:") else f"{listed} {own}"
    compared = compared_with(sdoc, found, same_sentence)
    if compared is not None and not content_of(found.subject):
        return compared.core  # "worked with 159 offenders ... compared with 126 in 2023": what 159 counts
    named = named_whole(sdoc, found.start)
    whole_words = named[2:].text.strip(" ,;:") if named is not None else ""  # past "of those"
    right_after = (  # "Of the male victims, 24% were ...": the whole, with no verb, right before the figure
        named is not None
        and named.end >= found.start - 1
        and not any(t.lower_ in _VERBS() or t.lower_ in phrase_words().stops for t in named)
    )
    if whole_words and own and (_predicate(own) or right_after) and not found.in_brackets:
        return merge_labels(own, whole_words)  # "Of those offenders managed by the service 167 were male and 151 ..."
    as_part = _part_of_whole(sdoc, found, own, earlier)
    if as_part is not None:
        return as_part
    if previous is not None and _bare_follower(sdoc, found, previous, in_sentence):
        # in its sentence, the figure before says all it was given; across sentences only its own words
        carried = in_sentence or not content_of(previous.subject)
        # "8 disclosures (… 4 right to know) against 9": the figure before its brackets
        unbracketed = next((f for f in reversed(same_sentence) if not f.in_brackets), previous)
        before = unbracketed if previous.in_brackets and not found.in_brackets else previous
        return merge_labels(own, before.core if carried else before.own)  # "... 120 forms; 73 were from urban areas"
    if (
        in_sentence
        and previous is not None
        and found.subject
        and found.subject.lower() == previous.subject.lower()
        and found.qualifier != "range"
        and len(said(own) - said(found.subject)) <= 1
        and own.lower().endswith(found.subject.lower())  # "levels: crimes", not "right to know"
        and not _clause_break(sdoc, previous.end, found.start)
    ):
        return previous.core  # "X accounted for 877 crimes and levels rose by 22 crimes"
    host = next((f for f in reversed(same_sentence) if not f.in_brackets), None)
    previous_in_brackets = previous is not None and previous.in_brackets
    if found.in_brackets and host is not None and (previous is host or previous_in_brackets):
        return merge_labels(own, host.core)  # "18 disclosures (12 right to ask/6 right to know)"
    return _as_named_before(sdoc, found, _the_named_before(sdoc, found, own, earlier), earlier)


def _as_named_before(sdoc: Doc, found: Found, own: str, earlier: list[Found]) -> str:
    """Words the paragraph named more fully before ("the Rangers dealt with 627 incidents" after
    "the Northvale BID Rangers dealt with 855 ASB related incidents"): a shortened name and a bare
    noun of events taken back to those fuller forms, as printed."""
    before = sdoc.text[: sdoc[found.start].sent.start_char]
    for word in re.findall(r"(?<=\bthe )[A-Z][a-z]+\b", sdoc[found.start].sent.text):
        fuller = re.findall(rf"\b((?:[A-Z][A-Za-z]*\s+){{1,3}}){word}\b", before)
        if fuller and word in own and f"{fuller[-1]}{word}" not in own:
            own = re.sub(rf"\b{word}\b", f"{fuller[-1]}{word}", own, count=1)  # "Rangers" → "Northvale BID Rangers"
    noun = (found.subject or "").split()[0] if found.subject else ""
    if noun.lower() in settings().generic_counted:  # a bare "627 incidents"
        light = phrase_words().determiners | phrase_words().prepositions | {"and", "or"}
        for m in reversed(list(re.finditer(rf"\b\d[\d,]*\s+((?:[A-Za-z]+\s+){{1,3}}){re.escape(noun)}\b", before))):
            fuller = [w for w in m.group(1).split() if w.lower() not in light]
            if fuller and len(fuller) == len(m.group(1).split()):
                return re.sub(
                    rf"\b{re.escape(noun)}\b", f"{' '.join(fuller)} {noun}", own, count=1
                )  # "ASB related incidents"
    return own


def _the_named_before(sdoc: Doc, found: Found, own: str, earlier: list[Found]) -> str:
    """ "52 of the kits have been issued" after "400 burglary DNA kits": the kits the paragraph
    counted before, named as it named them."""
    k = found.end
    if k + 2 >= len(sdoc) or sdoc[k].lower_ != "of" or sdoc[k + 1].lower_ != "the" or not sdoc[k + 2].is_alpha:
        return own
    noun = sdoc[k + 2].lower_
    named = next(
        (
            f
            for f in reversed(list(earlier))
            if f.subject and len(f.subject.split()) > 1 and f.subject.split()[-1].lower() == noun
        ),
        None,
    )
    if named is None or named.subject in own:
        return own
    return re.sub(rf"\b{re.escape(sdoc[k + 2].text)}\b", named.subject, own, count=1)


def _list_context(sdoc: Doc, found: Found, previous: Found) -> str:
    """A figure listed after the one before it, with only that one's noun phrase and a comma or
    "and" between ("the removal of 6 unused needles, 26 used needles and 42 canisters"), and no
    words of its own before it, shares the words the list opened with ("the removal of")."""
    if found.in_brackets or previous.in_brackets or not previous.subject or not found.subject:
        return ""
    if sdoc[found.start - 1].text not in (",", "and") or not found.own.startswith(found.subject):
        return ""  # words of its own before its noun: a clause of its own
    between = sdoc[previous.end : found.start - 1]
    if not len(between) or len(between) > 10 or any(not (t.is_alpha or t.text in ("-", "&")) for t in between):
        return ""  # only the noun phrase of the figure before: no break, figure or sign
    core = previous.core.strip()
    words = [t.text for t in between]
    for printed in [" ".join(words[:n]) for n in range(len(words), 0, -1)] + [previous.subject.strip()]:
        if core.endswith(printed) and len(core) > len(
            printed
        ):  # "... of other items of paraphernalia | including spoons"
            return core[: len(core) - len(printed)].strip(" :,")
    return ""


def _part_named_after(sdoc: Doc, found: Found) -> str:
    """ "for VAP with injury" right after a figure: the part of a whole it gives, as printed, up to
    a break, a conjunction or another figure; '' when no "for" follows it."""
    sent = sdoc[found.start].sent
    if found.end >= sent.end or sdoc[found.end].lower_ != "for":
        return ""
    out = []
    for tok in sdoc[found.end : sent.end]:
        if tok.is_punct or tok.lower_ in ("and", "or") or tok.like_num:
            break
        out.append(tok.text)
    return " ".join(out) if len(out) > 1 else ""


def _restates(sdoc: Doc, previous: Found, found: Found) -> bool:
    """Between the figure before and this one, a word pointing back and a verb of equating ("...
    54.9%, although this only equates to an extra 56 offences", "which is equivalent to 40"): the
    same quantity said another way."""
    between = [t.lower_ for t in sdoc[previous.end : found.start]]
    equating = set(vocab()["equating_words"])
    at = next((k for k, w in enumerate(between) if w in equating), None)
    return at is not None and any(w in ("this", "which", "that") for w in between[:at])


def _part_of_whole(sdoc: Doc, found: Found, own: str, earlier: list[Found]) -> Optional[str]:
    """The label of a part of a stated whole: "Of those 159 offenders, 61 ..." → the offenders, as
    the figure counting them names them ("worked with 159 offenders" → "offenders"; "issued 75
    parking notices" → "parking notices"); "22 of these related to farm sites" → what the whole
    counts. None when the figure is no part of one."""
    counted = counted_whole(sdoc, found.start, earlier)
    whole = partitive_of(sdoc, found, earlier)
    if counted is not None and any(w.lower() not in settings().generic_counted for w in content_of(counted.subject)):
        named = counted.subject
        if whole is not None and whole is not counted and said(named) <= said(whole.subject):
            named = whole.subject  # "Of those 75 notices" after "75 parking notices": parking notices
        return merge_labels(own, named)
    if whole is not None and whole.core:
        return merge_labels(own, whole.core)
    return None


def compared_with(sdoc: Doc, found: Found, same_sentence: list[Found]) -> Optional[Found]:
    """The figure of its sentence that a figure with no noun of its own is compared with ("159
    offenders ... compared with 126", "a rate of 12% against 9% in 2023"): the last one before it of
    the same unit, not in brackets, when a comparison marker stands right before it (past
    qualifiers, determiners and a currency sign)."""
    sent = sdoc[found.start].sent
    cfg = phrase_words()
    passed = cfg.determiners | cfg.qualifiers
    i = found.start - 1
    while i >= sent.start and (sdoc[i].lower_ in passed or sdoc[i].is_currency):
        i -= 1
    before = tuple(t.lower_ for t in sdoc[max(sent.start, i - 3) : i + 1])
    if not any(before[-len(m) :] == m for m in comparison_markers()):
        return None
    candidates = [f for f in reversed(same_sentence) if f.unit == found.unit and not f.in_brackets and f.end <= i]
    # "a 92% arrest rate, an increase of 18.6% as opposed to 74.3%": a level compares with a level
    alike = [f for f in candidates if bool(f.direction) == bool(found.direction)]
    return next(iter(alike or candidates), None)


def _bare_follower(sdoc: Doc, found: Found, previous: Found, in_sentence: bool) -> bool:
    """A figure with no words of its own after a figure that has some, not in a clause of its own."""
    bare = not content_of(found.subject)
    opening = sdoc[found.start].sent[0].lower_
    if not in_sentence and opening in settings().anaphora and previous.core:
        return True  # "They both received fines of £695": what the sentence before named
    if not in_sentence and not found.own:
        return False  # nothing of its own in a sentence of its own: its section's topic, not the last figure's words
    if not in_sentence and _opens_its_sentence(sdoc, found):
        return False  # "Calls rose to 13": the noun its sentence opens with is what it counts
    if _names_its_own(found.own):
        return False  # "For a number of crimes (31) the gender ... was not stated": a phrase of its own
    return bare and not found.direction and bool(previous.core) and not _own_clause(sdoc, found, in_sentence)


def _opens_its_sentence(sdoc: Doc, found: Found) -> bool:
    """The figure's own words are the noun its sentence opens with ("Calls rose to 13"), not a
    word pointing back ("These rose to 13", "Of those, 13 ...")."""
    first = sdoc[found.start].sent[0]
    words = found.own.split()
    return (
        bool(words)
        and words[0] == first.text
        and first.is_alpha
        and first.lower_ not in settings().anaphora
        and first.lower_ not in phrase_words().prepositions | phrase_words().determiners
    )


def _names_its_own(own: str) -> bool:
    """A figure's own words naming what it counts (not going on from another's: "from urban areas")."""
    words = own.split()
    if not words or weight(own) < 2:
        return False
    if len(words) > 1 and re.fullmatch(r"[a-z]{3,}ly", words[0]):
        words = words[1:]  # "partially achieved": the adverb says how, the participle what
    first = words[0].lower()
    cfg = phrase_words()
    if re.fullmatch(r"[a-z]{3,}ed", first) or first in cfg.participles:  # "recorded offences", not "referred to ..."
        second = words[1].lower() if len(words) > 1 else ""
        return bool(second) and second not in cfg.prepositions | cfg.determiners
    return first not in cfg.prepositions and first not in cfg.verbs


def _own_clause(sdoc: Doc, found: Found, in_sentence: bool) -> bool:
    """A figure opening no sentence of its own, whose clause names what it counts before it ("The
    45-54 age group had the highest percentage of repeat victims with 48.5 %"): it carries no topic."""
    sent = sdoc[found.start].sent
    if in_sentence or sent[0].lower_ in settings().anaphora:
        return False
    return len(words_before(sdoc, sent, found.start, 2)) >= 2


def partitive_of(sdoc: Doc, found: Found, earlier: list[Found]) -> Optional[Found]:
    """The figure that ``found`` counts part of: the last figure ending before the last partitive
    ("of those", "of these") in its sentence up to just after it — "22 of these relate to ..." and
    "Of those 188 offenders, 64 ..." point before the sentence, "43 forms; of those 4 ..." at 43."""
    sent = sdoc[found.start].sent
    starts = partitive_starts(sdoc)
    k = bisect_left(starts, min(found.end + 1, sent.end))
    if not k or starts[k - 1] < sent.start:
        return None
    if _partitive_names(sdoc, starts[k - 1], found.start):
        return None  # "Of those offenders managed by the service 167 ...": the sentence names the whole
    # the last partitive up to just after the figure; not the figure the partitive follows ("22 of these")
    return _last_ending_before(earlier, starts[k - 1])


def _predicate(own: str) -> bool:
    """A figure's own words saying what the counted were or did, not naming them ("identified as
    white British", "male", "were referred")."""
    words = own.split()
    if not words:
        return False
    first = words[0].lower()
    return bool(re.fullmatch(r"[a-z]{3,}ed", first)) or first in phrase_words().participles or not _names_its_own(own)


def counted_whole(sdoc: Doc, start: int, earlier: list[Found]) -> Optional[Found]:
    """The figure a partitive opening the clause of the figure at ``start`` counts the whole with
    ("Of those 159 offenders, 61 (38%) ...", "Of these 40 referrals 12 (30%) ..."): a count right
    after the partitive, with a noun of its own."""
    sent = sdoc[start].sent
    marks = [m for m in partitive_starts(sdoc) if sent.start <= m < start]
    if (
        not marks
        and sent.start + 2 < start
        and sdoc[sent.start].lower_ == "of"
        and sdoc[sent.start + 1].lower_ == "the"
    ):
        marks = [sent.start]  # "Of the 51 people found, 19 were ..."
    if not marks or (marks[-1] != sent.start and not sdoc[marks[-1] - 1].is_punct):
        return None
    at = marks[-1] + 2
    whole = next((f for f in reversed(list(earlier)) if f.start == at), None)
    if whole is None or whole.unit != "count" or not whole.subject or whole.start >= start:
        return None
    noun = sdoc[whole.end] if whole.end < len(sdoc) else None
    if noun is None or not noun.is_alpha or re.fullmatch(r"[a-z]{3,}ed", noun.text) or noun.lower_ in _VERBS():
        return None  # "of those 14 resulted in ...": 14 is a part itself, no whole named
    return whole


def _VERBS() -> frozenset:
    cfg = phrase_words()
    return cfg.verbs | cfg.auxiliaries | cfg.linking_verbs


def named_whole(sdoc: Doc, start: int) -> Optional[Span]:
    """The partitive opening the clause of the figure at ``start`` with the whole it names ("Of
    those offenders managed by the service" before 167), up to the sentence's first number."""
    sent = sdoc[start].sent
    marks = [m for m in partitive_starts(sdoc) if sent.start <= m < start] or _of_the_opening(sdoc, sent, start)
    if not marks:
        return None
    mark = marks[-1]
    if mark != sent.start and not sdoc[mark - 1].is_punct:
        return None  # "in the first quarters of this year": no partitive opening a clause
    first = next((t.i for t in sdoc[mark:start] if t.like_num), start)
    if not _partitive_names(sdoc, mark, first):
        return None
    return sdoc[mark:first]


def _of_the_opening(sdoc: Doc, sent: Span, start: int) -> list[int]:
    """A sentence opening "Of the <noun phrase>" right before its figure ("Of the male victims,
    24% were repeat victims"): the whole the figure is part of, as a partitive."""
    span = sdoc[sent.start : start]
    if len(span) < 3 or len(span) > 7 or span[0].lower_ != "of" or span[1].lower_ != "the":
        return []
    if any(t.like_num or (t.is_punct and t.i != start - 1) for t in span[2:]):
        return []  # "Of the 51 people found, 19 ...", "Of the total ... (violence, robbery) crimes, ..."
    return [sent.start]


def _partitive_names(sdoc: Doc, mark: int, start: int) -> bool:
    """A partitive before a figure followed by a noun of its own ("Of those offenders ... 167")."""
    nxt = mark + 2
    if nxt >= start or nxt >= len(sdoc):
        return False
    tok, cfg = sdoc[nxt], phrase_words()
    return tok.is_alpha and tok.lower_ not in cfg.auxiliaries | cfg.verbs and not tok.like_num


def partitive_starts(sdoc: Doc) -> list[int]:
    """The tokens opening a partitive ("of those", "of these") in the Doc, ascending: found once
    for the Doc, not once for each figure of a sentence."""
    cached = sdoc.user_data.get("csp_partitive_starts")
    if cached is None:
        phrases = settings().partitives
        lowers = [t.lower_ for t in sdoc]
        cached = [
            i
            for i in range(len(lowers))
            if any(not p or (lowers[i] == p[0] and tuple(lowers[i : i + len(p)]) == p) for p in phrases)
        ]
        sdoc.user_data["csp_partitive_starts"] = cached
    return cached


def _last_ending_before(earlier: list[Found], mark: int) -> Optional[Found]:
    """The last of ``earlier`` (in order) ending before token ``mark``."""
    if isinstance(earlier, FoundSoFar):
        return earlier.last_ending_before(mark)
    before = [f for f in earlier if f.end < mark]
    return before[-1] if before else None


class FoundSoFar(list):
    """A paragraph's figures so far, in the order found, with their ends: the last one ending
    before a token is found by bisection while the ends ascend (figures are found in token
    order), so a paragraph of many figures is not searched once for each of them."""

    def __init__(self) -> None:
        super().__init__()
        self.ends: list[int] = []
        self.ascending = True

    def append(self, found: Found) -> None:
        if self.ends and found.end < self.ends[-1]:
            self.ascending = False
        self.ends.append(found.end)
        super().append(found)

    def last_ending_before(self, mark: int) -> Optional[Found]:
        if not self.ascending:
            before = [f for f in self if f.end < mark]
            return before[-1] if before else None
        k = bisect_left(self.ends, mark)
        return self[k - 1] if k else None


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


class Headings:
    """``heading_before`` for every block of a document, from one pass over its blocks (not a walk
    back from each piece of prose: a document of many paragraphs and few headings)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.nearest: list[Optional[int]] = []  # for each block, the nearest heading before it
        self.above: dict[int, Optional[int]] = {}  # for each heading, the one before it at its level or higher
        last: Optional[int] = None
        by_level: dict[int, int] = {}  # the latest heading of each level so far
        for bi, block in enumerate(doc.blocks):
            self.nearest.append(last)
            if block.kind != "heading" or not block.text or block.level == 1:
                continue
            level = block.level if block.level is not None else 0
            higher = [h for lvl, h in by_level.items() if lvl <= level]
            self.above[bi] = max(higher) if higher else None
            last = bi
            if block.level is not None:
                by_level[block.level] = bi
        self.topics: dict[Optional[int], Optional[str]] = {}

    def before(self, bi: int) -> Optional[str]:
        """The same as ``heading_before(doc, bi)``."""
        if bi >= len(self.nearest):
            return heading_before(self.doc, bi)
        first = self.nearest[bi]
        if first not in self.topics:
            trail = []
            if first is not None:
                trail.append(self.doc.blocks[first].text)
                second = self.above[first]
                if second is not None:
                    trail.append(self.doc.blocks[second].text)
            self.topics[first] = heading_topic(trail) or None
        return self.topics[first]


def _fact(unit: Unit, doc: Document, sdoc: Doc, found: Found, quote, area, n) -> Fact:
    period, note = found.period, found.period_note
    pos = sdoc[found.start].idx
    end = sdoc[found.end - 1].idx + len(sdoc[found.end - 1])
    bi, offset = unit.block_at(pos)
    block = doc.blocks[bi]
    printed = span_at(unit.spans, pos)
    base = block.start if (not unit.cell and block.start is not None) else None
    char_start, char_end = pos - offset, end - offset
    if base is not None:
        char_start, char_end = char_start + base, char_end + base
    # a percentage that is neither a rate nor a change is a share of something ("19.5% experience digital abuse")
    kind = "share" if found.measure == "percent" else found.measure
    measure = kind if not found.direction else f"{kind} ({found.direction})"
    notes = ([note] if note else []) + list(found.notes)
    if found.qualifier == "range":
        notes.append("one end of a range")
    return Fact(
        value=found.value,
        unit=found.unit,
        source_kind="text",
        raw=found.raw,
        measure=measure,
        category=found.subject or None,
        own_words=found.core or None,
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
        # the page and box of the stretch of text the figure is printed in: a paragraph or a cell
        # running over a page break starts on one page, and a figure in its continuation is on the next
        page=printed.page if printed is not None else block.page,
        bbox=printed.bbox if printed is not None else block.bbox,
        char_start=char_start,
        char_end=char_end,
        method="narrative:" + ("change" if found.direction else found.measure.split()[0]),
        notes=notes,
        key=f"b{bi}n{n}",
    )
