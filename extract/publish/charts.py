"""Trend charts as hand-written SVG: one line per period length and relation, so quarters are never
joined to years nor a part to the whole; drawn on the server, so nothing is fetched by the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape


@dataclass(frozen=True)
class ChartSettings:
    """Size and margins of a trend chart, in SVG user units."""

    width: int = 760
    height: int = 340
    left: int = 64
    right: int = 24
    top: int = 20
    bottom: int = 48
    legend_columns: int = 3
    legend_width: int = 240
    colours: tuple[str, ...] = ("#1d4e89", "#b3261e", "#2e7d32", "#6a1b9a", "#e65100", "#00695c")


@dataclass
class Line:
    """Points of one trend line: same period length, same relation to the canonical category."""

    label: str
    points: list[dict] = field(default_factory=list)


def period_kind(start: str, end: str) -> str:
    """A name for a period's length: quarter, half year, year, N months."""
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    months = round(days / 30.44)
    names = {1: "month", 3: "quarter", 6: "half year", 12: "year"}
    return names.get(months, f"{months} months") if months else f"{days} days"


def lines_for(rows: list[dict]) -> list[Line]:
    """Split series rows into lines that may be joined: same period length, relation and unit."""
    lines: dict[tuple, Line] = {}
    for row in rows:
        if not row.get("period_start") or not row.get("period_end"):
            continue
        kind = period_kind(row["period_start"], row["period_end"])
        relation = row.get("relation") or "same"
        part = row.get("printed_category") if relation in ("part_of", "overlaps") else None
        key = (kind, relation, row.get("unit"), part)
        label = f"{kind}s" if relation == "same" else f"{kind}s ({relation.replace('_', ' ')})"
        if part:
            label += f": {part[:22]}"
        lines.setdefault(key, Line(label=label + (f", {row['unit']}" if row.get("unit") != "count" else "")))
        lines[key].points.append(row)
    for line in lines.values():
        line.points.sort(key=lambda r: (r["period_start"], r["period_end"], r.get("derived") or 0))
    return list(lines.values())


def _x(day: str, lo: int, hi: int, s: ChartSettings) -> float:
    span = max(hi - lo, 1)
    return s.left + (date.fromisoformat(day).toordinal() - lo) / span * (s.width - s.left - s.right)


def _y(value: float, top: float, s: ChartSettings) -> float:
    return s.height - s.bottom - (value / top if top else 0) * (s.height - s.top - s.bottom)


def svg(lines: list[Line], title: str, settings: ChartSettings | None = None) -> str:
    """The chart as an <svg> element: axes, one polyline per line, a circle with a tooltip per point
    (placed at the middle of its period), a legend."""
    s = settings or ChartSettings()
    points = [p for line in lines for p in line.points]
    if not points:
        return ""
    days = [date.fromisoformat(p[k]).toordinal() for p in points for k in ("period_start", "period_end")]
    lo, hi = min(days), max(days)
    top = max(max(p["value"] for p in points), 0) * 1.1 or 1
    full_height = s.height + 14 * (len(lines) // s.legend_columns + 1)
    out = [
        f'<svg class="trend-chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {s.width} {full_height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>',
        f'<line x1="{s.left}" y1="{s.height - s.bottom}" x2="{s.width - s.right}" y2="{s.height - s.bottom}" stroke="#333"/>',
        f'<line x1="{s.left}" y1="{s.top}" x2="{s.left}" y2="{s.height - s.bottom}" stroke="#333"/>',
    ]
    for i in range(5):
        value = top * i / 4
        y = _y(value, top, s)
        out.append(f'<text x="{s.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value:,.0f}</text>')
        out.append(f'<line x1="{s.left}" y1="{y:.1f}" x2="{s.width - s.right}" y2="{y:.1f}" stroke="#ddd"/>')
    for year in range(date.fromordinal(lo).year, date.fromordinal(hi).year + 2):
        day = date(year, 1, 1).toordinal()
        if lo <= day <= hi:
            x = _x(date(year, 1, 1).isoformat(), lo, hi, s)
            out.append(
                f'<text x="{x:.1f}" y="{s.height - s.bottom + 16}" text-anchor="middle" font-size="11">{year}</text>'
            )
    for n, line in enumerate(lines):
        colour = s.colours[n % len(s.colours)]
        coords = []
        for p in line.points:
            mid = date.fromordinal(
                (date.fromisoformat(p["period_start"]).toordinal() + date.fromisoformat(p["period_end"]).toordinal())
                // 2
            )
            coords.append((_x(mid.isoformat(), lo, hi, s), _y(p["value"], top, s), p))
        joined = {(p["period_start"], p["period_end"]): (x, y) for x, y, p in reversed(coords)}
        if len(joined) > 1:  # one point per period on the line; a second figure for a period is a dot
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in sorted(joined.values()))
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for x, y, p in coords:
            tip = f"{p['period_start']} to {p['period_end']}: {p['value']:g} {p.get('unit') or ''}"
            tip += f" ({p.get('document_id') or ''}{', derived' if p.get('derived') else ''})"
            fill = "#fff" if p.get("derived") else colour
            out.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" '
                f'stroke-width="2"><title>{escape(tip)}</title></circle>'
            )
        ly = s.height + 14 * (n // s.legend_columns)
        lx = s.left + (n % s.legend_columns) * s.legend_width
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly}" font-size="11">{escape(line.label)}</text>')
    out.append("</svg>")
    return "".join(out)
