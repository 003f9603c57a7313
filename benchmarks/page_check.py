"""Does each figure read from a PDF stand on the page the archive gives it? For every figure of a
PDF file: its printed token (``raw``, as printed) is looked for in the text pdfplumber gives for
its stored page, as a whole number (not inside a longer one), and, when the figure has a box, in
the text inside that box. The misses are listed, one a line, and counted.

    python3 -m extract build --corpus corpus --db /tmp/p/csp.db --source pdf -q
    python3 benchmarks/page_check.py --db /tmp/p/csp.db --corpus corpus
    python3 benchmarks/page_check.py --db /tmp/p/csp.db --corpus corpus --csv /tmp/p/misses.csv

A printed token is compared without case, spaces beside its signs and brackets optional ("100 %"
is "100%", "67 (14%)" is "67(14%)"); a figure printed as a word ("half") is looked for as a word. Exit status 1 when a figure
is on the wrong page.
"""

from __future__ import annotations

import argparse
import csv
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

QUERY = """
select f.id, f.document_id, f.source_file, f.source_kind, f.key, f.page, f.x0, f.top, f.x1, f.bottom,
       f.raw, f.quote
from figures f join files fi on fi.id = f.file_id
where fi.format = 'pdf' and f.raw is not null and f.raw != ''
order by f.source_file, f.page, f.id
"""


@dataclass(frozen=True)
class CheckSettings:
    """How far a figure's box may be widened when its token is looked for inside it (PDF points):
    a box is the token's or its line's, and only the characters wholly inside it are read."""

    box_margin: float = 2.0


def occurs(raw: str, text: str) -> bool:
    """``raw`` stands in ``text`` as a whole token: a number not inside a longer number, a word not
    inside a longer word. Spaces inside the token, or between a figure and its sign or bracket,
    may be printed or not."""
    token = raw.strip().lower()
    if not token:
        return True
    # spaces may stand anywhere a sign or bracket meets a figure ("100 %", "67 ( 14% )")
    words = token.split()
    body = r"\s+".join(_loose(word) for word in words)
    before = r"(?<![0-9a-z])" if token[0].isalnum() else ""
    if token[-1].isdigit():  # a figure may be followed by a full stop or a comma, not a digit
        after = r"(?![0-9]|[.,][0-9])"
    else:
        after = r"(?![0-9a-z])" if token[-1].isalnum() else ""
    return re.search(before + body + after, text.lower()) is not None


def _loose(word: str) -> str:
    """A word of a token as a pattern: spaces allowed where a sign or bracket meets a figure."""
    body = re.escape(word[0])
    for prev, char in zip(word, word[1:]):
        body += ("" if prev.isalnum() and char.isalnum() else r"\s*") + re.escape(char)
    return body


@dataclass
class Miss:
    figure_id: int
    document_id: str
    source_kind: str
    key: str
    page: int | None
    raw: str
    where: str  # "page": not on its page; "box": on its page, not in its box
    on_pages: str  # the pages it does occur on
    quote: str


def check(db: Path, corpus: Path, settings: CheckSettings = CheckSettings()) -> tuple[int, list[Miss]]:
    """(figures checked, misses)."""
    import pdfplumber

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(QUERY).fetchall()
    misses: list[Miss] = []
    by_file: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_file.setdefault(row["source_file"], []).append(row)
    for source_file, figures in by_file.items():
        with pdfplumber.open(corpus / source_file) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
            for row in figures:
                page = row["page"]
                raw = row["raw"]
                found_on = [str(n) for n, text in enumerate(texts, 1) if occurs(raw, text)]
                if page is None or not 1 <= page <= len(texts) or not occurs(raw, texts[page - 1]):
                    misses.append(_miss(row, "page", found_on))
                    continue
                if row["x0"] is None:
                    continue
                plumbed = pdf.pages[page - 1]
                m = settings.box_margin
                box = (
                    max(row["x0"] - m, 0),
                    max(row["top"] - m, 0),
                    min(row["x1"] + m, float(plumbed.width)),
                    min(row["bottom"] + m, float(plumbed.height)),
                )
                inside = plumbed.within_bbox(box, strict=False).extract_text() or ""
                if not occurs(raw, inside):
                    misses.append(_miss(row, "box", found_on))
    return len(rows), misses


def _miss(row: sqlite3.Row, where: str, found_on: list[str]) -> Miss:
    return Miss(
        row["id"],
        row["document_id"],
        row["source_kind"],
        row["key"],
        row["page"],
        row["raw"],
        where,
        " ".join(found_on) or "none",
        (row["quote"] or "")[:120],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--csv", type=Path, help="write the misses here as CSV")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"page_check: no database at {args.db}", file=sys.stderr)
        return 2
    checked, misses = check(args.db, args.corpus)
    for miss in misses:
        print(
            f"{miss.where}\t{miss.document_id}\tp{miss.page}\t{miss.key}\t{miss.raw!r}\t"
            f"on pages: {miss.on_pages}\t{miss.quote}"
        )
    wrong_page = sum(1 for m in misses if m.where == "page")
    wrong_box = sum(1 for m in misses if m.where == "box")
    print(f"{checked} PDF figures checked: {wrong_page} not on their page, {wrong_box} on it but not in their box")
    if args.csv:
        with args.csv.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, list(Miss.__dataclass_fields__))
            writer.writeheader()
            writer.writerows(vars(m) for m in misses)
    return 1 if wrong_page else 0


if __name__ == "__main__":
    sys.exit(main())
