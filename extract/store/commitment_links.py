"""Links from each commitment to later reports' evidence that reports on it, a claim for a reader
to check: a later achievement or statement, a whole sentence of a later report's prose, or a row of a
later report's table (its figures, as printed).

A link is made on what the commitment is about, never on common words alone:

* two of its key terms (``link_terms`` in schema/commitments.yaml: an instrument such as DVPN or
  Clare's Law, a scheme, a population), or
* one key term and a further word the commitment is about (its subject: "breaches", "accreditation"),
  or, for a measure ("Number of ..."), one key term and a figure reported for it, or
* a phrase of two words the commitment is about ("closure orders", "violence ... injury") and a
  further such word, when neither side names a key term.

A word the reports use everywhere ("number", "support", "partnership", any word in more than a
tenth of the later report's sentences) is not what a commitment is about. Evidence under another
theme than the commitment's is taken only on two key terms. Each link has a reason in words and a
strength; a commitment with none has one row saying no later evidence was found in the archive (or
that the archive holds no later report), and a priority theme one saying its items carry the links.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Optional

from extract.interpret.commitments.cues import cues, theme_id, theme_names
from extract.interpret.commitments.split import split_sentences
from extract.vocab.categories import canonical, categories_named


@dataclass(frozen=True)
class LinkSettings:
    term_weight: float = 0.3  # per shared key term
    word_weight: float = 0.15  # per further word the commitment is about (at most three)
    theme_weight: float = 0.2  # the same theme (crosswalk id) on both sides
    figure_weight: float = 0.1  # a measure answered by a figure
    category_weight: float = 0.1  # a table row of the very category the commitment names
    common_share: float = 0.05  # a word in more than this share of a report's sentences is common there
    max_per_commitment: int = 5  # strongest links kept per commitment
    max_passage: int = 3  # sentences in one piece of evidence: one and those referring back to it


NO_EVIDENCE = "no later evidence found in the archive"
NO_LATER_REPORT = "no later report in the archive"
NO_PERIOD = "the report has no period, so no later report can be told"
THEME_ONLY = "a priority theme: its aims, objectives and table items carry the links"

#: Words too common in these reports to say what a commitment is about.
_COMMON = frozenset(
    """number numbers increase increased increasing reduce reduced reduction reducing support supported
    supporting service services partner partners partnership partnerships work working delivery deliver
    delivered place level levels use used using provide provided data report reported reports reporting
    period year years winchester police crime crimes council district community communities local
    national government opportunity opportunities people person individual individuals identified
    identify ensure develop development improve improved continue continued plan plans action actions
    activity activities process include includes including across within against between which their
    there these those this that with from have been were where when what will other over than into
    also both each more most well overall total same compared previous current during through
    outcome outcomes rate rates achieved performance offence offences incident incidents statutory duty
    order orders issue issued linked location locations area areas time times implementation them they
    some such very must should would could being made make take taken high full able want need needs
    further issue issues group groups tackle tackling manage managed management related completed""".split()
)
_QUANTITY = re.compile(r"^\W*(?:to\s+)?(number|numbers|reduc\w*|increas\w*|rates?|levels?)\b", re.I)
_PROMISE = re.compile(r"\b(will|shall|aims? to|intends? to|plans? to)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_COUNT = re.compile(r"(?<![\w/])\d[\d,.]*(?![\w/])")
_NOT_COUNTS = re.compile(
    r"\b(?:figure|section|priority|q|quarter|safer streets?|op|operation)\s*\d+\b|\b(?:19|20)\d\d(?:/\d\d)?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"|\baged?\s+(?:between\s+)?\d+(?:\s*(?:to|and|-|–)\s*\d+)?|\b\d+\s*(?:to|-|–)\s*\d+[- ]year[- ]olds?",
    re.I,
)
#: "Number of licence reviews linked to …": what a measure counts ends where a qualifier starts.
_COUNTED = re.compile(r"^\W*(?:the\s+)?(?:numbers?|levels?)\s+of\s+(?:new\s+)?(?P<what>.+)$", re.I | re.S)
_THEME_PREFIX = re.compile(r"^\s*priority\s*\d*\s*[:.–-]\s*", re.I)
_THEME_END = re.compile(r"^\s*(conclusion|summary|headline)", re.I)


def _stem(word: str) -> str:
    """A word without its plural ending: "notices" → "notice", "properties" → "property"."""
    w = word.lower().strip("'’-").replace("’", "'")
    w = w.removesuffix("'s")
    if w.endswith("ies") and len(w) > 5:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 4:
        return w[:-1]
    return w


_COMMON_STEMS = frozenset(_stem(w) for w in _COMMON)


def _forms(text: str) -> list[tuple[str, str, bool]]:
    """(stem, word as printed, whether it follows the previous one directly) for the content words of
    ``text``, in order (short and common words left out)."""
    out = []
    follows = False
    for w in _WORD.findall(text or ""):
        s = _stem(w)
        if len(s) >= 4 and s not in _COMMON and w.lower() not in _COMMON and s not in _COMMON_STEMS:
            out.append((s, w.lower(), follows))
            follows = True
        else:
            follows = False
    return out


def _words(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order."""
    return [s for s, _, _ in _forms(text)]


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
            pattern = re.compile(r"(?<!\w)" + re.escape(v) + r"(?:s|'s)?(?!\w)", re.I if any_case else 0)
            out.append(TermPattern(variants[0], pattern, v if v.isascii() else "", any_case))
    return out


