"""What the site's own pages show (home, search, trend, report), read from the archive database
through Datasette's async connection; the templates in datasette/templates draw them."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from extract.publish.charts import draw_panel, length_name, panels_for, period_label, summary, symbol
from extract.publish.site import safe_url
from extract.vocab.abbreviations import abbreviations, expansions


@dataclass(frozen=True)
class PageLimits:
    """How many rows each section of a page shows (the canned queries give the rest)."""

    search_rows: int = 50
    #: a search section's every match ("see all", its CSV), at most
    search_all: int = 5000
    report_figures: int = 2000
    caveats: int = 40
    #: a report page shows this many groups (a table with its figures, or a page's prose figures)
    report_groups: int = 8


LIMITS = PageLimits()
#: The trend lines with at least two points, from the table of lines the build counts (schema/series_tables.sql).
TREND_LINES = (
    "select canonical_category, area, measure, points, first, last from lines where points > 1 "
    "order by canonical_category, area, measure"
)
#: The trend lines of one district: those its reports print (line_districts, empty in an archive of one).
DISTRICT_LINES = (
    "select l.canonical_category, l.area, l.measure, l.points, l.first, l.last from lines l "
    "join line_districts x on x.canonical_category = l.canonical_category and x.area is l.area "
    "and x.measure is l.measure where l.points > 1 and x.district = :district "
    "order by l.canonical_category, l.area, l.measure"
)
#: Whether a row of a table keyed by trend line (``{t}``: its alias) is a line of :district (any, when null).
IN_DISTRICT = (
    "(:district is null or exists (select 1 from line_districts x where x.district = :district "
    "and x.canonical_category = {t}.canonical_category and x.area is {t}.area and x.measure is {t}.measure))"
)
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


@dataclass(frozen=True)
class Place:
    """Whose reports a page is about: one district of an archive of several (``id``, its name), or
    every report (``id`` None: the only district of an archive of one, or all districts); ``area``
    is the area its reports are about, whose sentences lead."""

    id: str | None
    name: str | None
    area: str

    @property
    def query(self) -> str:
        """The district as a link's query string ("?district=…"), "" for every report."""
        return "?district=" + quote(self.id, safe="") if self.id else ""


async def rows(db, sql: str, params: Any = None) -> list[dict]:
    result = await db.execute(sql, params or {})
    return [dict(r) for r in result.rows]


async def archive_info(db) -> dict[str, str]:
    """The archive's version and the day it was built (build_info), to cite it by."""
    try:
        found = await rows(db, "select key, value from build_info where key in ('version', 'built')")
    except Exception:  # noqa: BLE001 - a database that is not an archive has no build to cite
        return {}
    return {r["key"]: r["value"] for r in found}


async def pdf_links(db) -> dict[str, str]:
    """Each report's PDF as served from the static mount /pdf (corpus/pdf)."""
    found = await rows(db, "select document_id, path from files where format = 'pdf' order by id")
    return {r["document_id"]: "/pdf/" + r["path"].split("/", 1)[-1] for r in found if r["path"].startswith("pdf/")}


async def districts(db) -> list[dict]:
    """The districts an archive of several declares (id, name), in id order; [] for an archive of one."""
    return await rows(db, "select id, name from districts order by id")


async def every_report(db) -> Place:
    """Every report of the archive, about its most common area."""
    return Place(None, None, await district(db))


async def place(db, district_id: str | None, first_by_default: bool = True) -> Place | None:
    """The district a page asks for (``district_id``), or when none is asked for the archive's first
    (``first_by_default``) or every report; None when no district has that id."""
    declared = await districts(db)
    if not district_id and (not declared or not first_by_default):
        return await every_report(db)
    chosen = next((d for d in declared if d["id"] == district_id), None) if district_id else declared[0]
    if chosen is None:
        return None
    return Place(chosen["id"], chosen["name"], await district(db, chosen["id"], f"{chosen['name']} district"))


async def trend_lines(db, district_id: str | None = None) -> list[dict]:
    """The trend lines with two or more points: every one, or one district's."""
    if district_id is None:
        return await rows(db, TREND_LINES)
    return await rows(db, DISTRICT_LINES, {"district": district_id})


def page_link(pdfs: dict[str, str], doc_id: str, page: int | None) -> str | None:
    url = pdfs.get(doc_id)
    return f"{url}#page={page}" if url and page else url


async def home(db, where: Place | None = None) -> dict:
    """The home page of the archive, or of one district of several (``where``): its reports, its
    topics' sentences, its trend lines, its plans."""
    where = where or await every_report(db)
    documents = await rows(
        db,
        "select d.id, d.title, d.kind, d.period_start, d.period_end, d.source_url, "
        "(select count(*) from facts f where f.document_id = d.id) as figures, "
        "(select count(*) from commitments c join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "where c.document_id = d.id) as commitments "
        "from documents d where :district is null or d.district = :district order by d.period_start, d.id",
        {"district": where.id},
    )
    lines = await trend_lines(db, where.id)
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
            "select (select count(*) from facts where :district is null or document_id in "
            "(select id from documents where district = :district)) as facts, "
            "(select count(*) from commitments c join files fi on fi.id = c.file_id and fi.role = 'primary' "
            "where :district is null or fi.document_id in (select id from documents where district = :district)) "
            "as commitments",
            {"district": where.id},
        )
    )[0]
    pdfs = await pdf_links(db)
    for d in documents:
        d["pdf"] = pdfs.get(d["id"])
        d["source_link"] = safe_url(d["source_url"])  # None for javascript: and every non-web scheme
    home_area = where.area
    topics = await topic_list(db, where.id)
    answers = [await topic_answer(db, t["category"], home_area, where.id) for t in topics if t["headline"]]
    return {
        "plans": await plans(db, where.id),
        "answers": answers,
        "topics": topics,
        "district": home_area,
        "place": where,
        "picker": picker(lines, home_area, district_id=where.id),
        "documents": documents,
        "lines": lines,
        "caveats": caveats,
        "period_caveats": period_caveats,
        "counts": counts,
        "attribution": OGL_ATTRIBUTION,
    }


