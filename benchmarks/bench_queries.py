"""Query speed as the archive grows: the bundled corpus built ×1 and ×N (its text renditions
copied N times under new ids), timing the `series` table, `coverage`, the canned queries and a
facet counted and read (as the `facts` page reads it, extract/publish/facets.py) on each.

    python benchmarks/bench_queries.py [--corpus corpus] [--times 20] [--repeat 20]

Prints milliseconds per query (the fastest of --repeat runs) at ×1 and ×N, and the ratio. The copied
corpus repeats the same reports, so a trend line at ×N is N times longer than at ×1; for a query
whose result grows, the time at ×N is also given for the same number of rows as at ×1 (the query
wrapped in a LIMIT), which is what the time of one answer of a given size does as the archive grows.
Speed is measured here, not in timed tests.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from extract.corpus.manifest import load_manifest
from extract.pipeline import build
from extract.publish import facets, pages


@dataclass
class Settings:
    times: int = 20  # copies of the corpus in the large build
    repeat: int = 20  # runs per query; the fastest is reported


def copy_corpus(corpus: Path, dest: Path, times: int) -> Path:
    """A text-only corpus holding every document ``times`` times under new ids."""
    (dest / "text").mkdir(parents=True)
    docs = []
    for entry in load_manifest(corpus):
        text = entry.file_of("text")
        if text is None:
            continue
        for k in range(times):
            doc_id = entry.id if times == 1 else f"{entry.id}-copy{k + 1}"
            (dest / "text" / f"{doc_id}.txt").write_bytes(entry.paths[text].read_bytes())
            doc = {"id": doc_id, "title": entry.title, "kind": entry.kind, "files": [f"text/{doc_id}.txt"]}
            if entry.area:
                doc["area"] = entry.area
            if entry.period_start and entry.period_end:
                doc["period"] = {"start": entry.period_start.isoformat(), "end": entry.period_end.isoformat()}
            docs.append(doc)
    (dest / "manifest.yaml").write_text(yaml.safe_dump({"documents": docs}, sort_keys=False), encoding="utf-8")
    return dest


#: Parameters of the canned queries that are not chosen from the data.
WORDS = {"find_a_figure": {"words": "burglary"}, "find_a_passage": {"words": "domestic abuse"}}


def queries(con: sqlite3.Connection) -> dict[str, tuple[str, dict]]:
    """The queries to time, with parameters chosen from the data: the longest trend line, the two
    most common starts of a year, the report with most figures, the commonest plan period."""
    canned = yaml.safe_load(Path("datasette/canned_queries.yml").read_text(encoding="utf-8"))["queries"]
    line = con.execute(
        "select canonical_category, area, measure from series group by 1, 2, 3 order by count(*) desc, 1, 2, 3 limit 1"
    ).fetchone()
    starts = [
        r[0]
        for r in con.execute(
            "select period_start from period_values where unit = 'count' and length = '12 months' "
            "group by 1 order by count(*) desc, 1 limit 2"
        )
    ]
    earlier, later = sorted(starts)
    doc = con.execute("select document_id from facts group by 1 order by count(*) desc, 1 limit 1").fetchone()[0]
    plan = con.execute(
        "select period_start from commitments where period_start is not null group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    trend = {"category": line[0], "area": line[1], "measure": line[2]}
    params = {
        "trend_for_a_category": trend,
        "what_changed_between_two_periods": {"earlier_start": earlier, "later_start": later},
        "figures_of_a_report": {"report": doc},
        "what_was_promised": {"words": ""},
        "promised_and_reported_after": {"period_start": plan[0] if plan else ""},
        "compare_districts": {"category": line[0]},
        **WORDS,
    }
    chosen = {
        "series (one trend line)": (
            "select * from series where canonical_category = :category and area = :area and measure = :measure",
            trend,
        ),
        "coverage (one category)": ("select * from coverage where canonical_category = :category", trend),
        "coverage (all)": ("select * from coverage", {}),
        "facts of one document": ("select * from facts where document_id = :doc", {"doc": doc}),
        "facet counted: facts by category": (
            "select category, count(*) from facts where canonical_category = :category group by 1",
            trend,
        ),
        "facet read: facts by category": (facets.READ_SQL, {"facet": "category", "category": line[0], "limit": 31}),
        "facet read: all facts by status": (facets.READ_SQL, {"facet": "status", "category": None, "limit": 31}),
        "trend lines (site home page)": (pages.TREND_LINES, {}),
    }
    for name, query in canned.items():
        chosen[name] = (query["sql"], params.get(name, {}))
    return chosen


def time_query(
    con: sqlite3.Connection, sql: str, params: dict, repeat: int, clock=time.perf_counter
) -> tuple[float, int]:
    """The fastest of ``repeat`` runs in milliseconds, and the rows; ``clock`` time.process_time
    counts only this process's CPU, so a machine shared with other work slows no run."""
    con.execute(sql, params).fetchall()  # warm the page cache
    runs, rows = [], 0
    for _ in range(repeat):
        t0 = clock()
        rows = len(con.execute(sql, params).fetchall())
        runs.append(clock() - t0)
    return min(runs) * 1000, rows  # the fastest run: other work on the machine only ever slows one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--times", type=int, default=Settings.times)
    parser.add_argument("--repeat", type=int, default=Settings.repeat)
    parser.add_argument("--keep", type=Path, help="Keep the builds in this directory and reuse them next time")
    args = parser.parse_args()
    results: dict[int, dict[str, tuple[float, int]]] = {}
    same_size: dict[str, float] = {}  # ms at ×N for the number of rows the query gives at ×1
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        for times in (1, args.times):
            db = work / f"x{times}.db"
            if not db.is_file():
                corpus = copy_corpus(args.corpus, work / f"corpus-x{times}", times)
                t0 = time.perf_counter()
                report = build(corpus, db, source="text", cache_dir=work / "cache")
                print(f"×{times}: {report.documents} documents, built in {time.perf_counter() - t0:.1f}s")
            con = sqlite3.connect(db)
            chosen = queries(con)
            results[times] = {name: time_query(con, sql, p, args.repeat) for name, (sql, p) in chosen.items()}
            if times != 1:
                for name, (sql, p) in chosen.items():
                    small = results[1][name][1]
                    if results[times][name][1] != small:
                        same_size[name] = time_query(con, f"select * from ({sql}) limit {small}", p, args.repeat)[0]
            con.close()
    print_table(chosen, results, same_size, args.times)


def print_table(names, results: dict[int, dict[str, tuple[float, int]]], same_size: dict[str, float], big: int) -> None:
    """One line per query: ×1 and ×N times and rows, their ratio, and where the result grew, the
    time at ×N for ×1's number of rows and that ratio."""
    print(
        f"\n{'query':36} {'×1 ms':>8} {'rows':>6} {f'×{big} ms':>8} {'rows':>6} {'ratio':>6}"
        f" {'same rows ms':>13} {'ratio':>6}"
    )
    for name in names:
        (a, ra), (b, rb) = results[1][name], results[big][name]
        line = f"{name:36} {a:8.2f} {ra:6d} {b:8.2f} {rb:6d} {b / a if a else 0:6.1f}"
        if name in same_size:
            c = same_size[name]
            line += f" {c:13.2f} {c / a if a else 0:6.1f}"
        print(line)


if __name__ == "__main__":
    main()
