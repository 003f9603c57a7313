"""Harmonise printed labels across twenty years: category schemes and the crosswalk to canonical
categories, areas with their parents, periods — and what can be derived from them (4a = 4a1 + 4a2,
a region from its parishes), stored beside the printed figures, never in place of them.

All vocabulary is data under ``schema/`` (categories.csv, crosswalk.csv, canonical_categories.csv,
category_schemes.csv, areas.csv, derivations.csv, period_caveats.csv); this module only matches.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from typing import Optional

import sqlite_utils

from extract.readers.markup import split_markers
from extract.vocab.loader import load_csv, schema_path
from extract.vocab.values import strip_trend

_CODE = re.compile(r"^\s*(\d{1,2}[a-z]?\d?)\.?\s+(?=\S)", re.I)


def norm(text: Optional[str]) -> str:
    """Fold a printed label for matching: markers, arrows, case, & / and, punctuation."""
    text = split_markers(strip_trend(text or "")[0])[0].lower().replace("&", " and ")
    text = text.replace("–", "-").replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def split_code(label: str) -> tuple[Optional[str], str]:
    """ "1b Violence with Injury" -> ("1b", "violence with injury"); "01. Charged" -> ("01", "charged")."""
    m = _CODE.match(label or "")
    if not m:
        return None, norm(label)
    return m.group(1).lower(), norm(label[m.end() :])


# ---- vocabulary -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def categories() -> dict[str, dict]:
    return {row["id"]: row for row in load_csv("categories.csv")}


@lru_cache(maxsize=1)
def canonical() -> dict[str, dict]:
    return {row["id"]: row for row in load_csv("canonical_categories.csv")}


@lru_cache(maxsize=1)
def schemes() -> dict[str, dict]:
    return {row["scheme"]: row for row in load_csv("category_schemes.csv")}


@lru_cache(maxsize=1)
def crosswalk() -> dict[str, list[dict]]:
    """category id -> its crosswalk rows, the primary (``same``, else first) first."""
    out: dict[str, list[dict]] = defaultdict(list)
    for row in load_csv("crosswalk.csv"):
        out[row["category"]].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["relation"] != "same")
    return dict(out)


@lru_cache(maxsize=1)
def _label_index() -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    by_text: dict[str, str] = {}
    by_code: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, row in categories().items():
        names = [row["label"], *filter(None, row["variants"].split("|"))]
        for name in names:
            by_text.setdefault(norm(name), cid)
            code, rest = split_code(name)
            if code is None:
                by_text.setdefault(rest, cid)
        if row["code"]:
            by_code[(row["code"].lower(), norm(row["label"]))].append(cid)
            by_code[(row["code"].lower(), "")].append(cid)
    return by_text, by_code


def match_category(label: Optional[str]) -> Optional[str]:
    """The category id a printed label names, or None. Codes count ("4a1", "01."), as do
    variants; a label whose code and words disagree is not matched."""
    if not label or not label.strip():
        return None
    by_text, by_code = _label_index()
    code, rest = split_code(label)
    if code is not None:
        hits = by_code.get((code, rest))
        if hits:
            return hits[0]
        candidates = by_code.get((code, ""), [])
        for cid in candidates:  # the code with words close to the category's own
            words = set(norm(categories()[cid]["label"]).split())
            if words and len(words & set(rest.split())) / len(words) >= 0.5:
                return cid
        return by_text.get(rest)
    return by_text.get(norm(label))


def match_phrase(phrase: Optional[str]) -> Optional[str]:
    """For prose subjects: the longest category label contained in the phrase."""
    text = norm(phrase)
    if not text:
        return None
    exact = match_category(phrase)
    if exact:
        return exact
    by_text, _ = _label_index()
    best = None
    for label, cid in by_text.items():
        if len(label) >= 5 and re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", text):
            if categories()[cid]["scheme"] in ("total", "theme"):
                continue
            if best is None or len(label) > len(best[0]):
                best = (label, cid)
    return best[1] if best else None


@lru_cache(maxsize=1)
def area_index() -> dict[str, dict]:
    out = {}
    for row in load_csv("areas.csv"):
        for name in [row["name"], *filter(None, row["variants"].split("|"))]:
            out.setdefault(norm(name), row)
    return out


def match_area(label: Optional[str]) -> Optional[dict]:
    return area_index().get(norm(label)) if label else None


# ---- the database -----------------------------------------------------------------------------


def harmonise_db(db: sqlite_utils.Database) -> None:
    """Fill the vocabulary tables, give each figure its category, canonical category, area and
    period, derive sums, check regions against their parishes, and create the series views."""
    db.executescript(schema_path("harmonise.sql").read_text(encoding="utf-8"))
    _vocabulary_tables(db)
    _map_areas(db)
    _map_periods(db)
    _map_categories(db)
    _infer_measures(db)
    _derive(db)
    _cross_table_checks(db)
    corroborate(db)
    db.conn.commit()


def _vocabulary_tables(db) -> None:
    db["schemes"].insert_all(schemes().values(), pk="scheme", replace=True)
    db["canonical_categories"].insert_all(canonical().values(), pk="id", replace=True)
    db["categories"].insert_all(categories().values(), pk="id", replace=True)
    db["crosswalk"].insert_all(
        {k: r[k] for k in ("category", "canonical", "relation", "caveat", "source")}
        for rows in crosswalk().values()
        for r in rows
    )
    db["period_caveats"].insert_all(load_csv("period_caveats.csv"))
    rows = list(load_csv("areas.csv"))
    ids = {row["name"]: i for i, row in enumerate(rows, 1)}
    db["areas"].insert_all(
        (
            {
                "id": ids[r["name"]],
                "name": r["name"],
                "kind": r["kind"],
                "parent_id": ids.get(r["parent"]),
                "variants": r["variants"] or None,
            }
            for r in rows
        ),
        pk="id",
        replace=True,
    )


TOTAL_OF = "Total of "


def _total_of(label: str, ids: dict, children: dict) -> Optional[int]:
    """A "Total of A, B, C" column is the area whose children of one kind are exactly A, B, C (or A)."""
    rows = [match_area(name.strip()) for name in label[len(TOTAL_OF) :].split(",")]
    if not rows or None in rows:
        return None
    named = {ids[r["name"]] for r in rows if r}
    if len(named) == 1:
        return next(iter(named))
    return next((parent for (parent, _kind), kids in children.items() if kids == named), None)


def _map_areas(db) -> None:
    ids = {name: id_ for id_, name in db.execute("select id, name from areas")}
    children: dict = defaultdict(set)
    for id_, parent, kind in db.execute("select id, parent_id, kind from areas where parent_id is not null"):
        children[(int(parent), kind)].add(id_)
    updates = []
    for (label,) in db.execute("select distinct area from figures where area is not null").fetchall():
        row = match_area(label)
        if row:
            updates.append((ids[row["name"]], label))
        elif label.startswith(TOTAL_OF) and (whole := _total_of(label, ids, children)) is not None:
            updates.append((whole, label))
    db.conn.executemany("update figures set area_id = ? where area = ?", updates)


def period_kind(start: str, end: str) -> str:
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if s.day != 1:
        return "span"
    if months == 12 and s.month == 4:
        return "financial_year"
    if months == 12 and s.month == 1:
        return "calendar_year"
    if months == 3 and s.month in (1, 4, 7, 10):
        return "quarter"
    if months == 1:
        return "month"
    if s.month == 4:
        return "year_to_date"
    return "span"


def _map_periods(db) -> None:
    spans = db.execute(
        "select distinct period_start, period_end from figures where period_start is not null"
    ).fetchall()
    db["periods"].insert_all(
        (
            {
                "start": s,
                "end": e,
                "kind": period_kind(s, e),
                "days": (date.fromisoformat(e) - date.fromisoformat(s)).days + 1,
            }
            for s, e in spans
        ),
        pk="id",
    )
    db.execute(
        "update figures set period_id = (select p.id from periods p where p.start = figures.period_start "
        'and p."end" = figures.period_end)'
    )


def _map_categories(db) -> None:
    full = db.execute("select id, table_id, category, source_kind, quote, raw from figures").fetchall()
    rows = [r[:4] for r in full]
    table_text = {
        tid: " ".join(filter(None, [cap, head]))
        for tid, cap, head in db.execute("select id, caption, heading from tables")
    }
    mapped: dict[int, Optional[str]] = {}
    for fid, tid, label, kind, quote, raw in full:
        cid = match_category(label) if kind == "table" else (match_phrase(label) or match_phrase(lead_in(quote, raw)))
        mapped[fid] = cid
    # a total row counts what its sibling rows add up to, or the subject its caption names
    siblings: dict[int, list[str]] = defaultdict(list)
    for fid, tid, label, kind in rows:
        cid = mapped[fid]
        if tid is not None and cid and categories()[cid]["scheme"] != "total":
            siblings[tid].append(cid)
    total_of: dict[int, tuple[Optional[str], str]] = {}
    updates = []
    for fid, tid, label, kind in rows:
        cid = mapped[fid]
        canon, relation, via = None, None, None
        if cid and categories()[cid]["scheme"] == "total" and tid is not None:
            if tid not in total_of:
                total_of[tid] = resolve_total(siblings.get(tid, []), table_text.get(tid, ""))
            canon, relation = total_of[tid]
            via = "total"
        elif cid and cid in crosswalk():
            primary = crosswalk()[cid][0]
            canon, relation = primary["canonical"], primary["relation"]
        updates.append((cid, canonical()[canon]["label"] if canon else None, canon, relation, via, fid))
    db.conn.executemany(
        "update figures set category_id = ?, canonical_category = ?, canonical_id = ?, canonical_relation = ?, "
        "category_via = ? where id = ?",
        updates,
    )


def _infer_measures(db) -> None:
    """A count of a crime category printed with no measure word (a table headed only by its
    period) counts recorded crimes; the inference is noted on the figure."""
    db.execute(
        "update figures set measure = 'recorded crimes', notes = json_insert(coalesce(notes, '[]'), '$[#]', "
        "'measure inferred: a count of a crime category') where measure is null and unit = 'count' "
        "and source_kind = 'table' and canonical_id in (select id from canonical_categories where kind = 'crime')"
    )


def lead_in(quote: Optional[str], raw: Optional[str]) -> str:
    """The words of a sentence before its figure, back to the clause start: what the figure is about
    ("violence with injury offences accounted for" 877 crimes)."""
    if not quote or not raw:
        return ""
    at = quote.find(raw)
    head = quote[:at] if at >= 0 else ""
    pieces = [p for p in re.split(r"[,;:()]|\band\b|\bcompared\b", head) if re.search(r"[A-Za-z]{3}", p)]
    return pieces[-1][-90:] if pieces else ""


def resolve_total(sibling_ids: list[str], caption: str) -> tuple[Optional[str], Optional[str]]:
    """What a table's total row counts: the single parent its rows share, else the subject its
    caption names, else the total of the rows' scheme."""
    canon = [crosswalk()[c][0]["canonical"] for c in sibling_ids if c in crosswalk()]
    if canon and len(set(canon)) == 1:  # offences that are all part of one category
        return canon[0], "sum_of"
    parents = {canonical()[c]["parent"] for c in canon if c in canonical()}
    if len(parents) == 1 and "" not in parents:
        return parents.pop(), "sum_of"
    subject = match_phrase(caption)
    if subject and subject in crosswalk() and categories()[subject]["scheme"] not in ("total", "flag", "outcome_type"):
        return crosswalk()[subject][0]["canonical"], "same"
    if sibling_ids:
        scheme, _ = Counter(categories()[c]["scheme"] for c in sibling_ids).most_common(1)[0]
        row = schemes().get(scheme, {})
        if row.get("total_canonical"):
            return row["total_canonical"], row["total_relation"] or "same"
    return None, None


