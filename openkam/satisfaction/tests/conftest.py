from __future__ import annotations

import datetime as dt

import pytest

from openkam.satisfaction.models import SurveyResponse


@pytest.fixture
def answer():
    """A survey answer written directly (the services are tested on their own)."""

    def make(account, day: dt.date = dt.date(2026, 5, 4), **fields) -> SurveyResponse:
        data = {"csat": 4, "nps": 8, **fields}
        return SurveyResponse.objects.create(account=account, answered_on=day, **data)

    return make
