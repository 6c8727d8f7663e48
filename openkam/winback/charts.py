"""Campaign results per offer kind as a small inline SVG bar chart, drawn on the server like
the other charts (no JavaScript, prints, every text escaped): per kind the cost of the offers
and what the regained business brought (margin, or revenue without costs)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting

from .selectors import Results

WIDTH, LEFT, RIGHT, ROW, BAR, TOP = 640, 150, 150, 38, 12, 8


def offer_kinds(rows: list[tuple[str, str, Results]]) -> SafeString:
    currency = settings.REPORTING_CURRENCY
    largest = max([max(r.cost, r.gain, Decimal("0")) for _v, _l, r in rows] + [Decimal("1")])
    span = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(rows) + 24
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(_("Cost of the offers and what they brought back, per offer"))}">'
    ]
    for index, (_value, label, result) in enumerate(rows):
        top = TOP + index * ROW
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{top + BAR + 4}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for offset, amount, css, name in (
            (0, result.cost, "bar-cost", _("cost")),
            (BAR + 2, max(result.gain, Decimal("0")), "bar-gain", _("brought back")),
        ):
            width = float(amount / largest) * span
            text = f"{name}: {formatting.money(amount, currency)}"
            parts.append(
                f'<rect class="{css}" x="{LEFT}" y="{top + offset}" width="{width:.1f}" '
                f'height="{BAR}"><title>{escape(text)}</title></rect>'
            )
        rate = formatting.percent(result.regain_rate) if result.regain_rate is not None else "—"
        summary = _("%(rate)s regained") % {"rate": rate}
        parts.append(
            f'<text class="tick" x="{WIDTH - RIGHT + 6}" y="{top + BAR + 4}">'
            f"{escape(summary)}</text>"
        )
    legend_y = height - 6
    parts.append(
        f'<rect class="bar-cost" x="{LEFT}" y="{legend_y - 9}" width="10" height="10"/>'
        f'<text class="tick" x="{LEFT + 14}" y="{legend_y}">'
        f"{escape(_('Cost of the offers'))}</text>"
        f'<rect class="bar-gain" x="{LEFT + 160}" y="{legend_y - 9}" width="10" height="10"/>'
        f'<text class="tick" x="{LEFT + 174}" y="{legend_y}">'
        f"{escape(_('Margin (or revenue) after'))}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped
