"""Trend charts as hand-written SVG, drawn on the server (no script, nothing fetched): one panel per
period length, so nine months are never drawn beside a year; in a panel one line per relation
(the whole, each part, what overlaps it) and unit, each with its own colour *and* shape; one
marker per point (``points`` row: every printing of a figure is one point); axis titles, round
ticks, financial-year labels ("2021/22") when the periods start in April; flagged points ringed,
derived-only points hollow; every marker a link to its source page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from html import escape


@dataclass(frozen=True)
class ChartSettings:
    """Size and margins of one panel, in SVG user units (the SVG scales to its box)."""

    width: int = 640
    height: int = 300
    left: int = 70
    right: int = 16
    top: int = 16
    bottom: int = 58
    max_ticks: int = 6
    max_year_labels: int = 8
    #: Okabe–Ito colours (told apart with colour blindness), each line also its own shape
    colours: tuple[str, ...] = ("#0b5394", "#b34700", "#00734d", "#8a3f8a", "#7a6a00", "#005f87", "#a0003c", "#444444")
    shapes: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "down", "cross")


@dataclass
class Line:
    """Points of one trend line: same period length, same relation to the canonical category."""

    label: str
    points: list[dict] = field(default_factory=list)
    colour: str = ""
    shape: str = "circle"


@dataclass
class Panel:
    """The lines of one period length, drawn on their own axes."""

    length: str
    lines: list[Line]
    svg: str = ""
    summary: str = ""
    financial: bool = False


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_kind(start: str, end: str) -> str:
    """A name for a period's length: quarter, half year, year, N months."""
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    months = round(days / 30.44)
    names = {1: "month", 3: "quarter", 6: "half year", 12: "year"}
    return names.get(months, f"{months} months") if months else f"{days} days"


