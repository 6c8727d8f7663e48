"""The cockpit's charts as inline SVG, drawn on the server: no JavaScript, no CDN, works offline
and prints. Each function takes the cockpit's data and returns safe markup; every text that
comes from data is escaped. Colours come from CSS classes (openkam.css), so print styles can
change them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting

WIDTH, HEIGHT = 480, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 16, 40
MAX_MARKS = 400  # key-account dots on the Pareto curve, at most one per pixel


def _svg(body: list[str], label: str, *, css: str, height: int = HEIGHT) -> SafeString:
    title = escape(label)
    return mark_safe(  # noqa: S308 -- every piece of data in `body` is escaped
        f'<svg class="chart {css}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def compact(value: float) -> str:
    """1234567 → 1.2M (en), 1,2 tr. (vi); 35000 → 35K, 3.5 หมื่น (th)."""
    return formatting.compact(value)


def _percent(value: float) -> str:
    return formatting.percent(value, 0)


def period_label(end: dt.date | str, period: str) -> str:
    """The axis label of the period ending on `end`: its last month, with the year where the
    year changes (every label of a quarterly or yearly axis)."""
    day = dt.date.fromisoformat(end) if isinstance(end, str) else end
    if period == "year":
        return "→" + formatting.month(day, short_year=True)
    if period == "quarter" or day.month == 1:
        return formatting.month(day, short_year=True)
    return formatting.month(day, with_year=False)


# -- Pareto --------------------------------------------------------------------------------------


def pareto(curve: dict[str, list], top20_share: float | None) -> SafeString:
    """The cumulative share of revenue against the share of accounts (largest first), the
    20 % line, and a dot for every key account."""
    points = curve.get("points") or []
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(share: float) -> float:
        return LEFT + share * plot_w

    def y(share: float) -> float:
        return TOP + (1 - share) * plot_h

    body = [_axes_box(plot_w, plot_h)]
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        body.append(
            f'<text class="tick" x="{_num(LEFT - 6)}" y="{_num(y(tick) + 4)}" '
            f'text-anchor="end">{_percent(tick)}</text>'
            f'<text class="tick" x="{_num(x(tick))}" y="{_num(TOP + plot_h + 16)}" '
            f'text-anchor="middle">{_percent(tick)}</text>'
        )
        if 0 < tick < 1:
            body.append(
                f'<line class="grid" x1="{_num(LEFT)}" x2="{_num(LEFT + plot_w)}" '
                f'y1="{_num(y(tick))}" y2="{_num(y(tick))}"/>'
            )
    # xgettext does not read inside f-strings: every message is a variable first.
    axis = escape(_("share of accounts, largest first"))
    body.append(
        f'<text class="axis-label" x="{_num(LEFT + plot_w / 2)}" y="{HEIGHT - 4}" '
        f'text-anchor="middle">{axis}</text>'
    )
    if not points:
        empty = escape(_("No revenue in this period."))
        body.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
            f"{empty}</text>"
        )
        return _svg(body, _("Pareto curve"), css="pareto")
    line = " ".join(f"{_num(x(px))},{_num(y(py))}" for px, py in points)
    body.append(f'<polyline class="curve" fill="none" points="{line}"/>')
    if top20_share is not None:
        note = escape(_("top 20 %% → %(share)s of revenue") % {"share": _percent(top20_share)})
        body.append(
            f'<line class="reference" x1="{_num(x(0.2))}" x2="{_num(x(0.2))}" '
            f'y1="{_num(y(0))}" y2="{_num(y(top20_share))}"/>'
            f'<line class="reference" x1="{_num(LEFT)}" x2="{_num(x(0.2))}" '
            f'y1="{_num(y(top20_share))}" y2="{_num(y(top20_share))}"/>'
            f'<text class="note" x="{_num(x(0.2) + 6)}" y="{_num(y(top20_share) + 14)}">'
            f"{note}</text>"
        )
    seen: set[tuple[int, int]] = set()
    marks = []
    for px, py, _account in curve.get("key_accounts") or []:
        spot = (round(x(px)), round(y(py)))
        if spot in seen:
            continue
        seen.add(spot)
        marks.append(f'<circle class="key" cx="{spot[0]}" cy="{spot[1]}" r="3"/>')
        if len(marks) >= MAX_MARKS:
            break
    body.extend(marks)
    legend = escape(_("key account"))
    body.append(
        f'<circle class="key" cx="{_num(LEFT + plot_w - 112)}" cy="{_num(TOP + plot_h - 14)}" '
        f'r="3"/><text class="legend" x="{_num(LEFT + plot_w - 104)}" '
        f'y="{_num(TOP + plot_h - 10)}">{legend}</text>'
    )
    return _svg(body, _("Pareto curve with the key accounts marked"), css="pareto")


def _axes_box(plot_w: float, plot_h: float) -> str:
    return (
        f'<rect class="plot" fill="none" x="{LEFT}" y="{TOP}" width="{_num(plot_w)}" '
        f'height="{_num(plot_h)}"/>'
    )


# -- ABC–XYZ heat map ----------------------------------------------------------------------------

CELL_W, CELL_H, MATRIX_LEFT, MATRIX_TOP = 126, 74, 84, 30


def matrix(cells: list[dict[str, Any]], link: Callable[[str, str], str]) -> SafeString:
    """The nine cells, A–C top to bottom, X–Z left to right, shaded by their share of revenue;
    each cell links (`link(abc, xyz)`) to the accounts in it."""
    height = MATRIX_TOP + 3 * CELL_H + 16
    body = []
    names = {
        "X": _("X steady"),
        "Y": _("Y variable"),
        "Z": _("Z irregular"),
        "A": _("A largest"),
        "B": _("B middle"),
        "C": _("C smallest"),
    }
    for col, xyz in enumerate("XYZ"):
        body.append(
            f'<text class="tick" x="{MATRIX_LEFT + col * CELL_W + CELL_W / 2:.0f}" y="20" '
            f'text-anchor="middle">{escape(names[xyz])}</text>'
        )
    for row, abc in enumerate("ABC"):
        body.append(
            f'<text class="tick" x="{MATRIX_LEFT - 8}" y="{MATRIX_TOP + row * CELL_H + 42}" '
            f'text-anchor="end">{escape(names[abc])}</text>'
        )
    peak = max((c["revenue_share"] for c in cells), default=0) or 1
    for cell in cells:
        row, col = "ABC".index(cell["abc"]), "XYZ".index(cell["xyz"])
        x0, y0 = MATRIX_LEFT + col * CELL_W, MATRIX_TOP + row * CELL_H
        level = min(5, int(cell["revenue_share"] / peak * 5 + 0.999)) if cell["accounts"] else 0
        name = f"{cell['abc']}{cell['xyz']}"
        share = _percent(cell["revenue_share"])
        label = _("%(cell)s: %(n)s accounts, %(share)s of revenue") % {
            "cell": name,
            "n": formatting.number(cell["accounts"]),
            "share": share,
        }
        share_note = escape(_("%(share)s of revenue") % {"share": share})
        body.append(
            f'<a href="{escape(link(cell["abc"], cell["xyz"]))}" class="cell-link" '
            f'data-cell="{name}" aria-label="{escape(label)}" '
            f'hx-get="{escape(link(cell["abc"], cell["xyz"]))}&amp;partial=1" '
            f'hx-target="#cell-accounts" hx-swap="innerHTML">'
            f'<rect class="cell heat-{level}" x="{x0 + 2}" y="{y0 + 2}" width="{CELL_W - 4}" '
            f'height="{CELL_H - 4}" rx="4"/>'
            f'<text class="cell-name heat-{level}" x="{x0 + 10}" y="{y0 + 22}">{name}</text>'
            f'<text class="cell-value heat-{level}" x="{x0 + CELL_W - 10}" y="{y0 + 22}" '
            f'text-anchor="end">{formatting.number(cell["accounts"])}</text>'
            f'<text class="cell-note heat-{level}" x="{x0 + 10}" y="{y0 + 44}">'
            f"{share_note}"
            f'</text><text class="cell-note heat-{level}" x="{x0 + 10}" y="{y0 + 60}">'
            f"{escape(compact(float(cell['revenue'])))}</text></a>"
        )
    return _svg(
        body, _("ABC–XYZ matrix: accounts and revenue per cell"), css="matrix", height=height
    )


# -- Series --------------------------------------------------------------------------------------


def _slots(n: int) -> tuple[float, float]:
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / max(n, 1)
    return slot, min(slot * 0.7, 48)


def _no_history(cx: float, bar: float, plot_h: float, label: str) -> str:
    """A period before the imported history: a pale box over the whole height, not a zero.
    `label` is the period's name, not yet escaped."""
    title = escape(_("%(period)s: before the imported history") % {"period": label})
    return (
        f'<rect class="no-history" x="{_num(cx - bar / 2)}" y="{TOP}" width="{_num(bar)}" '
        f'height="{_num(plot_h)}"><title>{title}</title></rect>'
    )


