import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from openkam.analytics.tests import facts
from openkam.metrics import selectors, services
from openkam.metrics.models import (
    AccountMetrics,
    AccountPeriodMetrics,
    SeriesPoint,
    Snapshot,
    SnapshotStatus,
)

from .conftest import AS_OF, publish

pytestmark = pytest.mark.django_db


def test_snapshot_stores_every_account_and_period(history, users):
    snapshot = services.snapshot_create(as_of=AS_OF, actor=users["director"])
    assert snapshot.status == SnapshotStatus.DONE and snapshot.engine == "duckdb"
    own = history["own"]
    year = AccountPeriodMetrics.objects.get(snapshot=snapshot, account=own, period="year")
    assert year.revenue == Decimal("12000.00")  # Jul 2025 – Jun 2026, 1,000 a month
    assert year.margin == Decimal("3600.00")
    state = AccountMetrics.objects.get(snapshot=snapshot, account=own)
    assert state.rhythm == "monthly" and not state.lost
    assert AccountMetrics.objects.get(snapshot=snapshot, account=history["shared"]).lost
    # all four of the world's accounts are key; three of them have sales
    assert snapshot.periods["year"]["headline"]["key_accounts"] == 3
    assert (
        SeriesPoint.objects.filter(snapshot=snapshot, group="portfolio", period="month").count()
        == 12
    )


def test_a_new_snapshot_of_the_same_date_replaces_the_old(history):
    first = services.snapshot_create(as_of=AS_OF)
    second = services.snapshot_create(as_of=AS_OF)
    assert list(Snapshot.objects.values_list("pk", flat=True)) == [second.pk]
    assert not AccountMetrics.objects.filter(snapshot_id=first.pk).exists()


def test_pages_read_the_replacing_snapshot_not_a_cached_one(history):
    first = services.snapshot_create(as_of=AS_OF)
    assert selectors.snapshot_for().pk == first.pk
    assert selectors.snapshot_for() is selectors.snapshot_for()  # parsed once, then shared
    publish([facts.line(history["own"].pk, AS_OF, 5000)], batch_id=2)
    second = services.snapshot_create(as_of=AS_OF)
    latest = selectors.snapshot_for()
    assert latest.pk == second.pk
    assert latest.periods == Snapshot.objects.get(pk=second.pk).periods != first.periods
    Snapshot.objects.all().delete()
    assert selectors.snapshot_for() is None


def test_without_sales_history_it_says_what_to_do(world):
    with pytest.raises(services.NoSalesHistory, match="import order lines first"):
        services.snapshot_create(as_of=AS_OF)
    assert not Snapshot.objects.exists()


def test_a_failure_is_recorded_and_keeps_the_previous_snapshot(history, monkeypatch):
    good = services.snapshot_create(as_of=AS_OF)

    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(services, "compute", broken)
    with pytest.raises(RuntimeError):
        services.snapshot_create(as_of=AS_OF)
    failed = Snapshot.objects.get(status=SnapshotStatus.FAILED)
    assert "engine exploded" in failed.error
    assert Snapshot.objects.filter(pk=good.pk, status=SnapshotStatus.DONE).exists()


