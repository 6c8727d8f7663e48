"""History imported today, analysed as of a date long before: the user's path, end to end.

The CDNOW sample (2,357 customers' purchases, January 1997 – June 1998) as a new user would
import it: `customer_id,order_date,quantity,amount`, no currency, no document type. Every
account is created today by the import; as of 1997-09-30 (the 39-week calibration period of
the papers) the engine must still see every one of them, and the repeat-purchase model must
give the published estimates:

- BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426 (Fader, Hardie & Lee 2005, "Counting your
  customers the easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2));
- Gamma-Gamma p = 6.25, q = 3.74, v = 15.44 (Fader, Hardie & Lee 2005, "RFM and CLV: using
  iso-value curves for customer base analysis", JMR 42(4), on the same calibration data).

The data file comes from the `lifetimes` package (a dev dependency, installed for its data
files only); see `openkam/analytics/clv/tests/test_cdnow.py` for how it is found.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from openkam.metrics.models import AccountMetrics, AccountPeriodMetrics

pytestmark = pytest.mark.django_db

CALIBRATION_END = dt.date(1997, 9, 30)


@pytest.fixture
def cdnow_csv(tmp_path) -> Path:
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        reason = "the lifetimes package (dev dependency, for its CDNOW data) is not installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}. Under CI=true these tests must run, not be skipped.")
        pytest.skip(reason)
    source = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "CDNOW_sample.txt"
    path = tmp_path / "sample.csv"
    with source.open() as lines, path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["customer_id", "order_date", "quantity", "amount"])
        for line in lines:
            _, customer, day, quantity, amount = line.split()
            writer.writerow([customer, f"{day[:4]}-{day[4:6]}-{day[6:]}", quantity, amount])
    return path


def kam(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_imported_today_analysed_in_1997_gives_every_account_and_the_published_model(
    cdnow_csv,
):
    imported = kam("import", "orders", str(cdnow_csv))
    assert (imported["imported"], imported["accounts_created"]) == (6919, 2357)

    summary = kam("analyze", "--as-of", CALIBRATION_END.isoformat())

    assert summary["accounts"] == 2357
    month = summary["portfolio"]["month"]
    assert month["accounts_active"] == month["accounts_with_revenue"] == 168
    assert month["retention_rate"] is not None
    bgnbd = summary["bgnbd"]
    assert bgnbd["time_unit"] == "week" and bgnbd["accounts"] == 2357
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert {k: bgnbd[k] for k in published} == pytest.approx(published, rel=0.01)
    gamma_gamma = summary["gamma_gamma"]
    assert gamma_gamma["accounts"] == 946
    published = {"p": 6.25, "q": 3.74, "v": 15.44}
    assert {k: gamma_gamma[k] for k in published} == pytest.approx(published, rel=0.01)
    assert summary["model"]["usable"] and summary["model"]["verdict"]

    # every per-account metric is there for the past date: rhythm, lapse and the model
    states = AccountMetrics.objects.filter(snapshot=summary["snapshot"])
    assert states.count() == 2357
    assert states.filter(prob_alive__isnull=False).count() == 2357
    assert states.filter(first_purchase__isnull=False).count() == 2357
    assert states.filter(overdue=True).exists() and states.filter(rhythm="").count() < 2357
    buyers = AccountPeriodMetrics.objects.filter(
        snapshot=summary["snapshot"], period="quarter", active=True
    )
    assert buyers.count() == summary["portfolio"]["quarter"]["accounts_active"] > 0


# -- periods the imported history does not cover ------------------------------------------

RETAIL_START, RETAIL_AS_OF = dt.date(2010, 12, 1), dt.date(2011, 12, 9)


@pytest.fixture
def retail_snapshot(world):
    """The Online Retail shape: the history starts on 1 December 2010 and is analysed as of
    its last day, 9 December 2011. The world's accounts buy from the first week."""
    from openkam.analytics.tests import facts
    from openkam.metrics import services

    from .conftest import publish

    lines = []
    for account, amount in ((world["own"], 1000), (world["foreign"], 400)):
        day = RETAIL_START
        while day <= RETAIL_AS_OF:
            lines.append(facts.line(account.pk, day, amount))
            day += dt.timedelta(days=7)
    publish(lines)
    return services.snapshot_create(as_of=RETAIL_AS_OF)


