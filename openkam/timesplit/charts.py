"""The time split as inline SVG, drawn on the server like the cockpit's charts: no JavaScript,
prints, every text escaped. Colours come from CSS classes (`timesplit/_styles.html`)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openkam.core import formatting

from .selectors import PURPOSES, Hours, PeriodSplit

BAR_W, BAR_H = 160, 16
TREND_W, TREND_H = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 26


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(body: list[str], label: str, *, css: str, width: int, height: int) -> SafeString:
    title = escape(label)
    return mark_safe(  # noqa: S308 -- every piece of data in `body` is escaped
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


def _labels() -> dict[str, str]:
    return {
        "key_account": _("Key-account work"),
        "new_business": _("New business"),
        "other": _("Other"),
    }


def split_bar(hours: Hours, target: float) -> SafeString:
    """One person's hours as a bar split by purpose, with the target marked."""
    total = hours.total
    labels = _labels()
    body = [f'<rect class="ts-track" x="0" y="2" width="{BAR_W}" height="{BAR_H - 4}"/>']
    x = 0.0
    if total > 0:
        for purpose in PURPOSES:
            value = getattr(hours, purpose)
            if value <= 0:
                continue
            width = BAR_W * value / total
            text = _("%(purpose)s: %(hours)s h") % {
                "purpose": labels[purpose],
                "hours": formatting.number(value, 1),
            }
            body.append(
                f'<rect class="ts-{purpose}" x="{_num(x)}" y="2" width="{_num(width)}" '
                f'height="{BAR_H - 4}"><title>{escape(text)}</title></rect>'
            )
            x += width
    mark = BAR_W * target
    body.append(
        f'<line class="ts-target" x1="{_num(mark)}" x2="{_num(mark)}" y1="0" y2="{BAR_H}"/>'
    )
    share = hours.share
    label = (
        _("Key-account work: %(share)s of %(hours)s hours (target %(target)s)")
        % {
            "share": formatting.percent(share, 0),
            "hours": formatting.number(total, 1),
            "target": formatting.percent(target, 0),
        }
        if share is not None
        else _("No time recorded")
    )
    return _svg(body, label, css="ts-bar", width=BAR_W, height=BAR_H)


def trend(periods: list[PeriodSplit], target: float, period: str) -> SafeString:
    """The share of key-account work in each period, against the target line."""
    plot_w, plot_h = TREND_W - LEFT - RIGHT, TREND_H - TOP - BOTTOM

    def y(share: float) -> float:
        return TOP + (1 - share) * plot_h

    body = [f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}"/>']
    for tick in (0, 0.5, 1.0):
        body.append(
            f'<text class="tick" x="{LEFT - 4}" y="{_num(y(tick) + 4)}" text-anchor="end">'
            f"{escape(formatting.percent(tick, 0))}</text>"
        )
    slot = plot_w / max(len(periods), 1)
    bar = max(min(slot * 0.7, 48), 2)
    every = max(1, round(len(periods) / 12))
    for index, split in enumerate(periods):
        x = LEFT + slot * index + (slot - bar) / 2
        share = split.hours.share
        when = _period_label(split, period)
        if share is None:
            text = f"{when}: {_('No time recorded')}"
            body.append(
                f'<rect class="ts-none" x="{_num(x)}" y="{_num(y(0) - 2)}" width="{_num(bar)}" '
                f'height="2"><title>{escape(text)}</title></rect>'
            )
        else:
            css = "ts-met" if share >= target - 1e-9 else "ts-short"
            text = _("%(when)s: %(share)s of %(hours)s hours on key accounts") % {
                "when": when,
                "share": formatting.percent(share, 0),
                "hours": formatting.number(split.hours.total, 1),
            }
            body.append(
                f'<rect class="{css}" x="{_num(x)}" y="{_num(y(share))}" width="{_num(bar)}" '
                f'height="{_num(y(0) - y(share))}"><title>{escape(text)}</title></rect>'
            )
        if index % every == 0:
            body.append(
                f'<text class="tick" x="{_num(x + bar / 2)}" y="{TREND_H - 8}" '
                f'text-anchor="middle">{escape(_short_label(split, period))}</text>'
            )
    note = _("target %(target)s") % {"target": formatting.percent(target, 0)}
    body.append(
        f'<line class="target" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_num(y(target))}" '
        f'y2="{_num(y(target))}"/>'
        f'<text class="target-label" x="{LEFT + plot_w - 4}" y="{_num(y(target) - 4)}" '
        f'text-anchor="end">{escape(note)}</text>'
    )
    return _svg(
        body, _("Share of time on key accounts"), css="ts-trend", width=TREND_W, height=TREND_H
    )


def _period_label(split: PeriodSplit, period: str) -> str:
    if period == "week":
        return _("week of %(day)s") % {"day": formatting.day(split.start)}
    if period == "quarter":
        return quarter_label(split.start)
    return formatting.month(split.start)


def _short_label(split: PeriodSplit, period: str) -> str:
    if period == "week":
        return formatting.day(split.start, "short")
    if period == "quarter":
        return quarter_label(split.start)
    return formatting.month(split.start, short_year=True)


def quarter_label(start) -> str:
    """'Q3 2026' (in the Buddhist era for a reader who chose it: 'Q3 2569')."""
    year = start.year + 543 if formatting.buddhist_era() else start.year
    return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": year}