def _derive(db) -> None:
    """Sums of parts (schema/derivations.csv) and regions from their parishes, each with the
    figures it was derived from; a region sum that differs from the printed region figure is a
    failed check."""
    facts = list(
        db.query(
            "select f.id, f.document_id, f.table_id, f.canonical_id, f.canonical_relation, f.area, f.area_id, f.measure, "
            "f.period_start, f.period_end, f.value, f.unit, f.source_file from figures f join files fi on fi.id = f.file_id "
            "where fi.role = 'primary' and f.source_kind = 'table' and f.unit = 'count' and f.canonical_id is not null"
        )
    )
    derived = []
    key = lambda f: (f["document_id"], f["table_id"], f["area"], f["measure"], f["period_start"], f["period_end"])
    groups: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for f in facts:
        if f["canonical_relation"] == "same":
            groups[key(f)].setdefault(f["canonical_id"], f)
    for row in load_csv("derivations.csv"):
        parts = row["parts"].split("|")
        for k, by_canon in groups.items():
            if row["canonical"] in by_canon or not all(p in by_canon for p in parts):
                continue
            used = [by_canon[p] for p in parts]
            derived.append(_derived_row(used[0], row["canonical"], sum(f["value"] for f in used), used, row["note"]))
    derived += _regions_from_parishes(db, facts)
    db["derived_figures"].insert_all(derived, pk="id")


