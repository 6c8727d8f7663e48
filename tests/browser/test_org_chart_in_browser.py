"""A KAM rearranges the org chart by dragging a person under another manager; a circle is
refused with a message; another KAM does not see the chart at all."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.stakeholders.models import Stakeholder
from openkam.stakeholders.services import stakeholder_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


CORNER = {"x": 3, "y": 3}  # a card's edge, away from its link and its "reports to" list


def _login(page, username):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_kam_drags_a_stakeholder_under_another_manager(browser, live_server):
    users = make_users()
    world = make_world(users)
    account = world["own"]
    head = stakeholder_create(
        actor=users["director"], account=account, data={"name": "Head of Operations"}
    )
    manager = stakeholder_create(
        actor=users["director"],
        account=account,
        data={"name": "Store Manager", "reports_to": head, "attitude": "supporter"},
    )
    buyer = world["own_person"]

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _login(page, "kam1")
    page.goto(f"/stakeholders/for-account/{account.pk}/org-chart/")
    expect(page.locator(f"#person-{manager.pk}")).to_contain_text("Supporter")

    page.locator(f"#person-{buyer.pk}").drag_to(
        page.locator(f"#person-{manager.pk}"), source_position=CORNER, target_position=CORNER
    )
    expect(page.locator("#org-chart-status")).to_contain_text("reports to Store Manager now")
    page.reload()
    # now nested under the manager's card
    nested = page.locator(f".org-node[data-id='{manager.pk}'] .org-node[data-id='{buyer.pk}']")
    expect(nested).to_have_count(1)
    assert Stakeholder.objects.get(pk=buyer.pk).reports_to_id == manager.pk

    # the head of operations under their own report: a circle, refused with the message
    page.locator(f"#person-{head.pk}").drag_to(
        page.locator(f"#person-{manager.pk}"), source_position=CORNER, target_position=CORNER
    )
    expect(page.locator("#org-chart-status")).to_contain_text(
        "This would make the org chart a circle."
    )
    assert Stakeholder.objects.get(pk=head.pk).reports_to_id is None
    context.close()

    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = other.new_page()
    _login(page, "kam2")
    response = page.goto(f"/stakeholders/for-account/{account.pk}/org-chart/")
    assert response.status == 404
    other.close()
