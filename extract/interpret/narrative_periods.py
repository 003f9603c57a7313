"""Which period a figure stated in prose measures.

Period phrases are read with :func:`extract.periods.parse_period` / :func:`explicit_span`; this
module finds them in a sentence ("in 2020/21", "Q4 2021", "between April and December 2024",
"the same period in 2023", "the previous reporting period", "this year") and hands each figure
the one it belongs to. A sentence is cut into *sides* at comparison words ("compared to",
"against", "than", "from 6 to 9"): a figure takes

1. a period stated right after it (before the next figure, the next comma or comparison word);
2. a change ("an increase of 22", "a 13.7% reduction") takes the later period of its comparison:
   the sentence's own period, never the one compared with;
3. a figure in brackets ("877 (10.80%)", "18 disclosures (12 right to ask/6 right to know)") takes
   the period of the figure it qualifies;
4. a period stated elsewhere in its side (a list sharing "in 2024", a head "In 2021/22 ...");
5. a period stated at the head or the close of the sentence outside any comparison;
6. else: the report's own period; on the compared side of a comparison, a year before the main
   side's period ("813 offences ... compared to 754" → 754 a year earlier), with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extract.vocab.loader import load_yaml
from extract.vocab.periods import Period, PeriodContext, explicit_span, parse_period, year_period

_FY = r"(?:19|20)\d\d\s*[/\-–]\s*\d\d(?!\d)"
_YEAR = r"(?:199\d|20\d\d)"  # 1990-2099
_QUARTER = (
    r"\b(?:Q|Qtr\.?|quarters?)\s*[1-4](?:\s*(?:-|–|to|and|&)\s*(?:Q|Qtr\.?|quarter)?\s*[1-4])?"
    r"(?:\s+(?:of\s+)?(?:" + _FY + "|" + _YEAR + r"))?"
)


@lru_cache(maxsize=1)
def vocab() -> dict:
    """The narrative stage's vocabulary (schema/narrative.yaml), shared with extract.narrative."""
    return load_yaml("narrative.yaml")


@dataclass
class Mention:
    start: int  # character offsets in the sentence
    end: int
    period: Period
    relative: str = "stated"  # stated | current | previous


def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def period_mentions(text: str, ctx: Optional[PeriodContext]) -> list[Mention]:  # noqa: C901 (to split)
    """Every period a sentence names, with its character span, earliest first."""
    words = vocab()
    found: list[Mention] = []

    def free(a: int, b: int) -> bool:
        return not any(m.start < b and a < m.end for m in found)

    def add(a: int, b: int, period: Optional[Period], relative: str = "stated") -> None:
        if period is not None and free(a, b):
            found.append(Mention(a, b, period, relative))

    if ctx is not None:  # "the same period in 2023", "same period 2023/24": the report's span that year
        same = _alternation(words["same_period"])
        for m in re.finditer(rf"\b(?:{same})\s+(?:(?:in|for|of|during|last)\s+)?(?:({_FY})|({_YEAR})\b)", text, re.I):
            if m.group(1):
                fy = parse_period(m.group(1), ctx)
                shift = fy.start.year - ctx.fy if fy else None
            else:
                shift = int(m.group(2)) - ctx.start.year
            if shift is not None:
                add(m.start(), m.end(), ctx.period.shifted_years(shift), "previous" if shift < 0 else "stated")
    months = "|".join(words["months"])
    day = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    span_re = (
        rf"(?:between\s+)?{day}(?:{months})\w*\.?(?:\s+{_YEAR})?\s*(?:-|–|to|and|until)\s*"
        rf"{day}(?:{months})\w*\.?(?:\s+{_YEAR}(?:\s*/\s*\d\d)?|\s+{_FY})?"
    )
    for m in re.finditer(span_re, text, re.I):
        add(m.start(), m.end(), explicit_span(m.group(0), ctx))
    for m in re.finditer(
        r"first\s+(\d|one|two|three|four)\s+quarters\s+(?:of\s+)?(?:(" + _FY + r")|this year|the year)", text, re.I
    ):
        n = words["number_words"].get(m.group(1).lower()) or int(m.group(1))
        base = parse_period(m.group(2), ctx) if m.group(2) else (ctx.period if ctx else None)
        if base and 1 <= n <= 4:
            add(m.start(), m.end(), parse_period(f"Q1-Q{n} {base.start.year}", ctx))
    for pattern in (_QUARTER, _FY):
        for m in re.finditer(pattern, text, re.I):
            add(m.start(), m.end(), parse_period(m.group(0), ctx))
    # a month with a year, or a month alone after a preposition: "in June 2021", "during August"
    for m in re.finditer(rf"\b(?:in|during|for|throughout)\s+((?:{months})\w*(?:\s+{_YEAR})?)\b", text, re.I):
        if m.group(1).split()[0].lower().rstrip(".") in words["months"]:
            add(m.start(1), m.end(1), parse_period(m.group(1), ctx))
    preps = _alternation(words["year_prepositions_period"])
    for m in re.finditer(rf"\b(?:{preps})\s+({_YEAR})\b(?!\s*[/\-–]\s*\d)", text, re.I):
        add(m.start(1), m.end(1), year_period(int(m.group(1)), ctx, m.group(1)))
    nouns = _alternation(words["year_nouns"])
    for m in re.finditer(rf"\b({_YEAR})\s+(?:{nouns})\b", text, re.I):  # "against 2023 data of 3"
        add(m.start(1), m.end(1), year_period(int(m.group(1)), ctx, m.group(1)))
    if ctx is not None:
        for kind, key in (("previous", "previous_period"), ("current", "current_period")):
            for m in re.finditer(rf"\b(?:{_alternation(words[key])})\b", text, re.I):
                period = ctx.period.shifted_years(-1) if kind == "previous" else ctx.period
                add(m.start(), m.end(), period, kind)
    found.sort(key=lambda x: x.start)
    return found


