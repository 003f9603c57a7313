"""Tables → facts: decide what each header and row label is (period, area, category, measure),
repair headers the source misprints, and read every value cell as printed.

Repairs are made only on evidence and recorded: a header row shifted against the data is moved
back when the row totals prove it; an unheaded column is named the previous period when a
"% change" table beside it says so. Arithmetic checks live in :mod:`extract.checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from extract.model import Block, Cell, Check, Document, Fact, Table
from extract.vocab.areas import PART_OF, area_of, match_area
from extract.vocab.loader import load_csv, load_yaml
from extract.vocab.periods import Period, PeriodContext, is_total_label, parse_period
from extract.vocab.values import caption_label, read_cell, strip_trend, unit_from_label

# ---- vocabulary -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = strip_trend(text or "")[0].lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9%/\- ]+", " ", text).split())


def measure_of(label: str) -> Optional[dict]:
    """The measure a label names, from schema/measures.csv (longest match wins)."""
    folded = _fold(label)
    if not folded:
        return None
    best = None
    for row, pattern in _measure_patterns():
        key = row["label"]
        hit = folded == key if pattern is None else pattern.search(folded)
        if hit and (best is None or len(key) > len(best["label"])):
            best = row
    return best


#: What a measure of a table of cases from earlier periods adds to its name.
EARLIER_COHORT = "of cases from earlier periods"


def _earlier_cohort(texts: list[str]) -> bool:
    """Whether a table's caption, label or heading says its figures are of cases begun in an
    earlier period (``earlier_cohort_words`` in schema/periods.yaml)."""
    words = load_yaml("periods.yaml").get("earlier_cohort_words") or []
    folded = " ".join(_fold(t) for t in texts if t)
    return any(_fold(w) in folded for w in words)


def rate_of(measure: Optional[str]) -> str:
    """The rate a count's bracketed percentage gives: the vocabulary's rate with that count as its
    numerator ("FAT outcomes" → "FAT outcome rate"), else "<count> rate"."""
    for row in load_csv("measures.csv"):
        if measure and row["numerator"] == measure and row["kind"] == "rate":
            return row["measure"]
    return f"{measure or 'count'} rate"


@lru_cache(maxsize=1)
def _measure_patterns() -> list[tuple[dict, Optional[re.Pattern]]]:
    """schema/measures.csv's rows, each with its label's pattern compiled once (None: an exact label)."""
    return [
        (row, None if row["exact"] == "1" else re.compile(rf"(?<![a-z0-9]){re.escape(row['label'])}(?![a-z0-9])"))
        for row in load_csv("measures.csv")
    ]


@dataclass(frozen=True)
class TitleSettings:
    """How much of the printed lines that name a table a figure's quote carries."""

    max_words: int = 30  # a title line longer than this is a paragraph, not a title
    separator: str = " — "  # between the row as printed and the lines that name it


TITLES = TitleSettings()


# ---- the interpreted table --------------------------------------------------------------------


@dataclass
class Column:
    index: int
    label: str  # header cells joined with " / ", as printed (markers, arrows removed)
    period: Optional[Period] = None
    area: Optional[str] = None
    measure: Optional[dict] = None
    is_total: bool = False
    unit: Optional[str] = None
    note: str = ""


@dataclass
class TableReading:
    """One table with its context resolved, ready to give facts and checks."""

    index: int  # order of the table in the document
    block_index: int
    table: Table
    label: Optional[str]
    caption: Optional[str]
    heading: Optional[str]
    period: Optional[Period]
    area: Optional[str]
    measure: Optional[dict]
    n_label_cols: int
    columns: list[Column]
    header_rows: int
    repairs: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    rows_are_dimensions: bool = False  # rows name areas or periods, so columns name categories
    cohort: bool = False  # its figures are of cases begun in an earlier period (_earlier_cohort)
    titles: list[str] = field(default_factory=list)  # printed lines naming the table (:func:`table_titles`)
    facts: list[Fact] = field(default_factory=list)
    _groups: Optional[list[tuple[str, str]]] = field(default=None, init=False, repr=False, compare=False)

    def data_rows(self) -> range:
        return range(self.header_rows, len(self.table.rows))

    def row_label(self, r: int) -> str:
        cells = self.table.rows[r][: self.n_label_cols]
        labels = [strip_trend(c.text)[0] for c in cells if c.text.strip()]
        return labels[-1] if labels else ""

    def row_section(self, r: int) -> str:
        """The headings a row stands under ("Women" over "45–54"), outermost first, as the reader
        marked them (``Table.row_heads``)."""
        heads = self.table.row_heads
        chain: list[str] = []
        k = heads[r] if r < len(heads) else -1
        while self.header_rows <= k < r and len(chain) < len(heads):
            chain.insert(0, self.row_label(k))
            k = heads[k]
        return ": ".join(label for label in chain if label)

    def row_group(self, r: int) -> str:
        """The label of an earlier label column, carried down over blanks ("Domestic")."""
        if self.n_label_cols < 2:
            return ""
        carried = self._carried_groups()
        if not self.header_rows <= r < len(carried):
            return self._row_group_walk(r)
        own, above = carried[r]
        if own:
            return own
        return above if above and not self.table.rows[r][0].text.strip() else ""

    def _carried_groups(self) -> list[tuple[str, str]]:
        """For each row from the header down: its first cell's label and the nearest one above it,
        read once for the table (not walked back from each row)."""
        if self._groups is None or len(self._groups) != len(self.table.rows):
            groups: list[tuple[str, str]] = [("", "")] * len(self.table.rows)
            above = ""
            for rr in range(self.header_rows, len(self.table.rows)):
                row = self.table.rows[rr]
                own = strip_trend(row[0].text)[0] if row else ""
                groups[rr] = (own, above)
                above = own or above
            self._groups = groups
        return self._groups

    def _row_group_walk(self, r: int) -> str:
        for rr in range(r, self.header_rows - 1, -1):
            text = strip_trend(self.table.rows[rr][0].text)[0]
            if text:
                return text if rr == r or not self.table.rows[r][0].text.strip() else ""
        return ""


# ---- context ----------------------------------------------------------------------------------


def _caption_after(doc: Document, bi: int) -> Optional[Block]:
    for block in doc.blocks[bi + 1 : bi + 6]:
        if block.kind == "caption":
            return block
        if block.kind != "footnote":
            return None
    return None


def _title_before(doc: Document, bi: int) -> Optional[str]:
    """The line printed directly above a table that names it: a caption, or a short line that opens
    as one ("Table 6: ABICs used to ...", "Table 1.")."""
    if bi == 0:
        return None
    block = doc.blocks[bi - 1]
    short = len(block.text.split()) <= TITLES.max_words
    if block.kind == "caption" or (block.kind in ("paragraph", "heading") and short and caption_label(block.text)):
        return block.text
    return None


def table_titles(doc: Document, bi: int, caption: Optional[Block], headings: list[str], stub: str) -> list[str]:
    """The printed lines that say what a table's rows are, as a reader takes them in: its caption
    (below it, or the title directly above it), the header over its row labels ("District
    Totals") and the heading it stands under ("DOJ Prosecutions"); each once, none over
    ``TITLES.max_words`` words."""
    found = [caption.text if caption else None, _title_before(doc, bi), stub, headings[0] if headings else None]
    out: list[str] = []
    for text in found:
        text = " ".join((text or "").split())
        if text and len(text.split()) <= TITLES.max_words and not any(text in o for o in out):
            out.append(text)
    return out


def _headings_before(doc: Document, bi: int, limit: int = 12) -> list[str]:
    out = []
    for block in reversed(doc.blocks[max(0, bi - limit) : bi]):
        short_lead_in = (
            block.kind == "paragraph" and block.text.rstrip().endswith(":") and len(block.text.split()) <= 12
        )
        if block.kind == "heading" or short_lead_in:
            out.append(block.text)
    return out


