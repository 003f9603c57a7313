"""Does a document's cost grow with its size, not its square? Times inputs of n and 4n through
reading + interpretation (in this process, warmed up) and through a whole build (a fresh corpus of
one report, in this process), and prints the ratios: about 4 is linear, 16 quadratic. Also times a
PDF decompression bomb's refusal.

    python benchmarks/bench_linear.py [--rows 20000] [--bytes 5000000] [--figures 80000] [--no-build]

Inputs: a table of ``rows`` rows ("Ward i", two periods, as the issue's), a line of ``bytes`` bytes
of "word " without a full stop, and a line of ``figures`` bytes of "877 crimes and " (a figure every
three words, no full stop); each at a quarter of its size and at its size. Speed is measured here,
not in timed tests. The machine is shared: CPU seconds are printed beside wall seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extract.corpus.manifest import load_manifest  # noqa: E402
from extract.pipeline import build, interpret, read_file  # noqa: E402
from extract.vocab.areas import use_district_areas  # noqa: E402

ENTRY = (
    "  - id: {id}\n    title: Linear {id}\n    kind: other\n    area: Winchester district\n"
    "    period: {{start: 2021-04-01, end: 2022-03-31}}\n    files: [text/{id}.txt]\n"
)


def table(rows: int) -> bytes:
    return ("Area\t2021/22\t2022/23\n" + "".join(f"Ward {i}\t{i % 97}\t{(i * 7) % 89}\n" for i in range(rows))).encode()


def words(size: int) -> bytes:
    return b"word " * (size // 5)


def figures(size: int) -> bytes:
    piece = b"877 crimes and "
    return piece * (size // len(piece))


def corpus_of(root: Path, data: bytes) -> Path:
    corpus = root / "corpus"
    (corpus / "text").mkdir(parents=True)
    (corpus / "text" / "linear.txt").write_bytes(data)
    (corpus / "manifest.yaml").write_text("documents:\n" + ENTRY.format(id="linear"), encoding="utf-8")
    return corpus


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def read_and_interpret(data: bytes) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_of(Path(tmp), data)
        entry = load_manifest(corpus)[0]

        def run() -> None:
            doc = read_file(corpus / "text" / "linear.txt", "text/linear.txt", "text")
            interpret(doc, entry, {})

        return timed(run)


def whole_build(data: bytes) -> tuple[float, float]:
    from extract.corpus.limits import ReadLimits

    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_of(Path(tmp), data)
        return timed(lambda: build(corpus, Path(tmp) / "csp.db", source="text", limits=ReadLimits(jobs=1)))


def bomb() -> str:
    from extract.errors import ReadError
    from extract.readers.pdf import read_pdf
    from tests.pdf_fixtures import bomb_pdf

    with tempfile.TemporaryDirectory() as tmp:
        path = bomb_pdf(Path(tmp) / "bomb.pdf")
        t0 = time.perf_counter()
        try:
            read_pdf(path, "pdf/bomb.pdf")
            reason = "read (not refused)"
        except ReadError as err:
            reason = err.reason
        return f"{path.stat().st_size / 1000:.0f} KB bomb: {time.perf_counter() - t0:.2f} s, {reason}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="Rows of the larger table")
    parser.add_argument("--bytes", type=int, default=5_000_000, help="Bytes of the larger line of words")
    parser.add_argument("--figures", type=int, default=80_000, help="Bytes of the larger line of figures")
    parser.add_argument("--no-build", action="store_true", help="Time reading + interpretation only")
    parser.add_argument("--no-bomb", action="store_true", help="Skip the PDF bomb")
    args = parser.parse_args()
    use_district_areas(REPO / "corpus" / "areas.csv")
    read_and_interpret(table(50) + words(500))  # warm up: spaCy, the vocabularies
    cases = [
        ("table rows", args.rows, table),
        ("line of words (bytes)", args.bytes, words),
        ("line of figures (bytes)", args.figures, figures),
    ]
    stages = [("read + interpret", read_and_interpret)] + ([] if args.no_build else [("whole build", whole_build)])
    print("| input | stage | n | wall (n/4) | wall (n) | ratio | cpu (n/4) | cpu (n) | cpu ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, n, make in cases:
        for stage, fn in stages:
            (w1, c1), (w4, c4) = fn(make(n // 4)), fn(make(n))
            print(
                f"| {name} | {stage} | {n:,} | {w1:.2f} | {w4:.2f} | {w4 / max(w1, 1e-3):.1f} "
                f"| {c1:.2f} | {c4:.2f} | {c4 / max(c1, 1e-3):.1f} |",
                flush=True,
            )
    if not args.no_bomb:
        print(bomb())


if __name__ == "__main__":
    main()
