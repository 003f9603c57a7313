"""Arithmetic a sentence states, checked: the figures of one sentence that say how they relate.

Three classes of phrasing, each a general shape rather than any report's sentence:

- **parts in brackets**: a count followed by a bracket of counts joined by "/" ("40 referrals (25
  self/15 agency)") — the parts add up to the whole;
- **a rate of two counts**: "A … for/of/out of B … P% … rate" ("30 charges for 40 offences, a
  75% charge rate") — P is A ÷ B;
- **a change against an earlier value**: a current value, a percentage change, and the value it is
  compared with ("… 60% …, an increase of 20% compared to 50%") — the change is the relative
  change between the two (or, between two percentages, the difference in points).

Each takes the prose figures of one report (dicts with ``id, quote, raw, value, unit, measure,
char_start, char_end, page, document_id``) and returns ``model.Check`` records; the store writes
them. Values are compared at their printed precision (``extract.checks.precision``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from extract.checks.precision import decimals
from extract.model import Check


@dataclass(frozen=True)
class SentenceSettings:
    """How far apart (in characters) the figures of one stated relation may be printed."""

    bracket_gap: int = 80  # from a whole to the bracket holding its parts
    rate_gap: int = 120  # from the first count to the rate
    comparison_gap: int = 60  # from "compared to" to the earlier value


SETTINGS = SentenceSettings()
_COMPARED = re.compile(r"\b(?:as opposed to|compared (?:to|with)|against|from)\s*$", re.I)
_JOIN = re.compile(r"^\s+[^\d()]{0,60}?\b(?:for|of|out of)\s+$", re.I)


def _half_unit(raw: str | None, value: float, unit: str | None) -> float:
    """Half a unit of the last printed place: how far a printed value may lie from what it rounds."""
    return 0.0 if unit == "count" and float(value).is_integer() else 0.5 * 10.0 ** -decimals(raw, value)


def _near(printed: float, raw: str | None, low: float, high: float) -> bool:
    """Whether a printed value lies within [low, high] widened by one unit of its last printed place."""
    unit = 10.0 ** -decimals(raw, printed)
    return low - unit - 1e-9 <= printed <= high + unit + 1e-9


def _sentences(rows: Iterable[dict]) -> list[list[dict]]:
    """The figures of each sentence in order, each placed in the sentence itself: its printed text
    found from where the one before it ends, in reading order (a figure's own offsets count from
    its paragraph, and a sentence may run over two paragraphs at a page break). A sentence whose
    figures cannot all be found so is left out."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["quote"] and r["char_start"] is not None and r["raw"]:
            groups[(r["document_id"], r["quote"])].append(r)
    out = []
    for figures in groups.values():
        figures.sort(key=lambda r: (r.get("block_id") or 0, r["char_start"]))
        quote, cursor, placed = figures[0]["quote"], 0, []
        for f in figures:
            found = re.compile(r"(?<![\d.,])" + re.escape(f["raw"]) + r"(?!\d)").search(quote, cursor)
            if found is None:
                break
            placed.append({**f, "char_start": found.start(), "char_end": found.end()})
            cursor = found.end()
        if len(placed) == len(figures):
            out.append(placed)
    return out


def _check(kind: str, description: str, expected: float, figures: list[dict], passed: bool) -> Check:
    pages = sorted({f["page"] for f in figures if f.get("page") is not None})
    where = f" (page {', '.join(map(str, pages))})" if pages else ""
    return Check(
        kind=kind,
        description=description + where,
        expected=round(expected, 4),
        printed=figures[0]["value"],
        passed=passed,
        document_id=figures[0]["document_id"],
        figure_ids=[f["id"] for f in figures],
    )


def parts_in_brackets(rows: Iterable[dict], settings: SentenceSettings = SETTINGS) -> list[Check]:
    """A count and the bracket of "/"-joined counts after it: the parts add up to the whole."""
    checks = []
    for figures in _sentences(rows):
        quote = figures[0]["quote"]
        counts = [f for f in figures if f["unit"] == "count"]
        for i, whole in enumerate(counts):
            opening = quote.find("(", whole["char_end"])
            if (
                opening < 0
                or opening - whole["char_end"] > settings.bracket_gap
                or ")" in quote[whole["char_end"] : opening]
            ):
                continue
            closing = quote.find(")", opening)
            inside = [
                f for f in counts[i + 1 :] if opening < f["char_start"] and (closing < 0 or f["char_end"] <= closing)
            ]
            between = [quote[a["char_end"] : b["char_start"]] for a, b in zip(inside, inside[1:])]
            if len(inside) < 2 or not all("/" in gap for gap in between):
                continue
            total = sum(f["value"] for f in inside)
            parts = " + ".join(f"{f['value']:g}" for f in inside)
            checks.append(
                _check(
                    "parts_add_up",
                    f"the text gives {whole['value']:g} and, in brackets, its parts {parts} = {total:g}: '{quote[:160]}'",
                    total,
                    [whole, *inside],
                    abs(total - whole["value"]) < 1e-9,
                )
            )
    return checks


