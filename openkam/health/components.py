"""The health score's components: every app that knows a signal about an account registers one.

A component reads many accounts at once (the score is recomputed for 10,000 accounts in seconds)
and answers, per account it has data for, a `Reading`. An account missing from the answer has no
data for that component: the score leaves the component out of the weights and says so; it never
counts it as zero.

Readings are stored with the score (its history), so `evidence` is English marked with
`gettext_noop` plus its `params`, translated when shown (`Reading.text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class Reading:
    score: float  # 0 (the worst sign) … 1 (healthy)
    value: float | None  # the measured figure (days overdue, growth, count …), None if textual
    evidence: str  # English, marked with gettext_noop; %(name)s placeholders from params
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return gettext(self.evidence) % dict(self.params)


@dataclass(frozen=True)
class HealthContext:
    """What a component reads: the accounts, the date the score is as of (the past, for the
    history and the backtest: use only what was known then) and that date's metrics snapshot."""

    as_of: dt.date
    account_ids: frozenset[int]
    snapshot_id: int | None = None


@dataclass(frozen=True)
class Component:
    key: str  # stable: stored in weights and scores
    label: str | Promise  # gettext_lazy
    default_weight: float
    read: Callable[[HealthContext], dict[int, Reading]]
    description: str | Promise = ""


_components: dict[str, Component] = {}


def register(component: Component) -> Component:
    """Add a component (call it from the providing app's `AppConfig.ready`)."""
    _components[component.key] = component
    return component


def components() -> list[Component]:
    return list(_components.values())


def component(key: str) -> Component:
    return _components[key]
