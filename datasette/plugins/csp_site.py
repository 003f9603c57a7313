"""csp-archive site pages: the home page, search, trend charts and a page per report; one log line
per refused request; POST to a read-only page answers 405."""

from __future__ import annotations

import sys

from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from datasette import Response, hookimpl
from extract.publish import pages
from extract.publish.cache import ResponseCache
from extract.publish.facets import CountedFacet

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
        (r"^/-/trend$", trend),
        (r"^/-/report/(?P<doc_id>[^/]+)$", report),
        (r"^/robots\.txt$", robots),
    ]


async def _render(datasette, request, template: str, context: dict) -> Response:
    return Response.html(await datasette.render_template(template, context, request=request))


async def home(datasette, request):
    return await _render(datasette, request, "home.html", await pages.home(datasette.get_database()))


async def search(datasette, request):
    words = (request.args.get("q") or "").strip()
    return await _render(datasette, request, "search.html", await pages.search(datasette.get_database(), words))


async def trend(datasette, request):
    context = await pages.trend(datasette.get_database(), request.args)
    return await _render(datasette, request, "trend.html", context)


async def report(datasette, request):
    context = await pages.report(datasette.get_database(), request.url_vars["doc_id"])
    if context is None:
        return Response.html("<h1>No such report</h1><p><a href='/'>All reports</a></p>", status=404)
    return await _render(datasette, request, "report.html", context)


async def robots(datasette, request):
    return Response.text("User-agent: *\nDisallow: /csp?sql=\nDisallow: /csp.db\n")


@hookimpl
def register_facet_classes():
    return [CountedFacet]


@hookimpl
def asgi_wrapper(datasette):
    """A POST to a page that only reads (every canned query here is read-only) is 405, not 500; GET pages
    of the immutable database are cached (extract.publish.cache)."""

    def wrap(app):
        cached = ResponseCache(app)

        async def inner(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "POST" and not scope["path"].startswith("/-/"):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 405,
                        "headers": [[b"content-type", b"text/plain; charset=utf-8"], [b"allow", b"GET, HEAD"]],
                    }
                )
                await send({"type": "http.response.body", "body": b"405: this archive is read-only; use GET\n"})
                return
            await cached(scope, receive, send)

        return inner

    return wrap


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
            dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
        )
        return Response.html(html, status=status)

    return inner
