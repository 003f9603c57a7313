"""What one more report costs: the bundled corpus (or its text renditions ×N) copied to a scratch
directory and built cold, then `add` of one report (a copy of a text rendition under a new id) timed
against reading that report alone and against the same rebuild loading every report into a new
database (what every add did before builds kept the unchanged documents); a rebuild with nothing
changed against the cold build; and cold builds with --jobs 1 and --jobs 2 (speed-up, and whether
their facts are identical).

    python benchmarks/bench_add.py [--corpus corpus] [--source all] [--times N] [--no-jobs] [--adds 3] [--profile 15]

Each of --adds reports is added after the one before and timed beside reading and interpreting it
alone, since the machine's speed moves between runs; the fastest of each is given. Prints a table of seconds and ratios, the rebuild's stage timings and, with --profile N, the N
functions the add's rebuild spends most time in (cProfile, cumulative). Speed is measured here,
not in timed tests.

Measured on this machine (2 cores; earlier lines at load average about 2, "now" at about 0.5):

    --source all   cold 43 s; add one report + rebuild 0.53 s (2.15 s loading every report again;
                   0.82 s before reports were harmonised as stored and series kept in part)
                   against 0.02 s to read it, 0.30 s to read and interpret it.
                   Now: cold 28.6 s --jobs 1, 16.1 s --jobs 2 (1.78x, facts identical);
                   add 0.25 s against 0.11 s to read and interpret (fastest of 3 adds).
    --source text  cold 4.6 s; nothing changed 0.02 s; add 0.38 s (0.83 s before), 0.16 s to
                   read and interpret the report; 0.24-0.29 s with the passages index kept.
                   Now: cold 3.2-3.8 s; nothing changed 0.01 s; add 0.24 s against 0.11 s.
    --times 20     cold 20 s; add 1.5-2.3 s (4.1-4.3 s before; 17 s loading all)
                   against 0.25 s to read and interpret the report; 0.77 s with the passages
                   index kept and libyaml (0.10 s to read and interpret).
                   Now: cold 13-18 s; add 0.47 s against 0.11 s (4.2x; each add 3.0-5.0x).

(The earlier lines' add copied a bundled text byte for byte, so its read and interpretation could
come from the cache; each add now has a line of its own.) What an add still costs beyond its own
report is made over the whole archive (at ×20: copying the archive 55-70 ms, period_values 25 ms,
facet_counts 20 ms, lines 9 ms, the manifest read three times and the inputs' digests about 60 ms)
or is the bounded reading worker's start (0.04 s); see README "Scale".
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_queries import copy_corpus  # noqa: E402  (run as a script from benchmarks/ or the repository)

from extract.corpus.cache import cache_dir_for
from extract.corpus.edit import NewDocument, add_document
from extract.corpus.limits import ReadLimits
from extract.corpus.manifest import load_manifest
from extract.pipeline import BuildReport, build, process_entry, read_file


@dataclass(frozen=True)
class Settings:
    source: str = "all"  # as `csp-archive build` reads by default
    new_id: str = "added-copy"  # the id the added report takes (numbered when several are added)
    profile: int = 0  # functions of the add's rebuild to list (0: no profile)
    adds: int = 3  # reports added one after another, each timed with its own reading (fastest given)


def facts_of(db: Path) -> list[tuple]:
    query = "select document_id, source_file, row_label, column_label, measure, value, quote from facts order by 1,2,3,4,5,6,7"
    return sqlite3.connect(db).execute(query).fetchall()


def timed_build(
    corpus: Path, db: Path, source: str, jobs: int | None = None, cache: Path | None = None
) -> tuple[float, BuildReport]:
    t0 = time.perf_counter()
    cache = cache or cache_dir_for(db)
    report = build(corpus, db, source=source, cache_dir=cache, limits=ReadLimits(jobs=jobs))
    return time.perf_counter() - t0, report


def read_alone(corpus: Path, text: Path, new_id: str) -> tuple[float, float]:
    """Seconds to read the file alone (the read stage), and to read and interpret it (its entry
    processed on its own, no cache)."""
    t0 = time.perf_counter()
    read_file(text, f"text/{text.name}", "text")
    read = time.perf_counter() - t0
    entry = next(e for e in load_manifest(corpus) if e.id == new_id)
    t0 = time.perf_counter()
    process_entry(entry, "text", {})
    return read, time.perf_counter() - t0


def add_one(corpus: Path, db: Path, settings: Settings, template: Path, new_id: str) -> tuple[float, BuildReport, str]:
    """`add` a copy of ``template`` as ``new_id``, rebuilding as the command does; the seconds, the
    rebuild's report and, with a profile, its top functions."""
    incoming = corpus.parent / "incoming" / f"{new_id}.txt"
    incoming.parent.mkdir(exist_ok=True)
    mark = "".join(chr(ord("a") + int(d)) for d in str(sum(map(ord, new_id))))  # no digit: no figure
    # bytes of its own, so neither the read nor the interpretation comes from the cache
    incoming.write_bytes(template.read_bytes() + f"\n\nThe copy marked {mark} for the benchmark.\n".encode())
    reports: list[BuildReport] = []

    def rebuild() -> list[str]:
        reports.append(build(corpus, db, source=settings.source, cache_dir=cache_dir_for(db)))
        return reports[-1].errors

    doc = NewDocument([incoming], "Added report", "strategic_assessment", new_id)
    profiler = cProfile.Profile() if settings.profile else None
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    add_document(corpus, doc, rebuild, db_path=db)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - t0
    top = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(settings.profile)
        top = out.getvalue()
    return seconds, reports[-1], top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--source", default=Settings.source, choices=["all", "text", "pdf"])
    parser.add_argument("--profile", type=int, default=Settings.profile, help="List the N costliest functions")
    parser.add_argument("--times", type=int, default=1, help="The corpus's text renditions N times (bench_queries)")
    parser.add_argument("--no-jobs", action="store_true", help="One cold build, not --jobs 1 against --jobs 2")
    parser.add_argument("--adds", type=int, default=Settings.adds, help="Reports added one after another")
    args = parser.parse_args()
    settings = Settings(source="text" if args.times > 1 else args.source, profile=args.profile, adds=args.adds)
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        if args.times > 1:
            copy_corpus(args.corpus, corpus, args.times)
        else:
            shutil.copytree(args.corpus, corpus)
        one, two = Path(scratch) / "j1" / "csp.db", Path(scratch) / "j2" / "csp.db"
        cold1, report = timed_build(corpus, one, settings.source, jobs=None if args.no_jobs else 1)
        rows.append((f"cold build --jobs {'N' if args.no_jobs else 1}", cold1, f"{report.facts} facts"))
        if not args.no_jobs:
            cold2, _ = timed_build(corpus, two, settings.source, jobs=2)
            same = facts_of(one) == facts_of(two)
            rows.append(("cold build --jobs 2", cold2, f"speed-up {cold1 / cold2:.2f}×, facts identical: {same}"))
        again, unchanged = timed_build(corpus, one, settings.source)
        rows.append(
            (
                "rebuild, nothing changed",
                again,
                f"{100 * again / cold1:.1f} % of cold (up to date: {unchanged.unchanged})",
            )
        )
        template = next(e for e in load_manifest(corpus) if e.file_of("text"))
        text = template.paths[template.file_of("text")]
        adds, reads, interprets = [], [], []
        for k in range(1, settings.adds + 1):  # each add timed beside its own reading: the machine's
            new_id = settings.new_id if settings.adds == 1 else f"{settings.new_id}-{k}"  # load moves
            seconds, rebuilt, top = add_one(corpus, one, settings, text, new_id)
            read, interpreted = read_alone(corpus, corpus / "text" / f"{new_id}.txt", new_id)
            adds.append(seconds)
            reads.append(read)
            interprets.append(interpreted)
        added, read, interpreted = min(adds), min(reads), min(interprets)
        spread = f"; {settings.adds} adds: {', '.join(f'{a:.2f}' for a in adds)}" if settings.adds > 1 else ""
        rows.append(
            (
                "add one report + rebuild",
                added,
                f"{100 * added / cold1:.1f} % of cold, {added / read:.0f}× its read{spread}",
            )
        )
        rows.append(("read that report alone", read, "the read stage (text rendition)"))
        ratios = ", ".join(f"{a / i:.1f}" for a, i in zip(adds, interprets))
        rows.append(
            ("read + interpret it alone", interpreted, f"add costs {added / interpreted:.1f}× this (each: {ratios})")
        )
        full, _ = timed_build(corpus, Path(scratch) / "full" / "csp.db", settings.source, cache=cache_dir_for(one))
        rows.append(("the same rebuild, loading all", full, "from the caches into a new database (before: every add)"))
    print(f"corpus: {args.corpus}, --source {settings.source}")
    print(f"{'step':30} {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:30} {seconds:8.2f}  {note}")
    stages = ", ".join(f"{k} {v:.2f}" for k, v in sorted(rebuilt.stage_seconds.items(), key=lambda kv: -kv[1]))
    print(f"\nthe add's rebuild by stage (s): {stages}")
    if top:
        print(top)


if __name__ == "__main__":
    main()
