"""Draw a seeded random sample of commitment links for a reader to judge (JUDGING.md, "A link from a
commitment to later evidence"): the commitment, its theme, the evidence as printed, its report and
page, and the link's reason, with blank judge (accept / reject) and note columns.

    csp-archive build --db /tmp/c/csp.db -q
    python3 benchmarks/links_sample.py --db /tmp/c/csp.db --seed 26      # → benchmarks/links_sample_26.csv

Only links to evidence are drawn (not the rows saying no later evidence was found).
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
from pathlib import Path

QUERY = """
select l.commitment_id, l.rank, c.document_id as commitment_report, c.item_kind, c.theme, c.text as commitment,
       l.target_kind, l.document_id as evidence_report, l.evidence,
       case l.target_kind when 'commitment' then t.page when 'block' then b.page when 'figure' then f.page end
           as evidence_page,
       l.reason, l.strength
from commitment_links l
join commitments c on c.id = l.commitment_id
left join commitments t on l.target_kind = 'commitment' and t.id = l.target_id
left join blocks b on l.target_kind = 'block' and b.id = l.target_id
left join figures f on l.target_kind = 'figure' and f.id = l.target_id
where l.target_kind != 'none'
order by l.commitment_id, l.rank
"""

COLUMNS = [
    "commitment_id",
    "rank",
    "commitment_report",
    "item_kind",
    "theme",
    "commitment",
    "target_kind",
    "evidence_report",
    "evidence_page",
    "evidence",
    "reason",
    "strength",
    "judge",
    "note",
]


def sample(db: Path, seed: int, n: int) -> list[dict]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute(QUERY)]
    chosen = random.Random(seed).sample(rows, min(n, len(rows)))
    return sorted(chosen, key=lambda r: (r["commitment_id"], r["rank"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("db/csp.db"))
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--out", type=Path, help="default: benchmarks/links_sample_<seed>.csv")
    args = parser.parse_args()
    out = args.out or Path(__file__).parent / f"links_sample_{args.seed}.csv"
    rows = sample(args.db, args.seed, args.n)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({**{k: r.get(k) for k in COLUMNS}, "judge": "", "note": ""})
    print(f"{len(rows)} links → {out}")


if __name__ == "__main__":
    main()