def _typed(words: str) -> list[str]:
    words = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in words)  # a NUL ends the query in C
    return words.split()


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(words: str, columns: tuple[str, ...] = ()) -> str:
    """An FTS5 query finding every word typed at the start of a word, in ``columns`` (all when none):
    each word is quoted (a quote doubled), so quotes, stars, brackets, OR and NEAR are searched for,
    never obeyed; a word that is one of the field's abbreviations (schema/abbreviations.csv) finds
    itself as a whole word or any phrase it stands for. "" when there are no words."""
    parts = []
    for word in _typed(words):
        phrases = expansions(word)
        if phrases:
            parts.append("(" + " OR ".join([_phrase(word)] + [_phrase(p) for p in phrases]) + ")")
        else:
            parts.append(_phrase(word) + "*")
    if not parts:
        return ""
    query = " AND ".join(parts)
    return "{" + " ".join(columns) + "} : (" + query + ")" if columns else query


def _loose(phrase: str) -> str:
    """A phrase as a pattern where a space or hyphen between words may be either, or both."""
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", phrase))


def highlighter(words: str):
    """A function marking (<mark>) what the words typed found in a text: each word at the start of a
    word, an abbreviation as a whole word or any phrase it stands for; the rest escaped."""
    alternatives = []
    for word in _typed(words):
        phrases = expansions(word)
        if phrases:
            forms = [re.escape(word)] + [_loose(p) for p in phrases]
            alternatives.append(r"\b(?:" + "|".join(forms) + r")\b")
        elif any(ch.isalnum() for ch in word):
            alternatives.append(r"(?<!\w)" + re.escape(word) + r"\w*")
    pattern = re.compile("|".join(alternatives), re.I) if alternatives else None

    def mark(text: str | None) -> Markup:
        text = (text or "").replace("\x01", "").replace("\x02", "")
        if pattern is not None:  # the marks as two control characters html.escape leaves alone
            text = pattern.sub(lambda m: "\x01" + m.group(0) + "\x02" if m.group(0) else "", text)
        return Markup(html.escape(text, quote=True).replace("\x01", "<mark>").replace("\x02", "</mark>"))

    return mark


#: The sections of the search page, each with the SQL that finds its rows (:q the FTS5 query) newest
#: report first (or best match first), and the columns of its CSV.
SEARCH_SECTIONS = ("passages", "figures", "commitments")
_SEARCH_SQL = {
    "passages": (
        "select b.text, b.kind, f.document_id, d.title as report, b.page, s.rank from "
        "(select rowid as id, rank from passages_fts where passages_fts match :q) s "
        "join blocks b on b.id = s.id join files f on f.id = b.file_id join documents d on d.id = f.document_id "
    ),
    "figures": (
        "select x.value, x.unit, coalesce(x.subject, x.category) as subject, x.period_label, x.area, x.document_id, "
        "d.title as report, x.page, x.quote, x.status, x.fact_id, s.rank from "
        "(select rowid as id, rank from figures_fts where figures_fts match :q) s "
        "join facts x on x.fact_id = s.id join documents d on d.id = x.document_id "
    ),
    "commitments": (
        "select c.document_id, d.title as report, c.plan_period, c.theme, c.item_kind, c.text, c.page, s.rank from "
        "(select rowid as id, rank from commitments_fts where commitments_fts match :q) s "
        "join commitments c on c.id = s.id join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "join documents d on d.id = c.document_id "
    ),
}
_SEARCH_COLUMNS = {
    "passages": ("text", "kind"),
    "figures": ("quote", "category", "subject"),
    "commitments": ("text", "theme"),
}
_SEARCH_ORDER = {
    "newest": {
        "passages": "order by d.period_start desc, d.id, b.file_id, b.seq",
        "figures": "order by d.period_start desc, d.id, x.page, x.fact_id",
        "commitments": "order by d.period_start desc, d.id, c.id",
    },
    "best": {name: "order by s.rank, s.id" for name in SEARCH_SECTIONS},
}
#: The CSV of each section: its columns, the citation's first.
SEARCH_CSV = {
    "passages": ("report", "document_id", "page", "text", "kind"),
    "figures": ("report", "document_id", "page", "quote", "status", "value", "unit", "subject", "period_label", "area"),
    "commitments": ("report", "document_id", "page", "text", "kind", "plan_period", "theme"),
}


