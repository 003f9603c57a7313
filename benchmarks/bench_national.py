"""A national archive in miniature: a corpus of N districts × M reports, read on a LocalCluster.

    python benchmarks/bench_national.py --districts 1 10 50 --reports 5 --workers 1 2 [--keep DIR]
    python benchmarks/bench_national.py --districts 1 10 50 --keep DIR --queries-only [--cpu]

Each district is made from the bundled text renditions, varied as another district's would be: its
own name in place of Winchester's (so its regions are "<NAME> CITY" …, its areas file its own), its
reports' years shifted by 0–3 years (periods, headings and table columns alike), and its parishes
kept as printed, so every district has a "ST MICHAEL" that must never meet another's. For each N
it builds the corpus with ``--scheduler local:W`` for each W and prints seconds, documents and pages
per second (a text rendition counted as the pages of its bundled PDF), then the archive's size and
the canned queries' times against N = 1: per query the milliseconds, the rows, and the time per row
returned as a ratio of N = 1's (of the first N it returns rows at: comparing districts needs two).

Speed is measured here, not in timed tests.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import queries, time_query  # noqa: E402

from extract.cluster import cluster_reader  # noqa: E402
from extract.corpus.limits import ReadLimits  # noqa: E402
from extract.corpus.manifest import load_manifest  # noqa: E402
from extract.pipeline import build  # noqa: E402

FIRST = ["North", "South", "East", "West", "Upper", "Lower", "Kings", "Market", "Old", "New"]
LAST = ["vale", "mere", "ford", "ham", "bridge", "field", "ton", "wick", "by", "worth"]


@dataclass(frozen=True)
class Settings:
    districts: tuple[int, ...] = (1, 10, 50)
    reports: int = 5  # per district, the bundled ones in order (at most 5)
    workers: tuple[int, ...] = (1, 2)
    repeat: int = 10  # runs per query; the fastest is reported


def district_name(k: int) -> str:
    return FIRST[k % len(FIRST)] + LAST[(k // len(FIRST)) % len(LAST)] + ("" if k < 100 else str(k // 100))


def shift_years(text: str, years: int) -> str:
    """Every year 2000–2039 moved on by ``years``; "2021/22" → "2023/24" with it."""

    def moved(m: re.Match) -> str:
        year = int(m.group(1)) + years
        if m.group(3):
            return f"{year}{m.group(2)}{(int(m.group(3)) + years) % 100:02d}"
        return str(year)

    return re.sub(r"(?<!\d)(20[0-3]\d)(?:(/)(\d\d))?(?!\d)", moved, text)


def rename(text: str, name: str) -> str:
    return text.replace("WINCHESTER", name.upper()).replace("Winchester", name).replace("winchester", name.lower())


def national_corpus(corpus: Path, dest: Path, districts: int, reports: int) -> tuple[Path, int]:
    """``districts`` × ``reports`` text reports under ``dest``; returns it and its pages."""
    import pdfplumber

    entries = [e for e in load_manifest(corpus) if e.file_of("text")][:reports]
    pages_of = {}
    for e in entries:
        pdf = e.file_of("pdf")
        pages_of[e.id] = 1
        if pdf:
            with pdfplumber.open(e.paths[pdf]) as opened:
                pages_of[e.id] = len(opened.pages)
    areas = (corpus / "areas.csv").read_text(encoding="utf-8")
    declared, documents, pages = [], [], 0
    for k in range(districts):
        name, key, years = district_name(k), f"d{k:03d}", k % 4
        folder = dest / key
        (folder / "text").mkdir(parents=True)
        (folder / "areas.csv").write_text(rename(areas, name), encoding="utf-8")
        declared.append({"id": key, "name": name, "areas": f"{key}/areas.csv"})
        for e in entries:
            text = e.paths[e.file_of("text")].read_text(encoding="utf-8")
            doc_id = f"{key}-{shift_years(e.id, years)}"
            (folder / "text" / f"{doc_id}.txt").write_text(shift_years(rename(text, name), years), encoding="utf-8")
            doc = {"id": doc_id, "title": rename(e.title, name), "kind": e.kind, "district": key}
            if e.area:
                doc["area"] = rename(e.area, name)
            if e.period_start and e.period_end:
                doc["period"] = {
                    "start": e.period_start.replace(year=e.period_start.year + years).isoformat(),
                    "end": e.period_end.replace(year=e.period_end.year + years).isoformat(),
                }
            doc["files"] = [f"{key}/text/{doc_id}.txt"]
            documents.append(doc)
            pages += pages_of[e.id]
    manifest = {"districts": declared, "documents": documents}
    (dest / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return dest, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--districts", type=int, nargs="+", default=list(Settings.districts))
    parser.add_argument("--reports", type=int, default=Settings.reports)
    parser.add_argument("--workers", type=int, nargs="+", default=list(Settings.workers))
    parser.add_argument("--repeat", type=int, default=Settings.repeat)
    parser.add_argument("--keep", type=Path, help="Keep corpora and archives here")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="Time the queries by this process's CPU (time.process_time), not the wall clock: on a busy machine",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="Time only the canned queries, on the archives kept (--keep) by an earlier run",
    )
    args = parser.parse_args()
    timings: dict[int, dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        print(
            f"{'districts':>9} {'documents':>9} {'pages':>6} {'workers':>7} {'seconds':>8} {'docs/s':>7} {'pages/s':>8}"
        )
        for n in args.districts:
            db = work / f"n{n}.db"
            if args.queries_only:
                if not db.is_file():
                    parser.error(f"--queries-only: no archive {db} kept by an earlier run")
                workers = []
            else:
                shutil.rmtree(work / f"corpus-{n}", ignore_errors=True)  # a kept corpus made again
                corpus, pages = national_corpus(args.corpus, work / f"corpus-{n}", n, args.reports)
                workers = args.workers
            for w in workers:
                db.unlink(missing_ok=True)
                t0 = time.perf_counter()
                report = build(
                    corpus, db, source="text", limits=ReadLimits(jobs=w), remote=cluster_reader(f"local:{w}")
                )
                seconds = time.perf_counter() - t0
                print(
                    f"{n:9d} {report.documents:9d} {pages:6d} {w:7d} {seconds:8.1f} "
                    f"{report.documents / seconds:7.2f} {pages / seconds:8.2f}",
                    flush=True,
                )
            con = sqlite3.connect(db)
            size = db.stat().st_size / 1e6
            print(f"{'':9} archive {size:.1f} MB, {con.execute('select count(*) from facts').fetchone()[0]} facts")
            clock = time.process_time if args.cpu else time.perf_counter
            timings[n] = {name: time_query(con, sql, p, args.repeat, clock) for name, (sql, p) in queries(con).items()}
            con.close()
    print(f"\n{'query':40} " + " ".join(f"{f'N={n} ms':>10} {'rows':>6} {'per row':>7}" for n in timings))
    for name in timings[min(timings)]:
        # per row as a ratio of the smallest N's, or of the first N it returns rows at (comparing
        # districts returns none for one district)
        base = next((n for n in sorted(timings) if timings[n].get(name, (0.0, 0))[1]), min(timings))
        a, ra = timings[base][name]
        cells = []
        for n in timings:
            b, rb = timings[n].get(name, (0.0, 0))
            ratio = (b / max(rb, 1)) / (a / max(ra, 1)) if a else 0.0
            cells.append(f"{b:10.2f} {rb:6d} {ratio:7.2f}")
        print(f"{name:40} " + " ".join(cells))


if __name__ == "__main__":
    main()
