"""Links from each commitment to later reports' achievements, statements and prose that speak to
it: items sharing key terms (schema/commitments.yaml link_terms), stronger under the same theme.
A link is a claim for a reader to check, so its reason names the shared terms and theme."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from extract.interpret.commitments.cues import cues


@dataclass(frozen=True)
class LinkSettings:
    term_weight: float = 0.3  # per shared key term
    theme_weight: float = 0.3  # the same theme (crosswalk id) on both sides
    max_per_commitment: int = 5  # strongest links kept per commitment


@dataclass(frozen=True)
class TermPattern:
    """One variant of a key term: its pattern, and the text any match must contain (ASCII only)."""

    name: str
    pattern: re.Pattern
    needle: str  # the variant, lower-cased when matched in any case; "" when not ASCII
    any_case: bool


def _term_patterns() -> list[TermPattern]:
    """A variant printed in lower case matches in any case; "Prevent" or "FAT" only as printed."""
    out = []
    for variants in cues().link_terms:
        for v in variants:
            any_case = v == v.lower()
            pattern = re.compile(r"(?<!\w)" + re.escape(v) + r"s?(?!\w)", re.I if any_case else 0)
            out.append(TermPattern(variants[0], pattern, v if v.isascii() else "", any_case))
    return out


def terms_in(text: str, patterns: list[TermPattern]) -> set[str]:
    """The key terms ``text`` mentions. In ASCII text an ASCII variant can match only where it occurs
    as a substring (lower-cased for any case), so the pattern is tried only there."""
    text = text or ""
    lower = text.lower() if text.isascii() else None
    found = set()
    for t in patterns:
        if t.name in found:
            continue
        if lower is not None and t.needle and t.needle not in (lower if t.any_case else text):
            continue
        if t.pattern.search(text):
            found.add(t.name)
    return found


def link_commitments(db, settings: LinkSettings = LinkSettings()) -> int:
    """Write commitment_links; returns how many."""
    patterns, known = _term_patterns(), {}  # a text printed again (a report's boilerplate) is read once

    def terms(text: str) -> set[str]:
        if text not in known:
            known[text] = terms_in(text, patterns)
        return known[text]

    rows = list(
        db.query(
            "select c.id, c.document_id, c.file_id, c.item_kind, c.theme_id, c.text, f.format, d.period_start "
            "from commitments c join files f on f.id = c.file_id join documents d on d.id = c.document_id"
        )
    )
    blocks = list(
        db.query(
            "select b.id, b.text, f.document_id, f.format, d.period_start from blocks b join files f on f.id = b.file_id "
            "join documents d on d.id = f.document_id where b.kind in ('paragraph', 'list_item') and b.text is not null "
            "and d.kind not in ('delivery_plan', 'strategy') "  # a later plan's text is a promise, not evidence
            "and b.id not in (select block_id from commitments where block_id is not null)"
        )
    )
    evidence = [
        (
            "commitment",
            r["id"],
            r["document_id"],
            r["format"],
            r["period_start"],
            r["theme_id"],
            terms(r["text"]),
        )
        for r in rows
        if r["item_kind"] in ("achievement", "pledge")
    ]
    evidence += [
        ("block", b["id"], b["document_id"], b["format"], b["period_start"], None, terms(b["text"])) for b in blocks
    ]
    by_term: dict[str, list[int]] = defaultdict(list)  # term -> the evidence naming it, in order
    for n, item in enumerate(evidence):
        for term in item[6]:
            by_term[term].append(n)
    links = []
    for c in rows:
        if c["item_kind"] == "achievement" or not c["period_start"]:
            continue
        mine = terms(c["text"])
        if not mine:
            continue
        found = []
        for n in sorted({n for term in mine for n in by_term.get(term, ())}):  # evidence sharing a term
            kind, tid, doc, fmt, start, theme, theirs = evidence[n]
            shared = mine & theirs
            if not shared or fmt != c["format"] or not start or start <= c["period_start"]:
                continue
            same_theme = bool(theme and theme == c["theme_id"])
            strength = min(1.0, settings.term_weight * len(shared) + (settings.theme_weight if same_theme else 0))
            reason = "shared terms: " + ", ".join(sorted(shared)) + (f"; same theme ({theme})" if same_theme else "")
            found.append(
                {
                    "commitment_id": c["id"],
                    "target_kind": kind,
                    "target_id": tid,
                    "document_id": doc,
                    "reason": reason,
                    "strength": round(strength, 2),
                }
            )
        found.sort(key=lambda r: -r["strength"])
        links += found[: settings.max_per_commitment]
    db["commitment_links"].insert_all(links)
    return len(links)