def table_context(
    doc: Document, bi: int, doc_period: Optional[Period]
) -> tuple[Optional[Period], list[str], Optional[Block]]:
    """The period a table's relative labels ("Q1", "Current period") are read against."""
    base = PeriodContext(doc_period.start, doc_period.end) if doc_period else None
    headings = _headings_before(doc, bi)
    caption = _caption_after(doc, bi)
    period = None
    for text in reversed(headings):  # the nearest heading that names a period wins
        p = parse_period(text, base)
        if p and p.kind != "calendar_year":
            period = p
    ctx = PeriodContext(period.start, period.end) if period else base
    table = _table_at(doc, bi)
    title_cells = [row[0].text for row in table.rows[: max(table.header_rows, 1)]]
    for text in title_cells + ([caption.text] if caption else []):
        p = parse_period(text, ctx)
        if p:
            return p, headings, caption
    return (period or doc_period), headings, caption


# ---- header repair ----------------------------------------------------------------------------


def _numbers(row: list[Cell]) -> dict[int, float]:
    out = {}
    for c, cell in enumerate(row):
        reading = read_cell(cell.text)
        if reading.status == "value" and reading.values[0].unit == "count":
            out[c] = reading.values[0].value
    return out


def repair_shifted_header(table: Table, header_rows: int) -> tuple[list[list[str]], list[str]]:
    """Header rows as text; a header row reaching past the data columns is shifted back onto them
    when the column it then calls "total" really holds each row's total."""
    headers = [[strip_trend(c.text)[0] for c in row] for row in table.rows[:header_rows]]
    data = table.rows[header_rows:]
    occupied = {c for row in data for c, cell in enumerate(row) if c > 0 and not cell.is_blank}
    if not occupied:
        return headers, []
    last_data = max(occupied)
    notes = []
    for h, row in enumerate(headers):
        filled = [c for c, text in enumerate(row) if c > 0 and text]
        if not filled or max(filled) <= last_data:
            continue
        shift = max(filled) - last_data
        moved = [row[0]] + row[1 + shift :] + [""] * shift
        total_cols = [c for c, text in enumerate(moved) if c > 0 and is_total_label(text)]
        proof = _total_column_proof(data, total_cols)
        if proof:
            headers[h] = moved
            notes.append(
                f"header row {h + 1} was printed {shift} column(s) to the right of the data; "
                f"shifted back: the column it labels '{moved[total_cols[0]]}' holds the row totals "
                f"({proof[0]}/{proof[1]} rows sum exactly)"
            )
    return headers, notes


def _total_column_proof(data: list[list[Cell]], total_cols: list[int]) -> Optional[tuple[int, int]]:
    if len(total_cols) != 1:
        return None
    tc = total_cols[0]
    tried = passed = 0
    for row in data:
        nums = _numbers(row)
        if tc not in nums or len(nums) < 3:
            continue
        tried += 1
        parts = sum(v for c, v in nums.items() if 0 < c < tc)
        passed += abs(parts - nums[tc]) < 0.5
    return (passed, tried) if tried and passed == tried else None


# ---- reading a table --------------------------------------------------------------------------


def _label_columns(table: Table, header_rows: int) -> int:
    """Leading columns that hold no figures in any data row: the row labels."""
    n = table.n_cols
    for c in range(n):
        for row in table.rows[header_rows:]:
            if c < len(row) and read_cell(row[c].text).status in ("value", "truncated", "no_value"):
                return max(c, 1)
    return n


