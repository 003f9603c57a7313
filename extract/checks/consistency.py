"""Checks across a report's stored figures: a region against its parishes, two tables printing the
same quantity, prose against the tables and against itself. Each takes plain figure rows (dicts
with the columns of ``figures``) and returns ``model.Check`` objects; the store writes them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache

from extract.model import Check
from extract.vocab.loader import load_yaml

#: Two printed counts closer than this are the same figure.
COUNT_TOLERANCE = 0.5
#: The measure a table count must have for prose to be checked against it.
PROSE_TABLE_MEASURE = "recorded crimes"


def region_against_parishes(region: str, label: str, printed: dict, parishes: list[dict], total: float) -> Check:
    """A region's printed figure against the sum of its parishes' figures."""
    return Check(
        kind="region_from_parishes",
        description=f"{region}, {label}: printed {printed['value']:g}, its {len(parishes)} parishes add up to {total:g}",
        expected=total,
        printed=printed["value"],
        passed=abs(total - printed["value"]) < COUNT_TOLERANCE,
        table_index=None,
        document_id=printed["document_id"],
        figure_ids=[printed["id"]] + [f["id"] for f in parishes],
    )


def tables_agree(rows: Iterable[dict], label: Callable[[str], str]) -> list[Check]:
    """Within one report, tables printing the same quantity (category, area, measure, period)
    should print the same value: one check per quantity printed by two or more tables."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[
            (r["document_id"], r["canonical_id"], r["area"], r["measure"], r["period_start"], r["period_end"])
        ].append(r)
    checks = []
    for k, rs in groups.items():
        if len({r["table_id"] for r in rs}) < 2:
            continue
        values = sorted({r["value"] for r in rs})
        checks.append(
            Check(
                kind="tables_agree",
                description=f"{label(k[1])} ({k[3]}, {k[4]}..{k[5]}, {k[2]}): "
                + "; ".join(f"{r['table_label']} prints {r['value']:g}" for r in rs),
                expected=values[0],
                printed=values[-1],
                passed=len(values) == 1,
                document_id=k[0],
                figure_ids=[r["id"] for r in rs],
            )
        )
    return checks


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
    for r in rows:
        if r["source_kind"] != "text":
            continue
        key = _quantity(r)
        if r["unit"] == "count" and key in tables:
            checks += _count_against_tables(r, tables[key], label)
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
        if len(values) > 1:
            checks.append(
                _failed(
                    rs[0],
                    rs[1:],
                    "prose_vs_prose",
                    f"{label(key[1])} ({key[3]}..{key[4]}): the text gives shares of "
                    + " and ".join(f"{v:g}%" for v in values),
                )
            )
    return checks


@lru_cache(maxsize=1)
def _total_cue() -> str:
    """A pattern for the words that state a category's total (``total_cues`` in narrative.yaml)."""
    cues = sorted(load_yaml("narrative.yaml")["total_cues"], key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in cues) + ")"


def _quantity(r: dict) -> tuple:
    return (r["document_id"], r["canonical_id"], r["area"], r["period_start"], r["period_end"])


def _count_against_tables(r: dict, tables: list[dict], label: Callable[[str], str]) -> list[Check]:
    same = [t for t in tables if abs(t["value"] - r["value"]) < 1e-9]
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
    if re.search(_total_cue() + r"\s+" + re.escape(f"{r['value']:g}"), r["quote"] or ""):
        return [
            _failed(
                r,
                tables,
                "prose_vs_table",
                f"{label(r['canonical_id'])}: the text says {r['value']:g}, "
                + "; ".join(f"a table prints {t['value']:g}" for t in tables),
            )
        ]
    return []


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
