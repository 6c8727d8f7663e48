from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """0.8123 → "81.2 %"; None → "—"."""
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def signed_pct(value) -> str:
    """0.052 → "+5.2 %"; None → "—"."""
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:+.1f} %"


@register.filter
def trend(value) -> str:
    """A CSS class for a change: up, down or flat."""
    if value in (None, ""):
        return "flat"
    value = float(value)
    return "up" if value > 0.0005 else "down" if value < -0.0005 else "flat"
