"""csp-archive site pages: the home page, search, trend charts and a page per report; one log line
per refused request; POST to a read-only page answers 405; a request with too many query
parameters answers 400 before Datasette parses it; the PDFs the archive lists are served at /pdf
(regular files only, bounded); every response carries a Content-Security-Policy."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import hashlib
import os
import re
import sqlite3
import stat
import sys
from pathlib import Path
from urllib.parse import unquote

from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from datasette import Response, hookimpl
from extract.publish import districts, pages
from extract.publish.cache import CacheSettings, ResponseCache
from extract.publish.facets import CountedFacet
from extract.publish.landmarks import Landmarks
from extract.publish.site import ServeSettings
from extract.vocab.abbreviations import abbreviations

try:  # the default handler prints every refused request as a traceback with locals when rich is installed
    import datasette.handle_exception as _default_handler

    _default_handler.rich = None
except ImportError:  # pragma: no cover - older Datasette
    pass


@hookimpl
def register_routes():
    return [
        (r"^/$", home),
        (r"^/-/search$", search),
        (r"^/-/search\.csv$", search_csv),
        (r"^/-/trend$", trend),
        (r"^/-/topic/(?P<topic>[^/]+)$", topic),
        (r"^/-/district/(?P<district>[^/]+)$", district_home),
        (r"^/-/compare/(?P<topic>[^/]+)$", compare),
        (r"^/-/report/(?P<doc_id>[^/]+)$", report),
        (r"^/-/promised/(?P<doc_id>[^/]+)$", promised),
        (r"^/-/checks$", checks),
        (r"^/robots\.txt$", robots),
    ]


async def _render(datasette, request, template: str, context: dict) -> Response:
    return Response.html(await datasette.render_template(template, context, request=request))


async def home(datasette, request):
    """The archive's home page; with several districts, the list of them (each its own home page)."""
    db = datasette.get_database()
    if await pages.districts(db):
        return await _render(datasette, request, "districts.html", await districts.overview(db))
    return await _render(datasette, request, "home.html", await pages.home(db))


async def _place(datasette, request, first_by_default: bool):
    """The district a page is of (?district=…; the first, or every report, when none is asked for),
    or a 404 page when the archive has no district by that id."""
    asked = request.args.get("district")
    where = await pages.place(datasette.get_database(), asked, first_by_default)
    if where is None:
        return None, await _not_found(datasette, request, f"No district called “{asked}” in this archive.")
    return where, None


async def district_home(datasette, request):
    db = datasette.get_database()
    asked = unquote(request.url_vars["district"])
    where = await pages.place(db, asked)
    if where is None or where.id is None:
        return await _not_found(datasette, request, f"No district called “{asked}” in this archive.")
    return await _render(datasette, request, "home.html", await pages.home(db, where))


async def compare(datasette, request):
    name = unquote(request.url_vars["topic"])
    canned = await datasette.get_canned_query("csp", "compare_districts", request.actor)
    context = await districts.compare(datasette.get_database(), name, canned["sql"]) if canned else None
    if context is None:
        return await _not_found(datasette, request, f"No topic called “{name}” in this archive.")
    return await _render(datasette, request, "compare.html", context)


async def search(datasette, request):
    words = (request.args.get("q") or "").strip()
    where, refused = await _place(datasette, request, first_by_default=False)
    if refused:
        return refused
    context = await pages.search(
        datasette.get_database(), words, request.args.get("section"), request.args.get("order") or "newest", where
    )
    return await _render(datasette, request, "search.html", context)


async def search_csv(datasette, request):
    """A search section's every match as CSV, each row with its report, page, quote and the
    archive's version and build date."""
    words = (request.args.get("q") or "").strip()
    section = request.args.get("section") or "figures"
    where, refused = await _place(datasette, request, first_by_default=False)
    if refused:
        return refused
    columns, found = await pages.search_csv(
        datasette.get_database(), words, section, request.args.get("order") or "newest", where.id
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(found)
    name = re.sub(r"[^a-z0-9]+", "-", f"{section}-{words}".lower()).strip("-")[:60] or "search"
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )


async def trend(datasette, request):
    context = await pages.trend(datasette.get_database(), request.args)
    status = 404 if context.get("why") and context.get("category") else 200  # a line that does not exist
    html = await datasette.render_template("trend.html", context, request=request)
    return Response.html(html, status=status)


async def topic(datasette, request):
    name = unquote(request.url_vars["topic"])
    where, refused = await _place(datasette, request, first_by_default=True)
    if refused:
        return refused
    context = await pages.topic(datasette.get_database(), name, where)
    if context is None:
        return await _not_found(datasette, request, f"No topic called “{name}” in this archive.")
    return await _render(datasette, request, "topic.html", context)