#: A named operation ("Op Harbourwatch", "Operation Harbourwatch"): a key term of its own wherever it
#: is printed, so no district's operation names need be in the package vocabulary.
_OPERATION = re.compile(r"\b(?:Op|Operation)\.?\s+([A-Z][a-z]{2,})\b")


def terms_in(text: str, patterns: list[TermPattern]) -> set[str]:
    """The key terms ``text`` mentions. In ASCII text an ASCII variant can match only where it occurs
    as a substring (lower-cased for any case), so the pattern is tried only there."""
    text = (text or "").replace("’", "'")
    lower = text.lower() if text.isascii() else None
    found = set()
    for t in patterns:
        if t.name in found:
            continue
        if lower is not None and t.needle and t.needle not in (lower if t.any_case else text):
            continue
        if t.pattern.search(text):
            found.add(t.name)
    found.update(f"Op {m.group(1)}" for m in _OPERATION.finditer(text))
    return found


@dataclass
class Reading:
    """What a text is about: its key terms, content words (stems, with a printed form each) and
    two-word phrases; whether it reports a figure, lists several things, or promises a quantity."""

    terms: set[str]
    words: set[str]
    phrases: set[tuple[str, str]]
    figures: bool
    forms: dict[str, str] = field(default_factory=dict)
    listed: bool = False  # "DVPN/DVPO, Restraining Orders, Clare's Law": its key terms are alternatives
    quantity: bool = False  # "Number of ...", "Reduction in ...": answered by a figure

    @classmethod
    def of(cls, text: str, patterns: list[TermPattern]) -> Reading:
        forms = _forms(text)
        words = [w for w, _, _ in forms]
        return cls(
            terms_in(text, patterns),
            set(words),
            {(a[0], b[0]) for a, b in zip(forms, forms[1:]) if b[2]},
            counts(text),
            {w: printed for w, printed, _ in reversed(forms)},
            bool(re.search(r"[,/]", text or "")),
            bool(_QUANTITY.search(text or "")),
        )


@dataclass
class Evidence:
    kind: str  # commitment | block | figure
    target_id: int
    document_id: str
    period_start: str
    theme_id: Optional[str]
    text: str  # the whole sentence(s) or the figures as printed
    reading: Reading
    common: frozenset[str] = field(default_factory=frozenset)  # its report's common words
    categories: frozenset[str] = frozenset()  # a table row's canonical categories (crime kinds)
    local: bool = False  # a table row of parts of the district only (parishes, regions), no district figure
    label: str = ""  # a table row's label as printed

    @property
    def narrowed(self) -> bool:
        """A row label qualified in words within brackets ("Violence with injury (bladed implement)"):
        a part of its category, not the whole (an abbreviation such as "(VAP)" qualifies nothing)."""
        return _qualified(self.label)

    @property
    def printed(self) -> frozenset[str]:
        """Its words as printed, lower-cased."""
        return _printed(self.text)


@lru_cache(maxsize=65_536)
def _qualified(label: str) -> bool:
    return any(re.search(r"\b[a-z]{4,}\b", inner) for inner in re.findall(r"\(([^)]*)\)", label))


