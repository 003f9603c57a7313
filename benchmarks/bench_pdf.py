"""PDF reading speed: the archive's PDF reader against a bare pdfplumber pass over the same files.

    python benchmarks/bench_pdf.py [--corpus corpus] [--repeat 2]

The bare pass is ``extract_text()`` + ``extract_tables()`` on every page, the least any PDF
reading does; the ratio (reader ÷ bare pass) says what the reader's extra work costs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pdfplumber

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
    args = parser.parse_args()
    paths = sorted((args.corpus / "pdf").glob("*.pdf"))
    bare, pages = best_of(bare_pass, paths, args.repeat)
    ours, _ = best_of(reader_pass, paths, args.repeat)
    print(f"{len(paths)} PDFs, {pages} pages")
    print(f"bare pdfplumber pass: {bare:.2f}s ({pages / bare:.1f} pages/s)")
    print(f"csp-archive read_pdf: {ours:.2f}s ({pages / ours:.1f} pages/s)")
    print(f"ratio (read_pdf / bare pass): {ours / bare:.2f}")


if __name__ == "__main__":
    main()
