"""Each figure's category as it is read: the printed category, its canonical category through the
crosswalk's primary relation, what a total row counts, and the measure of a bare crime count.

Decided here, once, so that stored figures never change after they are loaded; harmonising only
adds beside them (derived figures, checks).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Optional

from extract.interpret.narrative_periods import vocab
from extract.interpret.tables import TableReading
from extract.model import Fact
from extract.vocab.categories import (
    canonical,
    canonical_names,
    categories,
    categories_named,
    crosswalk,
    lead_in,
    match_canonical,
    match_category,
    match_phrase,
    name_words,
    named_in,
    resolve_total,
    singular,
)

#: The measure a bare count of a crime category is taken to count, and the note saying so.
INFERRED_CRIME_MEASURE = "recorded crimes"
INFERRED_NOTE = "measure inferred: a count of a crime category"


def categorise(facts: Iterable[Fact], readings: Iterable[TableReading]) -> None:
    """Set the category fields of every fact of one file, in place, before the facts are stored."""
    facts = list(facts)
    table_text = {r.index: " ".join(filter(None, [r.caption, r.heading])) for r in readings}
    for fact in facts:
        fact.category_id = _printed_category(fact)
    siblings: dict[int, list[str]] = defaultdict(list)
    for fact in facts:
        cid = fact.category_id
        if fact.table_index is not None and cid and categories()[cid]["scheme"] != "total":
            siblings[fact.table_index].append(cid)
    totals: dict[int, tuple[Optional[str], Optional[str]]] = {}
    for fact in facts:
        _canonical_of(fact, siblings, table_text, totals)
        _canonical_named(fact)
        _heading_named(fact)
        _mark_breakdown(fact)
        _infer_measure(fact)
        _outcomes_of(fact, table_text)
        _named_category(fact)
        _whole_of_a_count(fact)
    for before, fact in zip(facts, facts[1:]):
        _share_of_all_crime(before, fact)
        _count_as_its_share(before, fact)
        _outcome_share_is_rate(before, fact)
    for fact in facts:
        _rate_of_crimes(fact)


#: the base a crime type's bracketed share is of when the sentence prints none
ALL_CRIME = "of all recorded crime"


def _share_of_all_crime(before: Fact, fact: Fact) -> None:
    """A share in brackets right after a count of a crime type's own crimes, the sentence saying
    the type accounts for them ("Criminal damage offences accounted for 809 (9.95%)"), with no base
    printed, is that type's share of all recorded crime: the base, inferred and noted."""
    if fact.source_kind != "text" or before.source_kind != "text" or fact.base or fact.unit != "percent":
        return
    if fact.measure != "share" or not _bracketed_after(before, fact):
        return
    if (
        before.canonical_relation != "same"
        or not before.canonical_id
        or canonical()[before.canonical_id]["kind"] != "crime"
    ):
        return
    if not re.search(r"\baccount", fact.quote or "", re.I):
        return
    fact.base = ALL_CRIME
    fact.notes.append(f"base inferred: a crime type's share, in brackets after its count, {ALL_CRIME}")


def _bracketed_after(before: Fact, fact: Fact) -> bool:
    """``fact`` is the share printed in brackets right after the count ``before`` ("60 (37.7%)")."""
    if fact.source_kind != "text" or before.source_kind != "text" or fact.quote != before.quote:
        return False
    pattern = rf"{re.escape(before.raw or '')}(?:\s+[a-z]+)?\s*\({re.escape(fact.raw or '')}\)"
    return before.unit == "count" and fact.unit == "percent" and bool(re.search(pattern, fact.quote or ""))


def _count_as_its_share(before: Fact, fact: Fact) -> None:
    """A count whose bracketed share is of something else the category gave rise to ("violence
    against the person accounting for 60 (37.7%)" of the offenders managed): offenders, not crimes."""
    if not _bracketed_after(before, fact) or not before.canonical_id:
        return
    base = set((fact.base or "").lower().split())
    if base & set(_linking_words()["other_things"]):
        before.canonical_id = before.canonical_category = before.canonical_relation = None
        before.category_via = BREAKDOWN_VIA
        before.notes.append(f"not the category's own figure ({OTHER} {fact.base}, as its share says)")