async def _not_found(datasette, request, why: str) -> Response:
    html = await datasette.render_template("not_found.html", {"why": why}, request=request)
    return Response.html(html, status=404)


async def report(datasette, request):
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        page = 1
    context = await pages.report(datasette.get_database(), request.url_vars["doc_id"], page)
    if context is None:
        return await _not_found(datasette, request, "No such report in this archive.")
    return await _render(datasette, request, "report.html", context)


async def promised(datasette, request):
    context = await pages.promised(datasette.get_database(), unquote(request.url_vars["doc_id"]))
    if context is None:
        return await _not_found(datasette, request, "No plan with commitments by that name in this archive.")
    return await _render(datasette, request, "promised.html", context)


async def checks(datasette, request):
    where, refused = await _place(datasette, request, first_by_default=False)
    if refused:
        return refused
    return await _render(datasette, request, "checks.html", await pages.checks_page(datasette.get_database(), where))


async def robots(datasette, request):
    return Response.text("User-agent: *\nDisallow: /csp?sql=\nDisallow: /csp.db\n")


@hookimpl
def startup(datasette):
    """The site's vocabulary (abbreviations, the words for checks) read once before the first request."""
    pages.check_kinds()
    abbreviations()


@hookimpl
def extra_template_vars(datasette):
    """The archive's version and build date on every page (the footer's citation line)."""

    async def archive():
        return {"archive": await pages.archive_info(datasette.get_database())}

    return archive


@hookimpl
def register_facet_classes():
    return [CountedFacet]