def test_no_growth_figure_against_a_period_the_history_covers_in_part(
    retail_snapshot, login, world
):
    from django.urls import reverse

    summary = kam("analyze", "--as-of", RETAIL_AS_OF.isoformat())
    year = summary["portfolio"]["year"]
    assert float(year["revenue_prev"]) > 0  # nine days of December 2010
    assert year["growth_prev"] is None and year["growth_year_ago"] is None
    note = "history starts 2010-12-01: no full previous period"
    assert year["growth_notes"]["growth_prev"] == note
    assert year["coverage"]["previous"] == "partial"
    assert summary["portfolio"]["month"]["growth_prev"] is not None  # November is covered

    director = login("director")
    portfolio = director.get(reverse("api:portfolio"), {"period": "year"}).json()
    assert portfolio["growth_prev"] is None and portfolio["growth_notes"]["growth_prev"] == note
    assert portfolio["coverage"]["history_start"] == "2010-12-01"
    filtered = director.get(reverse("api:portfolio"), {"period": "year", "country": "TH"})
    assert filtered.json()["growth_prev"] is None
    assert filtered.json()["growth_notes"]["growth_prev"] == note
    accounts = director.get(reverse("api:metrics-accounts"), {"period": "year"}).json()
    assert accounts["results"] and all(a["growth_prev"] is None for a in accounts["results"])

    html = director.get(reverse("portfolio:cockpit"), {"period": "year"}).content.decode()
    assert note in html and "2,5" not in html.split('id="growth-prev-note"')[1][:200]
    assert "it is not counted as new" in html
    assert 'class="no-history"' in html
    assert (
        'id="xyz-history-note"' in html and 'id="history-ended"' not in html
    )  # the years before the history are not zero sales
    assert [p["covered"] for p in portfolio["series"]] == ["full", "partial", "none"]
    export = director.get(
        reverse("portfolio:cockpit"), {"period": "year", "format": "csv", "table": "series"}
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "History covers the period" in text and "not at all" in text
    workload = director.get(reverse("keyaccounts:workload"))
    managed = [row.figures for row in workload.context["rows"] if row.figures]
    assert any(f.revenue for f in managed)
    assert all(f.growth is None for f in managed)
    assert year["new"] == 0  # both accounts bought in the history's first week


def test_a_stated_history_start_makes_the_comparison(world, settings):
    """KAM_HISTORY_START: the export covered 2009 and 2010 although nothing sold before
    December 2010 — then growth on the 12 months before is a real figure."""
    from openkam.analytics.tests import facts
    from openkam.metrics import services

    from .conftest import publish

    settings.HISTORY_START = dt.date(2009, 1, 1)
    publish(
        [
            facts.line(world["own"].pk, "2010-12-05", 100),
            facts.line(world["own"].pk, "2011-12-05", 300),
        ]
    )
    summary = services.snapshot_create(as_of=RETAIL_AS_OF)
    year = summary.periods["year"]["headline"]
    assert year["coverage"]["previous"] == "full"
    kam_summary = kam("analyze", "--as-of", RETAIL_AS_OF.isoformat())
    assert kam_summary["portfolio"]["year"]["growth_prev"] == pytest.approx(2.0)
    assert kam_summary["portfolio"]["year"]["growth_notes"] == {}


def test_key_accounts_as_of_a_past_date_follow_the_nomination_dates(world, users, login):
    """Own Mart was de-nominated in 2011 and is active today; a new account was nominated
    only today; Foreign Foods is key with no decision on record. As of 2010-12-31 the key
    accounts are Own Mart and Foreign Foods — in the engine, the filtered figures and the API."""
    from django.urls import reverse

    from openkam.accounts.services import account_create
    from openkam.analytics.tests import facts
    from openkam.keyaccounts.services import account_denominate, account_nominate
    from openkam.metrics import services

    from .conftest import publish

    director = users["director"]
    account_denominate(
        actor=director, account=world["own"], reason="shrank", decided_on=dt.date(2011, 6, 1)
    )
    late = account_create(
        actor=director, data={"name": "Late Key", "country": "TH"}, owner=users["kam1"]
    )
    account_nominate(actor=director, account=late, owner=users["kam1"], reason="big now")
    as_of = dt.date(2010, 12, 31)
    publish(
        [
            facts.line(world["own"].pk, "2010-06-05", 600),
            facts.line(world["foreign"].pk, "2010-06-05", 300),
            facts.line(late.pk, "2010-06-05", 100),
        ]
    )
    snapshot = services.snapshot_create(as_of=as_of)
    year = snapshot.periods["year"]["headline"]
    assert year["key_accounts"] == 2
    assert year["key_account_share"] == pytest.approx(0.9)  # (600 + 300) / 1,000

    director_client = login("director")
    filtered = director_client.get(
        reverse("api:portfolio"), {"as_of": as_of.isoformat(), "country": "TH"}
    ).json()
    assert (filtered["key_accounts"], filtered["key_account_share"]) == (2, pytest.approx(0.9))
    rows = director_client.get(
        reverse("api:metrics-accounts"), {"as_of": as_of.isoformat()}
    ).json()["results"]
    flags = {row["account"]["name"]: (row["is_key"], row["account"]["status"]) for row in rows}
    assert flags["Own Mart"] == (True, "active")
    assert flags["Late Key"] == (False, "key")
    assert flags["Foreign Foods"] == (True, "key")


def test_the_cockpit_of_today_points_to_the_day_an_old_history_ends(retail_snapshot, login):
    from django.urls import reverse

    from openkam.metrics import services

    services.snapshots_refresh()  # today, 2011-12-09 again, and the last sale's day
    html = login("director").get(reverse("portfolio:cockpit")).content.decode()
    # the accounts buy weekly from 1 December 2010: the last purchase is on 7 December 2011
    assert "The imported sales history ends on 2011-12-07" in html
    assert "as_of=2011-12-07" in html and "See the portfolio as of 2011-12-07" in html
