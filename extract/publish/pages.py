"""What the site's own pages show (home, search, trend, report), read from the archive database
through Datasette's async connection; the templates in datasette/templates draw them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from extract.publish.charts import lines_for, svg
from extract.publish.site import safe_url


@dataclass(frozen=True)
class PageLimits:
    """How many rows each section of a page shows (the canned queries give the rest)."""

    search_rows: int = 50
    report_figures: int = 2000
    caveats: int = 40


LIMITS = PageLimits()
#: The trend lines with at least two points, from the table of lines the build counts (schema/series_tables.sql).
TREND_LINES = (
    "select canonical_category, area, measure, points, first, last from lines where points > 1 "
    "order by canonical_category, area, measure"
)
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


async def rows(db, sql: str, params: Any = None) -> list[dict]:
    result = await db.execute(sql, params or {})
    return [dict(r) for r in result.rows]


async def pdf_links(db) -> dict[str, str]:
    """Each report's PDF as served from the static mount /pdf (corpus/pdf)."""
    found = await rows(db, "select document_id, path from files where format = 'pdf' order by id")
    return {r["document_id"]: "/pdf/" + r["path"].split("/", 1)[-1] for r in found if r["path"].startswith("pdf/")}


def page_link(pdfs: dict[str, str], doc_id: str, page: int | None) -> str | None:
    url = pdfs.get(doc_id)
    return f"{url}#page={page}" if url and page else url


async def home(db) -> dict:
    documents = await rows(
        db,
        "select d.id, d.title, d.kind, d.period_start, d.period_end, d.source_url, "
        "(select count(*) from facts f where f.document_id = d.id) as figures, "
        "(select count(*) from commitments c join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "where c.document_id = d.id) as commitments "
        "from documents d order by d.period_start, d.id",
    )
    lines = await rows(db, TREND_LINES)
    caveats = await rows(
        db,
        "select cc.label as canonical_category, x.relation, c.label as printed_category, x.caveat "
        "from crosswalk x join categories c on c.id = x.category join canonical_categories cc on cc.id = x.canonical "
        "where x.caveat is not null and x.caveat != '' order by cc.label limit :n",
        {"n": LIMITS.caveats},
    )
    period_caveats = await rows(db, 'select start, "end", caveat from period_caveats order by start')
    counts = (
        await rows(
            db,
            "select (select count(*) from facts) as facts, (select count(*) from commitments c join files fi on fi.id = c.file_id "
            "and fi.role = 'primary') as commitments",
        )
    )[0]
    pdfs = await pdf_links(db)
    for d in documents:
        d["pdf"] = pdfs.get(d["id"])
        d["source_link"] = safe_url(d["source_url"])  # None for javascript: and every non-web scheme
    return {
        "documents": documents,
        "lines": lines,
        "caveats": caveats,
        "period_caveats": period_caveats,
        "counts": counts,
        "attribution": OGL_ATTRIBUTION,
    }


def fts_query(words: str, columns: tuple[str, ...] = ()) -> str:
    """An FTS5 query finding every word typed at the start of a word, in ``columns`` (all when none):
    each word is quoted (a quote doubled), so quotes, stars, brackets, OR and NEAR are searched for,
    never obeyed. "" when there are no words."""
    words = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in words)  # a NUL ends the query in C
    phrases = " ".join('"' + w.replace('"', '""') + '"*' for w in words.split())
    if not phrases or not columns:
        return phrases
    return "{" + " ".join(columns) + "} : (" + phrases + ")"


async def search(db, words: str) -> dict:
    """Passages (primary rendition only, each once; best match first), figures and commitments with
    every word typed, through the full-text indexes (passages_fts, figures_fts, commitments_fts)."""
    context: dict = {"q": words, "passages": [], "figures": [], "commitments": []}
    if not fts_query(words):
        return context
    n = LIMITS.search_rows
    pdfs = await pdf_links(db)
    context["passages"] = await rows(
        db,
        "select b.text, b.kind, f.document_id, b.page from (select rowid as id, rank from passages_fts "
        "where passages_fts match :q order by rank, rowid limit :n) s "
        "join blocks b on b.id = s.id join files f on f.id = b.file_id order by s.rank, s.id",
        {"q": fts_query(words), "n": n},
    )
    context["figures"] = await rows(
        db,
        "select value, unit, coalesce(subject, category) as subject, period_label, area, document_id, page, quote, "
        "status, fact_id from facts where fact_id in (select rowid from figures_fts where figures_fts match :q) "
        "order by document_id, page limit :n",
        {"q": fts_query(words, ("quote", "category", "subject")), "n": n},
    )
    context["commitments"] = await rows(
        db,
        "select c.document_id, plan_period, theme, item_kind, text, c.page from commitments c "
        "join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "where c.id in (select rowid from commitments_fts where commitments_fts match :q) "
        "order by c.document_id, c.id limit :n",
        {"q": fts_query(words, ("text", "theme")), "n": n},
    )
    for row in context["passages"] + context["figures"] + context["commitments"]:
        row["pdf"] = page_link(pdfs, row["document_id"], row.get("page"))
    return context


