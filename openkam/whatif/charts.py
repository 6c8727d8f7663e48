"""The what-if's chart as inline SVG (no JavaScript): baseline and raised revenue over each
horizon, side by side. Colours from openkam.css's chart classes."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openkam.analytics.whatif import Horizon
from openkam.core import formatting

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def horizons(items: list[Horizon]) -> SafeString:
    """Two bars per horizon (1, 3, 5 years): the baseline projection and the raised one, with
    the uplift in % above the pair."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max((float(h.raised) for h in items), default=0) or 1
    slot = plot_w / max(len(items), 1)
    bar = min(slot * 0.3, 48)
    body = [
        f'<rect class="plot" fill="none" x="{LEFT}" y="{TOP}" width="{_num(plot_w)}" '
        f'height="{_num(plot_h)}"/>'
    ]
    for tick in (0, 0.5, 1.0):
        body.append(
            f'<text class="tick" x="{LEFT - 6}" y="{_num(TOP + (1 - tick) * plot_h + 4)}" '
            f'text-anchor="end">{escape(formatting.compact(peak * tick))}</text>'
        )
    for i, horizon in enumerate(items):
        cx = LEFT + slot * i + slot / 2
        for offset, css, value, name in (
            (-bar, "revenue", horizon.baseline, _("baseline")),
            (0, "regained", horizon.raised, _("raised retention")),
        ):
            h = float(value) / peak * plot_h
            body.append(
                f'<rect class="bar {css}" x="{_num(cx + offset)}" y="{_num(TOP + plot_h - h)}" '
                f'width="{_num(bar)}" height="{_num(h)}"><title>{escape(name)}: '
                f"{escape(formatting.compact(float(value)))}</title></rect>"
            )
        label = ngettext("%(years)s year", "%(years)s years", horizon.years) % {
            "years": horizon.years
        }
        body.append(
            f'<text class="tick" x="{_num(cx)}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if horizon.uplift_share is not None:
            top = TOP + plot_h - float(horizon.raised) / peak * plot_h
            uplift = formatting.percent(horizon.uplift_share, 1, signed=True)
            body.append(
                f'<text class="note" x="{_num(cx)}" y="{_num(max(top - 4, TOP + 10))}" '
                f'text-anchor="middle">{escape(uplift)}</text>'
            )
    x = LEFT
    for css, text in (("revenue", _("baseline")), ("regained", _("raised retention"))):
        body.append(
            f'<rect class="swatch {css}" x="{x}" y="{HEIGHT - 14}" width="10" height="10"/>'
            f'<text class="legend" x="{x + 14}" y="{HEIGHT - 5}">{escape(text)}</text>'
        )
        x += 24 + 7 * len(text)
    title = escape(_("Revenue over the next years: baseline and raised retention"))
    return mark_safe(  # noqa: S308 -- every piece of data in `body` is escaped
        f'<svg class="chart whatif" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )
