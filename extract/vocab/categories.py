"""The category schemes, the crosswalk and matching a printed label or a prose phrase to a
category (schema/categories.csv, crosswalk.csv, canonical_categories.csv, category_schemes.csv).

Pure lookups over vocabulary data, used when a figure is read and stored; nothing here writes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from typing import Optional

from extract.vocab.fold import fold as norm
from extract.vocab.loader import load_csv

_CODE = re.compile(r"^\s*(\d{1,2}[a-z]?\d?)\.?\s+(?=\S)", re.I)


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


def _label_index() -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    """Every printed name of each category: schema/categories.csv's, and the district's own spellings
    (``category_names.csv`` beside its areas file), the district in use's."""
    from extract.vocab.areas import district_category_names

    return _label_index_for(district_category_names())


def _own_names(own: tuple) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in own:
        out[row.category] += list(row.variants)
    return out


@lru_cache(maxsize=8)
def _label_index_for(own: tuple) -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    by_text: dict[str, str] = {}
    by_code: dict[tuple[str, str], list[str]] = defaultdict(list)
    extra = _own_names(own)
    for cid, row in categories().items():
        names = [row["label"], *filter(None, row["variants"].split("|")), *extra.get(cid, ())]
        for name in names:
            by_text.setdefault(norm(name), cid)
            code, rest = split_code(name)
            if code is None:
                by_text.setdefault(rest, cid)
        if row["code"]:
            by_code[(row["code"].lower(), norm(row["label"]))].append(cid)
            by_code[(row["code"].lower(), "")].append(cid)
    return by_text, by_code


@lru_cache(maxsize=1)
def _acronyms() -> dict[str, str]:
    """Variants printed in capitals and too short to find as words ("MSV", "ASB"): found in prose
    only as printed, capitals and all, so "msv" in another word never matches."""
    return {
        name: cid
        for cid, row in categories().items()
        for name in filter(None, row["variants"].split("|"))
        if name.isupper() and name.isalpha() and len(name) < 5
    }


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
    found = named_in(phrase)
    return found[1] if found else None


def named_in(phrase: Optional[str]) -> Optional[tuple[str, str]]:
    """For prose subjects: (the label or variant found, folded; its category id) of the longest
    category label contained in the phrase (the whole phrase where it is a label)."""
    text = norm(phrase)
    if not text:
        return None
    exact = match_category(phrase)
    if exact:
        return text, exact
    by_text, _ = _label_index()
    best = None
    for acronym, cid in _acronyms().items():  # "MSV": a variant printed in capitals, matched as printed
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(acronym)}(?![A-Za-z0-9])", phrase or ""):
            best = (acronym.lower(), cid)
    for label, cid in _prose_labels(by_text):
        if re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", text):
            if best is None or len(label) > len(best[0]):
                best = (label, cid)
    return best


def _prose_labels(by_text: dict[str, str]):
    """The folded labels prose is searched for: long enough to find as words, of a scheme a prose
    figure can count (not a total or a theme)."""
    return (
        (label, cid)
        for label, cid in by_text.items()
        if (len(label) >= 5 or categories()[cid]["scheme"].startswith("ho_"))  # "rape": a crime's own short name
        and categories()[cid]["scheme"] not in ("total", "theme")
    )


def singular(word: str) -> str:
    """A word's singular as far as prose needs it: "burglaries" → "burglary", "services" → "service"
    ("process", "status" kept)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_words(text: Optional[str], fillers: frozenset[str]) -> list[str]:
    """A name's or a phrase's words as they are compared: folded, singular, without ``fillers``."""
    return [singular(w) for w in norm(text).split() if w not in fillers]


def canonical_names(cid: str) -> list[str]:
    """A canonical category's label and the names prose gives it (``names``)."""
    row = canonical()[cid]
    return [row["label"], *filter(None, (row.get("names") or "").split("|"))]


@lru_cache(maxsize=4)
def _canonical_names(fillers: frozenset[str]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words, canonical id) of each canonical category's label and prose names (not a theme's, not
    an outcome code's), longest first."""
    out = []
    for cid, row in canonical().items():
        if row["kind"] == "theme" or ":" in row["label"]:
            continue
        for name in canonical_names(cid):
            words = tuple(name_words(name, fillers))
            if words:
                out.append((words, cid))
    return tuple(sorted(out, key=lambda item: -len(item[0])))


def match_canonical(phrase: Optional[str], fillers: frozenset[str], gaps: frozenset[str]) -> Optional[tuple[int, str]]:
    """For prose: the canonical category whose label or prose name (``names``) the phrase holds as
    words, in order, any of ``gaps`` allowed between them ("adult referrals to all Stop Domestic
    Abuse Services" holds "referrals to Stop Domestic Abuse services"), with the number of its words;
    the longest name wins."""
    words = name_words(phrase, fillers)
    if not words:
        return None
    text = " " + " ".join(words) + " "
    gap = "".join(f"(?:{re.escape(g)} )?" for g in sorted(gaps))
    for name, cid in _canonical_names(fillers):
        if not set(name) <= set(words):
            continue
        if re.search(" " + (" " + gap).join(re.escape(w) for w in name) + " ", text):
            return len(name), cid
    return None