def _derived_row(base: dict, canon: str, value: float, used: list[dict], note: str, area=None, area_id=None) -> dict:
    return {
        "document_id": base["document_id"],
        "source_file": base["source_file"],
        "table_id": base["table_id"],
        "canonical_id": canon,
        "canonical_category": canonical()[canon]["label"],
        "area": area or base["area"],
        "area_id": area_id or base["area_id"],
        "measure": base["measure"],
        "period_start": base["period_start"],
        "period_end": base["period_end"],
        "value": value,
        "unit": base["unit"],
        "derivation": note,
        "derived_from": json.dumps([f["id"] for f in used]),
    }


def _regions_from_parishes(db, facts: list[dict]) -> list[dict]:
    children: dict[int, set[int]] = defaultdict(set)
    names = {}
    for id_, name, parent in db.execute("select id, name, parent_id from areas where kind = 'parish'"):
        children[parent].add(id_)
        names[id_] = name
    region_names = {id_: name for id_, name in db.execute("select id, name from areas")}
    by_key: dict[tuple, dict[int, dict]] = defaultdict(dict)
    for f in facts:
        if f["area_id"] is not None:
            k = (f["document_id"], f["canonical_id"], f["measure"], f["period_start"], f["period_end"])
            by_key[k].setdefault(f["area_id"], f)
    out, checks = [], []
    for k, by_area in by_key.items():
        for region, kids in children.items():
            if not kids or not kids <= set(by_area):
                continue
            used = [by_area[a] for a in sorted(kids)]
            value = sum(f["value"] for f in used)
            out.append(
                _derived_row(
                    used[0],
                    k[1],
                    value,
                    used,
                    "region = sum of its parishes",
                    area=region_names[region],
                    area_id=region,
                )
            )
            printed = by_area.get(region)
            if printed is not None:
                checks.append((k[0], printed, value, used, region_names[region]))
    for doc, printed, value, used, region in checks:
        cid = (
            db["checks"]
            .insert(
                {
                    "document_id": doc,
                    "file_id": None,
                    "table_id": printed["table_id"],
                    "kind": "region_from_parishes",
                    "description": f"{region}, {canonical()[printed['canonical_id']]['label']}: printed {printed['value']:g}, "
                    f"its {len(used)} parishes add up to {value:g}",
                    "expected": value,
                    "printed": printed["value"],
                    "passed": int(abs(value - printed["value"]) < 0.5),
                }
            )
            .last_pk
        )
        db["check_figures"].insert_all(
            [{"check_id": cid, "figure_id": f["id"]} for f in [printed, *used]], replace=True
        )
        if abs(value - printed["value"]) >= 0.5:
            db.execute("update figures set status = 'flagged' where id = ?", [printed["id"]])
    return out


