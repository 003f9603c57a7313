"""Publishing: Datasette with the archive's metadata (title, licence, sources, canned queries)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils
import yaml

from extract.vocab.loader import data_dir

SITE_DIR = data_dir("datasette")


def metadata(db_path: Path) -> dict:
    """datasette/metadata.yml, plus each document's title and source from the database, plus the
    canned queries kept in datasette/canned_queries.yml."""
    meta = yaml.safe_load((SITE_DIR / "metadata.yml").read_text(encoding="utf-8"))
    name = Path(db_path).stem
    database = meta.setdefault("databases", {}).setdefault(name, {})
    if name != "csp" and "csp" in meta["databases"]:
        database.update(meta["databases"].pop("csp"))
    db = sqlite_utils.Database(db_path)
    docs = list(
        db.query("select id, title, kind, period_start, period_end, source_url, rendition from documents order by id")
    )
    lines = [
        f"- **{d['title']}** ({d['id']}, {d['kind']}, {d['period_start'] or '?'} to {d['period_end'] or '?'})"
        + (f" — source: {d['source_url']}" if d["source_url"] else " — source: bundled corpus")
        + (f"; {d['rendition']}" if d["rendition"] else "")
        for d in docs
    ]
    database["description_html"] = None
    database["description"] = (database.get("description") or "") + "\n\nDocuments:\n" + "\n".join(lines)
    queries_file = SITE_DIR / "canned_queries.yml"
    if queries_file.exists():
        queries = yaml.safe_load(queries_file.read_text(encoding="utf-8")) or {}
        queries = queries.get("databases", {}).get("csp", {}).get("queries", queries.get("queries", queries))
        database.setdefault("queries", {}).update(queries)
    database.pop("description_html")
    return meta


def datasette_args(db_path: Path, meta_path: Path, host: str, port: int) -> list[str]:
    args = [
        "serve",
        str(db_path),
        "--metadata",
        str(meta_path),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "sql_time_limit_ms",
        "3000",
    ]
    for folder, flag in (("templates", "--template-dir"), ("plugins", "--plugins-dir"), ("static", "--static")):
        path = SITE_DIR / folder
        if path.is_dir():
            args += [flag, f"assets:{path}" if folder == "static" else str(path)]
    return args


def write_metadata(db_path: Path) -> Path:
    meta_path = Path(db_path).with_name(Path(db_path).stem + ".metadata.json")
    meta_path.write_text(json.dumps(metadata(db_path), indent=2, ensure_ascii=False), encoding="utf-8")
    return meta_path


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    from datasette.cli import cli as datasette_cli

    meta_path = write_metadata(db_path)
    datasette_cli.main(datasette_args(db_path, meta_path, host, port), standalone_mode=True)
