"""The two things of a page that Datasette's base template keeps outside its blocks, set on the
way out: the page's language on its opening ``<html>`` tag (axe: html-has-lang) and the main
landmark, with the id the skip link goes to, on the ``<section class="content">`` that holds every
page's content block (axe: landmark-one-main, bypass).

The site's templates extend Datasette's own (``{% extends "default:base.html" %}``) through its
blocks; this ASGI middleware rewrites only those two opening tags of an HTML response, in the first
bytes of its body (they stand before any content), and passes every other byte and every other
response through as it came: a streamed page stays streamed, and a page whose tags have changed
(a later Datasette) is left alone, not broken.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LandmarkSettings:
    """The tags rewritten and with what, and how far into a page they are looked for."""

    lang: str = "en"
    main_id: str = "main"
    html_tag: bytes = b"<html>"
    content_tag: bytes = b'<section class="content">'
    #: the tags stand in a page's head and header, well within this many bytes
    scan_bytes: int = 65_536

    def replacements(self) -> list[tuple[bytes, bytes]]:
        html = f'<html lang="{self.lang}">'.encode()
        main = self.content_tag[:-1] + f' role="main" id="{self.main_id}" tabindex="-1">'.encode()
        return [(self.html_tag, html), (self.content_tag, main)]


def rewrite(page: bytes, settings: LandmarkSettings) -> bytes:
    """The first of each tag in the page's first ``scan_bytes`` replaced (one only: a later copy
    is page content), the page copied once."""
    found = []
    for old, new in settings.replacements():
        at = page.find(old, 0, settings.scan_bytes)
        if at >= 0:
            found.append((at, old, new))
    if not found:
        return page
    view = memoryview(page)
    pieces: list[bytes | memoryview] = []
    done = 0
    for at, old, new in sorted(found):
        pieces += [view[done:at], new]
        done = at + len(old)
    pieces.append(view[done:])
    return b"".join(pieces)


def _is_html(headers: list) -> bool:
    for name, value in headers:
        if bytes(name).lower() == b"content-type":
            return bytes(value).lower().startswith(b"text/html")
    return False


class Landmarks:
    """ASGI middleware: an HTML response's ``<html>`` tag given its language and its content
    section made the main landmark (:class:`LandmarkSettings`); a ``content-length`` is kept right."""

    def __init__(self, app, settings: LandmarkSettings | None = None):
        self.app = app
        self.settings = settings or LandmarkSettings()
        self.replacements = self.settings.replacements()

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        state: dict = {"start": None, "head": [], "size": 0, "done": False}

        async def flush(more_body: bool) -> None:
            head = b"".join(state["head"])
            body = rewrite(head, self.settings)
            start = state["start"]
            if start is not None:
                headers = [
                    (name, str(int(value) + len(body) - len(head)).encode())
                    if bytes(name).lower() == b"content-length"
                    else (name, value)
                    for name, value in start.get("headers", [])
                ]
                await send(dict(start, headers=headers))
            state.update(start=None, head=[], done=True)
            await send({"type": "http.response.body", "body": body, "more_body": more_body})

        async def edit(message):
            if state["done"]:
                await send(message)
                return
            if message["type"] == "http.response.start":
                if _is_html(message.get("headers", [])):
                    state["start"] = message  # held until the tags are rewritten (content-length)
                else:
                    state["done"] = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunk = message.get("body", b"")
            state["head"].append(chunk)
            state["size"] += len(chunk)
            more = message.get("more_body", False)
            if not more or state["size"] >= self.settings.scan_bytes or self._holds_all(state["head"]):
                await flush(more)

        await self.app(scope, receive, edit)

    def _holds_all(self, pieces: list[bytes]) -> bool:
        head = b"".join(pieces)[: self.settings.scan_bytes]
        return all(old in head for old, _ in self.replacements)