def _cross_table_checks(db) -> None:
    """Within one report, two tables that print the same quantity (category, area, measure,
    period) should print the same value; where they differ it is a failed check."""
    rows = db.query(
        "select f.id, f.document_id, f.table_id, f.table_label, f.canonical_id, f.area, f.measure, f.period_start, "
        "f.period_end, f.value from figures f join files fi on fi.id = f.file_id where fi.role = 'primary' "
        "and f.source_kind = 'table' and f.unit = 'count' and f.canonical_relation in ('same', 'sum_of') "
        "and f.measure is not null and f.period_start is not null and f.canonical_id in "
        "(select id from canonical_categories where kind in ('crime', 'flag', 'asb', 'outcome'))"
    )
    groups = defaultdict(list)
    for r in rows:
        groups[
            (r["document_id"], r["canonical_id"], r["area"], r["measure"], r["period_start"], r["period_end"])
        ].append(r)
    for k, rs in groups.items():
        tables = {r["table_id"] for r in rs}
        if len(tables) < 2:
            continue
        values = sorted({r["value"] for r in rs})
        passed = len(values) == 1
        desc = f"{canonical()[k[1]]['label']} ({k[3]}, {k[4]}..{k[5]}, {k[2]}): " + "; ".join(
            f"{r['table_label']} prints {r['value']:g}" for r in rs
        )
        cid = (
            db["checks"]
            .insert(
                {
                    "document_id": k[0],
                    "file_id": None,
                    "table_id": None,
                    "kind": "tables_agree",
                    "description": desc,
                    "expected": values[0],
                    "printed": values[-1],
                    "passed": int(passed),
                }
            )
            .last_pk
        )
        db["check_figures"].insert_all([{"check_id": cid, "figure_id": r["id"]} for r in rs], replace=True)


