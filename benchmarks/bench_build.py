"""Build speed on the bundled corpus: a cold build with --jobs 1 and --jobs 2 (and whether their
facts are identical), then a rebuild with nothing changed, as a share of the cold build.

    python benchmarks/bench_build.py [--corpus corpus] [--source all text pdf]

Prints a small table: seconds, speed-up, no-change rebuild %, pages per second.
Speed is measured here, not in timed tests.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from extract.corpus.limits import ReadLimits
from extract.corpus.manifest import load_manifest
from extract.pipeline import build


def pdf_pages(corpus: Path) -> int:
    import pdfplumber

    total = 0
    for entry in load_manifest(corpus):
        pdf = entry.file_of("pdf")
        if pdf:
            with pdfplumber.open(entry.paths[pdf]) as doc:
                total += len(doc.pages)
    return total


def timed_build(corpus: Path, db: Path, source: str, cache: Path | None, jobs: int) -> tuple[float, object]:
    t0 = time.perf_counter()
    report = build(corpus, db, source=source, cache_dir=cache, limits=ReadLimits(jobs=jobs))
    return time.perf_counter() - t0, report


def facts_of(db: Path) -> list[tuple]:
    query = "select document_id, source_file, row_label, column_label, measure, value, quote from facts order by 1,2,3,4,5,6,7"
    return sqlite3.connect(db).execute(query).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--source", nargs="+", default=["all"])
    args = parser.parse_args()
    pages = pdf_pages(args.corpus)
    print(f"corpus: {args.corpus} ({pages} PDF pages)")
    print(
        f"{'source':8} {'cold j1 s':>10} {'cold j2 s':>10} {'speed-up':>9} {'no-change s':>12} {'% of cold':>10} {'pages/s':>8} same facts"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.source:
            one, two = Path(tmp) / f"{source}-1" / "csp.db", Path(tmp) / f"{source}-2" / "csp.db"
            cold1, report = timed_build(args.corpus, one, source, Path(tmp) / f"cache-{source}-1", 1)
            cold2, _ = timed_build(args.corpus, two, source, Path(tmp) / f"cache-{source}-2", 2)
            again, _ = timed_build(args.corpus, one, source, Path(tmp) / f"cache-{source}-1", 1)
            rate = f"{pages / cold1:.1f}" if source != "text" else "-"
            same = facts_of(one) == facts_of(two)
            print(
                f"{source:8} {cold1:10.2f} {cold2:10.2f} {cold1 / cold2:9.2f} {again:12.2f} "
                f"{100 * again / cold1:9.1f}% {rate:>8} {same} ({report.facts} facts)"
            )


if __name__ == "__main__":
    main()