def length_name(length: str | None, start: str = "", end: str = "") -> str:
    """ "12 months" → "Years", "3 months" → "Quarters", "9 months" → "Nine-month periods"; a row
    without a stored length is named from its dates."""
    if not length and start and end:
        length = f"{round(((date.fromisoformat(end) - date.fromisoformat(start)).days + 1) / 30.44)} months"
    names = {"12 months": "Years", "3 months": "Quarters", "6 months": "Half years", "1 month": "Months"}
    if length in names:
        return names[length]
    words = {2: "Two", 4: "Four", 5: "Five", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten", 11: "Eleven"}
    try:
        n = int((length or "").split()[0])
    except (ValueError, IndexError):
        return length or "Other periods"
    return f"{words.get(n, str(n))}-month periods"


def _line_key(row: dict) -> tuple:
    relation = row.get("relation") or "same"
    part = row.get("printed_category") if relation in ("part_of", "overlaps") else None
    return relation, row.get("unit"), part


def _line_label(row: dict) -> str:
    relation, unit, part = _line_key(row)
    label = "the whole" if relation in ("same", "whole") else ("part: " if relation == "part_of" else "overlapping: ")
    if part:
        label += part
    if unit and unit != "count":
        label += f" ({unit})"
    return label


def lines_for(rows: list[dict]) -> list[Line]:
    """Split rows into lines that may be joined: same period length, relation, unit and part."""
    lines: dict[tuple, Line] = {}
    for row in rows:
        if not row.get("period_start") or not row.get("period_end"):
            continue
        kind = period_kind(row["period_start"], row["period_end"])
        key = (kind, *_line_key(row))
        lines.setdefault(key, Line(label=f"{kind}s, {_line_label(row)}"))
        lines[key].points.append(row)
    for line in lines.values():
        line.points.sort(key=lambda r: (r["period_start"], r["period_end"], r.get("derived") or 0))
    return list(lines.values())


def panels_for(rows: list[dict], settings: ChartSettings | None = None) -> list[Panel]:
    """One panel per period length (shortest first), its lines each with a colour and a shape
    (assigned across the whole chart, so a line keeps its look in every panel)."""
    s = settings or ChartSettings()
    by_length: dict[str, dict[tuple, Line]] = {}
    styles: dict[tuple, tuple[str, str]] = {}
    for row in sorted(rows, key=lambda r: _line_key(r)[0] not in ("same", "whole")):  # the whole first colour
        if not row.get("period_start") or not row.get("period_end"):
            continue
        length = row.get("length") or period_kind(row["period_start"], row["period_end"])
        key = _line_key(row)
        if key not in styles:
            n = len(styles)
            styles[key] = (s.colours[n % len(s.colours)], s.shapes[n % len(s.shapes)])
        colour, shape = styles[key]
        line = by_length.setdefault(length, {}).setdefault(key, Line(_line_label(row), colour=colour, shape=shape))
        line.points.append(row)

    def months(length: str) -> int:
        try:
            return int(length.split()[0])
        except (ValueError, IndexError):
            return 99

    panels = []
    for length in sorted(by_length, key=months):
        lines = sorted(by_length[length].values(), key=lambda ln: (ln.label != "the whole", ln.label))
        for line in lines:
            line.points.sort(key=lambda r: (r["period_start"], r["period_end"]))
        panels.append(Panel(length=length, lines=lines))
    return panels


def nice_ticks(top: float, most: int = 6) -> list[float]:
    """Round ticks from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 × 10^k, at most ``most``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= raw:
            break
    step *= power
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def financial_year(day: date) -> str:
    """The financial year (April–March) a day falls in, as the reports print it: "2021/22"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def period_label(start: str, end: str) -> str:
    """A period as people read it: "2021/22" for a financial year, "Q1 2021/22" for its quarters,
    "Apr–Dec 2024", "Jan 2021"."""
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if s.day == 1 and s.month == 4 and months == 12:
        return financial_year(s)
    if months == 3 and s.day == 1 and s.month in (4, 7, 10, 1):
        return f"Q{((s.month - 4) % 12) // 3 + 1} {financial_year(s)}"
    if months == 1:
        return f"{MONTHS[s.month - 1]} {s.year}"
    if s.year == e.year:
        return f"{MONTHS[s.month - 1]}–{MONTHS[e.month - 1]} {e.year}"
    return f"{MONTHS[s.month - 1]} {s.year}–{MONTHS[e.month - 1]} {e.year}"


def _number(value: float, unit: str | None) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + (" %" if unit == "percent" else "")


def marker(shape: str, x: float, y: float, r: float, fill: str, stroke: str) -> str:
    """One point's marker as an SVG element."""
    common = f'class="point" fill="{fill}" stroke="{stroke}" stroke-width="2"'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    if shape in ("triangle", "down"):
        sign = 1 if shape == "triangle" else -1
        pts = f"{x:.1f},{y - sign * r * 1.2:.1f} {x - r * 1.1:.1f},{y + sign * r * 0.8:.1f} {x + r * 1.1:.1f},{y + sign * r * 0.8:.1f}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r * 1.3:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} {x - r * 1.3:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "cross":
        d = r * 1.1
        return (
            f'<path d="M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}M{x - d:.1f},{y + d:.1f}L{x + d:.1f},{y - d:.1f}" '
            f'stroke="{stroke}" stroke-width="3" fill="none"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'


def symbol(line: Line, size: int = 18) -> str:
    """A small SVG of a line's shape and colour, for the legend beside the chart."""
    half = size / 2
    return (
        f'<svg class="symbol" aria-hidden="true" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        + marker(line.shape, half, half, size / 4, line.colour, line.colour)
        + "</svg>"
    )


def _mid(p: dict) -> int:
    return (date.fromisoformat(p["period_start"]).toordinal() + date.fromisoformat(p["period_end"]).toordinal()) // 2


def draw_panel(
    panel: Panel,
    title: str,
    y_title: str,
    marks: list[tuple[str, str]] | None = None,
    settings: ChartSettings | None = None,
    panel_id: str = "panel",
) -> str:
    """One panel as an <svg>: round value ticks from zero with the axis titled ``y_title``; year
    ticks (financial years when every period starts in April); a line joins a line's consecutive
    periods only (a gap of more than one period breaks it); each point its line's shape, hollow
    when only derived, ringed in red when a check on it failed, and a link (``p["href"]``).
    ``marks`` are (day, letter) scheme changes drawn as dashed rules."""
    s = settings or ChartSettings()
    points = [p for line in panel.lines for p in line.points]
    if not points:
        return ""
    starts = [date.fromisoformat(p["period_start"]) for p in points]
    ends = [date.fromisoformat(p["period_end"]) for p in points]
    panel.financial = all(d.month == 4 and d.day == 1 for d in starts) or all(d.month in (4, 7, 10, 1) for d in starts)
    first, last = min(starts), max(ends)
    year_of = (lambda d: d.year if d.month >= 4 else d.year - 1) if panel.financial else (lambda d: d.year)
    y0, y1 = year_of(first), year_of(last)
    if panel.financial:
        lo, hi = date(y0, 4, 1).toordinal(), date(y1 + 1, 3, 31).toordinal()
    else:
        lo, hi = date(y0, 1, 1).toordinal(), date(y1, 12, 31).toordinal()
    plot_w, plot_h = s.width - s.left - s.right, s.height - s.top - s.bottom

    def x_of(day: int) -> float:
        return s.left + (day - lo) / max(hi - lo, 1) * plot_w

    values = [p["value"] for p in points if p.get("value") is not None]
    ticks = nice_ticks(max(max(values, default=0), 0), s.max_ticks)
    bottom_value = min(0.0, min(values, default=0))
    top = ticks[-1] or 1

    def y_of(value: float) -> float:
        return s.top + plot_h - (value - bottom_value) / ((top - bottom_value) or 1) * plot_h

    base = s.top + plot_h
    out = [
        f'<svg class="trend-chart" role="group" aria-labelledby="{panel_id}-title" viewBox="0 0 {s.width} {s.height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{panel_id}-title">{escape(title)}</title>'
    ]
    for t in ticks:
        y = y_of(t)
        out.append(f'<line x1="{s.left}" y1="{y:.1f}" x2="{s.width - s.right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{s.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{_number(t, None)}</text>')
    out.append(f'<line x1="{s.left}" y1="{base}" x2="{s.width - s.right}" y2="{base}" stroke="#333"/>')
    out.append(f'<line x1="{s.left}" y1="{s.top}" x2="{s.left}" y2="{base}" stroke="#333"/>')
    years = list(range(y0, y1 + 1))
    step = max(1, math.ceil(len(years) / s.max_year_labels))
    for n, year in enumerate(years):
        start = date(year, 4, 1) if panel.financial else date(year, 1, 1)
        x = x_of(start.toordinal())
        out.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" stroke="#333"/>')
        if n % step == 0:
            label = financial_year(start) if panel.financial else str(year)
            end = date(year + 1, 4, 1) if panel.financial else date(year + 1, 1, 1)
            mid = x_of((start.toordinal() + end.toordinal()) // 2)
            out.append(f'<text x="{mid:.1f}" y="{base + 18}" text-anchor="middle" font-size="12">{label}</text>')
    x_title = "Financial year (April to March)" if panel.financial else "Calendar year"
    out.append(
        f'<text x="{s.left + plot_w / 2:.1f}" y="{s.height - 8}" text-anchor="middle" font-size="13">{x_title}</text>'
    )
    out.append(
        f'<text transform="translate(16 {s.top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
        f'font-size="13">{escape(y_title)}</text>'
    )
    for day, letter in marks or []:
        ordinal = date.fromisoformat(day).toordinal()
        if lo < ordinal < hi:
            x = x_of(ordinal)
            out.append(
                f'<line class="mark" x1="{x:.1f}" y1="{s.top}" x2="{x:.1f}" y2="{base}" stroke="#666" stroke-dasharray="4 3"/>'
                f'<text x="{x + 3:.1f}" y="{s.top + 11}" font-size="12" fill="#333">{escape(letter)}</text>'
            )
    for line in panel.lines:
        _draw_line(out, line, x_of, y_of)
    out.append("</svg>")
    return "".join(out)


def _draw_line(out: list[str], line: Line, x_of, y_of) -> None:
    """A line's segments (broken where more than a year passes between periods) and its markers."""
    coords = [(x_of(_mid(p)), y_of(p["value"]), p) for p in line.points if p.get("value") is not None]
    segment: list[tuple[float, float]] = []
    previous_end: date | None = None
    for x, y, p in coords:
        start = date.fromisoformat(p["period_start"])
        if previous_end is not None and (start - previous_end).days > 400:
            segment = _flush(out, segment, line.colour)
        segment.append((x, y))
        previous_end = date.fromisoformat(p["period_end"])
    _flush(out, segment, line.colour)
    for x, y, p in coords:
        fill = "#fff" if p.get("derived_only") else line.colour
        tip = f"{period_label(p['period_start'], p['period_end'])}: {_number(p['value'], p.get('unit'))}"
        if p.get("flagged"):
            tip += " (a check on this figure failed)"
        if p.get("agree") == 0:
            tip += " (its printings disagree)"
        ring = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="none" stroke="#c00000" stroke-width="2"/>'
            if p.get("flagged") or p.get("agree") == 0
            else ""
        )
        out.append(
            f'<a class="point" href="{escape(p.get("href") or "#")}"><title>{escape(tip)}</title>{ring}'
            f"{marker(line.shape, x, y, 5, fill, line.colour)}</a>"
        )


def _flush(out: list[str], segment: list[tuple[float, float]], colour: str) -> list[tuple[float, float]]:
    if len(segment) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
    return []


def summary(panel: Panel) -> str:
    """One line for a panel: how many figures, from when to when, the first and last values of
    its main line (never a change: periods a year apart are compared in words elsewhere)."""
    main = panel.lines[0]
    first, last = main.points[0], main.points[-1]
    n = sum(len(line.points) for line in panel.lines)
    text = f"{n} figure{'s' if n != 1 else ''}" + (f" on {len(panel.lines)} lines" if len(panel.lines) > 1 else "")
    where = "" if main.label == "the whole" else f" ({main.label})"
    if first is last:
        return (
            text
            + f"; {period_label(first['period_start'], first['period_end'])}: {_number(first['value'], first.get('unit'))}{where}."
        )
    return (
        text
        + f"; from {_number(first['value'], first.get('unit'))} in {period_label(first['period_start'], first['period_end'])}"
        + f" to {_number(last['value'], last.get('unit'))} in {period_label(last['period_start'], last['period_end'])}{where}."
    )


def svg(lines: list[Line], title: str, settings: ChartSettings | None = None) -> str:
    """Every point of ``lines`` drawn as panels (one per period length), concatenated."""
    rows = [p for line in lines for p in line.points]
    return "".join(draw_panel(panel, title, "value", settings=settings) for panel in panels_for(rows, settings))
