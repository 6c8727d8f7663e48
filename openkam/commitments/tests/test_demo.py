"""The demo's promises and requests: plausible, the same for the same seed, and with the
warning signs mostly at the accounts the sales history will lose or shrink."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from openkam.commitments.models import Commitment, CustomerRequest
from openkam.commitments.selectors import timing
from openkam.commitments.working_hours import end_of_day
from openkam.demo.generator import generate_demo, load_demo
from openkam.demo.risk import accounts_at_risk

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def _picture() -> tuple:
    return (
        sorted(
            Commitment.objects.values_list(
                "account__name", "description", "due_on", "status", "done_on"
            )
        ),
        sorted(
            CustomerRequest.objects.values_list(
                "account__name", "subject", "received_at", "first_answered_at"
            )
        ),
    )


def test_demo_promises_are_plausible_deterministic_and_warn_before_losses(settings):
    settings.KAM_RESPONSE_HOURS = 24
    load_demo(plan=generate_demo(seed=7, accounts=40, today=TODAY))
    commitments = Commitment.objects.all()
    assert commitments.count() > 40 and commitments.filter(direction="theirs").exists()
    late = Commitment.objects.late_on(TODAY)
    assert late.exists() and commitments.filter(status="done").exists()
    assert not commitments.filter(status="done", done_on__isnull=True).exists()
    requests = CustomerRequest.objects.all()
    assert requests.count() > 40 and requests.filter(first_answered_at__isnull=True).exists()
    at_risk = set(accounts_at_risk(seed=7, today=TODAY))
    assert at_risk, "the demo should lose or shrink some accounts"
    late_share = {
        flag: late.filter(direction="ours").filter(**{f"account_id__{op}": at_risk}).count()
        / max(
            commitments.filter(direction="ours").filter(**{f"account_id__{op}": at_risk}).count(), 1
        )
        for flag, op in ((True, "in"), (False, "in"))
    }
    healthy_ours = commitments.filter(direction="ours").exclude(account_id__in=at_risk)
    healthy_late = late.filter(direction="ours").exclude(account_id__in=at_risk)
    healthy_share = healthy_late.count() / max(healthy_ours.count(), 1)
    assert late_share[True] > healthy_share
    at = end_of_day(TODAY)

    def median(rows) -> float:
        hours = [
            timing(r, a, None, at, 24).waited
            for r, a in rows.values_list("received_at", "first_answered_at")
        ]
        return statistics.median(hours)

    assert median(requests.filter(account_id__in=at_risk)) > median(
        requests.exclude(account_id__in=at_risk)
    )
    first = _picture()
    load_demo(plan=generate_demo(seed=7, accounts=40, today=TODAY), reset=True)
    assert _picture() == first
