"""The loss dynamics as an inline SVG chart, drawn on the server like the cockpit's: accounts
lost, regained and shrinking per period as bars (left axis), the revenue lost as a line (right
axis); oldest period on the left. Figures not known for a period (None) draw no bar. Every text
that comes from data is escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting
from openkam.portfolio.charts import period_label

from .selectors import LossPoint

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 64, 16, 48
BARS = ("lost", "regained", "shrinking")


def _count(value: float) -> str:
    """An axis tick of a count: whole numbers as such, halves with their decimal."""
    return formatting.number(value, 0 if value == int(value) else 1)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def dynamics(series: list[LossPoint], period: str, currency: str) -> SafeString:
    points = list(reversed(series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max((getattr(p, k) or 0 for p in points for k in BARS), default=0) or 1
    money_peak = max((float(p.revenue_lost or 0) for p in points), default=0) or 1
    slot = plot_w / max(len(points), 1)
    bar = min(slot * 0.8, 60) / len(BARS)
    titles = {
        "lost": _("%(period)s: %(n)s lost"),
        "regained": _("%(period)s: %(n)s regained"),
        "shrinking": _("%(period)s: %(n)s shrinking"),
    }
    body = [
        f'<rect class="plot" fill="none" x="{LEFT}" y="{TOP}" width="{_num(plot_w)}" '
        f'height="{_num(plot_h)}"/>'
    ]
    for tick in (0, 0.5, 1.0):
        y = _num(TOP + (1 - tick) * plot_h + 4)
        body.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end">'
            f"{escape(_count(peak * tick))}</text>"
            f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{y}">'
            f"{escape(formatting.compact(money_peak * tick))}</text>"
        )
    line = []
    for i, point in enumerate(points):
        cx = LEFT + slot * i + slot / 2
        raw_label = period_label(point.end, period)
        for offset, kind in enumerate(BARS):
            value = getattr(point, kind)
            if value is None:
                continue
            h = value / peak * plot_h
            title = titles[kind] % {"period": raw_label, "n": formatting.number(value)}
            x = cx - bar * len(BARS) / 2 + offset * bar
            body.append(
                f'<rect class="bar {kind}" x="{_num(x)}" y="{_num(TOP + plot_h - h)}" '
                f'width="{_num(bar)}" height="{_num(h)}"><title>{escape(title)}</title></rect>'
            )
        if point.revenue_lost is not None:
            y = TOP + plot_h - float(point.revenue_lost) / money_peak * plot_h
            line.append((cx, y, raw_label, point.revenue_lost))
        body.append(
            f'<text class="tick" x="{_num(cx)}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(raw_label)}</text>'
        )
    if line:
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y, _label, _value in line)
        body.append(f'<polyline class="curve revenue-lost" fill="none" points="{path}"/>')
        for x, y, label, value in line:
            title = _("%(period)s: revenue lost %(amount)s") % {
                "period": label,
                "amount": formatting.money(value, currency),
            }
            body.append(
                f'<circle class="revenue-lost-dot" cx="{_num(x)}" cy="{_num(y)}" r="3">'
                f"<title>{escape(title)}</title></circle>"
            )
    body.append(
        _legend(
            [
                ("lost", _("lost")),
                ("regained", _("regained")),
                ("shrinking", _("shrinking")),
                ("revenue-lost", _("revenue lost (right axis)")),
            ]
        )
    )
    label = escape(_("Accounts lost, regained and shrinking, and the revenue lost, by period"))
    return mark_safe(  # noqa: S308 -- every piece of data above is escaped
        f'<svg class="chart losses" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{label}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _legend(items: list[tuple[str, str]]) -> str:
    parts, x = [], LEFT
    for css, text in items:
        parts.append(
            f'<rect class="swatch {css}" x="{x}" y="{HEIGHT - 14}" width="10" height="10"/>'
            f'<text class="legend" x="{x + 14}" y="{HEIGHT - 5}">{escape(text)}</text>'
        )
        x += 24 + 7 * len(text)
    return "".join(parts)
