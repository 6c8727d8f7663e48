"""The demo's people: influence and attitude with history, coverage gaps, a departed champion
who joined another customer."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from openkam.accounts.models import Account
from openkam.demo.generator import reset_demo
from openkam.sales.demo_history import reset_sales_history
from openkam.stakeholders.coverage import GapKind, coverage_gaps
from openkam.stakeholders.models import Position, Stakeholder, StakeholderAssessment
from openkam.stakeholders.selectors import account_arrivals, account_departures
from openkam.users.models import User


@pytest.fixture
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", seed=42, accounts=40, orders=0, stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        reset_demo()
        reset_sales_history()


@pytest.mark.django_db
def test_demo_people(demo):
    assert Stakeholder.objects.exclude(attitude="").count() > 50
    assert Stakeholder.objects.filter(influence__isnull=False).count() > 50
    changed = StakeholderAssessment.objects.values("stakeholder", "field").distinct().count()
    assert StakeholderAssessment.objects.count() > changed  # some have a history
    director = User.objects.get(username="director")
    champion = (
        Position.objects.filter(
            ended_on__isnull=False, buying_role="champion", stakeholder__attitude="champion"
        )
        .exclude(stakeholder__account=F("account"))
        .first()
    )
    person = champion.stakeholder
    assert person.account_id != champion.account_id and person.attitude == "champion"
    (left,) = [
        d for d in account_departures(user=director, account=champion.account) if d.person == person
    ]
    assert left.key_person and left.now_at == person.account
    assert any(d.person == person for d in account_arrivals(user=director, account=person.account))
    kinds = {g.kind for g in coverage_gaps(Account.objects.all())}
    assert {GapKind.DEPARTMENT_EMPTY, GapKind.WEAK_DECISION_MAKER, GapKind.NOT_MET} <= kinds