def _outcome_share_is_rate(before: Fact, fact: Fact) -> None:
    """The share in brackets after a count of outcomes ("FAT outcomes from 67 (14%) in 2023"), or
    a percentage of outcomes itself ("the number of FAT outcomes increased from 9.3% to 11.2%"), is
    that outcome's rate: outcomes as a share of the crimes recorded."""
    if fact.source_kind != "text" or fact.unit != "percent" or fact.measure != "share" or fact.base:
        return
    if _bracketed_after(before, fact):
        counted = before.canonical_id
    elif not fact.quote or f"({fact.raw})" not in fact.quote:
        counted = fact.canonical_id  # a percentage of outcomes, not a bracketed share of a count
    else:
        return
    if counted is None or canonical()[counted]["kind"] != "outcome":
        return
    fact.measure = "rate"
    fact.notes.append("an outcome rate: a percentage of outcomes is of the crimes recorded")


def _rate_of_crimes(fact: Fact) -> None:
    """An outcome or arrest rate printed with no base ("Drug offences FAT outcome rates showed
    77%", "a 92% arrest rate" after "28 DA offences") is a rate of the crimes recorded: of the crime
    type its subject names, or of all recorded crime when it is the overall rate; inferred, noted."""
    if fact.source_kind != "text" or fact.base or fact.unit != "percent" or not (fact.measure or "").startswith("rate"):
        return
    subject = fact.subject or ""
    outcome = fact.canonical_id is not None and canonical()[fact.canonical_id]["kind"] == "outcome"
    if not (outcome or re.search(_linking_words()["crime_rate_words"], subject, re.I)):
        return
    named = categories_named(subject, ("crime",))
    if named:
        fact.base = f"of recorded {canonical()[named[0][1]]['label']}"
    elif re.search(r"\boverall\b", fact.quote or "", re.I) and re.search(r"\bdistrict\b", fact.quote or "", re.I):
        fact.base = ALL_CRIME  # "the overall FAT rate for Northvale District": not one heading's crime
    else:
        return
    fact.notes.append(f"base inferred: an outcome or arrest rate is of the crimes recorded ({fact.base})")


def _named_category(fact: Fact) -> None:
    """A prose figure's category is the one its words matched, as the vocabulary names it, or none:
    the noun after the figure ("crimes", "increase", "cases went") says what it counts, in its
    subject, and is no category."""
    if fact.source_kind == "text":
        if fact.category_id:
            fact.category = _printed_name(fact.category_id, fact.quote)
        elif fact.category_via in (NAMED_VIA, BREAKDOWN_VIA) and fact.canonical_category:
            fact.category = fact.canonical_category
        else:
            fact.category = None


#: a category label longer than this many words is shown by the name the prose printed for it
LONG_LABEL_WORDS = 5


def _printed_name(cid: str, quote: Optional[str]) -> str:
    """A category as the vocabulary names it; a long label ("ABH (any lasting pain hurt or any
    minor injury of any kind)") by the shorter variant the sentence printed ("ABH"), as printed."""
    category = categories()[cid]
    label = category["label"]
    if len(label.split()) <= LONG_LABEL_WORDS or not quote:
        return label
    variants = sorted(filter(None, (category.get("variants") or "").split("|")), key=len)
    for variant in variants:
        m = re.search(rf"(?<![A-Za-z]){re.escape(variant)}(?![A-Za-z])", quote, re.I)
        if m:
            return m.group(0)
    return variants[0] if variants else label


def _whole_of_a_count(fact: Fact) -> None:
    """A base is what a share or a rate is of: the whole printed after a count ("accounted for 877
    (10.8%) of all recorded crime", "52 of the kits") is its share's, or says what the count is a
    part of (read above, as a breakdown). The count keeps it as a note, not as its base."""
    if fact.source_kind == "text" and fact.unit == "count" and fact.measure != "rate" and fact.base:
        fact.notes.append(f"a part of a whole printed after it: {fact.base}")
        fact.base = None


#: ``category_via`` of a prose figure whose words name a canonical category (by its label or prose
#: names) more fully than any printed category: shown with it, never on a trend line (those join
#: printed categories through the crosswalk).
NAMED_VIA = "named"


