"""The account's satisfaction per quarter as a small inline SVG line chart: NPS (−100…+100) in
the upper band, average CSAT (1…5) in the lower one, drawn on the server like the other charts
(no JavaScript, prints, every text escaped). Quarters without answers leave a gap on the axis."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting

from .selectors import QuarterPoint

WIDTH = 640
LEFT, RIGHT, TOP = 44, 12, 12
BAND, GAP, AXIS = 70, 22, 18
QUARTERS_SHOWN = 16


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _band(
    points: list[tuple[float, float, str]],
    top: float,
    low: float,
    high: float,
    css: str,
    ticks: tuple[str, str, str],
    title: str,
) -> list[str]:
    """One band: its frame, three ticks (high, middle, low), the line and a dot per quarter."""

    def y(value: float) -> float:
        return top + BAND - (value - low) / (high - low) * BAND

    middle = (low + high) / 2
    body = [
        f'<rect class="plot" x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{BAND}"/>',
        f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(middle))}" '
        f'y2="{_num(y(middle))}"/>',
        f'<text class="axis-label" x="{WIDTH - RIGHT - 4}" y="{top + 11}" text-anchor="end">'
        f"{escape(title)}</text>",
    ]
    for value, text in zip((high, middle, low), ticks, strict=True):
        body.append(
            f'<text class="tick" x="{LEFT - 4}" y="{_num(y(value) + 4)}" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    if points:
        line = " ".join(f"{_num(x)},{_num(y(v))}" for x, v, _label in points)
        body.append(f'<polyline class="{css}" fill="none" points="{line}"/>')
        for x, v, label in points:
            body.append(
                f'<circle class="{css}-dot" cx="{_num(x)}" cy="{_num(y(v))}" r="3">'
                f"<title>{escape(label)}</title></circle>"
            )
    else:
        body.append(
            f'<text class="empty" x="{(LEFT + WIDTH - RIGHT) / 2}" y="{top + BAND / 2 + 4}" '
            f'text-anchor="middle">{escape(_("no answers with this score"))}</text>'
        )
    return body


def quarterly_trend(trend: list[QuarterPoint]) -> SafeString:
    shown = [p for p in trend if p.index > trend[-1].index - QUARTERS_SHOWN] if trend else []
    first = shown[0].index if shown else 0
    slots = (shown[-1].index - first + 1) if shown else 1
    step = (WIDTH - LEFT - RIGHT) / max(slots, 1)

    def x(point: QuarterPoint) -> float:
        return LEFT + step * (point.index - first + 0.5)

    nps = [
        (
            x(p),
            p.nps,
            _("%(quarter)s: NPS %(nps)s (%(count)s answers)")
            % {"quarter": p.label, "nps": formatting.number(p.nps), "count": p.nps_answers},
        )
        for p in shown
        if p.nps is not None
    ]
    csat = [
        (
            x(p),
            p.csat,
            _("%(quarter)s: CSAT %(csat)s (%(count)s answers)")
            % {"quarter": p.label, "csat": formatting.number(p.csat, 1), "count": p.csat_answers},
        )
        for p in shown
        if p.csat is not None
    ]
    csat_top = TOP + BAND + GAP
    body = _band(
        nps, TOP, -100, 100, "curve", ("+100", "0", formatting.number(-100)), _("NPS")
    ) + _band(
        csat,
        csat_top,
        1,
        5,
        "retention",
        (formatting.number(5), formatting.number(3), formatting.number(1)),
        _("CSAT"),
    )
    height = csat_top + BAND + AXIS
    for p in shown:
        if slots > 8 and p.quarter != 1 and p is not shown[0]:
            continue  # too many quarters for every label: the first and each year's first
        body.append(
            f'<text class="tick" x="{_num(x(p))}" y="{height - 5}" text-anchor="middle">'
            f"{escape(p.label)}</text>"
        )
    title = escape(_("Satisfaction per quarter"))
    return mark_safe(  # noqa: S308 -- every piece of data above is escaped
        f'<svg class="chart satisfaction-trend" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )
