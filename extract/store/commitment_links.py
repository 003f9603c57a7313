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


#: A link as stored: target_kind, target_id, document_id, reason, strength.
Link = tuple[str, int, str, str, float]


#: A link's place among its commitment's candidates: strongest first, then commitments before
#: blocks, then by id (the order a cold build meets them in), so merging kept links with new
#: candidates keeps the strongest a cold build keeps.
def _order(link: Link) -> tuple:
    return (-link[4], link[0] != "commitment", link[1])


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
    # id, document_id, item_kind, theme_id, text, format, period_start
    rows = db.execute(
        "select c.id, c.document_id, c.item_kind, c.theme_id, c.text, f.format, d.period_start "
        "from commitments c join files f on f.id = c.file_id join documents d on d.id = c.document_id "
        "order by c.id"
    ).fetchall()
    linked = [c for c in rows if c[2] != "achievement" and c[6]]
    fresh = {c[0] for c in linked if c[1] not in kept} | stale  # linked from scratch
    earliest = min((c[6] for c in linked if c[0] in fresh), default="9999")
    # the evidence a commitment linked from scratch may find (a later report's), or a kept one may
    # gain (in a report loaded again)
    wanted = "(d.id not in (select id from temp.link_kept) or d.period_start > :earliest)"
    blocks = db.execute(
        "select b.id, b.text, f.document_id, f.format, d.period_start from blocks b join files f on f.id = b.file_id "
        "join documents d on d.id = f.document_id where b.kind in ('paragraph', 'list_item') and b.text is not null "
        "and d.kind not in ('delivery_plan', 'strategy') "  # a later plan's text is a promise, not evidence
        f"and b.id not in (select block_id from commitments where block_id is not null) and {wanted} "
        "order by b.id",
        {"earliest": earliest},
    ).fetchall()
    later = {r[0] for r in db.execute(f"select d.id from documents d where {wanted}", {"earliest": earliest})}
    # kind, id, document_id, format, period_start, theme_id, terms
    evidence = [
        ("commitment", c[0], c[1], c[5], c[6], c[3], terms(c[4]))
        for c in rows
        if c[2] in ("achievement", "pledge") and c[1] in later
    ]
    evidence += [("block", b[0], b[2], b[3], b[4], None, terms(b[1])) for b in blocks]
    by_term: dict[str, list[int]] = defaultdict(list)  # term -> the evidence naming it, in order
    for n, item in enumerate(evidence):
        for term in item[6]:
            by_term[term].append(n)
    old: dict[int, list[Link]] = defaultdict(list)
    for cid, *link in db.execute(
        "select commitment_id, target_kind, target_id, document_id, reason, strength from commitment_links "
        "order by commitment_id, rank"
    ):
        old[cid].append(tuple(link))
    changed: dict[int, list[Link]] = {}
    for cid, _, _, theme_id, text, fmt, period_start in linked:
        ours = terms(text)
        if not ours:
            continue
        from_scratch = cid in fresh
        found: list[Link] = []
        for n in sorted({n for term in ours for n in by_term.get(term, ())}):  # evidence sharing a term
            kind, tid, doc, their_fmt, start, theme, theirs = evidence[n]
            if not from_scratch and doc in kept:
                continue  # a kept commitment's links to kept reports are kept
            shared = ours & theirs
            if not shared or their_fmt != fmt or not start or start <= period_start:
                continue
            same_theme = bool(theme and theme == theme_id)
            strength = min(1.0, settings.term_weight * len(shared) + (settings.theme_weight if same_theme else 0))
            reason = "shared terms: " + ", ".join(sorted(shared)) + (f"; same theme ({theme})" if same_theme else "")
            found.append((kind, tid, doc, reason, round(strength, 2)))
        if from_scratch or found:
            best = sorted(found + ([] if from_scratch else old[cid]), key=_order)[: settings.max_per_commitment]
            if best != old[cid]:
                changed[cid] = best
    db.conn.executemany("delete from commitment_links where commitment_id = ?", [(i,) for i in changed])
    db.conn.executemany(
        "insert into commitment_links (commitment_id, rank, target_kind, target_id, document_id, reason, strength) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [(cid, rank, *link) for cid, best in changed.items() for rank, link in enumerate(best, 1)],
    )
    return db.execute("select count(*) from commitment_links").fetchone()[0]
