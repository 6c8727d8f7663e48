"""The admin shows key-account records read-only: every write goes through the services."""

import pytest
from django.urls import reverse

from openkam.keyaccounts.services import account_denominate

pytestmark = pytest.mark.django_db

MODELS = [
    "nominationdecision",
    "keyaccounttypeassignment",
    "prospectassessment",
    "qualificationrating",
    "qualificationweights",
    "handover",
]


@pytest.mark.parametrize("model", MODELS)
def test_directors_read_but_cannot_add(login, world, model):
    client = login("director")
    assert client.get(reverse(f"admin:keyaccounts_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:keyaccounts_{model}_add")).status_code == 403


def test_a_decision_opens_read_only(login, users, world):
    decision = account_denominate(actor=users["director"], account=world["own"], reason="R")
    client = login("admin")
    page = client.get(reverse("admin:keyaccounts_nominationdecision_change", args=[decision.pk]))
    assert page.status_code == 200
    assert b'name="reason"' not in page.content
