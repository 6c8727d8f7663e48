"""The health pages with scores, in the pseudo language: no English left unmarked (the
project-wide pseudo-locale test sees them without scores)."""

import pytest
from django.urls import reverse

from openkam.health import services
from tests.i18n.conftest import extracted_messages  # noqa: F401 (fixture)
from tests.i18n.test_pseudo_locale import (  # noqa: F401 (fixtures)
    PSEUDO,
    Allowed,
    database_strings,
    in_pseudo,
    pseudo_locale,
    visible_fragments,
)


@pytest.mark.django_db
def test_health_pages_with_scores_are_translated(in_pseudo, world, snapshot, login):  # noqa: F811
    services.health_recompute(snapshot)
    client = login("director")
    found = {}
    for url in (
        reverse("health:list"),
        reverse("health:account", args=[world["foreign"].pk]),
        reverse("health:account", args=[world["own"].pk]),
    ):
        response = client.get(url, headers={"accept-language": PSEUDO})
        assert response.status_code == 200
        allowed = Allowed(database_strings())
        for fragment in visible_fragments(response.content.decode()):
            if allowed.leftover(fragment):
                found[fragment] = url
    assert not found, found