def interpret_table(
    doc: Document, bi: int, ti: int, doc_period: Optional[Period], doc_area: Optional[str]
) -> TableReading:
    """Resolve one table's context, columns and rows."""
    table = _table_at(doc, bi)
    period, headings, caption = table_context(doc, bi, doc_period)
    ctx = PeriodContext(period.start, period.end) if period else None
    header_rows = table.header_rows
    headers, repairs = repair_shifted_header(table, header_rows)
    # a header row with only its first cell filled is a title, not column headers
    titled = [h for h in headers if any(t for t in h[1:])]
    n_label = _label_columns(table, header_rows)
    first_header = next((h[0] for h in headers if h and h[0]), "")
    label = None
    if caption:
        label = caption_label(caption.text)
    label = label or first_header or (headings[0] if headings else None)
    table_measure = None
    for text in ([caption.text] if caption else []) + [first_header] + headings[:1]:
        table_measure = table_measure or measure_of(text)
    cohort = _earlier_cohort([caption.text if caption else "", label or "", *headings[:1]])
    reading = TableReading(
        index=ti,
        block_index=bi,
        table=table,
        label=label,
        caption=caption.text if caption else None,
        heading=headings[0] if headings else None,
        period=period,
        area=area_of(first_header) or doc_area,
        measure=table_measure,
        n_label_cols=n_label,
        columns=[],
        header_rows=header_rows,
        repairs=repairs,
        cohort=cohort,
        titles=table_titles(doc, bi, caption, headings, first_header),
    )
    for c in range(n_label, table.n_cols):
        parts = [h[c] for h in titled if c < len(h) and h[c]]
        text = " / ".join(dict.fromkeys(parts))
        col = Column(index=c, label=text)
        col.area = area_of(text)
        col.is_total = is_total_label(text) or any(is_total_label(p) for p in parts)
        col.measure = measure_of(text)
        col.unit = unit_from_label(text) if col.measure is None else col.measure["unit"]
        if col.area is None:
            col.period = parse_period(text, ctx)
        reading.columns.append(col)
    _total_column_periods(reading)
    _region_columns_among_parts(reading)
    resolve_unheaded_columns(doc, reading, ctx)
    labels = [reading.row_label(r) for r in reading.data_rows()]
    labels = [label for label in labels if label and not is_total_label(label)]
    dims = sum(1 for label in labels if area_of(label) or parse_period(label, ctx))
    reading.rows_are_dimensions = bool(labels) and dims > len(labels) / 2
    return reading


def _region_columns_among_parts(reading: TableReading) -> None:
    """A column named after the area whose parts the other area columns are (a region's column among
    its parishes, beside a total column of its own) is one more part of that area, what no listed
    part holds, never the area's own figure: its figures are placed in "Part of AREA"."""
    areas = [c for c in reading.columns if c.area]
    if not any(c.is_total for c in reading.columns if not c.area):
        return
    for col in areas:
        region = match_area(col.area)
        parts = [
            o for o in areas if o is not col and (match_area(o.area) or {}).get("parent") == (region or {}).get("name")
        ]
        if region is not None and len(parts) >= 2:
            col.area = PART_OF + str(col.area)
            col.note = f"a column named after the area its sibling columns are parts of: a part of {region['name']}"


def _total_column_periods(reading: TableReading) -> None:
    """A "TOTAL" column with no period of its own spans the periods of the columns it sums."""
    dated = [c.period for c in reading.columns if c.period and not c.is_total]
    for col in reading.columns:
        if col.is_total and col.period is None and dated and len({(p.start, p.end) for p in dated}) > 1:
            col.period = Period(min(p.start for p in dated), max(p.end for p in dated), "span", col.label)


# ---- an unheaded column named by a neighbouring "% change" table -----------------------------


