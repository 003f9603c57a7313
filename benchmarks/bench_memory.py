"""Peak memory of reading a long PDF: a generated report of N pages (prose and a ruled table on
each), read through the archive's PDF reader in a child process, as a build's worker reads it.

    python benchmarks/bench_memory.py [--pages 300] [--tracemalloc]

Prints the child's peak resident set (``getrusage(RUSAGE_CHILDREN)``), pages per second, and with
``--tracemalloc`` the peak of Python allocations (slower: every allocation is traced).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = """
import sys, time, tracemalloc
from pathlib import Path
trace = sys.argv[2] == "1"
if trace:
    tracemalloc.start()
from extract.readers.pdf import read_pdf
t0 = time.perf_counter()
doc = read_pdf(Path(sys.argv[1]), "pdf/long.pdf")
seconds = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(doc.pages, len(doc.tables()), len(doc.blocks), seconds, peak)
"""


def long_report(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages, each a heading, two lines of prose and a ruled table of figures."""
    from tests.pdf_fixtures import Writer

    w = Writer(path)
    for n in range(1, pages + 1):
        if n > 1:
            w.new_page()
        w.text(f"Section {n}: crime in the district", size=14, font="Helvetica-Bold")
        w.text(f"During quarter {n % 4 + 1} there were {800 + n} crimes recorded in the district,")
        w.text(f"of which {100 + n} were violence with injury and {40 + n % 17} were robberies.")
        rows = [["Crime type", "Q1", "Q2", "Q3", "Q4", "Total"]]
        for k, label in enumerate(("Violence", "Robbery", "Burglary", "Criminal damage", "Theft")):
            q = [10 + (n * 7 + k * 3 + j) % 90 for j in range(4)]
            rows.append([label, *map(str, q), str(sum(q))])
        w.ruled_table(rows, [150, 55, 55, 55, 55, 60])
    w.save()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python allocations (slow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = long_report(Path(tmp) / "long.pdf", args.pages)
        print(f"generated {args.pages} pages ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f}s")
        run = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), "1" if args.tracemalloc else "0"],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        pages, tables, blocks, seconds, peak = run.stdout.split()
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"read {pages} pages, {tables} tables, {blocks} blocks in {float(seconds):.1f}s")
    print(f"pages/s: {int(pages) / float(seconds):.1f}")
    print(f"peak RSS of the reading process: {rss_mb:.0f} MB")
    if args.tracemalloc:
        print(f"peak Python allocations (tracemalloc): {int(peak) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
