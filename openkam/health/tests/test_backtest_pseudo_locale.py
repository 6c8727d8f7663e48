"""The weights page with a backtest and its preview, in the pseudo language: no English left
unmarked (the project-wide pseudo-locale test sees it without old enough scores)."""

import pytest
from django.urls import reverse

from tests.i18n.conftest import extracted_messages  # noqa: F401 (fixture)
from tests.i18n.test_pseudo_locale import (  # noqa: F401 (fixtures)
    PSEUDO,
    Allowed,
    database_strings,
    in_pseudo,
    pseudo_locale,
    visible_fragments,
)

from . import backtest_world
from .test_backtest_views import form_data


@pytest.mark.django_db
def test_weights_page_and_backtest_preview_are_translated(in_pseudo, users, login):  # noqa: F811
    backtest_world.build()
    client = login("director")
    found = {}
    pages = [
        (reverse("health:weights"), {}),
        (reverse("health:backtest"), {**form_data(weight_revenue_growth="0"), "preview": "1"}),
        (reverse("health:backtest"), {"as_of": "2026-01-31"}),
    ]
    for url, params in pages:
        response = client.get(url, params, headers={"accept-language": PSEUDO})
        assert response.status_code == 200
        allowed = Allowed(database_strings())
        for fragment in visible_fragments(response.content.decode()):
            if allowed.leftover(fragment):
                found[fragment] = url
    assert not found, found
