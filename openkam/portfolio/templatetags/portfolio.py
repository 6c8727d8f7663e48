from django import template

from openkam.metrics.labels import rhythm_label

register = template.Library()


@register.filter
def trend(value) -> str:
    """A CSS class for a change: up, down or flat."""
    if value in (None, ""):
        return "flat"
    value = float(value)
    return "up" if value > 0.0005 else "down" if value < -0.0005 else "flat"


@register.filter
def rhythm(value: str | None) -> str:
    """A purchase rhythm's code ('monthly') in words of the reader's language."""
    return rhythm_label(value)
