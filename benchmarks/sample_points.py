"""A seeded random sample of trend-line points (the `points` table) for a reader to judge as
/work/shared/JUDGING.md says ("A point on a trend line"), one row per point:

    python3 benchmarks/sample_points.py --db db/csp.db -n 60 --seed 3 --out benchmarks/points_sample_3.csv

Only points on lines with two or more periods are drawn (the lines a chart shows). Each row shows
the line (category, area, measure, unit, period length, and the printed category of a part), the
point's period and value, every source it gathers (report, page, where it is printed and what the
report prints there), the line's other points (period and value), whether the sources agree and
whether a failed check covers the point, with the failed checks' words; then a blank judgement
column per field: the quantity (same category and definition as the line), area, measure and unit,
period, value (as printed), one point (not a duplicate of another point), conflict (a point whose
sources disagree, or that disagrees with a printing elsewhere, is flagged), each right / wrong /
n/a with a note.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sqlite3
from pathlib import Path

JUDGED = ("quantity", "area", "measure", "period", "value", "one_point", "conflict")


def _source(conn: sqlite3.Connection, figure_id: int) -> str:
    row = conn.execute(
        "select document_id, page, source_kind, table_label, row_label, column_label, raw, quote from facts "
        "where fact_id = ?",
        [figure_id],
    ).fetchone()
    if row is None:
        return f"figure {figure_id}"
    doc, page, kind, table, row_label, column, raw, quote = row
    where = f"{doc} p.{page}" if page else doc
    if kind == "table":
        return f"{where}: {table}, row '{row_label}', column '{column}': {raw}"
    return f"{where}: text '{raw}' in: {quote}"


def _failed(conn: sqlite3.Connection, figure_ids: list[int]) -> str:
    if not figure_ids:
        return ""
    marks = ",".join("?" * len(figure_ids))
    rows = conn.execute(
        f"select distinct c.kind, c.description from checks c join check_figures cf on cf.check_id = c.id "
        f"where c.passed = 0 and cf.figure_id in ({marks})",
        figure_ids,
    ).fetchall()
    return " | ".join(f"{k}: {d}" for k, d in rows)


def sample(db: Path, n: int, seed: int) -> list[dict]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    lines = {r[0] for r in conn.execute("select line_key from points group by line_key having count(*) >= 2")}
    points = [dict(r) for r in conn.execute("select * from points order by point_id") if r["line_key"] in lines]
    chosen = random.Random(seed).sample(points, min(n, len(points)))
    out = []
    for p in sorted(chosen, key=lambda p: p["point_id"]):
        figure_ids = json.loads(p["figure_ids"] or "[]")
        others = [
            f"{o['period_start']}..{o['period_end']}: {o['value']:g}"
            for o in conn.execute(
                "select period_start, period_end, value from points where line_key = ? and point_id != ? order by period_start",
                [p["line_key"], p["point_id"]],
            )
        ]
        row = {
            "point_id": p["point_id"],
            "line": p["line"],
            "printed_category_of_part": p["printed_category"] or "",
            "point_period": f"{p['period_start']}..{p['period_end']}",
            "point_value": f"{p['value']:g}",
            "sources": " || ".join(_source(conn, f) for f in figure_ids)
            + (
                f" || derived sums: {len(json.loads(p['derived_ids'] or '[]'))}"
                if p["derived_ids"] not in (None, "[]")
                else ""
            ),
            "other_points_on_line": "; ".join(others),
            "sources_agree": p["agree"],
            "flagged": p["flagged"],
            "failed_checks": _failed(conn, figure_ids),
        }
        for field in JUDGED:
            row[field] = ""
            row[f"{field}_note"] = ""
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("db/csp.db"))
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = sample(args.db, args.n, args.seed)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} points written to {args.out}")


if __name__ == "__main__":
    main()
