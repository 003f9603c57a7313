"""Checks across a report's stored figures: a region against its parishes, two tables printing the
same quantity, prose against the tables and against itself. Each takes plain figure rows (dicts
with the columns of ``figures``) and returns ``model.Check`` objects; the store writes them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Optional

from extract.checks.precision import agree, decimals, nature, tolerance
from extract.model import Check
from extract.vocab.loader import load_yaml

#: Two printed counts closer than this are the same figure.
COUNT_TOLERANCE = 0.5
#: The measure a table count must have for prose to be checked against it.
PROSE_TABLE_MEASURE = "recorded crimes"


def region_against_parishes(region: str, label: str, printed: list[dict], parishes: list[dict], total: float) -> Check:
    """A region's printed figure (every table printing it) against the sum of its parishes' figures:
    one check for the one quantity, however many times it is printed."""
    values = sorted({p["value"] for p in printed})
    shown = " and ".join(f"{v:g}" for v in values)
    pages = sorted({p["page"] for p in printed + parishes if p.get("page") is not None})
    where = f" (page {', '.join(map(str, pages))})" if pages else ""
    return Check(
        kind="region_from_parishes",
        description=f"{region}, {label}: printed {shown}, its {len(parishes)} parishes add up to {total:g}{where}",
        expected=total,
        printed=printed[0]["value"],
        passed=all(abs(total - v) < COUNT_TOLERANCE for v in values),
        table_index=None,
        document_id=printed[0]["document_id"],
        figure_ids=[p["id"] for p in printed] + [f["id"] for f in parishes],
    )


def _at(r: dict) -> str:
    return f" (page {r['page']})" if r.get("page") is not None else ""


def tables_agree(rows: Iterable[dict], label: Callable[[str], str], restated: Iterable[dict] = ()) -> list[Check]:
    """Within one report, tables printing the same quantity (category, area, measure, unit, period)
    should print the same value at their printed precision: one check per quantity printed by two
    or more tables, failed (the source disagrees with itself) or passed (``rounding`` where the
    values differ only within the precision printed). Prose counts ``restated`` from the tables
    (a figure's own words naming the category's crimes, or "accounted for N") are named in the
    check of the quantity they restate, so one disagreement is one check, text included."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        key = (r["document_id"], r["canonical_id"], r["area"], r["measure"], r.get("unit", "count"))
        groups[key + (r["period_start"], r["period_end"])].append(r)
    prose: dict[tuple, list[dict]] = defaultdict(list)
    for r in restated:
        prose[(r["document_id"], r["canonical_id"], r["area"], PROSE_TABLE_MEASURE, "count")].append(r)
    checks = []
    for k, rs in groups.items():
        if len({r["table_id"] for r in rs}) < 2 or _unidentified(rs):
            continue
        values = sorted({r["value"] for r in rs})
        places = min(decimals(r.get("raw"), r["value"]) for r in rs)  # linear: the extremes at the coarsest place
        passed = values[-1] - values[0] <= tolerance(k[4], places) + 1e-9
        text = [
            t for t in prose.get(k[:5], []) if (t["period_start"], t["period_end"]) == k[5:] and t["value"] in values
        ]
        said = "".join(f"; the text{_at(t)} says {t['value']:g}" for t in text) if not passed else ""
        checks.append(
            Check(
                kind="tables_agree",
                description=f"{label(k[1])} ({k[3]}, {k[5]}..{k[6]}, {k[2]}): "
                + "; ".join(f"{r['table_label']}{_at(r)} prints {r.get('raw') or format(r['value'], 'g')}" for r in rs)
                + said,
                expected=values[0],
                printed=values[-1],
                passed=passed,
                document_id=k[0],
                figure_ids=[r["id"] for r in rs] + ([t["id"] for t in text] if not passed else []),
                nature=nature("tables_agree", passed, exact=len(values) == 1),
            )
        )
    return checks


