from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from openkam.accounts.models import Account, AccountStatus
from openkam.dossier import selectors
from openkam.dossier.models import KeyFigure, PortraitSection
from openkam.users.models import User


def _load(seed: int) -> list[tuple]:
    call_command("demo", "--reset", seed=seed, accounts=30, orders=0, stdout=StringIO())
    return sorted(
        PortraitSection.objects.values_list("account__external_id", "area", "reviewed_on")
    )


@pytest.mark.django_db
def test_demo_dossiers_are_deterministic_with_stale_and_missing_sections(client):
    first = _load(7)
    assert first == _load(7)
    keys = Account.objects.filter(status=AccountStatus.KEY)
    assert KeyFigure.objects.filter(account__in=keys).exists()
    flagged = [selectors.portrait(account=a) for a in keys]
    assert any(p.stale for p in flagged) and any(p.missing for p in flagged)
    assert any(not p.flagged for p in flagged)
    # a key account's dossier prints
    client.force_login(User.objects.get(username="director"))
    response = client.get(reverse("dossier:pdf", args=[keys.first().pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
