"""A KAM creates this year's account plan from the account page and adds an action to it; an
action past its due date shows as overdue; another KAM gets a 404."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.plans.models import PlanAction

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(context, username):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_kam_plans_an_account_and_adds_an_action(browser, live_server):
    world = make_world(make_users())
    year = timezone.localdate().year
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = _login(context, "kam1")
    page.goto(f"/accounts/{world['own'].pk}/")
    page.locator("nav.tabs").get_by_role("link", name="Account plan", exact=True).click()
    page.get_by_role("link", name=f"Create the plan for {year}").click()
    page.get_by_label("Revenue target").fill("120000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#completeness")).to_be_visible()

    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Objective").fill("Win the snack aisle")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action").fill("Propose a planogram")
    page.get_by_label("Due date").fill(timezone.localdate().isoformat())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#objectives")).to_contain_text("Propose a planogram")
    expect(page.locator("#objectives .overdue")).to_have_count(0)

    action = PlanAction.objects.get()
    PlanAction.objects.filter(pk=action.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    page.reload()
    expect(page.locator("#objectives tr.overdue")).to_contain_text("Overdue")
    plan_url = page.url.split("#")[0]

    other = _login(browser.new_context(base_url=live_server.url), "kam2")
    response = other.goto(plan_url)
    assert response.status == 404
    context.close()