def _unidentified(rs: list[dict]) -> bool:
    """Whether one table prints different values under the key: its rows or columns differ in
    something our reading did not keep (an area column we did not read as areas, a breakdown
    under one category), so the key names no one quantity to compare across tables."""
    values: dict[object, set] = defaultdict(set)
    for r in rs:
        values[r["table_id"]].add(r["value"])
    return any(len(v) > 1 for v in values.values())


def restated_counts(rows: Iterable[dict], label: Callable[[str], str]) -> list[dict]:
    """The prose counts that restate a category's total as the tables count it: "accounted for N",
    or N followed by the category's own name and a word for crimes."""
    return [
        r
        for r in rows
        if r["source_kind"] == "text"
        and r["unit"] == "count"
        and r["canonical_id"]
        and r.get("canonical_relation") != "part_of"  # a breakdown restates no total
        and not r.get("qualifier")  # "over 50": a bound restates nothing
        and (
            re.search(_total_cue() + r"\s+" + re.escape(f"{r['value']:g}"), r["quote"] or "")
            or _names_its_crimes(r, label)
        )
    ]


def prose_against_tables(rows: Iterable[dict], label: Callable[[str], str]) -> list[Check]:
    """Prose figures against the tables and each other, within one report: a prose count equal to
    a table count of the same category, period and area corroborates it (a passed check); a prose
    count stated as a category's total ("accounted for N") that differs from the table, or two
    prose shares of one category and period that differ, are failed checks."""
    rows = list(rows)
    tables: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if (
            r["source_kind"] == "table"
            and r["unit"] == "count"
            and r["canonical_relation"] in ("same", "sum_of")
            and (r["measure"] or "") == PROSE_TABLE_MEASURE
        ):
            tables[_quantity(r)].append(r)
    checks: list[Check] = []
    shares: dict[tuple, list[dict]] = defaultdict(list)
    by_value: dict[tuple, _ByValue] = {}
    for r in rows:
        if r["source_kind"] != "text" or r.get("canonical_relation") == "part_of":
            continue  # a breakdown of a category ("male victims accounted for 478") restates no total of it
        key = _quantity(r)
        if r["unit"] == "count" and key in tables and not r.get("qualifier"):  # a bound is not the count
            if key not in by_value:
                by_value[key] = _ByValue(tables[key])
            checks += _count_against_tables(r, tables[key], label, by_value[key])
        if r["unit"] == "percent" and (r["measure"] or "").startswith("share"):
            # "accounted for 877 crimes (10.80%)": the share of all crime that a printed count is
            of = re.search(
                _total_cue() + r"\s+(\d[\d,]*)\s*(?:[a-z]+\s*){0,2}\(\s*" + re.escape(f"{r['value']:g}"),
                r["quote"] or "",
            )
            if of:
                shares[key + (of.group(1),)].append(r)
    for key, rs in shares.items():
        values = sorted({r["value"] for r in rs})
        if len(values) < 2:
            continue
        said = f"{label(key[1])} ({key[3]}..{key[4]}): the text gives shares of " + " and ".join(
            f"{r.get('raw') or format(r['value'], 'g')}{_at(r)}" for r in rs
        )
        if all(agree(a["value"], a.get("raw"), b["value"], b.get("raw"), "percent") for a in rs for b in rs):
            checks.append(
                Check(
                    kind="prose_vs_prose",
                    description=said + ", equal at the precision printed",
                    expected=values[0],
                    printed=values[-1],
                    passed=True,
                    document_id=rs[0]["document_id"],
                    figure_ids=[r["id"] for r in rs],
                    nature="rounding",
                )
            )
        else:
            checks.append(_failed(rs[0], rs[1:], "prose_vs_prose", said))
    return checks


@lru_cache(maxsize=1)
def _total_cue() -> str:
    """A pattern for the words that state a category's total (``total_cues`` in narrative.yaml)."""
    cues = sorted(load_yaml("narrative.yaml")["total_cues"], key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in cues) + ")"


def _quantity(r: dict) -> tuple:
    return (r["document_id"], r["canonical_id"], r["area"], r["period_start"], r["period_end"])