@lru_cache(maxsize=65_536)
def _printed(text: str) -> frozenset[str]:
    """Each evidence's words, read once however many commitments it is weighed against."""
    return frozenset(w.lower() for w in _WORD.findall(text))


#: A link as stored: target_kind, target_id, document_id, reason, strength, evidence.
Link = tuple[str, Optional[int], Optional[str], str, float, Optional[str]]


def _order(link: Link) -> tuple:
    """Strongest first, then achievements and statements before prose and figures, then by id and text
    (the order a cold build meets them in), so merging kept links with new ones keeps a cold build's."""
    return (-link[4], link[0] != "commitment", link[0], link[1] or 0, link[5] or "")


@cache
def _term_words() -> dict[str, frozenset[str]]:
    """The words of every variant of each key term ("further", "action", "taken" for FAT)."""
    return {v[0]: frozenset(w for x in v for w in _words(x)) for v in cues().link_terms}


@cache
def _theme_words(theme: Optional[str]) -> frozenset[str]:
    """The words naming a theme in any of its printed names: the theme itself, not a subject in it."""
    return frozenset(w for name in theme_names().get(theme or "", ()) for w in _words(name))


def counts(text: str) -> bool:
    """Whether the text reports a figure: a number that is not a year, a date, a figure's or a
    section's number, or part of a name ("Safer Streets 5")."""
    text = _NOT_COUNTS.sub(" ", text or "")
    return bool(_COUNT.search(text))


#: Area kinds that are parts of a district: a row of them alone does not report on the district.
LOCAL_AREA_KINDS = frozenset({"parish", "ward", "npt_region", "locality", "postcode_area"})


@cache
def _lineage(canon: str) -> frozenset[str]:
    """A canonical category with every category above it ("burglary_residential" → burglary, theft…)."""
    out, seen = [canon], {canon}
    while (parent := (canonical().get(out[-1]) or {}).get("parent")) and parent not in seen:
        out.append(parent)
        seen.add(parent)
    return frozenset(out)


def named_categories(text: str) -> frozenset[str]:
    """The crime categories a commitment names, the narrowest of nested ones ("domestic burglary",
    not also "burglary" within it)."""
    found = {canon for _, canon in categories_named(text, ("crime",))}
    return frozenset(c for c in found if not any(c != o and c in _lineage(o) for o in found))


def category_fit(wanted: frozenset[str], row: frozenset[str]) -> Optional[str]:
    """How a table row's categories stand to the ones a commitment names: 'same', 'part' (a narrower
    category: "violence" → violence with injury), 'whole' (the wider one it belongs to: domestic
    burglary → all burglary), or None: another category (business burglary for domestic burglary).
    'same' when either names none (the words decide)."""
    if not wanted or not row:
        return "same"
    if wanted & row:
        return "same"
    if any(w in _lineage(r) for w in wanted for r in row):
        return "part"
    if any(r in _lineage(w) for w in wanted for r in row):
        return "whole"
    return None


def counted_heads(text: str, patterns: list[TermPattern]) -> tuple[frozenset[str], ...]:
    """What a measure counts, as alternatives each given by its key terms and its head noun's stem:
    "Number of licence reviews linked to the night-time economy" → ({"review"},); "Number of CBOs, CPNs
    issued" → one per order. A trailing participle ("issued", "supported") qualifies the noun before
    it. Empty when the commitment is not a count of something named."""
    m = _COUNTED.match(text or "")
    if not m:
        return ()
    what = m["what"]
    end = cues().count_end.search(what)
    out = []
    for alternative in re.split(r"\s*[/,&]\s*|\s+or\s+", what[: end.start()] if end else what):
        words = _WORD.findall(alternative)
        while len(words) > 1 and words[-1].lower().endswith("ed"):
            words.pop()  # "CPWs issued", "campaigns supported": the noun before the participle
        keys = {f"t:{t}" for t in terms_in(alternative, patterns)}
        head = _stem(words[-1]) if words else ""
        if len(head) >= 4:
            keys.add(head)
        if keys:
            out.append(frozenset(keys))
    return tuple(out)


