"""Publishing: Datasette with the archive's metadata (title, licence, sources, canned queries),
templates, the trend and report pages (datasette/plugins) and the corpus PDFs the archive lists."""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass, field
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
    #: a request with more query parameters, or a longer query string, is refused (400) before
    #: Datasette parses it (5,000 ``col=value`` pairs took 36 s and stalled every page)
    max_query_params: int = 50
    max_query_bytes: int = 32_768
    #: a listed PDF larger than this is not served (404)
    max_pdf_bytes: int = 200_000_000
    #: the Host headers the site answers to as itself: responses for any other host are never
    #: cached (they hold links to it); empty: the cache is keyed on the host
    hosts: tuple[str, ...] = field(default=())

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


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http or https address (the only ones the site links to); else None, so a
    ``javascript:`` or ``data:`` source is never a live link."""
    from urllib.parse import urlsplit

    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _source(url: str | None) -> str:
    if not url:
        return " — source: bundled corpus"
    if safe_url(url) is None:
        return " — source: not a web address (omitted)"
    return f" — source: {url}"


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
        + _source(d["source_url"])
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
    """The Datasette app for one archive: immutable (download on), metadata passed in memory. The
    PDFs of corpus_pdf that the archive's files table lists are served at /pdf by the site plugin
    (datasette/plugins/csp_site.py), which reads ``csp_site`` (a SiteConfig) from the instance."""
    from datasette.app import Datasette

    check_archive(db_path)
    settings = settings or ServeSettings()
    ds = Datasette(
        immutables=[str(db_path)],
        metadata=metadata(db_path),
        template_dir=str(SITE_DIR / "templates"),
        plugins_dir=str(SITE_DIR / "plugins"),
        static_mounts=[("assets", str(SITE_DIR / "static"))],
        settings=settings.as_settings(),
        cors=True,
    )
    pdf_dir = Path(corpus_pdf) if corpus_pdf is not None and Path(corpus_pdf).is_dir() else None
    ds.csp_site = SiteConfig(Path(db_path), pdf_dir, settings)
    return ds


@dataclass(frozen=True)
class SiteConfig:
    """What the site plugin needs beyond Datasette's own settings: the archive, its PDF folder, bounds."""

    db_path: Path
    corpus_pdf: Path | None
    settings: ServeSettings


def listen_url(host: str, port: int) -> str:
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def local_hosts(host: str, port: int) -> tuple[str, ...]:
    """The Host headers a browser sends for this address (and localhost, for a loopback address)."""
    names = {host if ":" not in host else f"[{host}]"}
    if host in ("127.0.0.1", "::1", "localhost"):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    return tuple(sorted(f"{n}:{port}" for n in names) + (sorted(names) if port == 80 else []))


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001, corpus: Path | None = None) -> None:
    """Serve the archive on host:port; nothing is written beside the database."""
    import asyncio

    import uvicorn

    corpus_pdf = Path(corpus or "corpus") / "pdf"
    settings = ServeSettings(hosts=() if host in ("0.0.0.0", "::") else local_hosts(host, port))
    ds = make_datasette(db_path, corpus_pdf, settings)
    asyncio.run(ds.invoke_startup())
    print(f"Serving {db_path} at {listen_url(host, port)} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
