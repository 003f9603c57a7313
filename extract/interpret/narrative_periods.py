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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from extract.vocab.narrative import narrative_vocab
from extract.vocab.periods import Period, PeriodContext, explicit_span, parse_period, year_period
from extract.vocab.relative import Published, needs_publication, relative_periods, resolve

#: A token that is a year a report of these decades would name, or a financial year ("2021/22").
YEAR_TOKEN = re.compile(r"^(19[5-9]\d|20\d\d)$")
PERIOD_TOKEN = re.compile(r"^(?:19[5-9]\d|20\d\d)(?:/\d\d)?$")
_FY = r"(?:19|20)\d\d\s*[/\-–]\s*\d\d(?!\d)"
_YEAR = r"(?:199\d|20\d\d)"  # 1990-2099
_QUARTER = (
    r"\b(?:Q|Qtr\.?|quarters?)\s*[1-4](?:\s*(?:-|–|to|and|&)\s*(?:Q|Qtr\.?|quarter)?\s*[1-4])?"
    r"(?:\s+(?:of\s+)?(?:" + _FY + "|" + _YEAR + r"))?"
)


def vocab() -> dict:
    """The narrative stage's words (schema/narrative.yaml) as a mapping: the checked vocabulary
    of :func:`extract.vocab.narrative.narrative_vocab`, loaded once."""
    return narrative_vocab().words


@dataclass
class Mention:
    start: int  # character offsets in the sentence
    end: int
    period: Period
    relative: str = "stated"  # stated | current | previous


def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_Candidate = tuple[int, int, Optional[Period], str]  # start, end, period, relative