def rate_of_two_counts(rows: Iterable[dict], settings: SentenceSettings = SETTINGS) -> list[Check]:
    """ "A … for B … P% … rate": the rate printed against A ÷ B."""
    checks = []
    for figures in _sentences(rows):
        quote = figures[0]["quote"]
        for a, b in zip(figures, figures[1:]):
            if (
                a["unit"] != "count"
                or b["unit"] != "count"
                or not b["value"]
                or not _JOIN.match(quote[a["char_end"] : b["char_start"]])
            ):
                continue
            rate = next(
                (
                    f
                    for f in figures
                    if f["unit"] == "percent"
                    and f["char_start"] > b["char_end"]
                    and f["char_start"] - a["char_start"] <= settings.rate_gap
                    and re.match(r"^\s*(?:\w+\s+){0,3}?rate\b", quote[f["char_end"] :], re.I)
                ),
                None,
            )
            if rate is None:
                continue
            exact = 100.0 * a["value"] / b["value"]
            checks.append(
                _check(
                    "rate_from_counts",
                    f"the text gives a rate of {rate['value']:g}% for {a['value']:g} of {b['value']:g}, which is "
                    f"{exact:.1f}%: '{quote[:160]}'",
                    exact,
                    [rate, a, b],
                    _near(rate["value"], rate["raw"], exact, exact),
                )
            )
    return checks


def change_against_earlier(rows: Iterable[dict], settings: SentenceSettings = SETTINGS) -> list[Check]:
    """A percentage change printed with the value it compares against ("compared to 50%") and the
    current value before it, of the same unit: the change recomputed from the two."""
    checks = []
    for figures in _sentences(rows):
        quote = figures[0]["quote"]
        for change in figures:
            if not (change["measure"] or "").startswith("percentage change"):
                continue
            compared = [f for f in figures if f is not change and _compared_before(quote, f, settings)]
            earlier = min(compared, key=lambda f: abs(f["char_start"] - change["char_start"]), default=None)
            if earlier is None or not earlier["value"]:
                continue
            current = _current_of(figures, earlier, change, quote, settings)
            if current is None:
                continue
            checks.append(_change_check(change, current, earlier, quote))
    return checks


def _current_of(figures: list[dict], earlier: dict, change: dict, quote: str, settings: SentenceSettings):
    """What the earlier value is compared with: the figure after "to" in "from A to B", else the
    nearest figure of its unit before it ("B …, compared to A")."""

    def plain(f: dict) -> bool:
        return (
            f is not change
            and f is not earlier
            and f["unit"] == earlier["unit"]
            and not (f["measure"] or "").startswith("percentage change")
        )

    if re.search(
        r"\bfrom\s*$", quote[max(0, earlier["char_start"] - settings.comparison_gap) : earlier["char_start"]], re.I
    ):
        return next(
            (
                f
                for f in figures
                if plain(f)
                and f["char_start"] > earlier["char_end"]
                and re.search(r"\bto\s*$", quote[earlier["char_end"] : f["char_start"]], re.I)
                and f["char_start"] - earlier["char_end"] <= settings.comparison_gap
            ),
            None,
        )
    return next((f for f in reversed(figures) if plain(f) and f["char_start"] < earlier["char_start"]), None)


def _said_direction(change: dict) -> str | None:
    """The direction the words give a change ("an increase of", "a 20% reduction"), as the prose
    engine recorded it in the measure ("percentage change (decrease)"), or a printed sign."""
    measure = change["measure"] or ""
    for word in ("increase", "decrease"):
        if f"({word})" in measure:
            return word
    return "decrease" if change["value"] < 0 else None


def _compared_before(quote: str, figure: dict, settings: SentenceSettings) -> bool:
    start = max(0, figure["char_start"] - settings.comparison_gap)
    return bool(_COMPARED.search(quote[start : figure["char_start"]]))


