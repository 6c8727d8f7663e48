"""The rules that raise alerts: every app that knows a warning sign registers one.

A rule looks at many accounts at once and yields a `Finding` per account and cause. The cause is
a stable key of *what* is wrong (e.g. ``commitment:42:late``); an alert is not raised again for
a cause that was already raised, whatever its state, until the cause key changes (a new late
commitment, a new departure, revenue down in a new period).

Evidence and playbook steps are English marked with `gettext_noop`, translated when shown: the
alert keeps them as they were when it was raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Finding:
    account_id: int
    cause: str  # stable key of what is wrong, unique within the rule
    evidence: str  # English, marked with gettext_noop; %(name)s placeholders from params
    params: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""  # where to act on it (the late commitment, the tender …); "" = the account


@dataclass(frozen=True)
class RuleContext:
    as_of: dt.date
    account_ids: frozenset[int]
    thresholds: Mapping[str, float]  # the rule's thresholds as directors set them
    snapshot_id: int | None = None  # the latest metrics snapshot as of `as_of`


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str | Promise
    default: float
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Rule:
    key: str  # stable: stored on every alert
    label: str | Promise  # gettext_lazy
    find: Callable[[RuleContext], Iterable[Finding]]
    playbook: tuple[str, ...] = ()  # steps, English marked with gettext_noop
    thresholds: tuple[Threshold, ...] = ()


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule (call it from the providing app's `AppConfig.ready`)."""
    _rules[rule.key] = rule
    return rule


def rules() -> list[Rule]:
    return list(_rules.values())


def rule(key: str) -> Rule:
    return _rules[key]
