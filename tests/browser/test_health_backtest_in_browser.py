"""A director opens the health weights, previews the backtest with one weight changed and sees
it change (AUC 0.73 → 1.00), then saves the weights, which queues the recompute; a KAM may not
open the page."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users
from openkam.health.models import HealthWeights
from openkam.health.tests import backtest_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return context, page


def test_a_director_changes_a_weight_and_sees_the_backtest_change(
    browser, live_server, monkeypatch
):
    make_users()
    history = backtest_world.build()
    queued = []

    class Recompute:  # the task, recorded: it would recompute these hand-made scores away
        @staticmethod
        def enqueue(snapshot_id):
            queued.append(snapshot_id)

    monkeypatch.setattr("openkam.health.tasks.recompute", Recompute)

    context, page = _login(browser, live_server, "director")
    page.goto("/health/")
    page.get_by_role("link", name="Weights and backtest").click()
    expect(page.get_by_role("heading", name="Health weights and backtest")).to_be_visible()
    expect(page.locator("#auc-stored")).to_have_text("0.73")
    expect(page.locator("#calibration")).to_contain_text("75%")  # 3 of 4 scored 40–60
    expect(page.locator("#auc-preview")).to_have_count(0)

    page.get_by_label("Revenue growth").fill("0")
    page.get_by_role("button", name="Preview the backtest").click()
    expect(page.locator("#auc-preview")).to_have_text("1.00")
    expect(page.locator("#auc-stored")).to_have_text("0.73")
    expect(page.locator("#recall-preview")).to_have_text("100%")
    expect(page.locator("svg.backtest-chart rect.preview")).to_have_count(5)

    # an impossible threshold: the preview says so, nothing is saved
    page.get_by_label("Amber from").fill("80")
    page.get_by_role("button", name="Preview the backtest").click()
    expect(page.get_by_text("Correct the weights to preview their backtest.")).to_be_visible()
    page.get_by_label("Amber from").fill("45")

    page.get_by_label("Note").fill("Growth misled us")
    page.get_by_role("button", name="Save the weights").click()
    expect(page.get_by_text("Weights saved.")).to_be_visible()
    expect(page.locator("#weights-in-force tr[data-key=revenue_growth]")).to_contain_text("0.0")
    context.close()

    weights = HealthWeights.objects.get()
    assert weights.weights["revenue_growth"] == 0 and weights.note == "Growth misled us"
    assert queued == [history["snapshot"].pk]

    other, page = _login(browser, live_server, "kam1")
    assert page.goto("/health/weights/").status == 403
    page.goto("/health/")
    expect(page.get_by_role("link", name="Weights and backtest")).to_have_count(0)
    other.close()
