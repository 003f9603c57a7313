"""A response cache for the served archive: the database is immutable, so a GET page is the same
every time; finished small responses are kept (LRU, bounded) and replayed without re-rendering.

A page holds absolute links built from the request's Host header and scheme (Datasette's "Next
page", facet links, JSON ``next_url``), so the cache is keyed on them too, and when the site's own
hosts are known, a response for any other host is never kept: a request with a forged
``Host: evil.example`` cannot put links to evil.example in what later visitors get."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class CacheSettings:
    """Bounds of the cache: entries, bytes per response, bytes in all."""

    entries: int = 512
    max_body: int = 1_000_000
    max_total: int = 64_000_000
    skip_prefixes: tuple[str, ...] = ("/-/", "/pdf/", "/assets/")
    #: the Host headers of the site itself ("127.0.0.1:8001"); empty: any host, keyed apart
    hosts: tuple[str, ...] = ()


Key = tuple[str, bytes, str, bytes]


def _host(scope) -> bytes:
    return next((value for name, value in scope.get("headers", []) if name.lower() == b"host"), b"")


class ResponseCache:
    """ASGI middleware: GET responses with status 200 and no cookies, keyed by host, scheme, path and
    query; concurrent requests for a page being drawn wait for it rather than draw it again."""

    def __init__(self, app, settings: CacheSettings | None = None):
        self.app = app
        self.settings = settings or CacheSettings()
        self.entries: OrderedDict[Key, tuple[list, bytes]] = OrderedDict()
        self.total = 0
        self.pending: dict[Key, asyncio.Event] = {}
        self.hosts = {h.lower().encode("latin-1") for h in self.settings.hosts}

    def _cacheable(self, scope) -> bool:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return False
        path, query = scope["path"], scope.get("query_string", b"")
        if any(path.startswith(p) for p in self.settings.skip_prefixes) and not path.startswith(
            ("/-/search", "/-/trend", "/-/report")
        ):
            return False
        if path.endswith(".db") or b"_stream" in query:
            return False
        if self.hosts and _host(scope).lower() not in self.hosts:
            return False
        return not any(name == b"cookie" for name, _ in scope.get("headers", []))

    async def __call__(self, scope, receive, send):
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key: Key = (scope.get("scheme", "http"), _host(scope), scope["path"], scope.get("query_string", b""))
        if key not in self.entries and key in self.pending:  # the same page is being drawn: wait for it
            await self.pending[key].wait()
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        state: dict = {"status": None, "headers": [], "body": [], "size": 0}

        async def capture(message):
            if message["type"] == "http.response.start":
                state["status"], state["headers"] = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body" and state["size"] <= self.settings.max_body:
                state["body"].append(message.get("body", b""))
                state["size"] += len(message.get("body", b""))
                if not message.get("more_body") and state["status"] == 200:
                    self._store(key, state["headers"], b"".join(state["body"]))
            await send(message)

        event = self.pending.setdefault(key, asyncio.Event())
        try:
            await self.app(scope, receive, capture)
        finally:
            if self.pending.get(key) is event:
                del self.pending[key]
            event.set()

    def _store(self, key, headers: list, body: bytes) -> None:
        if len(body) > self.settings.max_body or any(n.lower() == b"set-cookie" for n, _ in headers):
            return
        self.entries[key] = (headers, body)
        self.total += len(body)
        while len(self.entries) > self.settings.entries or self.total > self.settings.max_total:
            _, (_, old) = self.entries.popitem(last=False)
            self.total -= len(old)