def _change_check(change: dict, current: dict, earlier: dict, quote: str) -> Check:
    hc = _half_unit(current["raw"], current["value"], current["unit"])
    he = _half_unit(earlier["raw"], earlier["value"], earlier["unit"])
    lo_c, hi_c, lo_e, hi_e = current["value"] - hc, current["value"] + hc, earlier["value"] - he, earlier["value"] + he
    relative = sorted(100.0 * (c - e) / e for c in (lo_c, hi_c) for e in (lo_e, hi_e) if e)
    low, high = sorted((abs(relative[0]), abs(relative[-1])))
    if relative[0] < 0 < relative[-1]:
        low = 0.0
    printed = abs(change["value"])
    said = _said_direction(change)
    went = (
        "increase"
        if current["value"] > earlier["value"]
        else "decrease"
        if current["value"] < earlier["value"]
        else None
    )
    fits = _near(printed, change["raw"], low, high) and (said is None or went is None or said == went)
    ways = f"a relative change of {100.0 * (current['value'] - earlier['value']) / earlier['value']:.1f}%"
    if current["unit"] == "percent":  # between two percentages a change may be in points
        points = sorted(abs(c - e) for c in (lo_c, hi_c) for e in (lo_e, hi_e))
        fits = fits or _near(printed, change["raw"], points[0], points[-1])
        ways += f" or {abs(current['value'] - earlier['value']):.1f} points"
    if said and went and said != went:
        ways += f", a {went} where the text says {said}"
    exact = 100.0 * (current["value"] - earlier["value"]) / earlier["value"]
    return _check(
        "change_from_values",
        f"the text gives a change of {change['value']:g}% from {earlier['value']:g} to {current['value']:g}, "
        f"which is {ways}: '{quote[:160]}'",
        exact,
        [change, current, earlier],
        fits,
    )


#: The canonical category a rate with no category of its own is taken over (a report's overall rate).
WHOLE = "all_crime"


def rate_of_a_count_and_a_table(
    rows: Iterable[dict], tables: Iterable[dict], settings: SentenceSettings = SETTINGS
) -> list[Check]:
    """ "N <what a rate counts> …, a rate of P%": P against N over the rate's denominator as the
    report's tables print it for the same period and area (schema/measures.csv names each rate's
    numerator and denominator: a FAT outcome rate is FAT outcomes over recorded crimes)."""
    from extract.interpret.tables import measure_of

    rates = {r["numerator"]: r for r in _rate_measures()}
    by_quantity: dict[tuple, set[float]] = defaultdict(set)
    for t in tables:
        by_quantity[(t["canonical_id"], t["measure"], t["area"], t["period_start"], t["period_end"])].add(t["value"])
    checks = []
    for figures in _sentences(rows):
        quote = figures[0]["quote"]
        for n, count in enumerate(figures):
            named = measure_of(_words_after(quote, count["char_end"])) if count["unit"] == "count" else None
            rule = rates.get(named["measure"]) if named else None
            if named is None or rule is None:
                continue
            rate = next((f for f in figures[n + 1 :] if f["unit"] == "percent" and _is_rate(quote, f)), None)
            if rate is None or rate["char_start"] - count["char_end"] > settings.rate_gap:
                continue
            canon = count.get("canonical_id") if count.get("canonical_relation") in ("same", "sum_of") else WHOLE
            key = (canon, rule["denominator"], count.get("area"), count.get("period_start"), count.get("period_end"))
            if len(by_quantity.get(key, ())) != 1:
                continue
            whole = next(iter(by_quantity[key]))
            exact = 100.0 * count["value"] / whole if whole else 0.0
            checks.append(
                _check(
                    "rate_from_counts",
                    f"the text gives a rate of {rate['value']:g}% for {count['value']:g} {named['measure']}; the "
                    f"tables print {whole:g} {rule['denominator']} for the period, which makes {exact:.1f}%: '{quote[:160]}'",
                    exact,
                    [rate, count],
                    _near(rate["value"], rate["raw"], exact, exact),
                )
            )
    return checks


def _rate_measures() -> list[dict]:
    from extract.vocab.loader import load_csv

    return [r for r in load_csv("measures.csv") if r["numerator"] and r["denominator"]]


def _words_after(quote: str, end: int, words: int = 4) -> str:
    return " ".join(re.findall(r"[A-Za-z]+", quote[end:])[:words])


def _is_rate(quote: str, figure: dict) -> bool:
    """A percentage stated as a rate: "rate" within a few words before or after it."""
    before = quote[max(0, figure["char_start"] - 30) : figure["char_start"]]
    return bool(re.search(r"\brate\b", before + " " + _words_after(quote, figure["char_end"], 2), re.I))


def sentence_checks(rows: Iterable[dict], settings: SentenceSettings = SETTINGS) -> list[Check]:
    """Every stated relation of the report's prose figures, checked."""
    rows = list(rows)
    return (
        parts_in_brackets(rows, settings) + rate_of_two_counts(rows, settings) + change_against_earlier(rows, settings)
    )