# ---- sides of a comparison --------------------------------------------------------------------


@dataclass
class Side:
    start: int  # token indices (absolute, in the Doc)
    end: int
    comparison: bool


def _is_fig(tok, figure_starts: set[int]) -> bool:
    return tok.i in figure_starts


def _figure_within(doc, i: int, end: int, figure_starts: set[int], span: int = 4) -> bool:
    return any(j in figure_starts for j in range(i, min(end, i + span)))


def sides(sent, figure_starts: set[int]) -> list[Side]:
    """Cut a sentence at comparison words: the main statement and what it is compared with."""
    words = vocab()
    markers = [m.split() for m in sorted(words["comparison_markers"], key=lambda s: -len(s.split()))]
    closers = set(words["comparison_closers"])
    doc = sent.doc
    weak = set(words["weak_comparison_markers"])
    qualifier_words = {w for ws in words["qualifiers"].values() for w in ws if " " not in w}
    years = {t.i for t in sent if re.fullmatch(_YEAR, t.text)}
    out: list[Side] = []
    start, comparison, content = sent.start, False, False
    from_side = False
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        low = tok.lower_
        hit = None
        for marker in markers:
            n = len(marker)
            if i + n <= sent.end and [t.lower_ for t in doc[i : i + n]] == marker:
                hit = n
                break
        if (
            hit is not None
            and " ".join(t.lower_ for t in doc[i : i + hit]) in weak
            and not _figure_within(doc, i + hit, sent.end, figure_starts | years, 4)
        ):
            hit = None  # "violence against the person", "more than one": no figure compared
        if (
            hit is None
            and low == "from"
            and (
                i + 1 in figure_starts
                or (
                    i + 2 in figure_starts
                    and i + 1 < sent.end
                    and (doc[i + 1].text == "£" or doc[i + 1].lower_ in qualifier_words)
                )
            )
        ):
            hit, from_marker = 1, True
        else:
            from_marker = False
        if (
            hit is None
            and low == "to"
            and from_side
            and content
            and _figure_within(doc, i + 1, sent.end, figure_starts, 3)
        ):
            out.append(Side(start, i, comparison))
            start, comparison, content, from_side = i, False, False, False
            i += 1
            continue
        if hit is not None:
            if i > start:
                out.append(Side(start, i, comparison))
            start, comparison, content, from_side = i, True, False, from_marker
            i += hit
            continue
        if (
            comparison
            and content
            and (
                low in (";", ")")
                or (low == "," and not _figure_within(doc, i + 1, sent.end, figure_starts, 2))
                or low in closers
            )
        ):
            out.append(Side(start, i, comparison))
            start, comparison, content, from_side = i, False, False, False
        elif low == ";":
            out.append(Side(start, i, comparison))
            start, content = i, False
        if i in figure_starts or tok.like_num:
            content = True
        i += 1
    out.append(Side(start, sent.end, comparison))
    benchmark = set(words["benchmark_words"])
    for side in out:  # "compared to a force average of 83%", "against a net budget of £297k": the same period
        if side.comparison and any(t.lower_ in benchmark for t in doc[side.start : side.end]):
            side.comparison = False
    return [s for s in out if s.end > s.start]


