"""Publishing: Datasette with the archive's metadata (title, licence, sources, canned queries),
templates, the trend and report pages (datasette/plugins) and the corpus PDFs as static files."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import yaml

from extract.errors import ArchiveError
from extract.vocab.loader import data_dir

SITE_DIR = data_dir("datasette")
ARCHIVE_TABLES = ("documents", "files", "figures")


@dataclass(frozen=True)
class ServeSettings:
    """What the public site allows: page size, SQL time limit, CSV streaming, facets."""

    default_page_size: int = 50
    sql_time_limit_ms: int = 3000
    max_csv_mb: int = 0  # no cap on streamed CSV
    suggest_facets: bool = False
    allow_download: bool = True

    def as_settings(self) -> dict:
        return {
            "default_page_size": self.default_page_size,
            "sql_time_limit_ms": self.sql_time_limit_ms,
            "max_csv_mb": self.max_csv_mb,
            "suggest_facets": self.suggest_facets,
            "allow_download": self.allow_download,
            "allow_csv_stream": True,
        }


def check_archive(db_path: Path) -> None:
    """One line when the file is not an SQLite archive built by csp-archive."""
    path = Path(db_path)
    if not path.is_file():
        raise ArchiveError(f"{path}: no database; run 'csp-archive build' first")
    if path.stat().st_size == 0:
        raise ArchiveError(f"{path}: empty file, not an archive database")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as err:
        raise ArchiveError(f"{path}: not an SQLite database ({err})") from None
    missing = [t for t in ARCHIVE_TABLES if t not in names]
    if missing:
        raise ArchiveError(f"{path}: not a csp-archive database (no table {', '.join(missing)})")


def _documents(db_path: Path) -> list[dict]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "select id, title, kind, period_start, period_end, source_url, rendition from documents order by id"
        )
        return [dict(r) for r in rows]


def metadata(db_path: Path) -> dict:
    """datasette/metadata.yml, plus each document's title and source from the database, plus the
    canned queries kept in datasette/canned_queries.yml."""
    meta = yaml.safe_load((SITE_DIR / "metadata.yml").read_text(encoding="utf-8"))
    name = Path(db_path).stem
    database = meta.setdefault("databases", {}).setdefault(name, {})
    if name != "csp" and "csp" in meta["databases"]:
        database.update(meta["databases"].pop("csp"))
    lines = [
        f"- **{d['title']}** ({d['id']}, {d['kind']}, {d['period_start'] or '?'} to {d['period_end'] or '?'})"
        + (f" — source: {d['source_url']}" if d["source_url"] else " — source: bundled corpus")
        + (f"; {d['rendition']}" if d["rendition"] else "")
        for d in _documents(db_path)
    ]
    database["description"] = (database.get("description") or "") + "\n\nDocuments:\n\n" + "\n".join(lines)
    database["description_html"] = _markdown(database["description"])
    queries_file = SITE_DIR / "canned_queries.yml"
    if queries_file.exists():
        queries = yaml.safe_load(queries_file.read_text(encoding="utf-8")) or {}
        queries = queries.get("databases", {}).get("csp", {}).get("queries", queries.get("queries", queries))
        database.setdefault("queries", {}).update(queries)
    return meta


def _markdown(text: str) -> str:
    """The little Markdown the descriptions use (paragraphs, "- " lists, **bold**, `code`) as HTML,
    so the home page shows no raw asterisks; everything else is escaped."""
    from html import escape

    def inline(line: str) -> str:
        line = escape(line)
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        return re.sub(r"`(.+?)`", r"<code>\1</code>", line)

    out: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if lines and all(ln.startswith("- ") for ln in lines):
            out.append("<ul>" + "".join(f"<li>{inline(ln[2:])}</li>" for ln in lines) + "</ul>")
        elif lines:
            out.append("<p>" + inline(" ".join(lines)) + "</p>")
    return "\n".join(out)


def make_datasette(db_path: Path, corpus_pdf: Path | None = None, settings: ServeSettings | None = None):
    """The Datasette app for one archive: immutable (download on), metadata passed in memory."""
    from datasette.app import Datasette

    check_archive(db_path)
    mounts = [("assets", str(SITE_DIR / "static"))]
    if corpus_pdf is not None and Path(corpus_pdf).is_dir():
        mounts.append(("pdf", str(corpus_pdf)))
    return Datasette(
        immutables=[str(db_path)],
        metadata=metadata(db_path),
        template_dir=str(SITE_DIR / "templates"),
        plugins_dir=str(SITE_DIR / "plugins"),
        static_mounts=mounts,
        settings=(settings or ServeSettings()).as_settings(),
        cors=True,
    )


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001, corpus: Path | None = None) -> None:
    """Serve the archive on host:port; nothing is written beside the database."""
    import asyncio

    import uvicorn

    corpus_pdf = Path(corpus or "corpus") / "pdf"
    ds = make_datasette(db_path, corpus_pdf)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