def _counts_what(heads: tuple[frozenset[str], ...], ev: Evidence) -> bool:
    """Whether evidence names what a measure counts: one alternative's key term, or a word beginning
    with its head noun ("review" → "reviews", "support" → "supported")."""
    if not heads:
        return True
    printed = ev.printed
    for keys in heads:
        for key in keys:
            if key.startswith("t:") and key[2:] in ev.reading.terms:
                return True
            if not key.startswith("t:") and any(w.startswith(key) for w in printed):
                return True
    return False


#: A sentence opening on what an earlier one said ("The increase ...", "This ..."): evidence only
#: with the sentence before it.
_BACK_REFERENCE = re.compile(
    r"^\W*(?:this|these|that|those|it|they|such|the (?:increase|decrease|rise|fall|change|reduction|drop))\b", re.I
)


def judge(
    promise: Reading,
    measure: bool,
    theme: Optional[str],
    ev: Evidence,
    settings: LinkSettings,
    wanted: frozenset[str] = frozenset(),
    heads: tuple[frozenset[str], ...] = (),
) -> Optional[tuple[str, float]]:
    """(reason, strength) when ``ev`` reports on the commitment (``measure``: one that counts
    something; ``wanted``: the crime categories it names), else None. See the module's docstring
    for the rules."""
    fit = category_fit(wanted, ev.categories) if ev.kind == "figure" else "same"
    if ev.kind == "figure" and wanted and ev.narrowed:
        fit = "part"
    if fit != "same":
        # a table row of another category than the one promised, or a wider or narrower one (all
        # burglary, or "criminal damage and arson", for criminal damage): another quantity
        return None
    if ev.kind == "figure" and ev.local:
        return None  # a parish's or a region's row does not report on the district's commitment
    if not _counts_what(heads, ev):
        return None  # "Number of licence reviews …" is answered by evidence naming licence reviews
    measures = cues().measure_terms
    terms = promise.terms & ev.reading.terms
    subjects = promise.terms - measures  # the key terms naming what the commitment is about
    skip = (
        ev.common
        | _theme_words(theme)
        | {w for t in promise.terms | ev.reading.terms for w in _term_words().get(t, frozenset(_words(t)))}
    )
    words = sorted((promise.words & ev.reading.words) - skip)
    phrases = sorted(p for p in promise.phrases & ev.reading.phrases if not set(p) & skip)
    rest = promise.words - skip  # what else the commitment is about
    quantity = measure or promise.quantity
    counted = quantity and ev.reading.figures
    same_theme = bool(theme and ev.theme_id and theme == ev.theme_id)
    other_theme = bool(theme and ev.theme_id and theme != ev.theme_id)
    if promise.terms & measures and not terms & measures:
        return None  # "FAT outcomes for violence with injury": the evidence must speak of FAT outcomes
    if len(subjects) >= 2 and not promise.listed and len(terms & subjects) < 2:
        return None  # "violence with injury linked to drug networks": both, not one of them
    if not counted and (quantity and len(words) < 2 or measure and len(words) < 2 + (not terms)):
        return None  # a quantity promised, answered by no figure
    if len(terms & subjects) >= 2:
        pass  # two key terms naming the subject
    elif other_theme:
        return None
    elif terms and not terms & subjects:  # a measure only (FAT): of this theme, of no other subject
        if subjects or not same_theme:
            return None
    elif terms:  # one subject: and a further word, or a measure answered by a figure of it (a table row
        # naming it: "Reduce burglary" → the Burglary row), or under the same theme the commitment's one subject
        if not words and not (counted and (measure or ev.kind == "figure")) and not (same_theme and not rest):
            return None
    elif not (phrases and len(words) >= 2 + (not same_theme)):
        return None
    reason = _reason(promise, terms, phrases, words, counted and ev.kind, theme if same_theme else None)
    strength = (
        settings.term_weight * len(terms)
        + settings.word_weight * min(3, len(words))
        + (settings.theme_weight if same_theme else 0)
        + (settings.figure_weight if counted else 0)
        + (settings.category_weight if ev.kind == "figure" and wanted and fit == "same" else 0)
    )
    return reason, round(min(1.0, strength), 2)