#: Two values closer than this are the same printed value.
SAME_VALUE = 1e-9


class _ByValue:
    """A quantity's table counts sorted by value: the first (in their order) equal to a prose
    count is found by bisection, not by comparing the count with each of them."""

    def __init__(self, tables: list[dict]):
        order = sorted(range(len(tables)), key=lambda k: tables[k]["value"])
        self.tables = tables
        self.values = [tables[k]["value"] for k in order]
        self.order = order

    def same(self, value: float) -> list[dict]:
        """The first table count equal to ``value`` (as a list of one), or none."""
        lo = bisect_left(self.values, value - 2 * SAME_VALUE)
        hi = bisect_right(self.values, value + 2 * SAME_VALUE)
        hits = [k for k in self.order[lo:hi] if abs(self.tables[k]["value"] - value) < SAME_VALUE]
        return [self.tables[min(hits)]] if hits else []


def _count_against_tables(
    r: dict, tables: list[dict], label: Callable[[str], str], by_value: Optional[_ByValue] = None
) -> list[Check]:
    same = (
        by_value.same(r["value"])
        if by_value is not None
        else [t for t in tables if abs(t["value"] - r["value"]) < SAME_VALUE]
    )
    if same:
        return [
            Check(
                kind="prose_matches_table",
                description=f"{label(r['canonical_id'])}: the text's {r['value']:g} is the table's",
                expected=same[0]["value"],
                printed=r["value"],
                passed=True,
                document_id=r["document_id"],
                figure_ids=[r["id"], same[0]["id"]],
            )
        ]
    if re.search(_total_cue() + r"\s+" + re.escape(f"{r['value']:g}"), r["quote"] or "") or _names_its_crimes(r, label):
        return [
            _failed(
                r,
                tables,
                "prose_vs_table",
                f"{label(r['canonical_id'])}: the text says {r['value']:g}{_at(r)}, "
                + "; ".join(f"{t.get('table_label') or 'a table'}{_at(t)} prints {t['value']:g}" for t in tables),
            )
        ]
    return []


def _names_its_crimes(r: dict, label: Callable[[str], str]) -> bool:
    """Whether the words printed right after a prose count are its category and a word for crimes
    ("the 640 reported burglary offences"): the category's own total, as the tables count it."""
    raw = r.get("raw") or f"{r['value']:g}"
    quote = r["quote"] or ""
    if raw not in quote:
        return False
    after = " ".join(re.findall(r"[a-z]+", quote.split(raw, 1)[1].lower())[:8])
    name = " ".join(re.findall(r"[a-z]+", label(r["canonical_id"]).lower()))
    noun = r"(?:offences|crimes)"
    name = re.sub(r"\s+(?:offences|crimes)$", "", name)
    return bool(re.match(rf"(?:(?:reported|recorded)\s+)?{re.escape(name)}\s+{noun}\b", after))


def _failed(fact: dict, others: list[dict], kind: str, description: str) -> Check:
    return Check(
        kind=kind,
        description=description,
        expected=others[0]["value"] if others else None,
        printed=fact["value"],
        passed=False,
        document_id=fact["document_id"],
        figure_ids=[fact["id"]] + [o["id"] for o in others],
    )


def _crime_categories_in(text: str) -> list[tuple[int, str]]:
    """(position, canonical id) of every crime category a stretch of prose names, in reading order."""
    from extract.vocab.categories import categories_named

    return categories_named(text, ("crime",))


def _year_before(start: str, end: str) -> tuple[str, str]:
    """The same months a year earlier (a 29 February end becomes the 28th)."""
    from datetime import date

    s, e = date.fromisoformat(start), date.fromisoformat(end)
    day = 28 if (e.month, e.day) == (2, 29) else e.day
    return date(s.year - 1, s.month, min(s.day, 28) if s.month == 2 else s.day).isoformat(), date(
        e.year - 1, e.month, day
    ).isoformat()