def _prose_phrases(fact: Fact) -> tuple[Optional[str], ...]:
    """Where a prose figure's category is looked for, in order: the noun after the figure, the
    clause before it, then the rest of its own words (its heading left out)."""
    return (fact.category, lead_in(fact.quote, fact.raw), fact.own_words)


def _canonical_named(fact: Fact) -> None:
    """A prose figure whose words name a canonical category ("358 community resolutions", "an
    increase in notice seeking possessions", "598 adult referrals to all Stop Domestic Abuse
    Services") more fully than a printed category's label takes that canonical category; the first
    of its phrases naming anything decides, as for printed categories. One word names a category only
    as the figure's own noun ("64 cautions")."""
    if fact.source_kind != "text":
        return
    fillers, _ = _name_words()
    for at, phrase in enumerate(_prose_phrases(fact)):
        hit = _canonical_in(phrase)
        printed = named_in(phrase)
        if hit is None and printed is None:
            continue
        if hit is None or (hit[0] == 1 and at > 0):
            return
        names = [name_words(name, fillers) for name in canonical_names(hit[1])]
        if printed is not None and not _within(name_words(printed[0], fillers), names):
            return  # a printed category that is not a part of the canonical name ("FAT" of "drug offences") stands
        fact.category_id, fact.canonical_id = None, hit[1]
        fact.canonical_category, fact.canonical_relation = canonical()[hit[1]]["label"], "same"
        fact.category_via = NAMED_VIA
        fact.notes.append(f"category named in the prose: {fact.canonical_category} (not on its trend line)")
        return


def _heading_named(fact: Fact) -> None:
    """A prose figure whose own words name no category but break down the crimes of one ("the
    19-24 age group accounted for 128 of victims", "in 31 the gender of the victim was not stated")
    under a section heading naming a crime category ("Robbery – Victim Profile") counts a part of
    that category: its canonical category, marked a breakdown (never on its trend line)."""
    if fact.source_kind != "text" or fact.category_id or fact.canonical_id or not fact.subject:
        return
    opening = " ".join((fact.own_words or "").split()[:2])  # the subject's own words, as far as they go
    topic = fact.subject[: fact.subject.find(opening)] if opening and opening in fact.subject else ""
    if not topic.strip(" :"):
        return
    text = " ".join(filter(None, [fact.subject, fact.category, lead_in(fact.quote, fact.raw)])).lower()
    if not _first_word(_linking_words()["breakdown_words"], text):
        return  # its subject says whom it breaks down ("... suspects aged 19–54", "male victims")
    hit = _canonical_in(topic)
    named = categories_named(topic, ("crime", "flag"))  # "Domestic Abuse" names domestic abuse crimes
    if named and named[0][0] > 0 and re.search(r"[A-Z][a-z]*\s*$", topic[: named[0][0]]):
        named = []  # "Stop Domestic Abuse Services": a body's name, not a crime heading
    cid = hit[1] if hit is not None and canonical()[hit[1]]["kind"] == "crime" else (named[0][1] if named else None)
    if cid is None:
        return
    fact.canonical_id = cid
    fact.canonical_category, fact.canonical_relation = canonical()[cid]["label"], "part_of"
    fact.category_via = NAMED_VIA
    fact.notes.append(f"category from its section heading: {fact.canonical_category} (a breakdown of its crimes)")


#: ``category_via`` of a prose figure that counts a part of its category (kept out of `series`).
BREAKDOWN_VIA = "breakdown"


@lru_cache(maxsize=1)
def _linking_words() -> dict:
    """The ``linking`` key of schema/narrative.yaml: when a prose figure is its category's own."""
    return vocab()["linking"]