def unmapped(db: sqlite_utils.Database) -> list[dict]:
    """Printed table categories, areas and period labels that did not map, with document and count.
    (Prose subjects are free phrases: they map when they name a known category, and are not listed.)"""
    out = []
    for row in db.query(
        "select 'category' as kind, f.category as label, f.document_id, count(*) as count from figures f "
        "join files fi on fi.id = f.file_id where fi.role = 'primary' and f.source_kind = 'table' "
        "and f.category_id is null group by f.category, f.document_id "
        "union all select 'area', f.area, f.document_id, count(*) from figures f join files fi on fi.id = f.file_id "
        "where fi.role = 'primary' and f.area is not null and f.area_id is null and f.area not like 'Total of %' "
        "group by f.area, f.document_id "
        "union all select 'period', f.period_label, f.document_id, count(*) from figures f join files fi on fi.id = f.file_id "
        "where fi.role = 'primary' and f.period_label is not null and f.period_start is null "
        "group by f.period_label, f.document_id order by 1, 3, 2"
    ):
        out.append(row)
    return out


def corroborate(db) -> None:
    """Prose figures against the tables and each other, within one report: a prose count equal to
    a table count of the same category, period and area is linked to it (figures.corroborates);
    a prose count stated as a category's total ("accounted for N") that differs from the table, or
    two prose shares of the same category and period that differ, are failed checks."""
    rows = list(
        db.query(
            "select f.id, f.document_id, f.source_kind, f.canonical_id, f.canonical_relation, f.area, f.period_start, "
            "f.period_end, f.value, f.unit, f.measure, f.quote from figures f join files fi on fi.id = f.file_id "
            "where fi.role = 'primary' and f.canonical_id is not null and f.period_start is not null"
        )
    )
    tables: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if (
            r["source_kind"] == "table"
            and r["unit"] == "count"
            and r["canonical_relation"] in ("same", "sum_of")
            and (r["measure"] or "") == "recorded crimes"
        ):
            tables[(r["document_id"], r["canonical_id"], r["area"], r["period_start"], r["period_end"])].append(r)
    shares: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["source_kind"] != "text":
            continue
        key = (r["document_id"], r["canonical_id"], r["area"], r["period_start"], r["period_end"])
        if r["unit"] == "count" and key in tables:
            same = [t for t in tables[key] if abs(t["value"] - r["value"]) < 1e-9]
            if same:
                db.execute("update figures set corroborates = ? where id = ?", [same[0]["id"], r["id"]])
            elif re.search(r"accounted for\s+" + re.escape(f"{r['value']:g}"), r["quote"] or ""):
                _failed(
                    db,
                    r,
                    tables[key],
                    "prose_vs_table",
                    f"{canonical()[r['canonical_id']]['label']}: the text says {r['value']:g}, "
                    + "; ".join(f"a table prints {t['value']:g}" for t in tables[key]),
                )
        if r["unit"] == "percent" and (r["measure"] or "").startswith("share"):
            # "accounted for 877 crimes (10.80%)": the share of all crime that a printed count is
            of = re.search(
                r"accounted for\s+(\d[\d,]*)\s*(?:[a-z]+\s*){0,2}\(\s*" + re.escape(f"{r['value']:g}"), r["quote"] or ""
            )
            if of:
                shares[key + (of.group(1),)].append(r)
    for key, rs in shares.items():
        values = sorted({r["value"] for r in rs})
        if len(values) > 1:
            _failed(
                db,
                rs[0],
                rs[1:],
                "prose_vs_prose",
                f"{canonical()[key[1]]['label']} ({key[3]}..{key[4]}): the text gives shares of "
                + " and ".join(f"{v:g}%" for v in values),
            )


def _failed(db, fact: dict, others: list[dict], kind: str, description: str) -> None:
    cid = (
        db["checks"]
        .insert(
            {
                "document_id": fact["document_id"],
                "file_id": None,
                "table_id": None,
                "kind": kind,
                "description": description,
                "expected": others[0]["value"] if others else None,
                "printed": fact["value"],
                "passed": 0,
            }
        )
        .last_pk
    )
    ids = [fact["id"]] + [o["id"] for o in others]
    db["check_figures"].insert_all([{"check_id": cid, "figure_id": i} for i in ids], replace=True)
    db.execute(f"update figures set status = 'flagged' where id in ({','.join('?' * len(ids))})", ids)