def test_kam_analyze_json(history, capsys):
    call_command("analyze", "--as-of", AS_OF.isoformat(), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["as_of"] == "2026-06-30"
    year = summary["portfolio"]["year"]
    assert year["revenue"] == "24000.00"  # 12,000 own + 4 × 3,000 foreign
    assert year["retention_rate"] == pytest.approx(2 / 3)  # shared did not come back
    assert year["abc_xyz"]
    assert set(summary) >= {"bgnbd", "gamma_gamma", "model", "snapshot"}


def test_kam_analyze_refuses_a_bad_date(history):
    with pytest.raises(CommandError, match="2026-06-30"):
        call_command("analyze", "--as-of", "30/06/2026")


def test_the_past_as_of_ignores_later_facts(history):
    snapshot = services.snapshot_create(as_of=dt.date(2025, 6, 30))
    own = AccountPeriodMetrics.objects.get(snapshot=snapshot, account=history["own"], period="year")
    assert own.revenue == Decimal("6000.00")  # January – June 2025


def test_an_import_schedules_a_recompute(history, settings, django_capture_on_commit_callbacks):
    from openkam.sales.services import schedule_analysis

    settings.ANALYZE_AFTER_IMPORT = True
    with django_capture_on_commit_callbacks(execute=True):
        schedule_analysis()  # the immediate task backend runs it at once
    done = Snapshot.objects.filter(status=SnapshotStatus.DONE)
    # today, and the day the history ends (5 June 2026, before today)
    assert sorted(done.values_list("as_of", flat=True))[0] == dt.date(2026, 6, 5)
    assert done.count() == 2


def test_today_is_the_date_where_the_business_is(history, settings, monkeypatch):
    """At 20:00 UTC on 30 June it is already 1 July in Bangkok: as of today means 1 July."""
    from django.utils import timezone

    settings.TIME_ZONE = "Asia/Bangkok"
    evening = dt.datetime(2026, 6, 30, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    snapshot = services.snapshot_create()
    assert snapshot.as_of == dt.date(2026, 7, 1)


def test_kam_analyze_json_prints_the_fitted_model(world, capsys):
    """With enough accounts the BG/NBD and Gamma-Gamma parameters are in the summary."""
    import numpy as np

    from openkam.accounts.models import Account
    from openkam.analytics.tests import facts

    from .conftest import publish

    rng = np.random.default_rng(5)
    accounts = Account.objects.bulk_create(Account(name=f"Buyer {i}") for i in range(60))
    lines = []
    for account in accounts:
        every = int(rng.integers(7, 90))
        day = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 60)))
        while day <= AS_OF:
            lines.append(facts.line(account.pk, day, f"{rng.lognormal(6, 0.5):.2f}"))
            day += dt.timedelta(days=int(rng.poisson(every)) + 1)
    publish(lines)
    call_command("analyze", "--as-of", AS_OF.isoformat(), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["bgnbd"]) >= {"r", "alpha", "a", "b", "time_unit"}
    assert summary["bgnbd"]["time_unit"] == "week"
    assert all(summary["bgnbd"][k] > 0 for k in ("r", "alpha", "a", "b"))
    assert set(summary["gamma_gamma"]) >= {"p", "q", "v"}
    assert summary["model"]["verdict"]


def test_an_import_recomputes_every_stored_date_not_only_today(
    history, settings, django_capture_on_commit_callbacks
):
    """A snapshot of a past date read the facts as they were: after an import it must not
    keep showing the old ones."""
    from openkam.sales.services import schedule_analysis

    past = dt.date(2025, 6, 30)
    before = services.snapshot_create(as_of=past)
    own = history["own"]
    publish([facts.line(own.pk, "2025-06-20", 5000)], batch_id=2)
    settings.ANALYZE_AFTER_IMPORT = True
    with django_capture_on_commit_callbacks(execute=True):
        schedule_analysis()
    after = selectors.snapshot_for(past)
    assert after.pk != before.pk
    year = AccountPeriodMetrics.objects.get(snapshot=after, account=own, period="year")
    assert year.revenue == Decimal("11000.00")  # 6 × 1,000 + the 5,000 imported later
    # and today's, and the day the history ends
    assert Snapshot.objects.filter(status=SnapshotStatus.DONE).count() == 3


def test_history_that_ends_before_today_is_also_analysed_as_of_its_last_day(world):
    """An old export imported today: today's snapshot shows every account lost; the day the
    history ends is analysed too, so the portfolio as it last was is one click away."""
    publish([facts.line(world["own"].pk, "2011-03-05", 100)])
    snapshots = services.snapshots_refresh()
    assert [s.as_of for s in snapshots][1:] == [dt.date(2011, 3, 5)]
    coverage = snapshots[0].periods["year"]["headline"]["coverage"]
    assert coverage["history_end"] == "2011-03-05"
