"""Labels for the values the key-account lists annotate (plain strings, not model rows)."""

from django import template
from django.utils.translation import gettext as _

from ..models import Answer, KeyAccountType

register = template.Library()

# Answer → the existing badge colour: yes green, no red, unknown or never answered grey.
_ANSWER_BADGES = {Answer.YES: "status-active", Answer.NO: "status-lost"}
_ANSWER_MARKS = {Answer.YES: "✓", Answer.NO: "✗", Answer.UNKNOWN: "?"}


@register.filter
def type_label(value: str | None) -> str:
    return str(KeyAccountType(value).label) if value in KeyAccountType.values else ""


@register.filter
def answer_label(value: str | None) -> str:
    return str(Answer(value).label) if value in Answer.values else _("not answered")


@register.filter
def answer_badge(value: str | None) -> str:
    return _ANSWER_BADGES.get(value, "")


@register.filter
def answer_mark(value: str | None) -> str:
    return _ANSWER_MARKS.get(value, "–")
