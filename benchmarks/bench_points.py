"""The `points` stage (extract/store/points.py: `points` and `changes` made whole from `series`) and
`check --series`, timed on the bundled corpus's text renditions ×1 and ×N (the corpus copied N times
under new ids, as benchmarks/bench_queries.py makes it).

    python benchmarks/bench_points.py [--corpus corpus] [--times 20] [--repeat 3]

Prints, for each size, the rows of `series` and `points`, the build's own timing of the `series` and
`points` stages, and the fastest of --repeat runs of the stage and of the check on the built archive.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

import sqlite_utils

from benchmarks.bench_queries import copy_corpus
from extract.pipeline import build
from extract.store.points import check_series, materialise_points


def fastest(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(corpus: Path, work: Path, times: int, repeat: int) -> None:
    copied = copy_corpus(corpus, work / f"corpus{times}", times)
    db = work / f"csp{times}.db"
    report = build(copied, db, source="text", cache_dir=work / "cache")
    assert report.ok, report.errors
    con = sqlite3.connect(db)
    series, points = (con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("series", "points"))
    changes = con.execute("select count(*) from changes").fetchone()[0]
    con.close()
    stages = report.stage_seconds
    archive = sqlite_utils.Database(db)
    stage = fastest(lambda: materialise_points(archive), repeat)
    found = check_series(archive)
    check = fastest(lambda: check_series(archive), repeat)
    print(
        f"×{times}: {series} series rows, {points} points, {changes} changes; in the build: series "
        f"{stages.get('series', 0):.3f} s, points {stages.get('points', 0):.3f} s; points stage again "
        f"{stage:.3f} s, check --series {check:.3f} s ({len(found.problems)} problems)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for times in (1, args.times):
            measure(args.corpus, Path(tmp), times, args.repeat)


if __name__ == "__main__":
    main()
