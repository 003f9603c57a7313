"""The pages of an archive of several districts: the home page listing them (each with its headline
sentences, or, past a few districts, a list to choose from) and one canonical category compared
across districts, like for like (the same measure, unit and period, as the canned query
``compare_districts`` gives them), as a table and a chart in the trend page's style."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from extract.publish import pages
from extract.publish.charts import ChartSettings, Line, Panel, draw_panel, length_name, period_label, symbol


@dataclass(frozen=True)
class DistrictPageLimits:
    """How much of each district the archive's home page shows."""

    #: each district's headline sentences lead the home page up to this many districts; with more, a list
    sentences_up_to: int = 12
    #: a district's headline sentences shown on the archive's home page
    sentences_each: int = 2


LIMITS = DistrictPageLimits()


def district_url(district_id: str) -> str:
    return "/-/district/" + quote(district_id, safe="")


def compare_url(category: str) -> str:
    return "/-/compare/" + quote(category, safe="")


async def overview(db) -> dict:
    """The home page of an archive of several districts: each district (its home page, its reports
    counted, its headline sentences while there are few districts) and the categories two or more
    districts have lines of, each linked to its comparison."""
    declared = await pages.districts(db)
    counted = {
        r["district"]: r["documents"]
        for r in await pages.rows(db, "select district, count(*) as documents from documents group by district")
    }
    sentences = len(declared) <= LIMITS.sentences_up_to
    for d in declared:
        d["url"] = district_url(d["id"])
        d["documents"] = counted.get(d["id"], 0)
        d["answers"] = []
        if sentences:
            area = await pages.district(db, d["id"], f"{d['name']} district")
            headline = [t for t in await pages.topic_list(db, d["id"]) if t["headline"]]
            for t in headline[: LIMITS.sentences_each]:
                d["answers"].append(await pages.topic_answer(db, t["category"], area, d["id"]))
    compared = await pages.rows(
        db,
        "select canonical_category as category, count(distinct district) as districts from line_districts "
        "group by canonical_category having count(distinct district) > 1 order by canonical_category",
    )
    for c in compared:
        c["url"] = compare_url(c["category"])
    counts = (
        await pages.rows(
            db, "select (select count(*) from facts) as facts, (select count(*) from documents) as documents"
        )
    )[0]
    return {
        "districts": declared,
        "sentences": sentences,
        "compared": compared,
        "counts": counts,
        "attribution": pages.OGL_ATTRIBUTION,
    }


async def compare(db, category: str, sql: str) -> dict | None:
    """One canonical category across districts: for each measure, unit and length of period, a
    table (a row per period, a column per district) and a chart (a line per district, each its own
    colour and shape), from ``sql`` (the canned query compare_districts); None when no such category."""
    known = await pages.rows(
        db, "select label, kind from canonical_categories where label = :c or id = :c", {"c": category}
    )
    if not known:
        return None
    label = known[0]["label"]
    found = await pages.rows(db, sql, {"category": label})
    settings = ChartSettings()
    names = sorted({r["district"] for r in found})
    styles = {
        name: (settings.colours[n % len(settings.colours)], settings.shapes[n % len(settings.shapes)])
        for n, name in enumerate(names)
    }
    groups: dict[tuple, list[dict]] = {}
    for r in found:
        r["href"] = "/-/report/" + quote(r["document_id"] or "", safe="")
        groups.setdefault((r["measure"], r["unit"], r["length"]), []).append(r)
    comparisons = []
    for n, ((measure, unit, length), members) in enumerate(groups.items()):
        lines = []
        for name in sorted({r["district"] for r in members}):
            colour, shape = styles[name]
            points = sorted((r for r in members if r["district"] == name), key=lambda r: r["period_start"])
            lines.append(Line(name, points, colour=colour, shape=shape))
        panel = Panel(length=length, lines=lines)
        title = f"{label} — {measure} — {length_name(length)}: by district"
        panel.svg = Markup(
            draw_panel(
                panel, title, (measure or "") + (" (%)" if unit == "percent" else ""), [], settings, f"compare-{n}"
            )
        )
        periods = sorted({(r["period_start"], r["period_end"]) for r in members})
        cells = {(r["period_start"], r["period_end"], r["district"]): r for r in members}
        comparisons.append(
            {
                "measure": measure,
                "unit": unit,
                "length": length_name(length),
                "panel": panel,
                "legend": [(Markup(symbol(line)), line.label) for line in lines],
                "districts": [line.label for line in lines],
                "rows": [
                    {"label": period_label(s, e), "cells": [cells.get((s, e, line.label)) for line in lines]}
                    for s, e in periods
                ],
                "caveats": sorted({r["caveat"] for r in members if r["caveat"]}),
            }
        )
    return {"category": label, "comparisons": comparisons, "districts": names}
