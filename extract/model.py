"""The document model every reader produces and every interpreter reads.

Readers (text renditions, PDFs) turn a file into a :class:`Document`: an ordered list of
:class:`Block` (headings, paragraphs, list items, captions, footnotes, tables), each with its
position in the source. Interpreters turn blocks into :class:`Fact` records. Plain dataclasses,
so a stage's output can be inspected, cached and tested without the stage that made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points

BLOCK_KINDS = ("heading", "paragraph", "list_item", "caption", "footnote", "table")


@dataclass(frozen=True)
class Span:
    """Where a stretch of a block's or a cell's text was printed: from character ``start`` of its
    text to the next span's start, on ``page`` within ``bbox``. A paragraph or a table cell running
    over a page break has one span a page; text printed on one page needs none."""

    start: int
    page: Optional[int]
    bbox: Optional[BBox] = None


def span_at(spans: list[Span], offset: int) -> Optional[Span]:
    """The span holding character ``offset`` (spans ascend by start), None when there are none."""
    found = None
    for span in spans:
        if span.start > offset:
            break
        found = span
    return found if found is not None else (spans[0] if spans else None)


def shifted(spans: list[Span], start: int, end: int, by: int) -> list[Span]:
    """The spans of characters ``start``..``end`` of a text, as offsets into a text holding those
    characters at ``by``: a piece cut from a cell, or a block joined into a longer paragraph."""
    out = []
    for k, span in enumerate(spans):
        following = spans[k + 1].start if k + 1 < len(spans) else None
        if (following is not None and following <= start) or span.start >= end:
            continue
        out.append(Span(max(span.start, start) - start + by, span.page, span.bbox))
    return out


def joined_spans(spans: list[Span], page: Optional[int], bbox: Optional[BBox], at: int, more: list[Span]) -> list[Span]:
    """The spans of a text printed on ``page`` in ``bbox`` (or over the pages of ``spans``) once
    another text, printed over ``more``, is joined to it at character ``at``: [] while all of it
    stands on one page; a span on the page the text ends on widens its box."""
    if not spans and all(span.page == page for span in more):
        return []
    out = list(spans) or [Span(0, page, bbox)]
    for span in more:
        last = out[-1]
        if span.page == last.page:
            out[-1] = Span(last.start, last.page, _union(last.bbox, span.bbox))
        else:
            out.append(Span(span.start + at, span.page, span.bbox))
    return out


def _union(a: Optional[BBox], b: Optional[BBox]) -> Optional[BBox]:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass
class Cell:
    """One table cell: its text as printed (footnote markers removed) and where it stands."""

    text: str
    raw: str = ""  # the cell as it stood in the source (HTML, markers and all)
    footnotes: list[str] = field(default_factory=list)  # footnote marker labels, "18"
    paragraphs: list[str] = field(default_factory=list)  # prose pieces: <p>, <li>, bullets
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    spans: list[Span] = field(default_factory=list)  # a cell running over a page break: a span a page

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass
class TableReport:
    """How a table was found, as camelot's ``parsing_report`` gives it: the strategy, where it
    stood, its shape and how full it is, so a doubtful reading can be seen and queried."""

    strategy: str  # ruled | aligned | camelot (PDFs), markdown (text renditions)
    flavor: str  # pdfplumber-lines | aligned-text | lattice | tab-separated
    page: Optional[int]  # the page it starts on (PDFs)
    order: int  # 1-based order on its page (PDFs) or in the file (text renditions)
    rows: int
    cols: int
    fill_ratio: float  # non-empty cells ÷ cells
    whitespace: float  # % of cells that are empty (camelot's whitespace)
    accuracy: Optional[float] = None  # camelot's accuracy (% of the page's text inside cells)
    bbox: Optional[BBox] = None


@dataclass
class Table:
    """A table as a grid of cells; ``header_rows`` leading rows are column headers."""

    rows: list[list[Cell]]
    header_rows: int = 1
    label: Optional[str] = None  # "Figure 1"
    caption: Optional[str] = None  # the caption as printed
    method: str = "text"  # how it was read: text, lattice, stream, pdfplumber-text
    pages: list[int] = field(default_factory=list)
    report: Optional[TableReport] = None  # how it was found (extract.readers.table_finders)
    # for each row, the row it stands under (-1: none): a section heading ("Women" over "45–54"),
    # or a bold row of figures over the plain rows below it ("Aged 15 and older" over "Difficulty seeing")
    row_heads: list[int] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Block:
    """One unit of a document in reading order."""

    kind: str  # one of BLOCK_KINDS
    text: str = ""  # text with footnote markers removed (tables: "")
    level: Optional[int] = None  # heading level, 1 = title
    footnotes: list[str] = field(default_factory=list)  # marker labels found in the text
    marker: Optional[str] = None  # for a footnote block: its own label ("18")
    table: Optional[Table] = None
    page: Optional[int] = None  # 1-based page of a PDF, None for text renditions
    bbox: Optional[BBox] = None
    start: Optional[int] = None  # character offsets into the source text, when known
    end: Optional[int] = None
    spans: list[Span] = field(default_factory=list)  # a paragraph running over a page break: a span a page


@dataclass
class Document:
    """A read file: its blocks in order and the footnotes by label."""

    source_file: str  # relative to the corpus directory: "text/2021-22-strategic-assessment.txt"
    blocks: list[Block] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    pages: Optional[int] = None
    reader: str = "text"

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]


@dataclass
class Fact:
    """One printed figure with what it counts, where, when, and where it was printed.

    ``value``/``unit`` are as printed; interpretation (period, area, measure) sits beside them,
    and ``notes`` say when a reading needed a repair or disagrees with a check.
    """

    value: float
    unit: str  # count, percent, GBP, tonnes, days, months, hours, other
    source_kind: str  # "table" or "text"
    raw: str = ""  # the printed token: "1,382", "67 (14%)"
    measure: Optional[str] = None  # from schema/measures.csv
    subject: Optional[str] = None  # what is counted, a short phrase as printed
    direction: Optional[str] = None  # increase | decrease | none, for changes
    base: Optional[str] = None  # "per 1,000 people", "of all crime"
    category: Optional[str] = None
    area: Optional[str] = None
    period_label: Optional[str] = None
    period_start: Optional[str] = None
    period_end: Optional[str] = None
    table_label: Optional[str] = None
    row_label: Optional[str] = None
    column_label: Optional[str] = None
    quote: Optional[str] = None
    qualifier: Optional[str] = None  # "over", "nearly", "about" for prose figures
    block_index: Optional[int] = None  # index into Document.blocks
    table_index: Optional[int] = None  # order of the table in the document (0-based)
    row: Optional[int] = None  # cell position in the table grid
    col: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    method: str = ""  # which rule produced it
    footnotes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    status: str = "ok"  # ok, flagged (a check involving it failed)
    key: Optional[str] = None  # stable id within the document, set by the interpreter
    category_id: Optional[str] = None  # categories.id the printed category matches (interpret.categorise)
    canonical_id: Optional[str] = None  # canonical_categories.id through the crosswalk's primary relation
    canonical_category: Optional[str] = None
    canonical_relation: Optional[str] = None  # same | part_of | overlaps | sum_of
    category_via: Optional[str] = None  # None (the label) or 'total' (what a total row counts)
    own_words: Optional[str] = (
        None  # a prose figure's own words, its heading left out: where its category is matched last
    )


@dataclass
class Check:
    """An arithmetic or consistency check made while reading, with its outcome."""

    kind: str  # row_total, column_total, variance, percent_change, truncated, text_vs_pdf, ...
    description: str
    expected: Optional[float]
    printed: Optional[float]
    passed: bool
    table_index: Optional[int] = None
    fact_keys: list[str] = field(default_factory=list)
    document_id: Optional[str] = None  # checks across a report's stored figures (checks.consistency)
    figure_ids: list[int] = field(default_factory=list)  # figures.id of the figures it involves
    nature: Optional[str] = None  # source | reading | rounding (extract.checks.precision.NATURES); None: derived


@dataclass(frozen=True)
class DerivedSum:
    """A figure derived from printed ones of one report (never printed itself: 4a = 4a1 + 4a2, a
    region from its parishes), with the keys of the figures it adds up."""

    canonical_id: str
    canonical_category: str
    area: Optional[str]
    area_id: Optional[int]
    measure: Optional[str]
    period_start: Optional[str]
    period_end: Optional[str]
    value: float
    unit: str
    derivation: str
    table_index: Optional[int]
    derived_from: tuple[str, ...] = ()


@dataclass
class Commitment:
    """One promised item (a priority, aim, activity, pledge ...) or a reported achievement, as printed."""

    item_kind: str  # priority, aim, objective, priority_focus, activity, measure, outcome, target, pledge, achievement
    text: str  # as printed, whitespace collapsed
    theme: Optional[str] = None
    lead_partners: Optional[str] = None  # the lead partners cell as printed
    block_index: Optional[int] = None
    table_index: Optional[int] = None
    row: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    parent: Optional[int] = None  # index of the aim or row item this belongs to
    key: str = ""
