import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.dossier import selectors, services
from openkam.dossier.models import Area, KeyFigure, PortraitSection

pytestmark = pytest.mark.django_db


def test_key_figure_is_unique_per_year_and_logged(users, world):
    kam, own = users["kam1"], world["own"]
    data = {"year": 2023, "turnover": 1_000_000, "currency": "thb", "source": "Annual report"}
    figure = services.key_figure_create(actor=kam, account=own, data=data)
    assert figure.currency == "THB"
    assert ChangeLogEntry.objects.filter(object_id=figure.pk, account_id=own.pk).exists()
    with pytest.raises(ValidationError, match="already has key figures for this year"):
        services.key_figure_create(actor=kam, account=own, data={"year": 2023, "employees": 5})


def test_key_figure_needs_a_figure_and_a_currency_for_turnover(users, world):
    kam, own = users["kam1"], world["own"]
    with pytest.raises(ValidationError, match="turnover, their employees or both"):
        services.key_figure_create(actor=kam, account=own, data={"year": 2022})
    with pytest.raises(ValidationError, match="which currency"):
        services.key_figure_create(
            actor=kam, account=own, data={"year": 2022, "turnover": 5, "currency": ""}
        )


def test_marketing_edits_the_portrait_but_not_key_figures_or_the_profile(users, world):
    marketing, foreign = users["marketing"], world["foreign"]
    section = services.portrait_section_save(
        actor=marketing, account=foreign, area=Area.CSR, data={"text": "Net zero by 2040"}
    )
    assert section.reviewed_on is not None
    with pytest.raises(PermissionDenied):
        services.key_figure_create(
            actor=marketing, account=foreign, data={"year": 2023, "employees": 10}
        )
    with pytest.raises(PermissionDenied):
        services.account_profile_update(actor=marketing, account=foreign, data={"sites": 3})


def test_a_kam_may_not_touch_a_foreign_dossier(users, world):
    kam, foreign = users["kam1"], world["foreign"]
    with pytest.raises(PermissionDenied):
        services.portrait_section_save(
            actor=kam, account=foreign, area=Area.CSR, data={"text": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.account_profile_update(actor=kam, account=foreign, data={"sites": 3})
    with pytest.raises(PermissionDenied):
        services.portrait_section_save(
            actor=users["viewer"], account=world["own"], area=Area.CSR, data={"text": "x"}
        )


def test_profile_update_creates_then_records_the_difference(users, world):
    kam, own = users["kam1"], world["own"]
    services.account_profile_update(actor=kam, account=own, data={"sites": 120})
    services.account_profile_update(actor=kam, account=own, data={"sites": 130})
    entry = ChangeLogEntry.objects.filter(account_id=own.pk, action="update").latest("id")
    assert entry.changes["sites"]["old"] == 120
    assert entry.changes["sites"]["new"] == 130


def test_review_date_cannot_be_in_the_future(users, world):
    with pytest.raises(ValidationError, match="future"):
        services.portrait_section_save(
            actor=users["kam1"],
            account=world["own"],
            area=Area.CORPORATE,
            data={"text": "Grow", "reviewed_on": timezone.localdate() + dt.timedelta(days=3)},
        )


def test_stale_cutoff_counts_calendar_months():
    assert selectors.stale_cutoff(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert selectors.stale_cutoff(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


def test_sections_are_stale_after_the_setting_and_missing_when_empty(users, world, settings):
    settings.KAM_PORTRAIT_STALE_MONTHS = 6
    own, today = world["own"], dt.date(2026, 12, 1)
    PortraitSection.objects.create(
        account=own, area=Area.CORPORATE, text="Grow", reviewed_on=dt.date(2026, 5, 31)
    )
    PortraitSection.objects.create(
        account=own, area=Area.CATEGORY, text="Traffic builder", reviewed_on=dt.date(2026, 6, 1)
    )
    portrait = selectors.portrait(account=own, today=today)
    by_area = portrait.by_area()
    assert by_area["corporate"].stale and not by_area["category"].stale
    assert by_area["operations"].missing and by_area["csr"].missing
    assert not by_area["origin"].flagged  # origin and culture are not reviewed areas
    assert portrait.flagged
    settings.KAM_PORTRAIT_STALE_MONTHS = 12
    assert not selectors.portrait(account=own, today=today).by_area()["corporate"].stale


def test_stale_list_scopes_to_the_kam_and_drops_complete_portraits(users, world):
    today = timezone.localdate()
    for area in (Area.CORPORATE, Area.CATEGORY, Area.OPERATIONS, Area.CSR):
        PortraitSection.objects.create(
            account=world["shared"], area=area, text="Up to date", reviewed_on=today
        )
    mine = {a.name for a in selectors.stale_portraits(user=users["kam1"])}
    assert mine == {"Own Mart", "Own Mart Vietnam"}  # Shared Stores is complete
    everyone = {a.name for a in selectors.stale_portraits(user=users["director"])}
    assert everyone == {"Own Mart", "Own Mart Vietnam", "Foreign Foods"}


def test_turnover_bars_scale_to_the_largest_year(users, world):
    own = world["own"]
    for year, value in ((2022, 50), (2023, 100)):
        KeyFigure.objects.create(account=own, year=year, turnover=value, currency="THB")
    bars = selectors.turnover_bars(selectors.key_figures(account=own))
    assert [(b.year, b.height) for b in bars] == [(2022, 50.0), (2023, 100.0)]
