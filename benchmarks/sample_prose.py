"""N random prose facts from a built database, as a table a person can judge line by line.

Each fact shows its value, a snippet of its quote around the figure, subject, measure,
direction, base, period (label, start, end) and area. The sample is seeded, so the same
``--seed`` on the same database shows the same facts:

    python3 benchmarks/sample_prose.py --db db/csp.db [-n 20] [--seed 10] [--width 60]

With ``--out FILE.csv`` it writes the sample for judging instead (``/work/shared/JUDGING.md``):
one row per fact with the report, its own period, the quote, the passage (the paragraph the
figure is printed in, under its heading) and every field, then a blank judgement column per
field — value, subject, measure, base, direction, period, area, category — to fill with
``right`` / ``wrong`` / ``n/a``, each with a note column for what a wrong one should say:

    python3 benchmarks/sample_prose.py --db /tmp/p/csp.db -n 60 --seed 7 --out benchmarks/prose_sample_7.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
import textwrap
from pathlib import Path

COLUMNS = ("value", "quote", "subject", "measure", "direction", "base", "period", "start", "end", "area")
#: the fields a reader judges, each right / wrong / n/a with a note (JUDGING.md)
JUDGED = ("value", "subject", "measure", "base", "direction", "period", "area", "category")
#: what the judging CSV shows of each fact, before the judgement columns
SHOWN = (
    "fact_id",
    "document_id",
    "report",
    "report_period",
    "page",
    "raw",
    "value",
    "unit",
    "qualifier",
    "subject",
    "measure",
    "base",
    "direction",
    "period_label",
    "period_start",
    "period_end",
    "area",
    "category",
    "canonical_category",
    "canonical_relation",
    "notes",
    "quote",
    "passage",
)
JUDGING_QUERY = """
select f.fact_id, f.document_id, d.title as report,
       coalesce(d.period_start, '') || ' .. ' || coalesce(d.period_end, '') as report_period,
       f.page, f.raw, f.value, f.unit, f.qualifier, f.subject, f.measure, f.base, f.direction,
       f.period_label, f.period_start, f.period_end, f.area, f.category, f.canonical_category,
       f.canonical_relation, f.notes, f.quote,
       (select h.text from blocks h where h.file_id = b.file_id and h.kind = 'heading' and h.seq < b.seq
        order by h.seq desc limit 1) as heading,
       b.text as block_text
from facts f join figures g on g.id = f.fact_id join documents d on d.id = f.document_id
left join blocks b on b.id = g.block_id
where f.source_kind = 'text' order by f.fact_id
"""


def snippet(quote: str, raw: str, width: int) -> str:
    """The stretch of the quote around the printed figure, at most ``width`` characters."""
    quote = " ".join((quote or "").split())
    at = quote.find(raw) if raw else -1
    if len(quote) <= width:
        return quote
    start = max(0, min(at - width // 3, len(quote) - width)) if at >= 0 else 0
    cut = quote[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(quote) else "")


def sample(db: Path, n: int, seed: int) -> list[sqlite3.Row]:
    """``n`` prose facts drawn with ``seed`` (all of them when there are fewer)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "select fact_id, value, raw, quote, subject, measure, direction, base, period_label, period_start,"
        " period_end, area from facts where source_kind = 'text' order by fact_id"
    ).fetchall()
    return random.Random(seed).sample(rows, min(n, len(rows)))


def judging_rows(db: Path, n: int, seed: int) -> list[dict]:
    """``n`` prose facts drawn with ``seed``, each with its passage and blank judgement columns."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(JUDGING_QUERY).fetchall()
    finally:
        con.close()
    out = []
    for row in random.Random(seed).sample(rows, min(n, len(rows))):
        record = {k: row[k] for k in SHOWN if k != "passage"}
        paragraph = row["block_text"] or row["quote"] or ""  # a prose table cell: its sentence
        record["passage"] = f"[{row['heading']}] {paragraph}" if row["heading"] else paragraph
        for name in JUDGED:
            record[f"judge_{name}"] = ""
            record[f"note_{name}"] = ""
        out.append(record)
    return out


def write_judging(db: Path, n: int, seed: int, out: Path) -> int:
    rows = judging_rows(db, n, seed)
    fields = list(SHOWN) + [c for name in JUDGED for c in (f"judge_{name}", f"note_{name}")]
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def cells(row: sqlite3.Row, width: int) -> list[str]:
    value = row["value"]
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return [
        shown,
        snippet(row["quote"], row["raw"], width),
        row["subject"] or "",
        row["measure"] or "",
        row["direction"] or "",
        row["base"] or "",
        row["period_label"] or "",
        row["period_start"] or "",
        row["period_end"] or "",
        row["area"] or "",
    ]


def table(rows: list[list[str]], wrap: int) -> str:
    """A plain-text table; long cells wrapped to ``wrap`` characters."""
    wrapped = [[textwrap.wrap(c, wrap) or [""] for c in row] for row in rows]
    widths = [max(len(line) for row in wrapped for line in row[i]) for i in range(len(COLUMNS))]
    widths = [max(w, len(h)) for w, h in zip(widths, COLUMNS)]
    out = [" | ".join(h.ljust(w) for h, w in zip(COLUMNS, widths)), "-+-".join("-" * w for w in widths)]
    for row in wrapped:
        for k in range(max(len(c) for c in row)):
            out.append(" | ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(row, widths)))
        out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("db/csp.db"))
    parser.add_argument("-n", type=int, default=20, help="how many facts (default 20)")
    parser.add_argument("--seed", type=int, default=10, help="random seed (default 10)")
    parser.add_argument("--width", type=int, default=60, help="quote snippet width (default 60)")
    parser.add_argument("--wrap", type=int, default=30, help="wrap other long cells at this width (default 30)")
    parser.add_argument("--out", type=Path, help="write a CSV for judging (quote, passage, fields, blank judgements)")
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"{args.db}: no such database (build one with: csp-archive build --db {args.db})")
        return 1
    if args.out is not None:
        try:
            written = write_judging(args.db, args.n, args.seed, args.out)
        except sqlite3.Error as err:
            print(f"{args.db}: cannot read prose facts ({err})")
            return 1
        print(f"wrote {written} prose facts from {args.db} (seed {args.seed}) to {args.out}")
        return 0
    try:
        picked = sample(args.db, args.n, args.seed)
    except sqlite3.Error as err:
        print(f"{args.db}: cannot read prose facts ({err})")
        return 1
    rows = [cells(r, args.width) for r in picked]
    print(f"{len(rows)} prose facts from {args.db} (seed {args.seed})")
    print(table(rows, max(args.wrap, 10)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