def _reason(promise: Reading, terms: set[str], phrases: list, words: list[str], counted, theme: Optional[str]) -> str:
    """The link's reason in words: the key terms both name, the phrases and words both speak of (as
    the commitment prints them), a figure, the same theme."""
    forms = promise.forms
    parts = []
    if terms:
        parts.append("both name " + ", ".join(sorted(terms)))
    if phrases:
        parts.append("both speak of " + "; ".join(" ".join(forms.get(w, w) for w in p) for p in phrases[:2]))
    extra = [forms.get(w, w) for w in words if not any(w in p for p in phrases)]
    if extra:
        parts.append(("and of " if parts else "both speak of ") + ", ".join(extra[:4]))
    if counted:
        parts.append("the figures of the table it names" if counted == "figure" else "with a figure")
    if theme:
        parts.append(f"same theme ({theme})")
    return "; ".join(parts)


def _common(sentences: Iterable[Reading], share: float) -> frozenset[str]:
    readings = list(sentences)
    df = Counter(w for r in readings for w in r.words)
    return frozenset(w for w, n in df.items() if n > max(3, share * len(readings)))


def _block_themes(db, file_ids: Collection[int]) -> dict[int, Optional[str]]:
    """The theme (crosswalk id) each block stands under: the last heading naming a theme
    ("Priority1: Domestic Abuse & Violence"), until a conclusion or summary."""
    out: dict[int, Optional[str]] = {}
    current: dict[int, Optional[str]] = {}
    if not file_ids:
        return out
    marks = ",".join("?" * len(file_ids))
    for bid, fid, kind, text in db.execute(
        f"select id, file_id, kind, text from blocks where file_id in ({marks}) order by file_id, seq", list(file_ids)
    ):
        if kind == "heading":
            found = theme_id(_THEME_PREFIX.sub("", text or "").strip())
            if found:
                current[fid] = found
            elif _THEME_END.match(text or ""):
                current[fid] = None
        out[bid] = current.get(fid)
    return out


def _whole(sentence: str) -> bool:
    """A whole sentence: five words or more, starting as a sentence starts and ending as one ends (a
    block cut at a page break gives neither)."""
    return (
        len(sentence.split()) >= 5
        and sentence[:1].isupper() | sentence[:1].isdigit()
        and sentence.rstrip()[-1:] in ".!?:)%"
    )


def passages(sentences: list[str], longest: int) -> list[str]:
    """Whole sentences as evidence, each with the ones after it that open on what it said ("This is a
    forum …", "The increase …"), up to ``longest`` sentences: a sentence is never evidence without
    what it refers to, nor twice. Promises ("will …") are not evidence."""
    runs: list[list[str]] = []
    for sentence in sentences:
        if runs and _BACK_REFERENCE.match(sentence) and len(runs[-1]) < longest:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return [" ".join(run) for run in runs if all(_whole(s) for s in run) and not any(_PROMISE.search(s) for s in run)]


