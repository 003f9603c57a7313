"""Links from each commitment to later reports' achievements, statements and prose that speak to
it: items sharing key terms (schema/commitments.yaml link_terms), stronger under the same theme.
A link is a claim for a reader to check, so its reason names the shared terms and theme."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
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


#: A link's place among its commitment's candidates: strongest first, then commitments before
#: blocks, then by id (the order a cold build meets them in), so merging kept links with new
#: candidates keeps the strongest a cold build keeps.
def _order(link: dict) -> tuple:
    return (-link["strength"], link["target_kind"] != "commitment", link["target_id"])


def link_commitments(db, settings: LinkSettings = LinkSettings(), kept: Collection[str] = ()) -> int:
    """Write commitment_links; returns how many the table holds. ``kept``: the documents a rebuild kept
    from the previous archive with their links. A kept commitment's links are then merged with
    candidates in the other documents only, or found again from scratch when one of them points
    outside ``kept``; either way each commitment keeps the strongest links a cold build keeps."""
    patterns, known = _term_patterns(), {}  # a text printed again (a report's boilerplate) is read once

    def terms(text: str) -> set[str]:
        if text not in known:
            known[text] = terms_in(text, patterns)
        return known[text]

    db.execute("create temp table if not exists link_kept (id text primary key)")
    db.execute("delete from temp.link_kept")
    db.conn.executemany("insert into temp.link_kept values (?)", [(k,) for k in kept])
    mine = "select c.id from commitments c where c.document_id in (select id from temp.link_kept)"
    db.execute(f"delete from commitment_links where commitment_id not in ({mine})")  # of reports loaded again
    stale = {  # kept commitments with a link into a report loaded again: its links are no longer there
        r[0]
        for r in db.execute(
            "select distinct commitment_id from commitment_links where document_id not in (select id from temp.link_kept)"
        )
    }
    rows = list(
        db.query(
            "select c.id, c.document_id, c.file_id, c.item_kind, c.theme_id, c.text, f.format, d.period_start "
            "from commitments c join files f on f.id = c.file_id join documents d on d.id = c.document_id "
            "order by c.id"
        )
    )
    linked = [c for c in rows if c["item_kind"] != "achievement" and c["period_start"]]
    fresh = {c["id"] for c in linked if c["document_id"] not in kept} | stale  # linked from scratch
    earliest = min((c["period_start"] for c in linked if c["id"] in fresh), default="9999")
    # the evidence a commitment linked from scratch may find (a later report's), or a kept one may
    # gain (in a report loaded again)
    wanted = "(d.id not in (select id from temp.link_kept) or d.period_start > :earliest)"
    blocks = list(
        db.query(
            "select b.id, b.text, f.document_id, f.format, d.period_start from blocks b join files f on f.id = b.file_id "
            "join documents d on d.id = f.document_id where b.kind in ('paragraph', 'list_item') and b.text is not null "
            "and d.kind not in ('delivery_plan', 'strategy') "  # a later plan's text is a promise, not evidence
            f"and b.id not in (select block_id from commitments where block_id is not null) and {wanted} "
            "order by b.id",
            {"earliest": earliest},
        )
    )
    later = {r[0] for r in db.execute(f"select d.id from documents d where {wanted}", {"earliest": earliest})}
    evidence = [
        ("commitment", r["id"], r["document_id"], r["format"], r["period_start"], r["theme_id"], terms(r["text"]))
        for r in rows
        if r["item_kind"] in ("achievement", "pledge") and r["document_id"] in later
    ]
    evidence += [
        ("block", b["id"], b["document_id"], b["format"], b["period_start"], None, terms(b["text"])) for b in blocks
    ]
    by_term: dict[str, list[int]] = defaultdict(list)  # term -> the evidence naming it, in order
    for n, item in enumerate(evidence):
        for term in item[6]:
            by_term[term].append(n)
    old: dict[int, list[dict]] = defaultdict(list)
    for r in db.query(
        "select commitment_id, target_kind, target_id, document_id, reason, strength from commitment_links"
    ):
        old[r["commitment_id"]].append(r)
    changed: dict[int, list[dict]] = {}
    for c in linked:
        ours = terms(c["text"])
        if not ours:
            continue
        from_scratch = c["id"] in fresh
        found = []
        for n in sorted({n for term in ours for n in by_term.get(term, ())}):  # evidence sharing a term
            kind, tid, doc, fmt, start, theme, theirs = evidence[n]
            if not from_scratch and doc in kept:
                continue  # a kept commitment's links to kept reports are kept
            shared = ours & theirs
            if not shared or fmt != c["format"] or not start or start <= c["period_start"]:
                continue
            same_theme = bool(theme and theme == c["theme_id"])
            strength = min(1.0, settings.term_weight * len(shared) + (settings.theme_weight if same_theme else 0))
            reason = "shared terms: " + ", ".join(sorted(shared)) + (f"; same theme ({theme})" if same_theme else "")
            found.append(
                {
                    "target_kind": kind,
                    "target_id": tid,
                    "document_id": doc,
                    "reason": reason,
                    "strength": round(strength, 2),
                }
            )
        if from_scratch or found:
            best = sorted(found + ([] if from_scratch else old[c["id"]]), key=_order)
            changed[c["id"]] = best[: settings.max_per_commitment]
    db.conn.executemany("delete from commitment_links where commitment_id = ?", [(i,) for i in changed])
    db.conn.executemany(
        "insert into commitment_links (commitment_id, rank, target_kind, target_id, document_id, reason, strength) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [
            (cid, rank, r["target_kind"], r["target_id"], r["document_id"], r["reason"], r["strength"])
            for cid, best in changed.items()
            for rank, r in enumerate(best, 1)
        ],
    )
    return db.execute("select count(*) from commitment_links").fetchone()[0]