def canonical_kind(cid: Optional[str]) -> Optional[str]:
    """The kind (crime, outcome, ...) of the canonical category a category id maps to, else None."""
    rows = crosswalk().get(cid or "") or []
    canon = rows[0]["canonical"] if rows else None
    return canonical()[canon]["kind"] if canon else None


def last_named(text: str, kinds: Optional[tuple[str, ...]] = None) -> Optional[tuple[str, str]]:
    """The category ``text`` names last (the longest of those ending last), as printed, with its
    id: what a paragraph was about before a figure that names no category ("... violence with
    injury offences. In 2024 there were 637 incidents"); of the given canonical ``kinds`` only."""
    by_text, _ = _label_index()
    best: Optional[tuple[int, int, str, str]] = None
    for label, cid in _prose_labels(by_text):
        if kinds is not None and canonical_kind(cid) not in kinds:
            continue
        for m in _printed_pattern(label).finditer(text):
            key = (m.end(), m.end() - m.start())
            if best is None or key > best[:2]:
                best = (m.end(), m.end() - m.start(), m.group(0), cid)
    return (best[2], best[3]) if best else None


@lru_cache(maxsize=1024)
def _printed_pattern(label: str) -> re.Pattern:
    """A folded label found as printed: its words in order, any case, any spacing or punctuation
    ("&" for "and") between them."""
    words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in label.split()]
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\W_]+".join(words) + r"(?![A-Za-z0-9])", re.I)


def lead_in(quote: Optional[str], raw: Optional[str]) -> str:
    """The words of a sentence before its figure, back to the clause start: what the figure is about
    ("violence with injury offences accounted for" 877 crimes)."""
    if not quote or not raw:
        return ""
    found = re.search(rf"(?<![\d.,]){re.escape(raw)}(?!\d)", quote)  # "3", not the 3 of "2023"
    head = quote[: found.start()] if found else ""
    head = re.sub(r"\(\s*$", "", head)  # "41 (12.5%)": a share in brackets is in the clause of its figure
    last = re.split(r"[,;:()]|\band\b|\bcompared\b", head)[-1]  # the figure's own clause, even if empty
    return last[-90:] if re.search(r"[A-Za-z]{3}", last) else ""


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
        named = crosswalk()[subject][0]["canonical"]
        if named in canon and len(set(canon)) > 1:
            # a total over the caption's category and other categories besides is a wider
            # definition than the category: no canonical category is that quantity, so it joins no
            # trend line (it stays in `facts`, as printed)
            return None, None
        return named, "same"
    if sibling_ids:
        scheme, _ = Counter(categories()[c]["scheme"] for c in sibling_ids).most_common(1)[0]
        row = schemes().get(scheme, {})
        if row.get("total_canonical"):
            return row["total_canonical"], row["total_relation"] or "same"
    return None, None


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


def period_length(start: str, end: str) -> str:
    """What two periods must share to be compared: whole calendar months ('12 months' for any year,
    leap or not; '3 months'; '1 month') when the period runs from a 1st to a month's end, else days."""
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    after = date.fromordinal(e.toordinal() + 1)
    if s.day == 1 and after.day == 1 and e >= s:
        months = (e.year - s.year) * 12 + e.month - s.month + 1
        return "1 month" if months == 1 else f"{months} months"
    days = (e - s).days + 1
    return "1 day" if days == 1 else f"{days} days"


def categories_named(text: str, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, canonical id) of every category of the given canonical ``kinds`` that a stretch
    of text names, by its labels and variants (capitalised acronyms as printed), in reading order;
    where two labels start at one place the longer wins."""

    def of_kind(cid: str) -> Optional[str]:
        rows = crosswalk().get(cid) or []
        canon = rows[0]["canonical"] if rows else None
        usable = categories()[cid]["scheme"] not in ("total", "theme")
        return canon if usable and canon and canonical()[canon]["kind"] in kinds else None

    found: dict[int, tuple[int, str]] = {}
    folded = norm(text)
    for label, cid in _label_index()[0].items():
        canon = of_kind(cid)
        if canon is None or len(label) < 5 or label not in folded:  # no match without the label itself
            continue
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", folded):
            if m.start() not in found or len(label) > found[m.start()][0]:
                found[m.start()] = (len(label), canon)
    for acronym, cid in _acronyms().items():
        canon = of_kind(cid)
        if canon is None or acronym not in text:
            continue
        for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(acronym)}(?![A-Za-z0-9])", text):
            found.setdefault(m.start(), (len(acronym), canon))
    return sorted((at, canon) for at, (_, canon) in found.items())