def _same_period(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """ "the same period in 2023", "same period 2023/24": the report's span that year."""
    if ctx is None:
        return
    same = _alternation(words["same_period"])
    for m in re.finditer(rf"\b(?:{same})\s+(?:(?:in|for|of|during|last)\s+)?(?:({_FY})|({_YEAR})\b)", text, re.I):
        if m.group(1):
            fy = parse_period(m.group(1), ctx)
            shift = fy.start.year - ctx.fy if fy else None
        else:
            shift = int(m.group(2)) - ctx.start.year
        if shift is not None:
            yield m.start(), m.end(), ctx.period.shifted_years(shift), "previous" if shift < 0 else "stated"


def _month_spans(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """ "between April and December 2024", "1st April - 31st March 2021"."""
    months = "|".join(words["months"])
    day = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    span_re = (
        rf"(?:between\s+)?{day}(?:{months})\w*\.?(?:\s+{_YEAR})?\s*(?:-|–|to|and|until)\s*"
        rf"{day}(?:{months})\w*\.?(?:\s+{_YEAR}(?:\s*/\s*\d\d)?|\s+{_FY})?"
    )
    for m in re.finditer(span_re, text, re.I):
        yield m.start(), m.end(), explicit_span(m.group(0), ctx), "stated"


def _first_quarters(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """ "the first three quarters of 2023/24", "first two quarters of this year"."""
    for m in re.finditer(
        r"first\s+(\d|one|two|three|four)\s+quarters\s+(?:of\s+)?(?:(" + _FY + r")|this year|the year)", text, re.I
    ):
        n = words["number_words"].get(m.group(1).lower()) or int(m.group(1))
        base = parse_period(m.group(2), ctx) if m.group(2) else (ctx.period if ctx else None)
        if base and 1 <= n <= 4:
            yield m.start(), m.end(), parse_period(f"Q1-Q{n} {base.start.year}", ctx), "stated"


def _quarters_and_years(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """ "Q4 2021", "quarters 1-3", "2020/21"."""
    for pattern in (_QUARTER, _FY):
        for m in re.finditer(pattern, text, re.I):
            yield m.start(), m.end(), parse_period(m.group(0), ctx), "stated"


def _months_after_preposition(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """A month with a year, or a month alone after a preposition: "in June 2021", "during August"."""
    months = "|".join(words["months"])
    for m in re.finditer(rf"\b(?:in|during|for|throughout)\s+((?:{months})\w*(?:\s+{_YEAR})?)\b", text, re.I):
        if m.group(1).split()[0].lower().rstrip(".") in words["months"]:
            yield m.start(1), m.end(1), parse_period(m.group(1), ctx), "stated"


def _bare_years(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """A year after a period preposition ("in 2023") or before a year noun ("against 2023 data of 3")."""
    preps = _alternation(words["year_prepositions_period"])
    for m in re.finditer(rf"\b(?:{preps})\s+({_YEAR})\b(?!\s*[/\-–]\s*\d)", text, re.I):
        yield m.start(1), m.end(1), year_period(int(m.group(1)), ctx, m.group(1)), "stated"
    nouns = _alternation(words["year_nouns"])
    for m in re.finditer(rf"\b({_YEAR})\s+(?:{nouns})\b", text, re.I):
        yield m.start(1), m.end(1), year_period(int(m.group(1)), ctx, m.group(1)), "stated"


def _report_relative(text: str, ctx: Optional[PeriodContext], words: dict) -> Iterator[_Candidate]:
    """ "the previous year", "this reporting period": the report's period or the one before it."""
    if ctx is None:
        return
    for kind, key in (("previous", "previous_period"), ("current", "current_period")):
        for m in re.finditer(rf"\b(?:{_alternation(words[key])})\b", text, re.I):
            period = ctx.period.shifted_years(-1) if kind == "previous" else ctx.period
            yield m.start(), m.end(), period, kind


def _relative_to_publication(
    text: str, ctx: Optional[PeriodContext], published: Optional[Published]
) -> Iterator[_Candidate]:
    """ "last year", "this quarter", "the year to June" counted from the publication date when
    the report has no period of its own; "the 12 months to March 2013" in every report."""
    for rule in relative_periods():
        for m in rule.pattern.finditer(text):
            if ctx is None or not needs_publication(rule, m):
                yield m.start(), m.end(), resolve(rule, m, published), "stated"


# earlier readers win where two phrases overlap
_MENTION_READERS = (
    _same_period,
    _month_spans,
    _first_quarters,
    _quarters_and_years,
    _months_after_preposition,
    _bare_years,
    _report_relative,
)


def period_mentions(text: str, ctx: Optional[PeriodContext], published: Optional[Published] = None) -> list[Mention]:
    """Every period a sentence names, with its character span, earliest first."""
    words = vocab()
    found: list[Mention] = []
    readers = [_relative_to_publication(text, ctx, published)] + [r(text, ctx, words) for r in _MENTION_READERS]
    for candidates in readers:
        for a, b, period, relative in candidates:
            if period is not None and not any(m.start < b and a < m.end for m in found):
                found.append(Mention(a, b, period, relative))
    found.sort(key=lambda x: x.start)
    return [m for m in found if not _starts_something(text, m.start, words)]


def _starts_something(text: str, start: int, words: dict) -> bool:
    """ "patrols commencing in July", "a scheme launched in March 2030": the period dates when an
    activity began, not the period its figures count."""
    starts = _alternation(words["period_start_words"])
    return re.search(rf"\b(?:{starts})\s+(?:(?:in|on|during)\s+)?$", text[:start], re.I) is not None


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


@dataclass
class _Cut:
    """Where the side being read started, and what it holds so far."""

    start: int
    comparison: bool = False
    content: bool = False  # a figure read in it
    from_side: bool = False  # opened by "from" before a figure: "to" closes it

    def close(self, out: list[Side], i: int, comparison: bool = False, from_side: bool = False) -> None:
        """The side read so far ends at ``i``; the next one opens there."""
        out.append(Side(self.start, i, self.comparison))
        self.start, self.comparison, self.content, self.from_side = i, comparison, False, from_side


@dataclass(frozen=True)
class _SideWords:
    markers: tuple[tuple[str, ...], ...]
    closers: frozenset[str]
    weak: frozenset[str]
    qualifiers: frozenset[str]
    benchmark: frozenset[str]

    @classmethod
    def of(cls, words: dict) -> _SideWords:
        markers = tuple(tuple(m.split()) for m in sorted(words["comparison_markers"], key=lambda s: -len(s.split())))
        return cls(
            markers,
            frozenset(words["comparison_closers"]),
            frozenset(words["weak_comparison_markers"]),
            frozenset(w for ws in words["qualifiers"].values() for w in ws if " " not in w),
            frozenset(words["benchmark_words"]),
        )


def _marker_at(doc, i: int, sent, figures: set[int], words: _SideWords) -> Optional[int]:
    """The length of the comparison marker opening at ``i``, if one does and compares a figure."""
    lowers = tuple(t.lower_ for t in doc[i : min(sent.end, i + max(len(m) for m in words.markers))])
    hit = next((len(m) for m in words.markers if lowers[: len(m)] == m), None)
    if (
        hit is not None
        and " ".join(lowers[:hit]) in words.weak
        and not _figure_within(doc, i + hit, sent.end, figures, 4)
    ):
        return None  # "violence against the person", "more than one": no figure compared
    return hit


def _from_marker(doc, i: int, sent, figure_starts: set[int], words: _SideWords) -> bool:
    """ "from 6 to 9", "from £3k", "from over 40": "from" before a figure opens a compared side."""
    if doc[i].lower_ != "from":
        return False
    if i + 1 in figure_starts:
        return True
    return (
        i + 2 in figure_starts
        and i + 1 < sent.end
        and (doc[i + 1].text == "£" or doc[i + 1].lower_ in words.qualifiers)
    )


def _closes_comparison(doc, i: int, sent, figure_starts: set[int], words: _SideWords) -> bool:
    low = doc[i].lower_
    if low in (";", ")") or low in words.closers:
        return True
    return low == "," and not _figure_within(doc, i + 1, sent.end, figure_starts, 2)


def _step(doc, sent, i: int, cut: _Cut, out: list[Side], figure_starts: set[int], years: set[int]) -> int:
    """Read token ``i``: close or open a side there; the index to read next."""
    words = _side_words()
    hit = _marker_at(doc, i, sent, figure_starts | years, words)
    from_marker = hit is None and _from_marker(doc, i, sent, figure_starts, words)
    if from_marker:
        hit = 1
    if hit is None and doc[i].lower_ == "to" and cut.from_side and cut.content:
        if _figure_within(doc, i + 1, sent.end, figure_starts, 3):
            cut.close(out, i)
            return i + 1
    if hit is not None:
        if i > cut.start:
            out.append(Side(cut.start, i, cut.comparison))
        cut.start, cut.comparison, cut.content, cut.from_side = i, True, False, from_marker
        return i + hit
    if cut.comparison and cut.content and _closes_comparison(doc, i, sent, figure_starts, words):
        cut.close(out, i)
    elif doc[i].lower_ == ";":
        out.append(Side(cut.start, i, cut.comparison))
        cut.start, cut.content = i, False
    if i in figure_starts or doc[i].like_num:
        cut.content = True
    return i + 1


@lru_cache(maxsize=1)
def _side_words() -> _SideWords:
    return _SideWords.of(vocab())


def sides(sent, figure_starts: set[int]) -> list[Side]:
    """Cut a sentence at comparison words: the main statement and what it is compared with."""
    doc = sent.doc
    years = {t.i for t in sent if re.fullmatch(_YEAR, t.text)}
    out: list[Side] = []
    cut = _Cut(sent.start)
    i = sent.start
    while i < sent.end:
        i = _step(doc, sent, i, cut, out, figure_starts, years)
    out.append(Side(cut.start, sent.end, cut.comparison))
    benchmark = _side_words().benchmark
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


@dataclass
class _Frame:
    """A sentence read for periods: its figures, the periods it names and the side each is on."""

    sent: Any
    figures: list
    ctx: Optional[PeriodContext]
    mentions: list[Mention]
    starts: set[int]
    parts: list[Side]
    mention_side: list[int]

    @classmethod
    def of(cls, sent, figures: list, ctx: Optional[PeriodContext], published: Optional[Published]) -> _Frame:
        mentions = _outside_figures(period_mentions(sent.text, ctx, published), figures, sent, ctx)
        starts = {f.start for f in figures}
        frame = cls(sent, figures, ctx, mentions, starts, sides(sent, starts), [])
        for m in mentions:
            t = frame.tok_at(m.start)
            frame.mention_side.append(frame.side_of(t) if sent.start <= t < sent.end else 0)
        return frame

    def side_of(self, tok_i: int) -> int:
        return next(k for k, s in enumerate(self.parts) if s.start <= tok_i < s.end)

    def tok_at(self, char: int) -> int:
        base = self.sent.start_char
        span = self.sent.doc.char_span(base + char, base + char + 1, alignment_mode="expand")
        return span.start if span is not None else self.sent.start

    def char_of(self, tok_i: int) -> int:
        """Offset in the sentence of token ``tok_i`` (the sentence's length past the Doc's end)."""
        doc = self.sent.doc
        return doc[tok_i].idx - self.sent.start_char if tok_i < len(doc) else len(self.sent.text)

    def compared(self, n: int) -> bool:
        """Mention ``n`` sits on the compared side of a comparison."""
        return self.parts[self.mention_side[n]].comparison


def _stretch_end(fr: _Frame, k: int) -> int:
    """The token ending the stretch after figure ``k`` that a period stated there belongs to."""
    doc, f = fr.sent.doc, fr.figures[k]
    stop = fr.sent.end
    for g in fr.figures[k + 1 :]:
        if not g.in_brackets or f.in_brackets:
            stop = g.start
            break
    stop = min(stop, fr.parts[fr.side_of(f.start)].end)
    relative = set(vocab()["relative_pronouns"])
    j = f.end
    while (
        j < stop
        and doc[j].text not in (",", ";", ":")
        and not (doc[j].text == ")" and f.in_brackets)
        and doc[j].lower_ not in relative
    ):
        j += 1
    return j


def _local_hit(fr: _Frame, k: int) -> Optional[int]:
    """The mention stated right after figure ``k``, before the next figure, comma or comparison."""
    f = fr.figures[k]
    seg = (fr.char_of(f.end), fr.char_of(_stretch_end(fr, k)))
    hit = next((n for n, m in enumerate(fr.mentions) if seg[0] <= m.start < seg[1]), None)
    if (
        hit is not None
        and fr.mentions[hit].relative == "current"
        and re.search(
            rf"\b(?:{'|'.join(vocab()['finite_verbs'])})\b", fr.sent.text[seg[0] : fr.mentions[hit].start], re.I
        )
    ):
        return None  # "1 CPW issued ... has not required intervention to date": not the figure's period
    return hit


def _is_change(f) -> bool:
    return f.measure.startswith(("percentage change", "change in"))


def _shareable(fr: _Frame, owner: dict[int, int], n: int, f) -> bool:
    """A period stated after another figure is shared along a list of like figures
    ("102 cautions, 358 resolutions and 590 charges were issued in 2024"), not with a change."""
    if n not in owner:
        return True
    g = fr.figures[owner[n]]
    return g is f or (g.unit == f.unit and not _is_change(g))


def _in_side(fr: _Frame, k: int, owner: dict[int, int]) -> Optional[Period]:
    """A period stated elsewhere in the figure's side: after it first, then the nearest before."""
    f = fr.figures[k]
    side = fr.side_of(f.start)
    text, mentions = fr.sent.text, fr.mentions
    here = fr.char_of(f.start)
    in_side = [
        n
        for n in range(len(mentions))
        if fr.mention_side[n] == side and _shareable(fr, owner, n, f) and not _after_participle(text, mentions[n].start)
    ]
    after = [
        n for n in in_side if mentions[n].start >= here and not _clause_break(fr.sent, f, mentions[n].start, fr.starts)
    ]
    before = [n for n in in_side if mentions[n].start < here]
    ranked = sorted(after, key=lambda n: (mentions[n].relative != "stated", mentions[n].start)) + sorted(
        before, key=lambda n: (mentions[n].relative != "stated", -mentions[n].start)
    )
    if not ranked:
        return None
    stated = [n for n in ranked if mentions[n].relative == "stated"]
    return mentions[(stated or ranked)[0]].period


def _compared_default(
    fr: _Frame, k: int, out: list[tuple[Optional[Period], Optional[str]]], sentence_period: Optional[Period]
) -> tuple[Optional[Period], Optional[str]]:
    """A compared figure with no period of its own: a year before the main side's period."""
    main = next(
        (
            out[h][0]
            for h in range(k - 1, -1, -1)
            if not fr.parts[fr.side_of(fr.figures[h].start)].comparison and out[h][0] is not None
        ),
        None,
    )
    main = main or sentence_period
    if main is None:
        return None, None
    return main.shifted_years(-1), "comparison period not stated: taken as a year before"


def _head_or_tail(fr: _Frame, k: int, owned: set[int]) -> Optional[Period]:
    """A period at the head or the close of the sentence, outside any comparison; else the report's."""
    f = fr.figures[k]
    mentions, text = fr.mentions, fr.sent.text
    here = fr.char_of(f.start)
    free = [
        n for n in range(len(mentions)) if n not in owned and not fr.compared(n) and mentions[n].relative != "previous"
    ]
    head = [n for n in free if mentions[n].start < here]
    tail = [
        n
        for n in free
        if mentions[n].start > here
        and not _after_participle(text, mentions[n].start)
        and not _relative_between(fr.sent, f, mentions[n].start)
    ]
    if head:
        return mentions[head[-1]].period
    if tail:
        return mentions[tail[0]].period
    return fr.ctx.period if fr.ctx else None


def assign_periods(
    sent, figures: list, ctx: Optional[PeriodContext], published: Optional[Published] = None
) -> list[tuple[Optional[Period], Optional[str]]]:
    """(period, note) for each figure of a sentence (``figures`` in token order, each with
    ``start``, ``end``, ``measure``, ``in_brackets``); ``published`` dates "last year" when
    there is no ``ctx``."""
    fr = _Frame.of(sent, figures, ctx, published)
    local = [_local_hit(fr, k) for k in range(len(figures))]
    owned = {hit for hit in local if hit is not None}
    owner = {hit: k for k, hit in enumerate(local) if hit is not None}
    main_periods = [m.period for n, m in enumerate(fr.mentions) if not fr.compared(n) and m.relative != "previous"]
    sentence_period = _latest(main_periods) or (ctx.period if ctx else None)

    out: list[tuple[Optional[Period], Optional[str]]] = []
    for k, f in enumerate(figures):
        compared = fr.parts[fr.side_of(f.start)].comparison
        hit = local[k]
        if _is_change(f):
            own = hit is not None and fr.mentions[hit].relative != "previous" and not compared
            out.append((fr.mentions[hit].period if own and hit is not None else sentence_period, None))
        elif hit is not None:
            out.append((fr.mentions[hit].period, None))
        elif f.in_brackets and any(not figures[h].in_brackets for h in range(k)):
            out.append(next(out[h] for h in range(k - 1, -1, -1) if not figures[h].in_brackets))
        elif (period := _in_side(fr, k, owner)) is not None:
            out.append((period, None))
        elif compared:
            out.append(_compared_default(fr, k, out, sentence_period))
        else:
            out.append((_head_or_tail(fr, k, owned), None))
    return out
