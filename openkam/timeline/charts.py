"""The account's revenue per month as inline SVG bars (negative months below the axis), drawn
on the server like the cockpit's charts: no JavaScript, prints, every text escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting

from .sales import Month

WIDTH, HEIGHT = 720, 160
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 10, 24
MONTHS_SHOWN = 120


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def monthly_revenue(months: list[Month], currency: str) -> SafeString:
    shown = months[-MONTHS_SHOWN:]
    values = [float(m.revenue) for m in shown]
    high = max([*values, 0.0]) or 1.0
    low = min([*values, 0.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    scale = plot_h / (high - low)
    zero = TOP + high * scale
    slot = plot_w / max(len(shown), 1)
    bar = max(slot * 0.8, 1.0)
    body = [
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(zero)}" '
        f'y2="{_num(zero)}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 8}" text-anchor="end">'
        f"{escape(formatting.compact(high))}</text>",
    ]
    for index, (month, value) in enumerate(zip(shown, values, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        height = abs(value) * scale
        y = zero - height if value >= 0 else zero
        label = f"{formatting.month(month.month)}: {formatting.money(month.revenue, currency)}"
        css = "bar revenue" if value >= 0 else "bar revenue negative"
        body.append(
            f'<rect class="{css}" x="{_num(x)}" y="{_num(y)}" width="{_num(bar)}" '
            f'height="{_num(height)}"><title>{escape(label)}</title></rect>'
        )
        if month.month.month == 1 or index == 0:
            body.append(
                f'<text class="tick" x="{_num(x)}" y="{HEIGHT - 6}">'
                f"{escape(str(formatting.month(month.month, short_year=True)))}</text>"
            )
    title = escape(_("Revenue per month"))
    return mark_safe(  # noqa: S308 -- every piece of data above is escaped
        f'<svg class="chart timeline-revenue" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )
