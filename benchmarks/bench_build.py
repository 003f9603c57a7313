"""Build speed on the bundled corpus, per source: a cold build (an empty cache), a rebuild from the read
cache (a new database, documents not read again), a rebuild with nothing changed, and the same
no-change rebuild through the CLI (interpreter start-up included); with --jobs2, a cold build with
two reading processes and whether its facts are identical.

    python benchmarks/bench_build.py [--corpus corpus] [--source text pdf all] [--jobs2]

Prints a small table: seconds, PDF pages per second of the cold build, facts.
Speed is measured here, not in timed tests.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extract.corpus.cache import cache_dir_for
from extract.corpus.limits import ReadLimits
from extract.corpus.manifest import load_manifest
from extract.pipeline import build


def pdf_pages(corpus: Path) -> int:
    """Pages of the corpus's PDFs: what a PDF or full build reads."""
    import pdfplumber

    total = 0
    for entry in load_manifest(corpus):
        pdf = entry.file_of("pdf")
        if pdf:
            with pdfplumber.open(entry.paths[pdf]) as doc:
                total += len(doc.pages)
    return total


def timed_build(corpus: Path, db: Path, source: str, cache: Path | None, jobs: int = 1) -> tuple[float, object]:
    """Seconds of one in-process build, and its report."""
    t0 = time.perf_counter()
    report = build(corpus, db, source=source, cache_dir=cache, limits=ReadLimits(jobs=jobs))
    return time.perf_counter() - t0, report


def timed_cli(corpus: Path, db: Path, source: str) -> float:
    """Seconds of ``python -m extract build -q`` as a user runs it (its cache beside the database),
    interpreter start-up included."""
    cmd = [sys.executable, "-m", "extract", "build", "-q", "--corpus", str(corpus), "--db", str(db), "--source", source]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def facts_of(db: Path) -> list[tuple]:
    """The facts view in a fixed order, to compare two builds."""
    return sqlite3.connect(db).execute("select * from facts order by 1").fetchall()


def bench_source(args: argparse.Namespace, tmp: Path, source: str, pages: int) -> str:
    """One line of the table for one source."""
    db = tmp / source / "csp.db"
    cache = cache_dir_for(db)  # where the CLI keeps it
    cold, report = timed_build(args.corpus, db, source, cache)  # an empty cache: every file read (and cached)
    warm, _ = timed_build(args.corpus, tmp / f"{source}-warm" / "csp.db", source, cache)  # new db, files from cache
    again, _ = timed_build(args.corpus, db, source, cache)
    cli = timed_cli(args.corpus, db, source) if args.cli else float("nan")
    rate = f"{pages / cold:.1f}" if source != "text" else "-"
    line = f"{source:6} {cold:8.2f} {warm:10.2f} {again:10.2f} {cli:8.2f} {rate:>8} {report.facts:6}"  # type: ignore[attr-defined]
    if args.jobs2:
        two = tmp / f"{source}-2" / "csp.db"
        cold2, _ = timed_build(args.corpus, two, source, None, jobs=2)
        line += f" {cold2:8.2f} {facts_of(db) == facts_of(two)}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--source", nargs="+", default=["text", "pdf", "all"])
    parser.add_argument("--jobs2", action="store_true", help="also a cold build with two reading processes")
    parser.add_argument("--no-cli", dest="cli", action="store_false", help="skip the CLI no-change rebuild")
    args = parser.parse_args()
    pages = pdf_pages(args.corpus)
    print(f"corpus: {args.corpus} ({pages} PDF pages)")
    head = f"{'source':6} {'cold s':>8} {'cached s':>10} {'no-change':>10} {'CLI s':>8} {'pages/s':>8} {'facts':>6}"
    print(head + (f" {'cold j2 s':>8} same facts" if args.jobs2 else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.source:
            print(bench_source(args, Path(tmp), source, pages), flush=True)


if __name__ == "__main__":
    main()