def _evidence(db, wanted: str, params: dict, patterns: list[TermPattern], settings: LinkSettings) -> list[Evidence]:
    """Every piece of evidence in the later reports: achievements and statements, whole sentences of
    prose, and tables' total rows (or every row of a table without one) as printed."""
    docs = "select d.id from documents d where d.kind not in ('delivery_plan', 'strategy') and " + wanted
    files = [
        (fid, doc, start)
        for fid, doc, start in db.execute(
            "select f.id, f.document_id, d.period_start from files f join documents d on d.id = f.document_id "
            f"where f.role = 'primary' and d.id in ({docs})",
            params,
        )
    ]
    start_of = {fid: start for fid, _, start in files}
    doc_of = {fid: doc for fid, doc, _ in files}
    themes = _block_themes(db, list(start_of))
    out: list[Evidence] = []
    marks = ",".join("?" * len(start_of)) or "null"
    fids = list(start_of)
    for cid, fid, _kind, theme, text in db.execute(
        f"select id, file_id, item_kind, theme_id, text from commitments where file_id in ({marks}) "
        "and item_kind in ('achievement', 'pledge') order by id",
        fids,
    ):
        out.append(Evidence("commitment", cid, doc_of[fid], start_of[fid], theme, text, Reading.of(text, patterns)))
    for bid, fid, text in db.execute(
        f"select id, file_id, text from blocks where file_id in ({marks}) and kind in ('paragraph', 'list_item') "
        "and text is not null and id not in (select block_id from commitments where block_id is not null) order by id",
        fids,
    ):
        for said in passages(split_sentences([text]), settings.max_passage):
            out.append(
                Evidence("block", bid, doc_of[fid], start_of[fid], themes.get(bid), said, Reading.of(said, patterns))
            )
    for table_id, fid, block_id, caption, label in db.execute(
        f"select id, file_id, block_id, caption, label from tables where file_id in ({marks}) order by id", fids
    ):
        rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        row_cats: dict[str, set[str]] = defaultdict(set)
        row_areas: dict[str, set[Optional[str]]] = defaultdict(set)
        for fig_id, row_label, column_label, raw, canon, canon_kind, area_kind in db.execute(
            "select f.id, f.row_label, f.column_label, f.raw, f.canonical_id, cc.kind, a.kind from figures f "
            "left join canonical_categories cc on cc.id = f.canonical_id left join areas a on a.id = f.area_id "
            "where f.table_id = ? and f.row_label is not null order by f.id",
            [table_id],
        ):
            rows[row_label].append((fig_id, column_label or "", raw or ""))
            if canon and canon_kind == "crime":
                row_cats[row_label].add(canon)
            row_areas[row_label].add(area_kind)
        title = caption or label or ""
        total = next((r for r in rows if r.lower().startswith("total")), None)
        for row, figures in rows.items():
            text = f"{title}: {row} — " + "; ".join(f"{c} {raw}".strip() for _, c, raw in figures)
            # a total row is what the table counts (its caption); any other row what its label names
            named = f"{title} {row}" if row == total or total is None and len(rows) == 1 else row
            reading = Reading.of(f"{named} " + " ".join(c for _, c, _ in figures), patterns)
            reading.figures = True
            areas = row_areas[row]
            local = bool(areas & LOCAL_AREA_KINDS) and "district" not in areas
            out.append(
                Evidence(
                    "figure",
                    figures[-1][0],
                    doc_of[fid],
                    start_of[fid],
                    themes.get(block_id),
                    text,
                    reading,
                    categories=frozenset(row_cats[row]),
                    local=local,
                    label=row,
                )
            )
    by_doc: dict[str, list[Evidence]] = defaultdict(list)
    for ev in out:
        by_doc[ev.document_id].append(ev)
    for items in by_doc.values():
        common = _common((e.reading for e in items if e.kind != "figure"), settings.common_share)
        for ev in items:
            ev.common = common
    return out


