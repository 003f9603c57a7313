"""`csp-archive export`: the public tables and views as CSV (every row, no page cap) with a
Frictionless-style datapackage.json (field types and descriptions, licence, sources)."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import yaml

from extract.publish.site import SITE_DIR, check_archive

PUBLIC = ("facts", "documents", "series", "coverage", "checks", "commitments", "crosswalk", "categories")
SQL_TYPES = {"INTEGER": "integer", "REAL": "number", "TEXT": "string"}


@dataclass(frozen=True)
class ExportReport:
    """What was written: one CSV per resource and its row count."""

    directory: Path
    rows: dict[str, int]


_DECLARED = {"INTEGER": "integer", "INT": "integer", "REAL": "number", "FLOAT": "number", "NUMERIC": "number"}


def _field_type(kinds: set[type], declared: str) -> str:
    """The Frictionless type of a column from the Python types of its values; a column with no
    value yet (every row null) falls back to its declared SQLite type, so it is typed the same."""
    by_declaration = _DECLARED.get(declared.upper(), "string")
    if not kinds:
        return by_declaration
    if kinds <= {int}:
        return "number" if by_declaration == "number" else "integer"
    if kinds <= {int, float}:
        return "number"
    return "string"


def export(db_path: Path, out_dir: Path, fmt: str = "datapackage") -> ExportReport:
    """Write PUBLIC as CSV into out_dir; with fmt 'datapackage' also datapackage.json."""
    check_archive(db_path)
    meta = yaml.safe_load((SITE_DIR / "metadata.yml").read_text(encoding="utf-8"))
    described = meta.get("databases", {}).get("csp", {}).get("tables", {})
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    resources, counts = [], {}
    for name in (n for n in PUBLIC if n in names):
        cursor = conn.execute(f"select * from [{name}]")
        columns = [c[0] for c in cursor.description]
        declared = {r[1]: r[2] or "" for r in conn.execute(f"pragma table_info([{name}])")}
        kinds: dict[str, set[type]] = {c: set() for c in columns}
        count = 0
        with (out_dir / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in cursor:
                writer.writerow(row)
                for c, v in zip(columns, row):
                    if v is not None:
                        kinds[c].add(type(v))
                count += 1
        counts[name] = count
        column_docs = described.get(name, {}).get("columns", {})
        fields = [{"name": c, "type": _field_type(kinds[c], declared.get(c, ""))} for c in columns]
        for f in fields:
            if column_docs.get(f["name"]):
                f["description"] = column_docs[f["name"]]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": described.get(name, {}).get("description", ""),
                "schema": {"fields": fields},
            }
        )
    conn.close()
    if fmt == "datapackage":
        package = {
            "name": "csp-archive",
            "title": meta.get("title"),
            "description": meta.get("description"),
            "licenses": [{"name": "OGL-UK-3.0", "title": meta.get("license"), "path": meta.get("license_url")}],
            "sources": [{"title": meta.get("source"), "path": meta.get("source_url")}],
            "resources": resources,
        }
        (out_dir / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    return ExportReport(out_dir, counts)
