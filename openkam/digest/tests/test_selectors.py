import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.alerts.models import Alert
from openkam.digest.selectors import digest_for, time_window
from openkam.health.models import HealthScore

from .conftest import AS_OF


def keys(digest) -> list[str]:
    return [section.key for section in digest.sections]


def labels(digest, key: str) -> list[str]:
    return [item.label for item in digest.section(key).items]


@pytest.mark.django_db
def test_a_kams_week_lists_what_is_late_and_what_is_coming(week, figures, users):
    digest = digest_for(users["kam1"], AS_OF)

    assert keys(digest) == ["overdue", "commitments", "requests", "actions", "meetings", "silent"]
    assert labels(digest, "overdue") == ["Quiet Traders"]  # Own Mart buys every month
    commitment = digest.section("commitments").items[0]
    assert commitment.label == "Send the new price list"
    assert "20 days late" in commitment.detail
    assert commitment.url == reverse("commitments:account", args=[week["own"].pk])
    assert labels(digest, "requests") == ["Quote for the snack range"]
    action = digest.section("actions").items[0]
    assert action.label == "Propose a planogram" and "29 days late" in action.detail
    # the week ahead only: not the shelf check before it, not the fair after it
    assert labels(digest, "meetings") == ["Range review"]
    assert digest.week_start == AS_OF and digest.week_end == dt.date(2026, 7, 6)
    # Own Mart was met on 15 June; Quiet Traders never
    assert labels(digest, "silent") == ["Quiet Traders"]
    assert digest.section("silent").title == "Accounts not contacted in 60 days"
    assert not digest.is_director


@pytest.mark.django_db
def test_the_silent_days_come_from_the_setting(week, users, settings):
    settings.KAM_DIGEST_SILENT_DAYS = 10
    digest = digest_for(users["kam1"], AS_OF)
    assert labels(digest, "silent") == ["Quiet Traders", "Own Mart"]  # never contacted first
    assert digest.section("silent").title == "Accounts not contacted in 10 days"


@pytest.mark.django_db
def test_nothing_late_is_said_in_one_line(week, users):
    digest = digest_for(users["kam2"], AS_OF)
    assert keys(digest)[0] == "nothing_late"
    assert "late" not in "".join(keys(digest)[1:])
    assert digest.section("nothing_late").note.startswith("No overdue accounts")


@pytest.mark.django_db
def test_a_user_with_nothing_to_follow_gets_an_empty_digest(week, users):
    assert digest_for(users["viewer"], AS_OF).empty
    assert digest_for(users["marketing"], AS_OF).empty


@pytest.mark.django_db
def test_a_director_gets_the_portfolio_the_managers_and_the_risks(week, figures, users):
    HealthScore.objects.create(
        account=week["own"],
        snapshot=figures,
        as_of=AS_OF,
        score=31.5,
        level="red",
        revenue=Decimal("12000"),
    )
    digest = digest_for(users["director"], AS_OF)

    assert digest.is_director
    assert keys(digest) == ["portfolio", "kams", "risks"]  # owns no account: no KAM part
    portfolio = {row[0].text: row[1] for row in digest.section("portfolio").rows}
    retention = portfolio["Retention rate"]
    assert retention.value == 1.0 and retention.status == "ok"
    share = portfolio["Key accounts' share of revenue"]
    assert share.status == "high"  # Quiet Traders is the only account that is not key
    managers = {row[0].value: row for row in digest.section("kams").rows}
    assert set(managers) == {"kam1", "kam2"}
    # kam1's shelf check on 15 June is in the four weeks before the week of 30 June
    assert time_window(AS_OF) == (dt.date(2026, 6, 1), dt.date(2026, 6, 28))
    assert managers["kam1"][4].value == 1.0 and managers["kam1"][4].status == "ok"
    assert managers["kam2"][4].value is None and managers["kam2"][4].status == "unknown"
    risk = digest.section("risks").items[0]
    assert risk.label == "Own Mart" and risk.url == reverse("health:account", args=[week["own"].pk])
    assert risk.detail.startswith("health 32 of 100")


@pytest.mark.django_db
def test_open_alerts_come_first(week, users):
    alert = Alert.objects.create(
        account=week["own"],
        rule="commitment_late",
        cause="commitment:1:late",
        evidence="A promise is late.",
        as_of=AS_OF,
        value_at_risk=Decimal("12000"),
    )
    Alert.objects.create(
        account=week["foreign"], rule="x", cause="y", evidence="Not kam1's.", as_of=AS_OF
    )
    digest = digest_for(users["kam1"], AS_OF)
    assert keys(digest)[0] == "alerts"
    section = digest.section("alerts")
    assert section.total == 1
    item = section.items[0]
    assert item.url == reverse("alerts:detail", args=[alert.pk])
    assert item.account == "Own Mart"
    assert "A promise is late." in item.detail


@pytest.mark.django_db
def test_the_digest_speaks_the_users_language_and_calendar(week, users):
    kam1 = users["kam1"]
    kam1.language, kam1.buddhist_era = "th", True
    kam1.save()
    digest = digest_for(kam1, AS_OF)
    assert digest.language == "th"
    detail = digest.section("commitments").items[0].detail
    assert "มิ.ย." in detail and "2569" in detail  # June, in the Buddhist era
    meeting = digest.section("meetings").items[0]
    assert "เยี่ยมลูกค้า" in meeting.detail  # "Visit", from the Thai catalogue


@pytest.mark.django_db
def test_a_user_without_a_language_gets_the_sites(week, users, settings):
    settings.LANGUAGE_CODE = "vi"
    assert digest_for(users["kam1"], AS_OF).language == "vi"
