"""The directors' weights page with its backtest, the preview, saving, and the API."""

import pytest
from django.urls import reverse

from openkam.health.models import HealthWeights
from openkam.health.weights_forms import WeightsForm
from openkam.metrics.models import Snapshot, SnapshotStatus

from . import backtest_world

AS_OF = backtest_world.AS_OF


@pytest.fixture
def history(db):
    return backtest_world.build()


def form_data(**changes) -> dict:
    data = {
        key: value
        for key, value in WeightsForm.initial_from(HealthWeights()).items()
        if value is not None
    }
    data.update(note="", as_of=AS_OF.isoformat())
    data.update(changes)
    return data


def test_only_directors_and_admins_see_the_page(history, login):
    assert login("kam1").get(reverse("health:weights")).status_code == 403
    assert login("viewer").get(reverse("health:backtest")).status_code == 403
    assert login("admin").get(reverse("health:weights")).status_code == 200


def test_page_shows_weights_and_the_backtest_of_the_default_date(
    history, login, django_assert_max_num_queries
):
    client = login("director")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("health:weights"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="weights-in-force"' in html and "Purchase rhythm" in html
    assert 'name="weight_purchase_rhythm" value="3.0"' in html
    assert 'id="auc-stored">0.73<' in html
    assert 'id="auc-preview"' not in html
    assert "<svg" in html and 'class="stored"' in html
    assert f'value="{AS_OF.isoformat()}" selected' in html


def test_preview_rescores_with_the_forms_weights(history, login):
    client = login("director")
    panel = client.get(
        reverse("health:backtest"), {**form_data(weight_revenue_growth="0"), "preview": "1"}
    )
    html = panel.content.decode()
    assert panel.status_code == 200
    assert 'id="auc-stored">0.73<' in html and 'id="auc-preview">1.00<' in html
    assert 'id="recall-preview">100%<' in html
    assert 'class="preview"' in html  # the preview's bars beside the stored ones


def test_preview_with_invalid_weights_says_so(history, login):
    data = form_data(green_from="40", amber_from="60")
    html = login("director").get(reverse("health:backtest"), {**data, "preview": "1"})
    assert "Correct the weights" in html.content.decode()


def test_a_too_recent_date_is_explained(history, login):
    html = login("director").get(reverse("health:backtest"), {"as_of": "2026-01-31"})
    text = html.content.decode()
    assert 'id="backtest-error"' in text and "on or before" in text


def test_page_without_old_enough_scores(db, login):
    html = login("director").get(reverse("health:weights")).content.decode()
    assert "No stored health scores are old enough" in html


def test_saving_sets_the_weights_and_queues_the_recompute(
    history, login, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []

    class Task:
        @staticmethod
        def enqueue(snapshot_id):
            queued.append(snapshot_id)

    monkeypatch.setattr("openkam.health.tasks.recompute", Task)
    Snapshot.objects.create(as_of="2026-06-30", status=SnapshotStatus.DONE)
    client = login("director")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("health:weights"), form_data(weight_coverage="5", note="More coverage")
        )
    assert response.status_code == 302
    row = HealthWeights.objects.get()
    assert row.weights["coverage"] == 5 and row.note == "More coverage"
    assert row.created_by.username == "director"
    assert len(queued) == 2
    page = client.get(reverse("health:weights")).content.decode()
    assert "More coverage" in page and "recomputed" in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"weight_coverage": "-1"}, "greater than or equal to 0"),
        ({"green_from": "50", "amber_from": "50"}, "Amber must start below green"),
        ({"green_from": "101"}, "less than or equal to 100"),
    ],
)
def test_saving_refuses_invalid_weights(history, login, changes, error):
    response = login("director").post(reverse("health:weights"), form_data(**changes))
    assert response.status_code == 400 and error in response.content.decode()
    assert not HealthWeights.objects.exists()


def test_saving_refuses_all_zero(history, login):
    zeros = {k: "0" for k in form_data() if k.startswith("weight_")}
    response = login("director").post(reverse("health:weights"), form_data(**zeros))
    assert response.status_code == 400 and "not all zero" in response.content.decode()


def test_kams_may_not_save(history, login):
    assert login("kam1").post(reverse("health:weights"), form_data()).status_code == 403


def test_api_backtest(history, login):
    client = login("director")
    body = client.get("/api/health/backtest/", {"as_of": AS_OF.isoformat()}).json()
    assert body["auc"] == pytest.approx(11 / 15) and body["accounts"] == 8
    assert body["red"]["precision"] == 0.0 and len(body["calibration"]) == 5
    assert body["left_out"]["no_revenue_before"] == 1
    rescored = client.get(
        "/api/health/backtest/", {"as_of": AS_OF.isoformat(), "weights": "revenue_growth:0"}
    ).json()
    assert rescored["auc"] == 1.0 and rescored["rescored"] is True


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"as_of": "not-a-date"},
        {"as_of": "2026-03-31"},  # too recent
        {"as_of": "2024-01-31"},  # no scores stored on or before
        {"as_of": AS_OF.isoformat(), "weights": "nope=1"},
        {"as_of": AS_OF.isoformat(), "green_from": "40", "amber_from": "60"},
    ],
)
def test_api_backtest_refuses(history, login, params):
    assert login("director").get("/api/health/backtest/", params).status_code == 400


def test_api_backtest_counts_only_visible_accounts(history, login):
    body = login("kam1").get("/api/health/backtest/", {"as_of": AS_OF.isoformat()}).json()
    assert body["accounts"] == 0 and body["auc"] is None