# ---- assigning periods ------------------------------------------------------------------------


def _after_participle(text: str, pos: int) -> bool:
    """ "investigations undertaken in 2020": a period bound to a participle describes that event."""
    return (
        re.search(r"\b[a-z]{3,}(?:ed|en|ing)\s+(?:in|during|since)\s+(?:the\s+)?$", text[max(0, pos - 40) : pos])
        is not None
    )


def _relative_between(sent, f, char: int) -> bool:
    """ "6 offences under the act which came into force in May": the period is the clause's."""
    relative = set(vocab()["relative_pronouns"])
    return any(t.lower_ in relative for t in sent.doc[f.end : sent.end] if t.idx - sent.start_char < char)


def _clause_break(sent, f, char: int, figure_starts: set[int]) -> bool:
    """A comma between a figure and a later period, not one that separates a list of figures."""
    doc = sent.doc
    for tok in doc[f.end : sent.end]:
        if tok.idx - sent.start_char >= char:
            return False
        if tok.lower_ in vocab()["relative_pronouns"]:
            return True
        if tok.text in (",", ";", ":") and not any(
            j in figure_starts for j in range(tok.i + 1, min(sent.end, tok.i + 3))
        ):
            return True
    return False


def _outside_figures(mentions: list[Mention], figures, sent, ctx) -> list[Mention]:
    """A period phrase that took a figure for its day ("against 5 April–September 2023") is
    read again from after the figure."""
    out = []
    for m in mentions:
        inside = [f for f in figures if m.start <= sent.doc[f.start].idx - sent.start_char < m.end]
        if not inside:
            out.append(m)
            continue
        cut = max(sent.doc[f.end - 1].idx + len(sent.doc[f.end - 1]) - sent.start_char for f in inside)
        rest = sent.text[cut : m.end]
        lead = len(rest) - len(rest.lstrip())
        period = explicit_span(rest, ctx) or parse_period(rest, ctx)
        if period is not None and rest.strip():
            out.append(Mention(cut + lead, m.end, period, m.relative))
    return out


def _latest(periods: list[Period]) -> Optional[Period]:
    return max(periods, key=lambda p: (p.end, p.start)) if periods else None