def resolve_unheaded_columns(doc: Document, reading: TableReading, ctx: Optional[PeriodContext]) -> None:
    """Two value columns, one unheaded, under a single period: the "% change" table printed beside
    it tells which column is the earlier period. Recorded as a repair, never guessed."""
    cols = reading.columns
    blank = [c for c in cols if not c.label]
    if len(cols) != 2 or len(blank) != 1 or reading.period is None:
        return
    other = next(c for c in cols if c is not blank[0])
    pct = _percent_change_table(doc, reading)
    if pct is None:
        return
    changes, where = pct
    votes = {"blank_is_previous": 0, "blank_is_current": 0}
    tried = 0
    for r in reading.data_rows():
        key = _fold(reading.row_label(r))
        nums = _numbers(reading.table.rows[r])
        if key not in changes or blank[0].index not in nums or other.index not in nums:
            continue
        tried += 1
        a, b = nums[blank[0].index], nums[other.index]
        printed, decimals = changes[key]
        tol = 0.5 * 10**-decimals + 1e-9
        if a and abs(round((b - a) / a * 100, decimals) - printed) <= tol:
            votes["blank_is_previous"] += 1
        if b and abs(round((a - b) / b * 100, decimals) - printed) <= tol:
            votes["blank_is_current"] += 1
    if not tried:
        return
    if votes["blank_is_previous"] == tried:
        blank[0].period = reading.period.shifted_years(-1)
        blank[0].note = "unheaded column: previous period (inferred)"
        other.period = reading.period
        reading.repairs.append(
            f"column {blank[0].index + 1} is printed without a header under "
            f"'{reading.table.rows[0][0].text}': it holds the previous year's figures "
            f"({blank[0].period.start}..{blank[0].period.end}) — (column {other.index + 1} − column "
            f"{blank[0].index + 1}) / column {blank[0].index + 1} equals the printed % change in {where} "
            f"for {tried}/{tried} rows"
        )
    elif votes["blank_is_current"] == tried:
        blank[0].period = reading.period
        other.period = reading.period.shifted_years(-1)
        other.note = "previous period (inferred)"
        reading.repairs.append(
            f"column {other.index + 1} ('{other.label}') holds the previous year's figures: the printed "
            f"% change in {where} matches for {tried}/{tried} rows"
        )


def _percent_change_table(doc: Document, reading: TableReading) -> Optional[tuple[dict, str]]:
    """The next table in the document whose rows are this table's rows and whose values are
    percentage changes: {row label: (printed %, decimals)}."""
    own = {_fold(reading.row_label(r)) for r in reading.data_rows()}
    for bi in range(reading.block_index + 1, min(len(doc.blocks), reading.block_index + 6)):
        table = doc.blocks[bi].table
        if doc.blocks[bi].kind != "table" or table is None or not table.rows:
            continue
        title = " ".join(c.text for c in table.rows[0])
        title_measure = measure_of(title)
        if not (title_measure and title_measure["measure"] == "percentage change"):
            continue
        out = {}
        for row in table.rows[table.header_rows :]:
            for cell in row[1:]:
                value = read_cell(cell.text)
                if value.status == "value" and value.values[0].unit == "percent":
                    out[_fold(strip_trend(row[0].text)[0])] = (value.values[0].value, value.values[0].decimals)
                    break
        if len(set(out) & own) >= max(2, 0.8 * len(own)):
            return out, f"the table '{table.rows[0][0].text.strip()}'"
    return None


# ---- facts ------------------------------------------------------------------------------------