def link_commitments(db, settings: LinkSettings = LinkSettings(), kept: Collection[str] = ()) -> int:
    """Write commitment_links; returns how many the table holds. ``kept``: the documents a rebuild kept
    from the previous archive with their links. A kept commitment's links are then merged with
    candidates in the other documents only, or found again from scratch when one of them points
    outside ``kept``; either way each commitment keeps the strongest links a cold build keeps, and
    every commitment with none has the one row saying so."""
    patterns = _term_patterns()
    db.execute("create temp table if not exists link_kept (id text primary key)")
    db.execute("delete from temp.link_kept")
    db.conn.executemany("insert into temp.link_kept values (?)", [(k,) for k in kept])
    mine = "select c.id from commitments c where c.document_id in (select id from temp.link_kept)"
    db.execute(f"delete from commitment_links where commitment_id not in ({mine})")  # of reports loaded again
    db.execute("delete from commitment_links where target_kind = 'none'")  # said again below, as things now stand
    stale = {  # kept commitments with a link into a report loaded again: its links are no longer there
        r[0]
        for r in db.execute(
            "select distinct commitment_id from commitment_links where document_id not in (select id from temp.link_kept)"
        )
    }
    # id, document_id, item_kind, theme_id, text, period_start
    rows = db.execute(
        "select c.id, c.document_id, c.item_kind, c.theme_id, c.text, d.period_start "
        "from commitments c join files f on f.id = c.file_id and f.role = 'primary' "
        "join documents d on d.id = c.document_id where c.item_kind != 'achievement' order by c.id"
    ).fetchall()
    linked = [c for c in rows if c[5] and c[2] != "priority"]
    fresh = {c[0] for c in linked if c[1] not in kept} | stale  # linked from scratch
    earliest = min((c[5] for c in linked if c[0] in fresh), default="9999")
    # the evidence a commitment linked from scratch may find (a later report's), or a kept one may
    # gain (in a report loaded again)
    wanted = "(d.id not in (select id from temp.link_kept) or d.period_start > :earliest)"
    evidence = _evidence(db, wanted, {"earliest": earliest}, patterns, settings)
    district_of = dict(db.execute("select id, district from documents").fetchall())
    # (district, a term or word) -> the evidence of that district's reports holding it
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for n, ev in enumerate(evidence):
        for key in ev.reading.terms | {f"w:{w}" for w in ev.reading.words}:
            by_key[(district_of.get(ev.document_id), key)].append(n)
    old: dict[int, list[Link]] = defaultdict(list)
    for cid, *kept_link in db.execute(
        "select commitment_id, target_kind, target_id, document_id, reason, strength, evidence "
        "from commitment_links order by commitment_id, rank"
    ):
        old[cid].append(tuple(kept_link))
    changed: dict[int, list[Link]] = {}
    for cid, doc, kind, theme, text, period_start in linked:
        promise = Reading.of(text, patterns)
        named = named_categories(text)
        measure = kind == "measure" or text.lower().startswith("number of")
        heads = counted_heads(text, patterns)
        from_scratch = cid in fresh
        best_of: dict[tuple, Link] = {}
        keys = promise.terms | {f"w:{w}" for w in promise.words}
        district = district_of.get(doc)  # another partnership's reports do not report on its commitments
        for n in sorted({n for key in keys for n in by_key.get((district, key), ())}):
            ev = evidence[n]
            if not from_scratch and ev.document_id in kept:
                continue  # a kept commitment's links to kept reports are kept
            if not ev.period_start or ev.period_start <= period_start:
                continue  # not later, or a report with no period: it cannot be told to be later
            judged = judge(promise, measure, theme, ev, settings, named, heads)
            if judged is None:
                continue
            link: Link = (ev.kind, ev.target_id, ev.document_id, judged[0], judged[1], ev.text)
            seen = best_of.get((ev.kind, ev.target_id)) or best_of.get(("text", ev.text))
            if seen is None or _order(link) < _order(seen):  # one link per passage, one per text
                best_of[(ev.kind, ev.target_id)] = best_of[("text", ev.text)] = link
        found = list(dict.fromkeys(best_of.values()))
        if from_scratch or found:
            best = sorted(found + ([] if from_scratch else old[cid]), key=_order)[: settings.max_per_commitment]
            if best != old[cid]:
                changed[cid] = best
    db.conn.executemany("delete from commitment_links where commitment_id = ?", [(i,) for i in changed])
    db.conn.executemany(
        "insert into commitment_links (commitment_id, rank, target_kind, target_id, document_id, reason, strength, "
        "evidence) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [(cid, rank, *link) for cid, best in changed.items() for rank, link in enumerate(best, 1)],
    )
    _mark_unlinked(db, rows)
    return db.execute("select count(*) from commitment_links").fetchone()[0]


def _mark_unlinked(db, rows: list) -> None:
    """One row for each commitment without a link: a priority theme's, or saying that no later evidence
    was found in the archive, or that the archive holds no later report."""
    have = {r[0] for r in db.execute("select distinct commitment_id from commitment_links")}
    starts: dict[Optional[str], list[str]] = defaultdict(list)  # each district's reports' starts
    district_of = {}
    for doc, district, start, kind in db.execute("select id, district, period_start, kind from documents"):
        district_of[doc] = district
        if start and kind not in ("delivery_plan", "strategy"):
            starts[district].append(start)
    marks = []
    for cid, doc, kind, _, _, period_start in rows:
        if cid in have:
            continue
        if kind == "priority":
            reason = THEME_ONLY
        elif not period_start:
            reason = NO_PERIOD
        elif period_start and any(s > period_start for s in starts[district_of.get(doc)]):
            reason = NO_EVIDENCE
        else:
            reason = NO_LATER_REPORT
        marks.append((cid, 1, "none", None, None, reason, 0.0, None))
    db.conn.executemany(
        "insert into commitment_links (commitment_id, rank, target_kind, target_id, document_id, reason, strength, "
        "evidence) values (?, ?, ?, ?, ?, ?, ?, ?)",
        marks,
    )