def breakdown_reason(fact: Fact) -> Optional[str]:
    """Why a prose figure is a part of its category rather than the category's own figure, else None:
    a base that narrows it ("of the offenders"), a subject naming a breakdown (ages, sexes, victims,
    outcomes, notices), or a phrase after it counting something other than the category."""
    words = _linking_words()
    if fact.source_kind != "text" or not (fact.category_id or fact.canonical_id):
        return None
    label, outcome = _named(fact)
    base = (fact.base or "").lower().split()
    if base and set(base) & set(words["other_things"]):
        return f"{OTHER} {fact.base}"  # "18 (9.6%) of the offenders being managed": offenders, not offences
    if base and base[0] not in words["rate_bases"] and not set(base[1:]) <= set(words["wide_bases"]):
        return f"base narrows it: {fact.base}"
    text = " ".join(filter(None, [fact.subject, fact.category, lead_in(fact.quote, fact.raw)])).lower()
    view = _first_word(words["opinion_words"], text)
    if view:
        return f"{OTHER} {view}"  # "a satisfaction rate of 100% for the victims of burglary": their views
    hit = _first_word(words["breakdown_words"], text)
    if hit:
        return f"a breakdown: {hit}"
    other = _other_thing(fact, text, label, outcome)
    if other:
        return other
    if (fact.measure or "").split(" ")[0] in ("quantity", "money", "duration"):
        return f"{OTHER} {fact.measure}"  # "399 tons of waste from fly tipping incidents": not the incidents
    if fact.qualifier and fact.qualifier != "range":  # "over 50", "nearly 200": a bound, not the count
        return f"a bound, not the figure itself: {fact.qualifier} {fact.raw}"
    return _other_noun(fact, label)


def _other_thing(fact: Fact, text: str, label: str, outcome: bool) -> Optional[str]:
    """A word for something the category gave rise to (offenders, outcomes, notices) in the
    figure's words: a breakdown of an outcome category of its own kind, else another thing."""
    other = _first_word(_linking_words()["other_things"], text)
    if not other or singular(other) in {singular(w) for w in re.findall(r"[a-z]+", label.lower())}:
        return None  # "64 cautions", "public order offences": the word is the category's own name
    named = f"{label} {fact.canonical_category or ''}".lower()
    if other.rstrip("s") in named or outcome:
        return f"a breakdown: {other}"  # outcomes of an outcome category: its own kind
    return f"{OTHER} {other}"


def _other_noun(fact: Fact, label: str) -> Optional[str]:
    """The figure's own noun is not a word its category counts ("30 crime prevention leaflets")."""
    words = _linking_words()
    own = set(re.findall(r"[a-z]+", label.lower())) | set(words["counted_nouns"])
    people = set(vocab()["subjects"]["people"])
    if fact.canonical_id and canonical()[fact.canonical_id]["kind"] == "service":
        said = set(re.findall(r"[a-z]+", (fact.own_words or "").lower()))
        if said & people:  # "30 individuals completed the Freedom programme": a part of its people
            return f"a breakdown: {sorted(said & people)[0]}"
    own |= {singular(w) for w in own}  # "burglaries" counts "burglary"
    if _other_head(fact, own):
        return f"{OTHER} {fact.own_words}"
    for phrase in (fact.category, _phrase_after(fact.quote, fact.raw, words["phrase_stops"])):
        after = re.findall(r"[a-z]+", (phrase or "").lower())
        if after and re.fullmatch(r"[a-z]{3,}ed", after[0]):
            continue  # "36 related to trafficking offences": a verb, no noun of its own after the figure
        if after and set(after) <= set(vocab()["change_up"]) | set(vocab()["change_down"]):
            continue  # "9 less recorded offences": a change word, no noun
        if (
            after and fact.unit == "count" and singular(after[-1]) not in own
        ):  # its head noun: "30 crime prevention leaflets"
            return f"{OTHER} {phrase}"
    return None


def _named(fact: Fact) -> tuple[str, bool]:
    """The label of a prose figure's category (printed, else canonical) and whether it is an outcome."""
    if fact.category_id:
        category = categories()[fact.category_id]
        return category["label"], category["scheme"].startswith("outcome")
    assert fact.canonical_id is not None
    return " ".join(canonical_names(fact.canonical_id)), canonical()[fact.canonical_id]["kind"] == "outcome"


#: how a reason begins when the figure counts another thing than its category (no canonical category)
OTHER = "counts another thing:"


def _other_head(fact: Fact, own: set[str]) -> bool:
    """A category found only in the figure's own words, which end on a noun of something else
    ("868 crimes and in 705 (81%) evidential difficulties")."""
    if not _matched_from_own_words(fact):
        return False
    said = re.findall(r"[a-z]+", (fact.own_words or "").lower())
    reporting = set(vocab()["phrases"]["reporting_verbs"])
    said = said[: next((k for k, w in enumerate(said) if w in reporting), len(said))]  # "cases showed there were ..."
    head = [w for w in said if not w.endswith("ed")][-1:]
    return bool(head) and head[0] not in own


