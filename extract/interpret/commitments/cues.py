"""The cues of schema/commitments.yaml, partners.csv and theme_crosswalk.csv, compiled once."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extract.vocab.loader import load_rows, load_yaml, schema_path


@dataclass(frozen=True)
class Cues:
    priority_headings: tuple[re.Pattern, ...]
    theme_list_cues: tuple[re.Pattern, ...]
    list_headings: tuple[tuple[re.Pattern, str], ...]
    pledge_cues: tuple[re.Pattern, ...]
    target_headings: tuple[re.Pattern, ...]
    target_sentence: re.Pattern
    table_columns: tuple[tuple[re.Pattern, str], ...]
    achievement_headings: tuple[re.Pattern, ...]
    joining_words: frozenset[str]
    item_starters: frozenset[str]
    link_terms: tuple[tuple[str, ...], ...]
    measure_terms: frozenset[str]
    count_end: re.Pattern  # where what a count measures ends (count_qualifiers, or punctuation)


def _pats(items) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.I) for p in items or ())


@cache
def cues() -> Cues:
    data = load_yaml("commitments.yaml")
    return Cues(
        priority_headings=_pats(data["priority_headings"]),
        theme_list_cues=_pats(data["theme_list_cues"]),
        list_headings=tuple((re.compile(d["pattern"], re.I), d["kind"]) for d in data["list_headings"]),
        pledge_cues=_pats(data["pledge_cues"]),
        target_headings=_pats(data["target_headings"]),
        target_sentence=re.compile(data["target_sentence"], re.I),
        table_columns=tuple((re.compile(d["pattern"], re.I), d["role"]) for d in data["table_columns"]),
        achievement_headings=_pats(data["achievement_headings"]),
        joining_words=frozenset(w.lower() for w in data["joining_words"]),
        item_starters=frozenset(data["item_starters"]),
        link_terms=tuple(tuple(t) for t in data["link_terms"]),
        measure_terms=frozenset(data.get("measure_terms") or ()),
        count_end=re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in data["count_qualifiers"]) + r")\b|[(;:.–]"),
    )


def matches(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


@dataclass(frozen=True)
class PartnerName:
    partner: str
    variant: str
    kind: str
    evidence: str


def partner_names() -> tuple[PartnerName, ...]:
    """The partners of schema/partners.csv (true of any district) and of the district's own
    partners.csv, variants longest first, so "Police Priority Crime team" wins over "Police"."""
    from extract.vocab.areas import district_partners

    return _partner_names(district_partners())


@lru_cache(maxsize=8)
def _partner_names(own: tuple) -> tuple[PartnerName, ...]:
    rows = [PartnerName(r.partner, r.variant, r.kind, r.evidence or "") for r in (*load_rows("partners.csv"), *own)]
    return tuple(sorted(rows, key=lambda r: -len(r.variant)))


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split())


@cache
def theme_ids() -> dict[str, str]:
    with open(schema_path("theme_crosswalk.csv"), newline="", encoding="utf-8") as fh:
        return {_key(r["printed"]): r["theme_id"] for r in csv.DictReader(fh)}


@cache
def theme_names() -> dict[str, tuple[str, ...]]:
    """Every printed name of each theme id ("Domestic Abuse & Violence", "Domestic Abuse" ...)."""
    with open(schema_path("theme_crosswalk.csv"), newline="", encoding="utf-8") as fh:
        out: dict[str, list[str]] = {}
        for r in csv.DictReader(fh):
            out.setdefault(r["theme_id"], []).append(r["printed"])
    return {k: tuple(v) for k, v in out.items()}


def theme_id(theme: str | None) -> str | None:
    return theme_ids().get(_key(theme)) if theme else None