def _line_args(args) -> tuple[str, str, str]:
    if args.get("line"):
        parts = (args.get("line").split("|") + ["", "", ""])[:3]
        return parts[0], parts[1], parts[2]
    return args.get("category") or "", args.get("area") or "", args.get("measure") or ""


async def trend(db, args) -> dict:
    """One canonical category × area × measure: the chart, its points, relations and caveats; when
    nothing matches, why, and the values that would."""
    category, area, measure = _line_args(args)
    points = await rows(
        db,
        "select period_start, period_end, value, unit, relation, caveat, derived, derived_from, printed_category, "
        "document_id, source_file, figure_id from series where canonical_category = :c and area = :a "
        "and measure = :m order by period_start, period_end",
        {"c": category, "a": area, "m": measure},
    )
    context: dict = {"category": category, "area": area, "measure": measure, "points": points}
    context["options"] = await rows(db, TREND_LINES)
    if not points:
        context["why"] = (
            f"No figures for category '{category}', area '{area}', measure '{measure}'. "
            "Pick a line from the list: each has at least two figures."
            if category
            else "Pick a category, area and measure."
        )
        return context
    lines = lines_for(points)
    title = f"{category} — {area} — {measure}"
    context["chart"] = Markup(svg(lines, title))
    context["lines"] = lines
    context["relations"] = sorted({p["relation"] or "same" for p in points})
    context["caveats"] = sorted({p["caveat"] for p in points if p["caveat"]})
    pdfs = await pdf_links(db)
    pages = {
        r["id"]: r["page"]
        for r in await rows(
            db,
            "select id, page from figures where id in (select value from json_each(:ids))",
            {"ids": "[" + ",".join(str(p["figure_id"]) for p in points if p["figure_id"]) + "]"},
        )
    }
    for p in points:
        p["pdf"] = page_link(pdfs, p["document_id"], pages.get(p["figure_id"]))
    return context


async def report(db, doc_id: str) -> dict | None:
    """One report: its record, PDF and source, its tables as grids, its figures and commitments."""
    found = await rows(db, "select * from documents where id = :d", {"d": doc_id})
    if not found:
        return None
    pdfs = await pdf_links(db)
    tables = await rows(
        db,
        "select t.id, t.label, t.caption, t.heading, t.pages from tables t join files f on f.id = t.file_id "
        "and f.role = 'primary' where f.document_id = :d order by t.seq",
        {"d": doc_id},
    )
    cells = await rows(
        db,
        "select c.table_id, c.row, c.col, c.is_header, c.text from cells c where c.table_id in "
        "(select t.id from tables t join files f on f.id = t.file_id and f.role = 'primary' "
        "where f.document_id = :d) order by c.table_id, c.row, c.col",
        {"d": doc_id},
    )
    grids: dict[int, list[list[dict]]] = {}
    for c in cells:
        grid = grids.setdefault(c["table_id"], [])
        while len(grid) <= c["row"]:
            grid.append([])
        grid[c["row"]].append(c)
    for t in tables:
        t["grid"] = grids.get(t["id"], [])
    figures = await rows(
        db,
        "select value, unit, coalesce(subject, category) as subject, period_label, area, page, quote, status, "
        "table_label, fact_id from facts where document_id = :d order by page, table_id, fact_id limit :n",
        {"d": doc_id, "n": LIMITS.report_figures},
    )
    for f in figures:
        f["pdf"] = page_link(pdfs, doc_id, f["page"])
    commitments = await rows(
        db,
        "select plan_period, theme, item_kind, text, lead_partners, c.page from commitments c "
        "join files fi on fi.id = c.file_id and fi.role = 'primary' where c.document_id = :d order by c.id",
        {"d": doc_id},
    )
    failed = await rows(
        db,
        "select kind, description, expected, printed from checks where document_id = :d and passed = 0",
        {"d": doc_id},
    )
    return {
        "doc": found[0],
        "source_link": safe_url(found[0].get("source_url")),
        "pdf": pdfs.get(doc_id),
        "tables": tables,
        "figures": figures,
        "commitments": commitments,
        "failed": failed,
    }
