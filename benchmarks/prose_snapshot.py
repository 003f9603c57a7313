"""The golden snapshot of every figure read from prose in the bundled corpus.

Builds the bundled corpus from its text renditions into a temporary directory and writes every
prose fact (``facts`` rows with ``source_kind = 'text'``) with all its fields, one JSON object per
line, sorted, to ``tests/snapshots/prose_facts.jsonl``. ``tests/test_prose_snapshot.py`` rebuilds and
compares, so any change to the prose rules shows as a reviewable diff. Regenerate after a change
you have reviewed with:

    python3 benchmarks/prose_snapshot.py --update

Without ``--update`` it prints the differences between a fresh build and the snapshot and exits 1
when there are any.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "tests" / "snapshots" / "prose_facts.jsonl"
FIELDS = (
    "document_id",
    "source_file",
    "char_start",
    "raw",
    "value",
    "unit",
    "qualifier",
    "measure",
    "direction",
    "subject",
    "base",
    "category",
    "canonical_category",
    "canonical_relation",
    "period_label",
    "period_start",
    "period_end",
    "area",
    "notes",
    "quote",
)
REGENERATE = "python3 benchmarks/prose_snapshot.py --update"


def prose_facts(db: Path) -> list[str]:
    """Every prose fact of ``db`` as a sorted JSON line with the fields a reader checks."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(f"select {', '.join(FIELDS)} from facts where source_kind = 'text'").fetchall()
    finally:
        con.close()
    keyed = []
    for row in rows:
        record = {name: row[name] for name in FIELDS}
        record["notes"] = json.loads(record["notes"]) if record["notes"] else []
        line = json.dumps(record, ensure_ascii=False)
        keyed.append((record["document_id"], record["source_file"], record["char_start"] or 0, line))
    return [line for *_, line in sorted(keyed)]


def build_text(corpus: Path, out_dir: Path) -> Path:
    """The corpus built from its text renditions into ``out_dir`` (no cache shared with anything)."""
    from extract.pipeline import build

    db = out_dir / "csp.db"
    build(corpus, db, source="text")
    return db


def current() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="prose-snapshot-") as tmp:
        return prose_facts(build_text(REPO / "corpus", Path(tmp)))


def stored() -> list[str]:
    return SNAPSHOT.read_text(encoding="utf-8").splitlines() if SNAPSHOT.is_file() else []


def diff(old: list[str], new: list[str], limit: int = 40) -> str:
    """The first ``limit`` lines of a unified diff, one fact a line."""
    lines = list(difflib.unified_diff(old, new, "snapshot", "this build", n=0, lineterm=""))
    more = f"\n… {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help=f"rewrite {SNAPSHOT.relative_to(REPO)}")
    parser.add_argument("--limit", type=int, default=80, help="diff lines shown (default 80)")
    args = parser.parse_args()
    new = current()
    if args.update:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text("".join(line + "\n" for line in new), encoding="utf-8")
        print(f"wrote {len(new)} prose facts to {SNAPSHOT.relative_to(REPO)}")
        return 0
    old = stored()
    if old == new:
        print(f"{len(new)} prose facts, as in the snapshot")
        return 0
    print(diff(old, new, args.limit))
    print(f"{len(old)} facts in the snapshot, {len(new)} in this build; after review: {REGENERATE}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
