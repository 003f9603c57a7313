"""PDF reading speed: the archive's PDF reader, and a cold PDF build, against a bare pdfplumber
pass over the same files in the same run.

    python benchmarks/bench_pdf.py [--corpus corpus] [--repeat 2] [--no-build]

The bare pass is ``extract_text()`` + ``extract_tables()`` on every page, the least any PDF
reading does; the ratios (reader ÷ bare pass, cold build ÷ bare pass) say what the archive's extra
work costs. The cold build (no cache, ``--source pdf``) runs with one worker and with two, and says
whether the two archives are the same. Each table finder's time is given in pages per second of
the pages it was tried on.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber

from extract.corpus.limits import ReadLimits
from extract.pipeline import build
from extract.readers import table_finders
from extract.readers.pdf import read_pdf


def bare_pass(paths: list[Path]) -> int:
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return pages


def reader_pass(paths: list[Path]) -> int:
    return sum(read_pdf(path, f"pdf/{path.name}").pages for path in paths)


def cold_build(corpus: Path, jobs: int) -> tuple[float, list[tuple]]:
    """Seconds of a cold ``--source pdf`` build (no cache) with ``jobs`` workers, and its facts."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "csp.db"
        t0 = time.perf_counter()
        build(corpus, db, source="pdf", cache_dir=None, limits=ReadLimits(jobs=jobs))
        seconds = time.perf_counter() - t0
        facts = sqlite3.connect(db).execute("select * from facts order by 1").fetchall()
    return seconds, facts


def finder_rates(paths: list[Path]) -> dict[str, tuple[int, float]]:
    """Each table finder's pages tried and seconds, over one reader pass (its ``find`` timed)."""
    spent: dict[str, list] = defaultdict(lambda: [0, 0.0])
    originals = {}
    for cls in (table_finders.RuledFinder, table_finders.CamelotFinder, table_finders.AlignedFinder):
        originals[cls] = cls.find

        def timed(self, page, words, body, _find=cls.find, _name=cls.name):
            t0 = time.perf_counter()
            try:
                return _find(self, page, words, body)
            finally:
                spent[_name][0] += 1
                spent[_name][1] += time.perf_counter() - t0

        cls.find = timed  # type: ignore[method-assign]
    try:
        reader_pass(paths)
    finally:
        for cls, find in originals.items():
            cls.find = find  # type: ignore[method-assign]
    return {name: (int(n), float(t)) for name, (n, t) in spent.items()}


def best_of(fn, paths, repeat: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        pages = fn(paths)
        times.append(time.perf_counter() - t0)
    return min(times), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-build", dest="builds", action="store_false", help="skip the cold builds")
    args = parser.parse_args()
    paths = sorted((args.corpus / "pdf").glob("*.pdf"))
    bare, pages = best_of(bare_pass, paths, args.repeat)
    ours, _ = best_of(reader_pass, paths, args.repeat)
    print(f"{len(paths)} PDFs, {pages} pages")
    print(f"bare pdfplumber pass: {bare:.2f}s ({pages / bare:.1f} pages/s)")
    print(f"csp-archive read_pdf: {ours:.2f}s ({pages / ours:.1f} pages/s)")
    print(f"ratio (read_pdf / bare pass): {ours / bare:.2f}")
    for name, (tried, seconds) in sorted(finder_rates(paths).items()):
        rate = f"{tried / seconds:.1f}" if seconds else "-"
        print(f"finder {name:8} tried on {tried:3} page passes, {seconds:6.2f}s ({rate} pages/s)")
    if args.builds:
        one, facts1 = min((cold_build(args.corpus, 1) for _ in range(args.repeat)), key=lambda r: r[0])
        two, facts2 = min((cold_build(args.corpus, 2) for _ in range(args.repeat)), key=lambda r: r[0])
        print(f"cold pdf build, --jobs 1: {one:.2f}s ({one / bare:.2f} x the bare pass)")
        print(f"cold pdf build, --jobs 2: {two:.2f}s ({two / bare:.2f} x the bare pass)")
        print(f"--jobs 2 speed-up: {one / two:.2f}x; the same archive: {facts1 == facts2}")


if __name__ == "__main__":
    main()
