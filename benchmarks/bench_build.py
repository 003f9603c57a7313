"""Build speed on the bundled corpus: a cold build and a rebuild (read documents cached by content),
per source, with stage timings.

    python benchmarks/bench_build.py [--corpus corpus] [--source text pdf all] [--repeat 2]

Prints seconds per build, pages per second for PDF sources, and where the time went.
Speed is measured here, not in timed tests.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--source", nargs="+", default=["text", "pdf", "all"])
    parser.add_argument("--repeat", type=int, default=2, help="builds per source (the first is the cold build)")
    args = parser.parse_args()
    pages = pdf_pages(args.corpus)
    print(f"corpus: {args.corpus} ({pages} PDF pages)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        for source in args.source:
            times = []
            cache = Path(tmp) / f"cache-{source}"
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                report = build(args.corpus, db, source=source, cache_dir=cache)
                times.append(time.perf_counter() - t0)
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(report.stage_seconds.items()))
            rate = f", {pages / times[-1]:.1f} pages/s" if source != "text" else ""
            print(
                f"--source {source}: build {times[0]:.2f}s, rebuild {times[-1]:.2f}s{rate}; "
                f"{report.facts} facts; stages: {stages}"
            )


if __name__ == "__main__":
    main()
