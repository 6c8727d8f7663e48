"""How an alert reads: its evidence and playbook in the reader's language, figures formatted."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils.translation import gettext

from openkam.core import formatting

from . import rules as registry
from .models import Alert

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY_KEYS = {"revenue", "year_ago", "value"}


def _shown(key: str, value):
    if isinstance(value, bool) or value is None:
        return "—" if value is None else value
    if key.endswith("_pct") and isinstance(value, int | float):
        return formatting.percent(value, 1, signed=True)
    if key in _MONEY_KEYS and isinstance(value, int | float):
        return formatting.money(value, settings.REPORTING_CURRENCY)
    if isinstance(value, int | float):
        return formatting.number(value, 0 if float(value).is_integer() else 1)
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            try:
                return formatting.day(dt.date.fromisoformat(value))
            except ValueError:
                return value
        # an English word a rule put in (a role, a reason): its catalogue message, if any
        return gettext(value) if value else value
    return value


def evidence_text(alert: Alert) -> str:
    """The evidence in the active language, with its figures formatted."""
    params = {key: _shown(key, value) for key, value in (alert.params or {}).items()}
    template = gettext(alert.evidence) if alert.evidence else ""
    try:
        return template % params
    except (KeyError, ValueError, TypeError):
        return template


def rule_of(alert: Alert) -> registry.Rule | None:
    try:
        return registry.rule(alert.rule)
    except KeyError:
        return None


def rule_label(key: str) -> str:
    try:
        return str(registry.rule(key).label)
    except KeyError:
        return key


def playbook(alert: Alert) -> list[str]:
    rule = rule_of(alert)
    return [gettext(step) for step in rule.playbook] if rule else []


def rule_choices() -> list[tuple[str, str]]:
    return sorted(((r.key, str(r.label)) for r in registry.rules()), key=lambda c: c[1])