async def search_section(
    db, words: str, name: str, order: str = "newest", limit: int | None = None, district_id: str | None = None
) -> tuple[int, list[dict]]:
    """One section's total and its rows (up to ``limit``), newest report first or best match first;
    of one district's reports when ``district_id`` is given."""
    query = fts_query(words, _SEARCH_COLUMNS[name] if name != "passages" else ())
    if not query:
        return 0, []
    # the total counted in the same pass as the rows (a window over every match, before the limit)
    sql = _SEARCH_SQL[name].replace(" from ", ", count(*) over () as total from ", 1)
    sql += "where :district is null or d.district = :district "
    sql += _SEARCH_ORDER.get(order, _SEARCH_ORDER["newest"])[name] + " limit :n"
    found = await rows(
        db, sql, {"q": query, "n": limit if limit is not None else LIMITS.search_rows, "district": district_id}
    )
    total = found[0]["total"] if found else 0
    for r in found:
        if name == "commitments":
            r["kind"] = COMMITMENT_WORDS.get(r.pop("item_kind"), "Commitment").lower()
        if name == "passages":
            r["kind"] = r["kind"].replace("_", " ")
    return total, found


#: Topics offered to try on an empty search: the archive's own, those with the most figures on its lines.
SEARCH_EXAMPLES = 5


async def search_examples(db) -> list[str]:
    """What to try: the canonical categories the archive holds the most trend points of (never a
    list written here, so any district's archive offers its own)."""
    found = await rows(
        db,
        "select canonical_category from lines group by canonical_category order by sum(points) desc, 1 limit :n",
        {"n": SEARCH_EXAMPLES},
    )
    return [r["canonical_category"] for r in found]


async def search(db, words: str, section: str | None = None, order: str = "newest", where: Place | None = None) -> dict:
    """Passages (primary rendition only, each once), figures and commitments with every word typed
    (an abbreviation or what it stands for), through the full-text indexes, newest report first (or
    best match first): each section's total, its first rows (every row of the section asked for),
    the words found marked, a link to see all and to its CSV. With no words: what to try."""
    order = order if order in _SEARCH_ORDER else "newest"
    section = section if section in SEARCH_SECTIONS else None
    where = where or Place(None, None, "")
    context: dict = {"q": words, "order": order, "section": section, "sections": {}, "place": where}
    also = "&district=" + quote(where.id, safe="") if where.id else ""
    for name in SEARCH_SECTIONS:
        context[name] = []
    if not fts_query(words):
        context["abbreviations"] = sorted(abbreviations().items())
        context["examples"] = await search_examples(db)
        return context
    pdfs = await pdf_links(db)
    mark = highlighter(words)
    for name in SEARCH_SECTIONS:
        if section and name != section:
            continue
        total, found = await search_section(db, words, name, order, LIMITS.search_all if section else None, where.id)
        for row in found:
            row["pdf"] = page_link(pdfs, row["document_id"], row.get("page"))
            for field_name in ("text", "quote", "subject"):
                if field_name in row:
                    row[field_name + "_marked"] = mark(row[field_name])
        context[name] = found
        context["sections"][name] = {
            "total": total,
            "shown": len(found),
            "all": f"/-/search?q={quote(words)}&section={name}&order={order}{also}",
            "csv": f"/-/search.csv?q={quote(words)}&section={name}&order={order}{also}",
        }
    context["expanded"] = [(w.upper(), expansions(w)) for w in _typed(words) if expansions(w)]
    return context


async def search_csv(
    db, words: str, section: str, order: str = "newest", district_id: str | None = None
) -> tuple[tuple[str, ...], list[dict]]:
    """A section's every match (up to PageLimits.search_all) as CSV rows with the citation's columns
    and the archive's version and build date."""
    name = section if section in SEARCH_SECTIONS else "figures"
    _, found = await search_section(db, words, name, order, LIMITS.search_all, district_id)
    info = await archive_info(db)
    columns = SEARCH_CSV[name] + ("archive_version", "archive_built")
    for r in found:
        r["archive_version"], r["archive_built"] = info.get("version", ""), info.get("built", "")
    return columns, found


def _line_args(args) -> tuple[str, str, str]:
    if args.get("line"):
        parts = (args.get("line").split("|") + ["", "", ""])[:3]
        return parts[0], parts[1], parts[2]
    return args.get("category") or "", args.get("area") or "", args.get("measure") or ""