def _matched_from_own_words(fact: Fact) -> bool:
    """The category was found only in the figure's own words further from it (not the noun after
    it or the clause before it): what those words end on must still be what the category counts."""
    near = _prose_phrases(fact)[:2]
    if fact.category_via == NAMED_VIA:
        return not any(_canonical_in(phrase) for phrase in near)
    return all(match_phrase(phrase) is None for phrase in near)


def _within(part: list[str], names: list[list[str]]) -> bool:
    """Whether the words ``part`` stand, in order, inside one of ``names`` and are fewer."""
    n = len(part)
    return any(n < len(name) and any(name[i : i + n] == part for i in range(len(name) - n + 1)) for name in names)


@lru_cache(maxsize=1)
def _name_words() -> tuple[frozenset[str], frozenset[str]]:
    """The ``name_fillers`` and ``name_gaps`` of schema/narrative.yaml, read once."""
    words = _linking_words()
    return frozenset(words["name_fillers"]), frozenset(words["name_gaps"])


def _canonical_in(phrase: Optional[str]) -> Optional[tuple[int, str]]:
    """:func:`match_canonical` with the linking words of schema/narrative.yaml."""
    return match_canonical(phrase, *_name_words())


def _first_word(words: list[str], text: str) -> Optional[str]:
    """The first of ``words`` standing as a word in ``text``."""
    return next((w for w in words if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)), None)


def _phrase_after(quote: Optional[str], raw: Optional[str], stops: list[str]) -> Optional[str]:
    """The noun phrase printed right after a figure, up to the first word that ends one ("12 street
    safety patrols were run" → "street safety patrols")."""
    if not quote or not raw or raw not in quote:
        return None
    words = []
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*|\S", quote.split(raw, 1)[1])[:8]:
        if not word[0].isalpha() or word.lower() in stops:
            break
        words.append(word)
    return " ".join(words) or None


def _mark_breakdown(fact: Fact) -> None:
    """A prose breakdown keeps its canonical category as part_of, with the reason noted, and does
    not join the category's trend."""
    reason = breakdown_reason(fact)
    if reason is None:
        return
    fact.canonical_relation = "part_of" if fact.canonical_id else None
    if reason.startswith(OTHER):  # "12 protection orders" under domestic abuse: not a part of its crimes
        fact.canonical_id = fact.canonical_category = fact.canonical_relation = None
        if fact.category_id and _inside_a_name(categories()[fact.category_id]["label"], fact.quote):
            fact.category_id = None  # nor is "Domestic" of "Domestic Violence Protection Orders" its category
        elif fact.category_id and _crime_label(fact.category_id) and not _counts_outcomes(reason):
            fact.category_id = None  # "400 burglary DNA kits": kits, and no burglary label on them
        elif _counts_outcomes(reason):
            _outcome_of_a_crime(fact)  # "Drug offences FAT outcome rates": formal action taken, of drug offences
    fact.category_via = BREAKDOWN_VIA
    fact.notes.append(f"not the category's own figure ({reason})")


def _outcome_of_a_crime(fact: Fact) -> None:
    """A figure of a crime's outcomes whose words name the outcome ("FAT outcome rates achieved for
    drug offences"): that outcome's canonical category, as a part of it (the crime's outcomes only)."""
    named = categories_named(" ".join(filter(None, [fact.subject, fact.own_words])), ("outcome",))
    if named:
        fact.canonical_id = named[0][1]
        fact.canonical_category, fact.canonical_relation = canonical()[named[0][1]]["label"], "part_of"


def _crime_label(cid: str) -> bool:
    """The printed category names a crime (not a service, an outcome or an order)."""
    rows = crosswalk().get(cid) or []
    return bool(rows) and canonical()[rows[0]["canonical"]]["kind"] == "crime"


def _counts_outcomes(reason: str) -> bool:
    """The other thing a figure counts is its category's outcomes ("FAT outcome rates for drug
    offences"): the crime's label says whose outcomes they are, and stays."""
    return any(w in reason.lower() for w in _linking_words()["outcome_words"])


def _inside_a_name(label: str, quote: Optional[str]) -> bool:
    """The label is printed only as a piece of a longer capitalised name ("Domestic" in "Domestic
    Violence Protection Orders", "STOP Domestic Abuse"): it names that, not a category."""
    if not quote:
        return False
    found = list(re.finditer(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", quote, re.I))
    if not found:
        return False
    for m in found:
        printed = re.findall(r"[A-Za-z]+", m.group())
        before = re.search(r"([A-Za-z]+) +$", quote[: m.start()])
        after = re.match(r" +([A-Za-z]+)", quote[m.end() :])
        capital = all(w[:1].isupper() for w in printed if len(w) > 3)
        opening = not quote[: m.start()].strip()  # "Burglary FAT outcome rates ...": capitalised as the sentence opens
        named = capital and not opening and any(w is not None and w.group(1)[:1].isupper() for w in (before, after))
        if not named:
            return False
    return True


def _printed_category(fact: Fact) -> Optional[str]:
    if fact.source_kind == "table":
        return match_category(fact.category)
    return next(filter(None, map(match_phrase, _prose_phrases(fact))), None)


def _canonical_of(fact: Fact, siblings: dict, table_text: dict, totals: dict) -> None:
    """A total row counts what its sibling rows add up to or what its caption names; any other
    category maps through its primary crosswalk row."""
    cid = fact.category_id
    canon, relation, via = None, None, None
    if cid and categories()[cid]["scheme"] == "total" and fact.table_index is not None:
        if fact.table_index not in totals:
            totals[fact.table_index] = resolve_total(
                siblings.get(fact.table_index, []), table_text.get(fact.table_index, "")
            )
        canon, relation = totals[fact.table_index]
        via = "total"
    elif cid and cid in crosswalk():
        primary = crosswalk()[cid][0]
        canon, relation = primary["canonical"], primary["relation"]
    fact.canonical_id = canon
    fact.canonical_category = canonical()[canon]["label"] if canon else None
    fact.canonical_relation = relation
    fact.category_via = via


#: A prose count's measure when its own noun is a word for crimes ("640 burglary offences were recorded").
PROSE_CRIME_NOTE = "measure: recorded crimes, the figure's own noun being a word for crimes"
#: The nouns that name recorded crimes (not incidents, which are counted apart).
CRIME_NOUNS = ("offences", "offence", "crimes", "crime")


#: The kinds of category a table's caption or heading may name as the crimes its outcomes are of.
OUTCOME_POPULATIONS = ("crime", "flag")


def _outcomes_of(fact: Fact, table_text: dict) -> None:
    """An outcome figure of a table whose caption or heading names one crime category ("Domestic
    abuse outcomes") counts the outcomes of that category's crimes, not of all crime: its measure
    says so ("crime outcomes, of domestic abuse crimes"), so it never joins the all-crime line."""
    if fact.source_kind != "table" or fact.table_index is None or not fact.canonical_id:
        return
    if canonical()[fact.canonical_id]["kind"] != "outcome":
        return
    named = {canon for _, canon in categories_named(table_text.get(fact.table_index, ""), OUTCOME_POPULATIONS)}
    if len(named) == 1:
        population = canonical()[named.pop()]["label"]
        fact.measure = f"{fact.measure or 'crime outcomes'}, of {population}"
        fact.notes.append(f"outcomes of {population}: the table's caption or heading names them")


def _infer_measure(fact: Fact) -> None:
    """A count of a crime category printed with no measure word (a table headed only by its
    period) counts recorded crimes, and so does a prose count of a crime category whose own noun
    is "offences" or "crimes" (so "640 burglary offences" joins the tables' line, where "640
    burglary incidents" does not); the inference is noted on the figure."""
    if fact.unit != "count" or not fact.canonical_id or canonical()[fact.canonical_id]["kind"] != "crime":
        return
    if fact.source_kind == "table" and fact.measure is None:
        fact.measure = INFERRED_CRIME_MEASURE
        fact.notes.append(INFERRED_NOTE)
    elif fact.source_kind == "text" and fact.measure in (None, "count") and fact.category_via is None:
        head = (_phrase_after(fact.quote, fact.raw, _linking_words()["phrase_stops"]) or fact.category or "").split()
        if head and head[-1].lower() in CRIME_NOUNS:
            fact.measure = INFERRED_CRIME_MEASURE
            fact.notes.append(PROSE_CRIME_NOTE)