def prose_against_table_quantities(prose: Iterable[dict], tables: Iterable[dict]) -> list[Check]:
    """A prose rate or percentage change naming a category and a measure the tables print ("the
    FAT outcome rate for burglary was 12.5%", "burglary FAT outcomes are down 10%") against the
    tables: the rate as printed for the same period and area, the change recomputed from the
    tables' values for the period and the same months a year before. Compared at the precision
    printed; a change the words give a direction also agrees in direction."""
    from extract.interpret.tables import measure_of

    index: dict[tuple, list[dict]] = defaultdict(list)
    for t in tables:
        index[(t["canonical_id"], t["measure"], t["area"], t["period_start"], t["period_end"])].append(t)
    checks = []
    for r in prose:
        if r["unit"] != "percent" or not r["quote"] or not r["period_start"]:
            continue
        quote, raw = r["quote"], r.get("raw") or f"{r['value']:g}"
        at = quote.find(raw)
        after = re.split(r"[.;]|\band\b", quote[at + len(raw) :] if at >= 0 else "", maxsplit=1)[0]
        named = _crime_categories_in(after) or _crime_categories_in(quote[: max(at, 0)])[-1:]
        if not named:
            continue
        canon = named[0][1]
        measure = measure_of(quote)
        change = (r["measure"] or "").startswith("percentage change")
        if change:
            name = measure["measure"] if measure and measure["unit"] == "count" else PROSE_TABLE_MEASURE
            now = index.get((canon, name, r["area"], r["period_start"], r["period_end"]))
            then = index.get((canon, name, r["area"], *_year_before(r["period_start"], r["period_end"])))
            if now and then and len({t["value"] for t in now}) == 1 and len({t["value"] for t in then}) == 1:
                checks.append(_change_against(r, now[0], then[0]))
        elif measure and measure["unit"] == "percent":
            printed = index.get((canon, measure["measure"], r["area"], r["period_start"], r["period_end"]))
            if printed:
                ok = all(agree(r["value"], raw, t["value"], t.get("raw"), "percent") for t in printed)
                what = f"the text gives {measure['measure']} {raw}{_at(r)}; " + "; ".join(
                    f"{t.get('table_label') or 'a table'}{_at(t)} prints {t.get('raw') or t['value']}" for t in printed
                )
                checks.append(
                    Check(
                        kind="prose_vs_table",
                        description=what,
                        expected=printed[0]["value"],
                        printed=r["value"],
                        passed=ok,
                        document_id=r["document_id"],
                        figure_ids=[r["id"]] + [t["id"] for t in printed],
                        nature=nature("prose_vs_table", ok, exact=all(t["value"] == r["value"] for t in printed)),
                    )
                )
    return checks


def _change_against(r: dict, now: dict, then: dict) -> Check:
    exact = 100.0 * (now["value"] - then["value"]) / then["value"] if then["value"] else None
    said = (
        "decrease"
        if "(decrease)" in (r["measure"] or "") or r["value"] < 0
        else ("increase" if "(increase)" in (r["measure"] or "") else None)
    )
    went = "increase" if now["value"] > then["value"] else "decrease" if now["value"] < then["value"] else None
    step = 10.0 ** -decimals(r.get("raw"), r["value"])
    ok = (
        exact is not None
        and abs(abs(r["value"]) - abs(exact)) <= step + 1e-9
        and (said == went or exact == 0 == r["value"])
    )
    shown = f"{exact:.1f}%" if exact is not None else "undefined (from 0)"
    return Check(
        kind="change_from_tables",
        description=(
            f"the text gives a change of {r.get('raw') or r['value']}{_at(r)}; "
            f"{then.get('table_label') or 'a table'}{_at(then)} prints {then['value']:g} a year before and "
            f"{now.get('table_label') or 'a table'}{_at(now)} prints {now['value']:g}: a change of {shown}"
        ),
        expected=round(exact, 4) if exact is not None else None,
        printed=r["value"],
        passed=ok,
        document_id=r["document_id"],
        figure_ids=[r["id"], now["id"], then["id"]],
    )