async def trend(db, args) -> dict:
    """One canonical category × area × measure: a chart panel per period length from ``points``
    (one marker per quantity, every source listed), beside each a one-line summary and a table;
    its like-for-like changes in words, relations, caveats and scheme changes marked on the axis;
    when nothing matches, why, and the values that would."""
    category, area, measure = _line_args(args)
    points = await rows(
        db,
        "select * from points where canonical_category = :c and area = :a and measure = :m "
        "order by period_start, period_end, point_id",
        {"c": category, "a": area, "m": measure},
    )
    context: dict = {"category": category, "area": area, "measure": measure, "points": points}
    district_id = await line_district(db, category, area, measure, args.get("district"))
    context["options"] = await trend_lines(db, district_id)
    home_area = await district(db, district_id)
    chosen = (category, area, measure) if category else None
    context["picker"] = picker(context["options"], home_area, chosen, district_id)
    context["topic_url"] = topic_url(category, district_id) if category else None
    if not points:
        context["why"] = (
            f"No figures for category '{category}', area '{area}', measure '{measure}'. "
            "Pick a topic, area and measure that have figures, or a line from the list."
            if category
            else "Pick a topic, area and measure."
        )
        return context
    sources = await _point_sources(db, [p["point_id"] for p in points])
    series_caveats = await rows(
        db,
        "select distinct caveat from series where canonical_category = :c and area = :a and measure = :m "
        "and caveat is not null and caveat != ''",
        {"c": category, "a": area, "m": measure},
    )
    period_caveats = await rows(db, 'select start, "end", applies_to, caveat from period_caveats order by start')
    kind = (await rows(db, "select kind from canonical_categories where label = :c", {"c": category}) or [{}])[0].get(
        "kind"
    )
    marks = scheme_marks(
        [c["caveat"] for c in series_caveats if not _is_formula(c["caveat"])],
        [p for p in period_caveats if p["applies_to"] in ("all", kind)],
    )
    for p in points:
        p["sources"] = sources.get(p["point_id"], [])
        first = p["sources"][0] if p["sources"] else None
        p["href"] = (first["pdf"] or f"/-/report/{first['document_id']}") if first else None
        p["label"] = period_label(p["period_start"], p["period_end"])
        p["documents_list"] = json.loads(p["documents"] or "[]")
        if not p["href"] and p["documents_list"]:
            p["href"] = f"/-/report/{p['documents_list'][0]}"
        p["anchor"] = f"point-{p['point_id']}"
    unit = points[0]["unit"]
    y_title = measure + (" (%)" if unit == "percent" else "")
    panels = panels_for(points)
    for n, panel in enumerate(panels):
        panel.svg = Markup(
            draw_panel(
                panel,
                f"{category} — {area} — {measure}: {length_name(panel.length)}",
                y_title,
                [(m["day"], m["letter"]) for m in marks],
                panel_id=f"panel-{n}",
            )
        )
        panel.summary = summary(panel)
    context["panels"] = panels
    context["length_name"] = length_name
    context["symbol"] = lambda line: Markup(symbol(line))
    context["marks"] = marks
    context["changes"] = [c for c in await topic_changes(db, category, area) if c["measure"] == measure]
    context["relations"] = sorted({p["relation"] or "whole" for p in points})
    context["caveats"] = sorted({c["caveat"] for c in series_caveats if not _is_formula(c["caveat"])})
    return context


_MONTH_YEAR = re.compile(
    r"\b(?:from|in|since) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})\b"
)


def scheme_marks(caveats: list[str], period_caveats: list[dict]) -> list[dict]:
    """Where the way of counting changed, to mark on a chart's axis: each period caveat's start (a
    recording programme, a gap) and each month a caveat names ("from April 2017"); lettered A, B …"""
    found: dict[str, str] = {}
    for p in period_caveats:
        found.setdefault(p["start"], p["caveat"])
    for caveat in caveats:
        for month, year in _MONTH_YEAR.findall(caveat):
            found.setdefault(f"{year}-{MONTHS.index(month) + 1:02d}-01", caveat)
    return [
        {"day": day, "letter": chr(ord("A") + n), "text": text} for n, (day, text) in enumerate(sorted(found.items()))
    ]


