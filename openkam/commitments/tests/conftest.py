from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.commitments.models import Commitment, CustomerRequest


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def make_commitment(users):
    """A commitment written directly (the services are tested on their own)."""

    def make(account, **fields) -> Commitment:
        data = {
            "description": "Send the price list",
            "owner": users["kam1"],
            "promised_on": dt.date(2026, 1, 5),
            "due_on": dt.date(2026, 1, 20),
            **fields,
        }
        return Commitment.objects.create(account=account, **data)

    return make


@pytest.fixture
def make_request(users):
    def make(account, **fields) -> CustomerRequest:
        data = {
            "subject": "Quote for the summer",
            "owner": users["kam1"],
            "kind": "quote",
            **fields,
        }
        return CustomerRequest.objects.create(account=account, **data)

    return make