#: Inline <script> bodies that name one of these template variables are hashed once per value.
SCRIPT_VARIABLES = {"datasette_allow_facet": ("true", "false")}
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(jinja_env) -> list[str]:
    """The CSP hashes ('sha256-…') of the inline scripts in the site's and Datasette's templates
    (the menu closer, the SQL editor, the table page's facet flag), read from the templates
    themselves so an upgrade of Datasette keeps them right. A script built from other template
    values (a plugin's body_scripts) is not hashed: it would be refused."""
    bodies: set[str] = set()
    for name in jinja_env.list_templates(filter_func=lambda n: n.endswith(".html")):
        try:
            source = jinja_env.loader.get_source(jinja_env, name)[0]
        except Exception:  # noqa: BLE001 - a template that cannot be read has no script to allow
            continue
        for body in _INLINE_SCRIPT.findall(source):
            variants = [body]
            for variable, values in SCRIPT_VARIABLES.items():
                pattern = re.compile(r"\{\{\s*" + variable + r"\s*\}\}")
                if pattern.search(body):
                    variants = [pattern.sub(v, b) for b in variants for v in values]
            bodies.update(b for b in variants if "{{" not in b and "{%" not in b)
    return sorted("'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies)


def content_security_policy(jinja_env) -> str:
    """Scripts from this site only (plus the hashed inline ones); styles from this site and inline
    (Datasette's table page and the SVG charts set style attributes, which cannot be hashed); images
    from this site and data: URLs (the SQL editor's resize handle); no plugins, no framing elsewhere."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(inline_script_hashes(jinja_env)),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


#: The policy of a PDF: nothing of its own to load, no framing by other sites.
PDF_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def security_headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]


async def _answer(send, status: int, text: str, headers: list | None = None) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def too_many_parameters(query: bytes, settings: ServeSettings) -> str | None:
    """Why a query string is refused (over the bounds in ServeSettings), or None."""
    if len(query) > settings.max_query_bytes:
        return f"query string over {settings.max_query_bytes} bytes"
    count = len([p for p in re.split(rb"[&;]", query) if p]) if query else 0
    if count > settings.max_query_params:
        return f"{count} query parameters, more than {settings.max_query_params}"
    return None


def listed_pdfs(db_path: Path) -> set[str]:
    """The files under pdf/ that the archive lists (paths relative to corpus/pdf)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        found = conn.execute("select path from files where format = 'pdf' and path like 'pdf/%'").fetchall()
    return {path[len("pdf/") :] for (path,) in found}


def open_pdf(folder: Path, relpath: str, listed: set[str], max_bytes: int) -> tuple[int, int] | None:
    """(fd, size) of a listed regular file under folder, opened without following a symlink and
    without blocking (a FIFO opens at once, and is refused); None for anything else."""
    if relpath not in listed or relpath.startswith("/") or ".." in relpath.split("/") or "\x00" in relpath:
        return None
    path = folder / relpath
    try:
        if not path.resolve().is_relative_to(folder.resolve()):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        return None
    return fd, info.st_size


async def serve_pdf(scope, send, config, listed: set[str]) -> None:
    """GET or HEAD /pdf/FILE: the file streamed as application/pdf, or 404."""
    relpath = unquote(scope["path"][len("/pdf/") :])
    opened = None
    if config is not None and config.corpus_pdf is not None:
        opened = open_pdf(config.corpus_pdf, relpath, listed, config.settings.max_pdf_bytes)
    if opened is None:
        await _answer(send, 404, "404: no such PDF in this archive\n")
        return
    fd, size = opened
    with os.fdopen(fd, "rb") as fh:
        headers = [
            (b"content-type", b"application/pdf"),
            (b"content-length", str(size).encode()),
            (b"cache-control", b"max-age=3600"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if scope.get("method") == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        left = size
        while left > 0:
            chunk = await asyncio.to_thread(fh.read, min(65_536, left))
            if not chunk:
                break
            left -= len(chunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": left > 0})
        if left > 0:  # the file shrank while it was read: end the response all the same
            await send({"type": "http.response.body", "body": b""})


@hookimpl
def asgi_wrapper(datasette):
    """Around Datasette, outermost first: security headers on every response; a query string over
    the bounds is 400; a POST to a page that only reads (every canned query here is read-only) is
    405, not 500; /pdf/ serves the listed PDFs; GET pages of the immutable database are cached
    (extract.publish.cache), each with its language and main landmark (extract.publish.landmarks). The settings (extract.publish.site.SiteConfig) are read at the first
    request: make_datasette sets them after Datasette has built its app."""

    def wrap(app):
        state: dict = {}

        def setup() -> dict:
            if not state:
                config = getattr(datasette, "csp_site", None)
                settings = config.settings if config is not None else ServeSettings()
                state["config"], state["settings"] = config, settings
                # the page's language and main landmark set once, before a page is cached
                state["cache"] = ResponseCache(Landmarks(app), CacheSettings(hosts=settings.hosts))
                state["headers"] = security_headers(content_security_policy(datasette.jinja_env))
                state["pdf_headers"] = security_headers(PDF_POLICY)
                state["pdfs"] = listed_pdfs(config.db_path) if config is not None else set()
            return state

        async def inner(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            site = setup()
            extra = site["pdf_headers"] if scope["path"].startswith("/pdf/") else site["headers"]

            async def send_with_headers(message):
                if message["type"] == "http.response.start":
                    names = {h[0].lower() for h in extra}
                    kept = [h for h in message.get("headers", []) if bytes(h[0]).lower() not in names]
                    message = dict(message, headers=kept + extra)
                await send(message)

            refused = too_many_parameters(scope.get("query_string", b""), site["settings"])
            if refused:
                print(f"400 {scope.get('method')} {scope['path']}: {refused}", file=sys.stderr)
                await _answer(send_with_headers, 400, f"400: {refused}\n")
                return
            if scope.get("method") == "POST" and not scope["path"].startswith("/-/"):
                await _answer(
                    send_with_headers, 405, "405: this archive is read-only; use GET\n", [(b"allow", b"GET, HEAD")]
                )
                return
            if scope["path"].startswith("/pdf/") and scope.get("method") in ("GET", "HEAD"):
                await serve_pdf(scope, send_with_headers, site["config"], site["pdfs"])
                return
            await site["cache"](scope, receive, send_with_headers)

        return inner

    return wrap


def asset_urls(datasette, key: str) -> list[dict]:
    """The stylesheets or scripts metadata puts on every page (``extra_css_urls``,
    ``extra_js_urls``), as base.html reads them: an error page is drawn without Datasette's
    render_template, so they are passed to it here."""
    out = []
    for entry in datasette.metadata(key) or []:
        url = entry if isinstance(entry, str) else entry["url"]
        module = bool(entry.get("module")) if isinstance(entry, dict) else False
        out.append({"url": url, "sri": None, "module": module})
    return out


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    """One log line per refused or failed request (no traceback with locals), the usual error page."""

    async def inner():
        if isinstance(exception, Base400):
            status, message = exception.status, str(exception.args[0] if exception.args else exception)
        elif isinstance(exception, DatasetteError):
            # Datasette raises these for requests it refuses ("Cannot sort table by x"), with 500 by
            # default: they are the request's fault, so 400
            status, message = (400 if exception.status == 500 else exception.status), exception.message
        else:
            status, message = 500, f"{type(exception).__name__}: {exception}"
        print(f"{status} {request.method} {request.path}: {message}".replace("\n", " ")[:300], file=sys.stderr)
        info = {"ok": False, "error": message, "status": status, "title": None}
        if request.path.endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(
            dict(
                info,
                urls=datasette.urls,
                app_css_hash=datasette.app_css_hash(),
                menu_links=lambda: [],
                extra_css_urls=asset_urls(datasette, "extra_css_urls"),
                extra_js_urls=asset_urls(datasette, "extra_js_urls"),
            )
        )
        return Response.html(html, status=status)

    return inner
