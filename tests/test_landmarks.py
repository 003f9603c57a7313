"""Datasette's templates extended through their blocks, not copied (issue 27): the site's base.html
extends Datasette's own, and the two things no block reaches, the page's language and its main
landmark, are set on the way out by extract.publish.landmarks."""

from __future__ import annotations

import asyncio
import re

import pytest

from extract.publish.landmarks import Landmarks, LandmarkSettings, rewrite
from extract.publish.site import SITE_DIR, make_datasette

from .test_site import built  # noqa: F401 - the one-report archive the site tests serve

PAGE = b'<!DOCTYPE html>\n<html>\n<head></head><body><section class="content">\n<p>&lt;html&gt;</p>\n</section></body></html>'


def _app(chunks: list[bytes], content_type: bytes = b"text/html; charset=utf-8", length: bool = False):
    async def app(scope, receive, send):
        headers = [(b"content-type", content_type)]
        if length:
            headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": n + 1 < len(chunks)})

    return app


def _run(app) -> tuple[dict, list[dict]]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    asyncio.run(app({"type": "http", "method": "GET", "path": "/"}, receive, send))
    return sent[0], sent[1:]


def _body(messages: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in messages)


def test_the_language_and_the_main_landmark_are_set_once():
    out = rewrite(PAGE + b'<section class="content">', LandmarkSettings())
    assert out.count(b'<html lang="en">') == 1
    assert out.count(b'<section class="content" role="main" id="main" tabindex="-1">') == 1
    assert out.endswith(b'<section class="content">')  # a later copy is left as it is


@pytest.mark.parametrize("cut", [3, 20, 60, len(PAGE) - 5])
def test_a_page_sent_in_pieces_is_rewritten_and_its_length_kept_right(cut):
    start, messages = _run(Landmarks(_app([PAGE[:cut], PAGE[cut:]], length=True)))
    body = _body(messages)
    assert b'<html lang="en">' in body and b'role="main" id="main"' in body
    assert b"<p>&lt;html&gt;</p>" in body  # content is never touched
    assert dict(start["headers"])[b"content-length"] == str(len(body)).encode()
    assert not messages[-1].get("more_body")


def test_other_responses_pass_through_as_they_came():
    for content_type in (b"text/csv", b"application/json"):
        start, messages = _run(Landmarks(_app([PAGE], content_type)))
        assert _body(messages) == PAGE


def test_a_long_page_without_the_tags_is_streamed_untouched_past_the_scan():
    settings = LandmarkSettings(scan_bytes=100)
    chunks = [b"<p>" + b"x" * 60 + b"</p>" for _ in range(10)]
    _, messages = _run(Landmarks(_app(chunks), settings))
    assert _body(messages) == b"".join(chunks)
    assert len(messages) > 2  # sent on once the scan is over, not held to the end


def test_base_template_extends_datasettes_own_and_copies_nothing():
    base = (SITE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    assert base.lstrip().startswith('{% extends "default:base.html" %}')
    markup = re.sub(r"\{#.*?#\}", "", base, flags=re.S)  # its comments aside
    assert "<html" not in markup and "<body" not in markup and "<head" not in markup
    assert not (SITE_DIR / "templates" / "table.html").exists()


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/-/search?q=crime", 200),
        ("/csp/facts", 200),
        ("/csp?sql=select+1", 200),
        ("/csp/facts?_sort=no_such_column", 400),
        ("/no-such-page", 404),
    ],
)
async def test_every_page_has_its_language_one_main_landmark_a_skip_link_and_the_site_styles(request, path, status):
    ds = make_datasette(request.getfixturevalue("built"))
    await ds.invoke_startup()
    response = await ds.client.get(path)
    assert response.status_code == status
    html = response.text
    assert re.search(r"<html lang=\"en\">", html)
    assert len(re.findall(r'role="main"|<main\b', html)) == 1
    assert 'id="main"' in html
    first_link = re.search(r"<a\b[^>]*>", html[html.index("<body") :]).group()
    assert 'class="skip"' in first_link and 'href="#main"' in first_link
    assert "/assets/accessible.css" in html and "/assets/labels.js" in html
    assert "content-security-policy" in response.headers