def _period_title(point: dict[str, Any], period: str) -> str:
    label = escape(period_label(point["end"], period))
    if point.get("covered") == "partial":
        label += " " + escape(_("(the imported history starts in this period)"))
    return label


def revenue_retention(series: list[dict[str, Any]], period: str, target: float) -> SafeString:
    """Revenue per period as bars (left axis) and the retention rate as a line (right axis,
    0–100 %) against the target; oldest period on the left."""
    points = list(reversed(series))
    plot_h = HEIGHT - TOP - BOTTOM
    revenues = [float(Decimal(str(p["revenue"] or 0))) for p in points]
    peak = max(revenues, default=0) or 1
    slot, bar = _slots(len(points))
    body = [_axes_box(WIDTH - LEFT - RIGHT, plot_h)]

    def y_rate(rate: float) -> float:
        return TOP + (1 - rate) * plot_h

    for tick in (0, 0.5, 1.0):
        body.append(
            f'<text class="tick" x="{LEFT - 6}" y="{_num(TOP + (1 - tick) * plot_h + 4)}" '
            f'text-anchor="end">{escape(compact(peak * tick))}</text>'
            f'<text class="tick rate" x="{WIDTH - RIGHT + 6}" y="{_num(y_rate(tick) + 4)}">'
            f"{_percent(tick)}</text>"
        )
    target_label = escape(_("retention target %(t)s") % {"t": _percent(target)})
    body.append(
        f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y_rate(target))}" '
        f'y2="{_num(y_rate(target))}"/><text class="note target-label" '
        f'x="{WIDTH - RIGHT - 4}" y="{_num(y_rate(target) - 4)}" text-anchor="end">'
        f"{target_label}</text>"
    )
    line = []
    for i, (point, revenue) in enumerate(zip(points, revenues, strict=True)):
        cx = LEFT + slot * i + slot / 2
        h = revenue / peak * plot_h
        if point.get("covered") == "none":
            body.append(_no_history(cx, bar, plot_h, period_label(point["end"], period)))
        body.append(
            f'<rect class="bar revenue" x="{_num(cx - bar / 2)}" y="{_num(TOP + plot_h - h)}" '
            f'width="{_num(bar)}" height="{_num(h)}"><title>'
            f"{_period_title(point, period)}: {escape(compact(revenue))}"
            "</title></rect>"
            f'<text class="tick" x="{_num(cx)}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(period_label(point["end"], period))}</text>'
        )
        rate = point.get("retention_rate")
        if rate is not None:
            line.append((cx, y_rate(rate), rate))
    if line:
        body.append(
            '<polyline class="retention" fill="none" points="'
            + " ".join(f"{_num(px)},{_num(py)}" for px, py, _ in line)
            + '"/>'
        )
        for px, py, rate in line:
            body.append(
                f'<circle class="retention-dot" cx="{_num(px)}" cy="{_num(py)}" r="3">'
                f"<title>{_percent(rate)}</title></circle>"
            )
    legend = [("revenue", _("revenue")), ("retention", _("retention rate"))]
    if any(p.get("covered") == "none" for p in points):
        legend.append(("no-history", _("before the history")))
    body.append(_legend(legend))
    return _svg(body, _("Revenue and retention by period"), css="series")


def lost_regained(series: list[dict[str, Any]], period: str) -> SafeString:
    """Accounts lost and regained per period, side by side; oldest period on the left."""
    points = list(reversed(series))
    plot_h = HEIGHT - TOP - BOTTOM
    peak = max((max(p["lost"] or 0, p["regained"] or 0) for p in points), default=0) or 1
    slot, bar = _slots(len(points))
    half = bar / 2
    body = [_axes_box(WIDTH - LEFT - RIGHT, plot_h)]
    for tick in (0, 0.5, 1.0):
        body.append(
            f'<text class="tick" x="{LEFT - 6}" y="{_num(TOP + (1 - tick) * plot_h + 4)}" '
            f'text-anchor="end">{formatting.number(peak * tick)}</text>'
        )
    for i, point in enumerate(points):
        cx = LEFT + slot * i + slot / 2
        raw_label = period_label(point["end"], period)
        label = escape(raw_label)
        if point.get("covered") == "none":
            body.append(_no_history(cx, bar, plot_h, raw_label))
        for offset, kind in ((-half, "lost"), (0, "regained")):
            value = point[kind] or 0
            h = value / peak * plot_h
            counts = {"period": raw_label, "n": formatting.number(value)}
            title = (
                _("%(period)s: %(n)s lost") if kind == "lost" else _("%(period)s: %(n)s regained")
            ) % counts
            body.append(
                f'<rect class="bar {kind}" x="{_num(cx + offset)}" '
                f'y="{_num(TOP + plot_h - h)}" width="{_num(half)}" height="{_num(h)}">'
                f"<title>{escape(title)}</title></rect>"
            )
        body.append(
            f'<text class="tick" x="{_num(cx)}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{label}</text>'
        )
    body.append(_legend([("lost", _("lost")), ("regained", _("regained"))]))
    return _svg(body, _("Accounts lost and regained by period"), css="series")


def _legend(items: list[tuple[str, str]]) -> str:
    parts, x = [], LEFT
    for css, text in items:
        parts.append(
            f'<rect class="swatch {css}" x="{x}" y="{HEIGHT - 14}" width="10" height="10"/>'
            f'<text class="legend" x="{x + 14}" y="{HEIGHT - 5}">{escape(text)}</text>'
        )
        x += 24 + 7 * len(text)
    return "".join(parts)