def assign_periods(  # noqa: C901 (to split)
    sent, figures: list, ctx: Optional[PeriodContext]
) -> list[tuple[Optional[Period], Optional[str]]]:
    """(period, note) for each figure of a sentence (``figures`` in token order, each with
    ``start``, ``end``, ``measure``, ``in_brackets``)."""
    doc = sent.doc
    text = sent.text
    base = sent.start_char
    mentions = _outside_figures(period_mentions(text, ctx), figures, sent, ctx)
    starts = {f.start for f in figures}
    parts = sides(sent, starts)

    def side_of(tok_i: int) -> int:
        return next(k for k, s in enumerate(parts) if s.start <= tok_i < s.end)

    def tok_at(char: int) -> int:
        span = doc.char_span(base + char, base + char + 1, alignment_mode="expand")
        return span.start if span is not None else sent.start

    mention_tok = [tok_at(m.start) for m in mentions]
    mention_side = [side_of(t) if sent.start <= t < sent.end else 0 for t in mention_tok]

    relative = set(vocab()["relative_pronouns"])
    # the stretch after each figure that a period stated there belongs to
    local: list[Optional[int]] = []
    owned: set[int] = set()
    for k, f in enumerate(figures):
        stop = sent.end
        for g in figures[k + 1 :]:
            if not g.in_brackets or f.in_brackets:
                stop = g.start
                break
        side = side_of(f.start)
        stop = min(stop, parts[side].end)
        j = f.end
        while (
            j < stop
            and doc[j].text not in (",", ";", ":")
            and not (doc[j].text == ")" and f.in_brackets)
            and doc[j].lower_ not in relative
        ):
            j += 1
        seg = (
            doc[f.end].idx - base if f.end < len(doc) else len(text),
            (doc[j].idx - base) if j < len(doc) else len(text),
        )
        hit = next((n for n, m in enumerate(mentions) if seg[0] <= m.start < seg[1]), None)
        if (
            hit is not None
            and mentions[hit].relative == "current"
            and re.search(rf"\b(?:{'|'.join(vocab()['finite_verbs'])})\b", text[seg[0] : mentions[hit].start], re.I)
        ):
            hit = None  # "1 CPW issued ... has not required intervention to date": not the figure's period
        local.append(hit)
        if hit is not None:
            owned.add(hit)

    owner = {hit: k for k, hit in enumerate(local) if hit is not None}

    def shareable(n: int, f) -> bool:
        """A period stated after another figure is shared along a list of like figures
        ("102 cautions, 358 resolutions and 590 charges were issued in 2024"), not with a change."""
        if n not in owner:
            return True
        g = figures[owner[n]]
        return g is f or (g.unit == f.unit and not g.measure.startswith(("percentage change", "change in")))

    main_periods = [
        m.period for n, m in enumerate(mentions) if not parts[mention_side[n]].comparison and m.relative != "previous"
    ]
    sentence_period = _latest(main_periods) or (ctx.period if ctx else None)

    out: list[tuple[Optional[Period], Optional[str]]] = []
    for k, f in enumerate(figures):
        side = side_of(f.start)
        change = f.measure.startswith(("percentage change", "change in"))
        hit = local[k]
        if change:
            if hit is not None and mentions[hit].relative != "previous" and not parts[side].comparison:
                out.append((mentions[hit].period, None))
            else:
                out.append((sentence_period, None))
            continue
        if hit is not None:
            out.append((mentions[hit].period, None))
            continue
        if f.in_brackets:
            host = next((out[h] for h in range(k - 1, -1, -1) if not figures[h].in_brackets), None)
            if host is not None:
                out.append(host)
                continue
        here = doc[f.start].idx - base
        in_side = [
            n
            for n in range(len(mentions))
            if mention_side[n] == side and shareable(n, f) and not _after_participle(text, mentions[n].start)
        ]
        after = [
            n for n in in_side if mentions[n].start >= here and not _clause_break(sent, f, mentions[n].start, starts)
        ]
        before = [n for n in in_side if mentions[n].start < here]
        ranked = sorted(after, key=lambda n: (mentions[n].relative != "stated", mentions[n].start)) + sorted(
            before, key=lambda n: (mentions[n].relative != "stated", -mentions[n].start)
        )
        if ranked:
            stated = [n for n in ranked if mentions[n].relative == "stated"]
            out.append((mentions[(stated or ranked)[0]].period, None))
            continue
        if parts[side].comparison:
            main = next(
                (
                    out[h][0]
                    for h in range(k - 1, -1, -1)
                    if not parts[side_of(figures[h].start)].comparison and out[h][0] is not None
                ),
                None,
            )
            main = main or sentence_period
            if main is not None:
                out.append((main.shifted_years(-1), "comparison period not stated: taken as a year before"))
            else:
                out.append((None, None))
            continue
        free = [
            n
            for n in range(len(mentions))
            if n not in owned and not parts[mention_side[n]].comparison and mentions[n].relative != "previous"
        ]
        head = [n for n in free if mentions[n].start < doc[f.start].idx - base]
        tail = [
            n
            for n in free
            if mentions[n].start > doc[f.start].idx - base
            and not _after_participle(text, mentions[n].start)
            and not _relative_between(sent, f, mentions[n].start)
        ]
        if head:
            out.append((mentions[head[-1]].period, None))
        elif tail:
            out.append((mentions[tail[0]].period, None))
        else:
            out.append((ctx.period if ctx else None, None))
    return out
