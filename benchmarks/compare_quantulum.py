"""Our prose figure finder against quantulum3 on every gold quote holding a prose figure.

Runs both over the `quote` of each gold `text` row (gold/2*.csv, one sentence fragment per
distinct quote) and counts, per tool: gold values found, spurious values (found in a quote but
not a gold value of it), and of the gold values those written as number words ("five"), with a
magnitude ("£281k", "5.8 million") and the ends of ranges ("250 – 300"). Values are compared as
absolute numbers (a fall's sign is the measure's business, not the finder's). quantulum3 is not
a project dependency: install it into a scratch venv that sees the project's packages
(`python3 -m venv --system-site-packages /tmp/q && /tmp/q/bin/pip install quantulum3`) and run
this script with that venv's python from the repository root.

Measured 2026-12-03 (quantulum3 0.10.0; 199 quotes, 331 gold values; no gold value is printed
as a number word, so "read from number words" counts every value a tool read from words):

    measure                           ours  quantulum3
    gold values found                  331         324
    spurious values                      5         113
    read from number words               1          12
    number words (of 0)                  0           0
    magnitudes (of 3)                    3           3
    range ends (of 15)                  15          10

quantulum3's spurious values are mostly years and financial years ("2020/21" read as a
fraction), "a month" read as 1 month and section numbers; ours are "18, and 35 times" (a gold
wording the gold itself calls unclear), "over half" (50%, not a gold row) and an age band whose
fragment lacks the age words that mark it.
"""

from __future__ import annotations

import argparse
import csv
import glob
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

GOLD = "/work/shared/gold/2*.csv"
MAGNITUDE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|bn|thousand|million|billion)\b", re.I)
RANGE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*%?\s*(?:-|–|—|to|and)\s*£?(\d[\d,]*(?:\.\d+)?)")
FY = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*\d\d")
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


@dataclass
class Quote:
    text: str
    gold: list[float] = field(default_factory=list)


@dataclass
class Tally:
    found: int = 0
    spurious: int = 0
    worded: int = 0  # values read from number words, gold or not ("six months", "one")
    kinds: Counter = field(default_factory=Counter)  # kind -> gold values of that kind found


def load_quotes(pattern: str) -> list[Quote]:
    """Distinct quotes of the gold prose rows, each with its gold values (absolute)."""
    quotes: dict[str, Quote] = {}
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["kind"] == "text" and row["quote"].strip():
                    quote = quotes.setdefault(row["quote"], Quote(row["quote"]))
                    quote.gold.append(abs(float(row["value"])))
    return list(quotes.values())


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def kinds_of(quote: str, value: float) -> set[str]:
    """How a gold value is printed in its quote: number word, magnitude, range end."""
    kinds = set()
    if any(abs(_num(m.group(1)) * SCALE[m.group(2).lower()] - value) < 0.5 for m in MAGNITUDE.finditer(quote)):
        kinds.add("magnitudes")
    digits = {_num(d) for d in re.findall(r"\d[\d,]*(?:\.\d+)?", quote) if d.strip(",")}
    if value not in digits and "magnitudes" not in kinds:
        kinds.add("number words")
    ranges = [m for m in RANGE.finditer(quote) if not FY.fullmatch(m.group(0))]  # "2021-22" is a year
    if any(value in (_num(m.group(1)), _num(m.group(2))) for m in ranges):
        kinds.add("range ends")
    return kinds


def ours(text: str) -> list[tuple[float, bool]]:
    """(value, read from words) for each figure our finder marks."""
    from extract.interpret.narrative import pipeline

    doc = pipeline()(text)
    return [(abs(f.value), not any(c.isdigit() for c in doc[f.start : f.end].text)) for f in doc._.figures]


def quantulum(text: str) -> list[tuple[float, bool]]:
    """(value, read from words) for each quantity quantulum3 parses; a range gives its two ends."""
    from quantulum3 import parser

    values = []
    for q in parser.parse(text):
        worded = not any(c.isdigit() for c in q.surface)
        unc = getattr(q, "uncertainty", None)
        if unc and re.search(r"\d\s*(?:-|–|to)\s*\d", q.surface):
            values += [(abs(q.value - unc), worded), (abs(q.value + unc), worded)]
        else:
            values.append((abs(q.value), worded))
    return values


def tally(quotes: list[Quote], finder) -> Tally:
    out = Tally()
    for quote in quotes:
        read = finder(quote.text)
        out.worded += sum(worded for _, worded in read)
        left = [v for v, _ in read]
        for value in quote.gold:
            hit = next((v for v in left if abs(v - value) < 1e-6), None)
            if hit is not None:
                left.remove(hit)
                out.found += 1
                for kind in kinds_of(quote.text, value):
                    out.kinds[kind] += 1
        out.spurious += len(left)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=GOLD, help="glob of gold CSV files")
    args = parser.parse_args()
    import warnings

    warnings.filterwarnings("ignore")
    quotes = load_quotes(args.gold)
    if not quotes:
        print(f"no gold prose rows in {args.gold}")
        return 1
    tools = {"ours": ours}
    try:
        import quantulum3  # noqa: F401
    except ImportError:
        print("quantulum3 is not installed here (see the docstring): only our finder is measured")
    else:
        tools["quantulum3"] = quantulum
    totals: Counter = Counter()
    for quote in quotes:
        for value in quote.gold:
            for kind in kinds_of(quote.text, value):
                totals[kind] += 1
    results = {name: tally(quotes, finder) for name, finder in tools.items()}
    gold = sum(len(q.gold) for q in quotes)
    print(f"{len(quotes)} quotes, {gold} gold values")
    print(f"{'measure':<26}" + "".join(f"{name:>12}" for name in results))
    print(f"{'gold values found':<26}" + "".join(f"{r.found:>12}" for r in results.values()))
    print(f"{'spurious values':<26}" + "".join(f"{r.spurious:>12}" for r in results.values()))
    print(f"{'read from number words':<26}" + "".join(f"{r.worded:>12}" for r in results.values()))
    for kind in ("number words", "magnitudes", "range ends"):
        label = f"{kind} (of {totals[kind]})"
        print(f"{label:<26}" + "".join(f"{r.kinds[kind]:>12}" for r in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