def table_facts(reading: TableReading) -> list[Fact]:
    """Every value cell of the table as one fact (a composite cell as two)."""
    facts = []
    table = reading.table
    later = _latest_period(reading)
    for r in reading.data_rows():
        row = table.rows[r]
        row_label = reading.row_label(r)
        group = reading.row_group(r)
        section = reading.row_section(r)
        row_period = (
            parse_period(row_label, PeriodContext(reading.period.start, reading.period.end))
            if reading.period
            else parse_period(row_label)
        )
        row_area = area_of(row_label)
        row_measure = measure_of(row_label) or (measure_of(group) if group else None)
        row_text = " | ".join(c.text for c in row if c.text.strip())
        for col in reading.columns:
            if col.index >= len(row):
                continue
            cell = row[col.index]
            default_unit = col.unit if col.unit and col.unit != "percent" else "count"
            cell_reading = read_cell(cell.text, default_unit)
            if cell_reading.status != "value":
                continue
            # a table of changes ("% change") gives the change of what its rows name, not their count
            table_change = reading.measure if reading.measure and reading.measure["change"] == "1" else None
            measure = col.measure or table_change or row_measure or reading.measure
            is_change = bool(measure and measure["change"] == "1")
            period = col.period or row_period
            if is_change and period is None:
                period = later
            period = period or reading.period
            if row_area or col.area:
                area = col.area or row_area
            elif col.is_total and any(c.area for c in reading.columns):
                area = "Total of " + ", ".join(c.area for c in reading.columns if c.area)
            else:
                area = reading.area
            category = _category(reading, row_label, group, col, row_period, row_area)
            if section and category:
                category = f"{section}: {category}"
            for value in cell_reading.values:
                m_name = measure["measure"] if measure else None
                if value.role == "rate":  # "67 (14%)": the rate of what the column counts
                    m_name = rate_of(m_name)
                if reading.cohort:
                    m_name = f"{m_name or 'count'}, {EARLIER_COHORT}"
                fact = Fact(
                    value=value.value,
                    unit=value.unit,
                    source_kind="table",
                    raw=value.raw,
                    measure=m_name,
                    category=category,
                    area=area,
                    period_label=(period.label or None) if period else None,
                    period_start=period.start.isoformat() if period else None,
                    period_end=period.end.isoformat() if period else None,
                    table_label=reading.label,
                    row_label=row_label or None,
                    column_label=col.label,
                    quote=TITLES.separator.join(
                        [row_text, *dict.fromkeys(t for t in [col.label, *reading.titles] if t)]
                    ),
                    block_index=reading.block_index,
                    table_index=reading.index,
                    row=r,
                    col=col.index,
                    page=cell.page,
                    bbox=cell.bbox,
                    method=f"table:{table.method}",
                    footnotes=list(cell.footnotes),
                    key=f"t{reading.index}r{r}c{col.index}" + (":rate" if value.role == "rate" else ""),
                )
                if col.note:
                    fact.notes.append(col.note)
                facts.append(fact)
    reading.facts = facts
    return facts


def _category(reading: TableReading, row_label: str, group: str, col: Column, row_period, row_area) -> str:
    """What is counted: the row label, unless the row names a period or an area (then the column
    names the category), with an earlier label column ("Domestic") taking precedence."""
    if group:
        return group
    dimension_row = row_period or row_area or (is_total_label(row_label) and reading.rows_are_dimensions)
    if dimension_row and not col.area and col.label:
        named = _without_period_words(col.label) if col.period else col.label
        if named:
            return named
    return row_label


def _without_period_words(label: str) -> str:
    """A column label less its period: "ASB - COMMUNITY 2023" -> "ASB - COMMUNITY"."""
    text = re.sub(r"\b(?:19|20)\d\d(?:\s*[/\-–]\s*\d\d)?\b", " ", label)
    return " ".join(text.split()).strip(" -–/")


def _latest_period(reading: TableReading) -> Optional[Period]:
    dated = [c.period for c in reading.columns if c.period and not c.is_total]
    return max(dated, key=lambda p: (p.end, p.start)) if dated else None


def _table_at(doc: Document, bi: int) -> Table:
    """The table of block ``bi`` (the caller has seen it is a table block)."""
    table = doc.blocks[bi].table
    if table is None:
        raise ValueError(f"block {bi} holds no table")
    return table


def read_tables(doc: Document, doc_period: Optional[Period], doc_area: Optional[str]) -> list[TableReading]:
    """Interpret every table of a document, in order."""
    readings: list[TableReading] = []
    for bi, block in enumerate(doc.blocks):
        if block.kind == "table" and block.table and block.table.rows:
            reading = interpret_table(doc, bi, len(readings), doc_period, doc_area)
            table_facts(reading)
            readings.append(reading)
    return readings
