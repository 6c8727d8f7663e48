"""What OpenKAM seeds into the database (department kinds) shows in the reader's language;
what an administrator types shows as typed."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from openkam.stakeholders.models import DepartmentKind

pytestmark = pytest.mark.django_db


def test_seeded_department_kinds_are_translated():
    buying = DepartmentKind.objects.get(code="buying")
    with translation.override("vi"):
        assert str(buying) == gettext("Merchandising / buying") != "Merchandising / buying"
    with translation.override("en"):
        assert str(buying) == "Merchandising / buying"


def test_a_renamed_or_added_kind_shows_as_the_administrator_typed_it():
    buying = DepartmentKind.objects.get(code="buying")
    buying.name = "Category management"
    buying.save()
    added = DepartmentKind.objects.create(code="logistics", name="Logistika")
    with translation.override("th"):
        assert str(buying) == "Category management"
        assert str(added) == "Logistika"