async def report(db, doc_id: str, page: int = 1) -> dict | None:
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
        "table_label, table_id, fact_id from facts where document_id = :d order by page, table_id, fact_id limit :n",
        {"d": doc_id, "n": LIMITS.report_figures},
    )
    for f in figures:
        f["pdf"] = page_link(pdfs, doc_id, f["page"])
    groups = report_groups(tables, figures)
    size = LIMITS.report_groups
    pages_count = max(1, -(-len(groups) // size))
    current = min(max(page, 1), pages_count)
    commitments = await rows(
        db,
        "select plan_period, theme, item_kind, text, lead_partners, c.page from commitments c "
        "join files fi on fi.id = c.file_id and fi.role = 'primary' where c.document_id = :d order by c.id",
        {"d": doc_id},
    )
    for c in commitments:
        c["label"] = COMMITMENT_WORDS.get(c["item_kind"], "Commitment")
    failed = await failed_checks(db, doc_id, about="report")  # our own reading's doubts: the checks page only
    return {
        "doc": found[0],
        "source_link": safe_url(found[0].get("source_url")),
        "pdf": pdfs.get(doc_id),
        "tables": tables,
        "figures": figures,
        "groups": groups[(current - 1) * size : current * size],
        "page": current,
        "pages": pages_count,
        "group_count": len(groups),
        "commitments": commitments,
        "promised_url": "/-/promised/" + quote(doc_id, safe="")
        if any(c["item_kind"] not in ("achievement", "priority") for c in commitments)
        else None,
        "failed": failed,
    }


#: The topics the home page answers first, in this order (canonical category labels).
HEADLINE_TOPICS = (
    "all recorded crime",
    "violence against the person",
    "burglary",
    "all anti-social behaviour",
    "domestic abuse crimes",
)
#: What a count of a measure counts, for a sentence ("5,740 crimes"); a measure not here is named.
MEASURE_NOUNS = {
    "recorded crimes": "crimes",
    "ASB incidents": "incidents",
    "domestic crime incidents": "domestic crimes",
    "count": "",
}
DEFAULT_MEASURE = "recorded crimes"
_SENTENCE_HEAD = re.compile(r"^([^:]+): ([-\d,.]+)(?= ?[,%])")


def topic_url(category: str, district_id: str | None = None) -> str:
    return "/-/topic/" + quote(category, safe="") + ("?district=" + quote(district_id, safe="") if district_id else "")


def trend_url(category: str, area: str, measure: str) -> str:
    return "/-/trend?line=" + quote(f"{category}|{area}|{measure}", safe="")


async def district(db, district_id: str | None = None, otherwise: str = "Winchester district") -> str:
    """The area the reports are about (the documents' own area, the most common): of every report, or
    of one district's."""
    found = await rows(
        db,
        "select area from documents where area is not null and (:district is null or district = :district) "
        "group by area order by count(*) desc",
        {"district": district_id},
    )
    return found[0]["area"] if found else otherwise


async def line_district(db, category: str, area: str, measure: str, asked: str | None) -> str | None:
    """The district a trend page is of: the one asked for when the archive declares it, else the
    line's (its first), else the archive's first; None in an archive of one district."""
    declared = [d["id"] for d in await districts(db)]
    if not declared:
        return None
    if asked in declared:
        return asked
    found = await rows(
        db,
        "select min(district) as district from line_districts where canonical_category = :c and area = :a "
        "and measure = :m",
        {"c": category, "a": area, "m": measure},
    )
    return found[0]["district"] if found and found[0]["district"] else declared[0]


async def topic_list(db, district_id: str | None = None) -> list[dict]:
    """Every canonical category with a trend line (two or more points) or a like-for-like change (of
    one district's when ``district_id`` is given), the headline topics first, then by name; with its
    kind and whether it has a change."""
    found = await rows(
        db,
        "select cc.label as category, cc.kind, "
        "exists(select 1 from changes ch where ch.canonical_category = cc.label and "
        + IN_DISTRICT.format(t="ch")
        + ") as has_change from canonical_categories cc where cc.label in "
        "(select canonical_category from lines l where points > 1 and " + IN_DISTRICT.format(t="l") + ") "
        "or cc.label in (select canonical_category from changes ch where " + IN_DISTRICT.format(t="ch") + ")",
        {"district": district_id},
    )
    order = {name: n for n, name in enumerate(HEADLINE_TOPICS)}
    found.sort(key=lambda t: (order.get(t["category"], len(order)), t["category"].lower()))
    for t in found:
        t["url"] = topic_url(t["category"], district_id)
        t["headline"] = t["category"] in order
    return found


def _noun(measure: str, kind: str | None, unit: str | None) -> str:
    if unit != "count":
        return ""
    if measure in MEASURE_NOUNS:
        noun = MEASURE_NOUNS[measure]
        return noun or ("crimes" if kind in ("crime", "flag") else "")
    return measure


def plain_sentence(change: dict, kind: str | None = None) -> str:
    """The change's sentence with what is counted named after the number ("5,740 crimes, …")."""
    noun = _noun(change.get("measure") or "", kind, change.get("unit"))
    sentence = change["sentence"] or ""
    if noun:
        sentence = _SENTENCE_HEAD.sub(lambda m: f"{m.group(1)}: {m.group(2)} {noun}", sentence, count=1)
    return sentence


async def _point_sources(db, point_ids: list[int]) -> dict[int, list[dict]]:
    """Each point's printed sources: report, page and PDF link (derived-only points have none)."""
    if not point_ids:
        return {}
    found = await rows(
        db,
        "select p.point_id, f.id as figure_id, fi.document_id, f.page, f.quote from points p "
        "join json_each(p.figure_ids) j join figures f on f.id = j.value join files fi on fi.id = f.file_id "
        "where p.point_id in (select value from json_each(:ids)) order by p.point_id, fi.document_id, f.page",
        {"ids": json.dumps(point_ids)},
    )
    pdfs = await pdf_links(db)
    out: dict[int, list[dict]] = {}
    for r in found:
        r["pdf"] = page_link(pdfs, r["document_id"], r["page"])
        out.setdefault(r["point_id"], []).append(r)
    return out


def _is_formula(caveat: str) -> bool:
    """A crosswalk note that only states a sum ("1 = 1a + 1b + 1c"): not a caveat for a reader."""
    return " = " in caveat and "(" not in caveat


def _overlaps(start: str, end: str, other_start: str, other_end: str) -> bool:
    return start <= other_end and other_start <= end


async def topic_changes(db, category: str, area: str | None = None, district_id: str | None = None) -> list[dict]:
    """The latest like-for-like change of each whole line of ``category`` (in ``area`` when given, of
    one district's lines when ``district_id`` is), as a plain sentence with its caveats and both
    points' source pages; the area's own lines first."""
    params = {"c": category, "a": area, "district": district_id}
    found = await rows(
        db,
        "select ch.*, cc.kind from changes ch left join canonical_categories cc on cc.label = ch.canonical_category "
        "where ch.canonical_category = :c and (:a is null or ch.area = :a) and "
        + IN_DISTRICT.format(t="ch")
        + " order by ch.line_key, ch.to_end desc, ch.to_start",
        params,
    )
    latest: dict[str, dict] = {}
    for ch in found:
        latest.setdefault(ch["line_key"], ch)
    changes = list(latest.values())
    if not changes:
        return []
    caveats = await rows(
        db,
        "select distinct area, measure, caveat from series where canonical_category = :c "
        "and relation in ('same', 'sum_of') and caveat is not null and caveat != ''",
        params,
    )
    period_caveats = await rows(db, 'select start, "end", applies_to, caveat from period_caveats')
    sources = await _point_sources(db, [c["from_point"] for c in changes] + [c["to_point"] for c in changes])
    for ch in changes:
        ch["plain"] = plain_sentence(ch, ch.get("kind"))
        ch["caveats"] = sorted(
            {
                c["caveat"]
                for c in caveats
                if c["area"] == ch["area"] and c["measure"] == ch["measure"] and not _is_formula(c["caveat"])
            }
            | {
                p["caveat"]
                for p in period_caveats
                if (p["applies_to"] == "all" or p["applies_to"] == ch.get("kind"))
                and (
                    _overlaps(ch["from_start"], ch["from_end"], p["start"], p["end"])
                    or _overlaps(ch["to_start"], ch["to_end"], p["start"], p["end"])
                    or ch["from_start"] < p["start"] <= ch["to_end"]
                )
            }
        )
        ch["to_sources"] = sources.get(ch["to_point"], [])
        ch["from_sources"] = sources.get(ch["from_point"], [])
        printed = {(s["document_id"], s["page"], s["quote"]): s for s in ch["to_sources"] + ch["from_sources"]}
        ch["printed"] = list(printed.values())  # each quote once: one table row often holds both figures
        ch["doubt"] = bool(ch["flagged"]) or not ch["agree"]
        ch["trend"] = trend_url(ch["canonical_category"], ch["area"], ch["measure"])
    changes.sort(
        key=lambda c: (
            c["area"] != area,
            c["measure"] != DEFAULT_MEASURE,
            c["unit"] != "count",
            c["to_end"] and -int(c["to_end"].replace("-", "")),
            c["measure"],
        )
    )
    return changes


async def topic_answer(db, category: str, area: str, district_id: str | None = None) -> dict:
    """A topic's answer in words for the home page: its latest like-for-like change in ``area``
    (the district's own count first), or why there is none and the latest figure printed."""
    changes = await topic_changes(db, category, area, district_id)
    answer: dict = {
        "category": category,
        "url": topic_url(category, district_id),
        "change": changes[0] if changes else None,
    }
    if not changes:
        latest = await rows(
            db,
            "select p.*, cc.kind from points p left join canonical_categories cc on cc.label = p.canonical_category "
            "where p.canonical_category = :c and p.area = :a and p.relation = 'whole' and p.unit = 'count' "
            "order by p.measure != :m, p.period_end desc, p.period_start limit 1",
            {"c": category, "a": area, "m": DEFAULT_MEASURE},
        )
        answer["latest"] = latest[0] if latest else None
        if latest:
            p = latest[0]
            noun = _noun(p["measure"], p.get("kind"), p["unit"]) or p["measure"]
            answer["latest_text"] = f"{period_words(p['period_start'], p['period_end'])}: {p['value']:,.0f} {noun}"
            answer["latest_trend"] = trend_url(category, area, p["measure"])
    return answer


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_words(start: str, end: str) -> str:
    """ "April–December 2024", "April 2021–March 2022", as the changes' sentences name periods."""
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    if s.year == e.year:
        return (
            f"{MONTHS[s.month - 1]}–{MONTHS[e.month - 1]} {e.year}"
            if s.month != e.month
            else f"{MONTHS[s.month - 1]} {s.year}"
        )
    return f"{MONTHS[s.month - 1]} {s.year}–{MONTHS[e.month - 1]} {e.year}"


async def topic(db, category: str, where: Place | None = None) -> dict | None:
    """A topic page: the like-for-like changes of ``category`` in words (the district first, then
    each other area), its caveats and sources, and its lines to draw; None when no such topic. In an
    archive of several districts, one district's (``where``)."""
    known = await rows(
        db, "select label, kind, parent from canonical_categories where label = :c or id = :c", {"c": category}
    )
    if not known:
        return None
    label = known[0]["label"]
    lines = await rows(
        db,
        "select canonical_category, area, measure, points, first, last from lines l where canonical_category = :c "
        "and " + IN_DISTRICT.format(t="l") + " order by area, measure",
        {"c": label, "district": where.id if where else None},
    )
    where = where or await every_report(db)
    changes = await topic_changes(db, label, None, where.id)
    if not lines and not changes:
        return None
    home_area = where.area
    for line in lines:
        line["url"] = trend_url(label, line["area"], line["measure"])
    areas = sorted({line["area"] for line in lines}, key=lambda a: (a != home_area, a))
    measures = sorted(
        {line["measure"] for line in lines if line["area"] == home_area} or {line["measure"] for line in lines},
        key=lambda m: (m != DEFAULT_MEASURE, m.lower()),
    )
    answer = await topic_answer(db, label, home_area, where.id)
    return {
        "category": label,
        "kind": known[0]["kind"],
        "district": home_area,
        "place": where,
        "answer": answer,
        "changes": [c for c in changes if c["area"] == home_area],
        "other_changes": [c for c in changes if c["area"] != home_area],
        "lines": [line for line in lines if line["points"] > 1],
        "single": [line for line in lines if line["points"] <= 1],
        "areas": areas,
        "measures": measures,
        "related": await _with_urls(
            where.id,
            rows(
                db,
                "select label from canonical_categories where (parent = (select id from canonical_categories where label = :c) "
                "or id = (select parent from canonical_categories where label = :c)) and label in (select canonical_category from lines) "
                "order by label",
                {"c": label},
            ),
        ),
    }


async def _with_urls(district_id: str | None, found) -> list[dict]:
    out = await found
    for r in out:
        r["url"] = topic_url(r["label"], district_id)
    return out


def picker(
    lines: list[dict], home_area: str, chosen: tuple[str, str, str] | None = None, district_id: str | None = None
) -> dict:
    """A topic → area → measure pick-list (three lists; the trend page says when a combination has
    no line), defaulting to all recorded crime in the district: topics with a line, the district
    first among areas, recorded crimes first among measures; ``district_id`` (of several) kept in the form."""
    category, area, measure = chosen or (HEADLINE_TOPICS[0], home_area, DEFAULT_MEASURE)
    order = {name: n for n, name in enumerate(HEADLINE_TOPICS)}
    return {
        "topics": sorted({r["canonical_category"] for r in lines}, key=lambda c: (order.get(c, len(order)), c.lower())),
        "areas": sorted(
            {r["area"] for r in lines}, key=lambda a: (a != home_area, a.startswith("Total of"), a.lower())
        ),
        "measures": sorted({r["measure"] for r in lines}, key=lambda m: (m != DEFAULT_MEASURE, m.lower())),
        "category": category,
        "area": area,
        "measure": measure,
        "district": district_id,
    }


def report_groups(tables: list[dict], figures: list[dict]) -> list[dict]:
    """A report's figures grouped for reading: each table (its grid and the figures read from it),
    in the report's order, then the figures read from the text, one group per PDF page."""
    by_table: dict[int, list[dict]] = {}
    prose: dict[int | None, list[dict]] = {}
    for f in figures:
        if f.get("table_id") is not None:
            by_table.setdefault(f["table_id"], []).append(f)
        else:
            prose.setdefault(f.get("page"), []).append(f)
    groups = [
        {
            "kind": "table",
            "title": (t["label"] or "Table") + (f" — {t['caption']}" if t.get("caption") else ""),
            "table": t,
            "figures": by_table.get(t["id"], []),
        }
        for t in tables
    ]
    for page_no in sorted(prose, key=lambda n: (n is None, n or 0)):
        title = f"Figures in the text, page {page_no}" if page_no else "Figures in the text"
        groups.append({"kind": "text", "title": title, "table": None, "figures": prose[page_no]})
    return groups


#: A commitment's kind in words (schema: commitments.item_kind), for people reading a plan.
COMMITMENT_WORDS = {
    "priority": "Priority",
    "aim": "Aim",
    "objective": "Objective",
    "priority_focus": "Where to focus",
    "activity": "What will be done",
    "measure": "How it will be measured",
    "outcome": "Outcome sought",
    "target": "Target",
    "pledge": "Pledge",
    "achievement": "Achievement reported",
}
#: What a piece of evidence is, in words (schema: commitment_links.target_kind).
EVIDENCE_WORDS = {
    "figure": "A figure",
    "block": "A passage",
    "commitment": "An achievement or pledge",
}
NO_EVIDENCE = "No later evidence found in the archive"
_PROMISE_KINDS = tuple(k for k in COMMITMENT_WORDS if k != "achievement")


async def plans(db, district_id: str | None = None) -> list[dict]:
    """The reports that promise something (a commitment other than an achievement), oldest first (of
    one district when ``district_id`` is given), each with its commitments counted and how many have
    later evidence."""
    found = await rows(
        db,
        "select d.id, d.title, d.period_start, d.period_end, "
        "count(distinct case when c.item_kind != 'priority' then c.id end) as promises, "
        "count(distinct case when l.target_kind != 'none' and c.item_kind != 'priority' then c.id end) as with_evidence "
        "from documents d join commitments c on c.document_id = d.id "
        "join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "left join commitment_links l on l.commitment_id = c.id "
        "where c.item_kind in (select value from json_each(:kinds)) and (:district is null or d.district = :district) "
        "group by d.id order by d.period_start, d.id",
        {"kinds": json.dumps(_PROMISE_KINDS), "district": district_id},
    )
    for p in found:
        p["url"] = "/-/promised/" + quote(p["id"], safe="")
    return found


async def _evidence(db, commitment_ids: list[int]) -> dict[int, list[dict]]:
    """Each commitment's links in rank order: what the evidence is in words, the evidence as
    printed, the report and page it is on (with a PDF link), why it was linked; or why there is none."""
    found = await rows(
        db,
        "select l.commitment_id, l.rank, l.target_kind, l.reason, l.evidence, l.document_id, d.title, "
        "case l.target_kind when 'figure' then (select page from figures where id = l.target_id) "
        "when 'block' then (select page from blocks where id = l.target_id) "
        "when 'commitment' then (select page from commitments where id = l.target_id) end as page, "
        "case l.target_kind when 'commitment' then (select text from commitments where id = l.target_id) "
        "when 'block' then (select text from blocks where id = l.target_id) end as target_text "
        "from commitment_links l left join documents d on d.id = l.document_id "
        "where l.commitment_id in (select value from json_each(:ids)) order by l.commitment_id, l.rank",
        {"ids": json.dumps(commitment_ids)},
    )
    pdfs = await pdf_links(db)
    out: dict[int, list[dict]] = {}
    for r in found:
        if r["target_kind"] == "none":
            r["what"], r["text"] = None, r["reason"]
        else:
            r["what"] = EVIDENCE_WORDS.get(r["target_kind"], "Evidence")
            r["text"] = r["evidence"] or r["target_text"] or ""
            r["pdf"] = page_link(pdfs, r["document_id"], r["page"])
            r["report_url"] = "/-/report/" + quote(r["document_id"] or "", safe="")
        out.setdefault(r["commitment_id"], []).append(r)
    return out


async def promised(db, doc_id: str) -> dict | None:
    """One plan's commitments as its priorities group them (priority → aim or objective → activity,
    measure or outcome, from the commitments' parents; an item with no parent under the priority
    of its theme, else under "Other commitments"), each with its evidence or why there is none;
    None when the report promises nothing."""
    found = await rows(db, "select * from documents where id = :d", {"d": doc_id})
    if not found:
        return None
    items = await rows(
        db,
        "select c.id, c.item_kind, c.text, c.theme, c.lead_partners, c.parent_id, c.page, c.plan_period "
        "from commitments c join files fi on fi.id = c.file_id and fi.role = 'primary' "
        "where c.document_id = :d and c.item_kind in (select value from json_each(:kinds)) order by c.id",
        {"d": doc_id, "kinds": json.dumps(_PROMISE_KINDS)},
    )
    if not items:
        return None
    evidence = await _evidence(db, [c["id"] for c in items])
    pdfs = await pdf_links(db)
    by_id = {c["id"]: c for c in items}
    for c in items:
        c["label"] = COMMITMENT_WORDS.get(c["item_kind"], "Commitment")
        c["pdf"] = page_link(pdfs, doc_id, c["page"])
        links = evidence.get(c["id"], [])
        c["evidence"] = [e for e in links if e["target_kind"] != "none"]
        c["no_evidence"] = None if c["evidence"] else next((e["reason"] for e in links), NO_EVIDENCE)
        c["children"] = []
    priorities = [c for c in items if c["item_kind"] == "priority"]
    by_theme = {p["theme"] or p["text"]: p for p in priorities}
    other: dict = {"id": None, "text": "Other commitments", "label": None, "children": [], "evidence": []}
    for c in items:
        if c["item_kind"] == "priority":
            continue
        parent = by_id.get(c["parent_id"]) if c["parent_id"] else None
        if parent is None:
            parent = by_theme.get(c["theme"] or "", other)
        parent["children"].append(c)
    groups = priorities + ([other] if other["children"] else [])
    total = len([c for c in items if c["item_kind"] != "priority"])
    answered = len([c for c in items if c["item_kind"] != "priority" and c["evidence"]])
    return {
        "doc": found[0],
        "pdf": pdfs.get(doc_id),
        "groups": groups,
        "total": total,
        "answered": answered,
        "no_evidence_words": NO_EVIDENCE,
    }


def check_kinds() -> dict[str, Any]:
    """checks.kind → its row in schema/check_kinds.csv (words, and whom it is about)."""
    from extract.vocab.loader import load_own_rows

    return {row.kind: row for row in load_own_rows("check_kinds.csv")}


async def failed_checks(
    db, doc_id: str | None = None, about: str | None = None, district_id: str | None = None
) -> list[dict]:
    """Every failed check once (of a report's primary rendition, or of no file), oldest report first:
    its kind in words, whether it is about the report or our reading of it, what was expected and
    printed, and each page its figures are on, linked to the PDF page and the report's page."""
    found = await rows(
        db,
        "select c.id, c.document_id, d.title, c.kind, c.nature, c.description, c.expected, c.printed, "
        "t.pages as table_pages from checks c join documents d on d.id = c.document_id "
        "left join files fi on fi.id = c.file_id left join tables t on t.id = c.table_id "
        "where c.passed = 0 and (c.file_id is null or fi.role = 'primary') and (:d is null or c.document_id = :d) "
        "and (:district is null or d.district = :district) order by d.period_start, c.document_id, c.id",
        {"d": doc_id, "district": district_id},
    )
    pages_of = await rows(
        db,
        "select distinct cf.check_id, f.document_id, f.page from check_figures cf join figures f on f.id = cf.figure_id "
        "join checks c on c.id = cf.check_id where c.passed = 0 and (:d is null or c.document_id = :d) "
        "and (:district is null or c.document_id in (select id from documents where district = :district)) "
        "order by cf.check_id, f.document_id, f.page",
        {"d": doc_id, "district": district_id},
    )
    pdfs = await pdf_links(db)
    by_check: dict[int, list[dict]] = {}
    for p in pages_of:
        p["pdf"] = page_link(pdfs, p["document_id"], p["page"])
        p["report_url"] = "/-/report/" + quote(p["document_id"], safe="")
        by_check.setdefault(p["check_id"], []).append(p)
    kinds = check_kinds()
    seen: set[tuple] = set()
    out = []
    for c in found:
        key = (c["document_id"], c["kind"], c["description"])
        if key in seen:  # the same disagreement found twice (two readings of one report) is one entry
            continue
        seen.add(key)
        kind = kinds.get(c["kind"])
        c["words"] = kind.words if kind else "a check of the report's figures failed"
        c["about"] = "reading" if c["nature"] == "reading" or (kind and kind.about == "reading") else "report"
        c["pages"] = by_check.get(c["id"], []) or [  # a check with no figure (a value cut short): its table's pages
            {
                "document_id": c["document_id"],
                "page": n,
                "pdf": page_link(pdfs, c["document_id"], n),
                "report_url": "/-/report/" + quote(c["document_id"], safe=""),
            }
            for n in json.loads(c["table_pages"] or "[]")
        ]
        if about is None or c["about"] == about:
            out.append(c)
    return out


async def checks_page(db, where: Place | None = None) -> dict:
    """The failed-checks page: the reports' disagreements with themselves, grouped by report, then
    the differences in our own reading (kept off the reports' own pages); of one district's reports
    when ``where`` is one."""
    where = where or Place(None, None, "")
    every = await failed_checks(db, district_id=where.id)
    reports: dict[str, dict] = {}
    for c in every:
        if c["about"] == "report":
            reports.setdefault(c["document_id"], {"id": c["document_id"], "title": c["title"], "checks": []})[
                "checks"
            ].append(c)
    return {
        "reports": list(reports.values()),
        "disagreements": sum(len(r["checks"]) for r in reports.values()),
        "reading": [c for c in every if c["about"] == "reading"],
        "place": where,
    }
