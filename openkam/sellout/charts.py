"""The sell-out waterfall as inline SVG, drawn on the server like the other charts: the value
before, the three levers' parts floating from it, the value after. Every text is escaped."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.analytics.sellout import Decomposition
from openkam.core import formatting

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 16, 40
FILLS = {"bar-total": "#64748b", "bar-up": "#16a34a", "bar-down": "#dc2626"}


def waterfall(total: Decomposition, currency: str) -> SafeString:
    steps = [
        (_("Before"), Decimal("0"), total.before.value, "bar-total"),
        (_("Shoppers"), total.before.value, total.shoppers, ""),
        (_("Visit frequency"), total.before.value + total.shoppers, total.frequency, ""),
        (
            _("Spend per visit"),
            total.before.value + total.shoppers + total.frequency,
            total.spend,
            "",
        ),
        (_("After"), Decimal("0"), total.after.value, "bar-total"),
    ]
    levels = [Decimal("0")]
    for _label, start, amount, _css in steps:
        levels += [start, start + amount]
    low, high = min(levels), max(levels)
    span = float(high - low) or 1.0
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(steps)

    def y(value: Decimal) -> float:
        return TOP + plot - float(value - low) / span * plot

    body = [
        f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(Decimal(0)):.1f}" '
        f'y2="{y(Decimal(0)):.1f}"/>'
    ]
    for index, (label, start, amount, css) in enumerate(steps):
        top, bottom = max(y(start), y(start + amount)), min(y(start), y(start + amount))
        kind = css or ("bar-up" if amount >= 0 else "bar-down")
        x = LEFT + index * slot + slot * 0.15
        shown = formatting.money(amount, currency)
        if not css and amount > 0:
            shown = "+" + shown
        body.append(
            f'<rect class="{kind}" fill="{FILLS[kind]}" x="{x:.1f}" y="{bottom:.1f}" '
            f'width="{slot * 0.7:.1f}" '
            f'height="{max(top - bottom, 1):.1f}"><title>{escape(label)}: {escape(shown)}'
            "</title></rect>"
        )
        body.append(
            f'<text class="tick" x="{x + slot * 0.35:.1f}" y="{bottom - 4:.1f}" '
            f'text-anchor="middle">{escape(shown)}</text>'
        )
        body.append(
            f'<text class="axis-label" x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    title = escape(_("Sell-out before and after, and what made the change"))
    return mark_safe(  # noqa: S308 — every text above is escaped
        f'<svg class="chart waterfall" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{title}"><title>{title}</title>{"".join(body)}</svg>'
    )
