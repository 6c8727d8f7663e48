"""The import's reasons in the reader's language: the import page, the API and the rejects
download (whose raw fields stay as the file had them)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from rest_framework.test import APIClient

from openkam.facts import reasons
from openkam.sales.models import ImportBatch
from openkam.sales.reasons import translate_reason

from .test_api import post_file
from .test_views import HEADER, LINES

pytestmark = pytest.mark.django_db

# One date no format reads, one quantity that is not a number, one line with a field too many.
CSV = (
    "\n".join(
        [
            HEADER,
            *LINES,
            "INV-6,12/04/2024,C-300,Manila Foods,P-3,four,10.00,40.00,USD",
            "INV-7,13/04/2024,C-300,Manila Foods,P-3,1,10.00,10.00,USD,extra",
        ]
    )
    + "\n"
)


@pytest.fixture
def batch(users, django_capture_on_commit_callbacks) -> ImportBatch:
    client = APIClient()
    client.force_authenticate(users["director"])
    with django_capture_on_commit_callbacks(execute=True):
        created = post_file(client, CSV.encode()).json()
        client.post(
            f"/api/imports/{created['id']}/start/", {"options": {"date_format": "%d/%m/%Y"}}
        )
    batch = ImportBatch.objects.get(pk=created["id"])
    assert batch.rejected == 3, batch.reasons
    return batch


def vietnamese(message: str, context: str | None = None) -> str:
    with translation.override("vi"):
        text = pgettext(context, message) if context else gettext(message)
    assert text != message, f"{message!r} has no Vietnamese translation"
    return text


def test_a_reason_is_translated_with_its_values_and_field():
    with translation.override("vi"):
        text = translate_reason('quantity "four" is not a number')
        assert text == gettext(reasons.NOT_A_NUMBER) % {
            "field": gettext("Quantity").lower(),
            "value": "four",
        }
        assert "four" in text and text != 'quantity "four" is not a number'
        assert translate_reason("not one of ours") == "not one of ours"


def test_the_import_page_shows_the_reasons_in_the_readers_language(login, users, batch):
    users["director"].language = "vi"
    users["director"].save()
    html = login("director").get(batch.get_absolute_url()).content.decode()
    assert vietnamese(reasons.CSV_ERRORS["TOO MANY COLUMNS"]) in html
    with translation.override("vi"):
        assert translate_reason("quantity … is not a number") in html
    assert "is not a number" not in html


def test_the_api_answers_the_reasons_in_accept_language(users, batch):
    client = APIClient()
    client.force_authenticate(users["director"])
    english = client.get(f"/api/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["reasons"] == batch.reasons
    answer = client.get(f"/api/imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert sum(answer["reasons"].values()) == 3
    assert vietnamese(reasons.CSV_ERRORS["TOO MANY COLUMNS"]) in answer["reasons"]


def read(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_rejects_download_is_translated_and_keeps_the_raw_fields(login, users, batch):
    users["director"].language = "vi"
    users["director"].save()
    text = read(login("director").get(reverse("sales:import_rejects", args=[batch.pk])))
    assert text.startswith("\ufeff")
    header, *rows = csv.reader(io.StringIO(text[1:]))
    assert header[:3] == [
        vietnamese("line", "rejects file column"),
        vietnamese("reason", "rejects file column"),
        vietnamese("raw_line", "rejects file column"),
    ]
    assert header[3:] == HEADER.split(",")
    by_line = {int(row[0]): row for row in rows}
    assert set(by_line) == {4, 7, 8}
    with translation.override("vi"):
        assert by_line[4][1] == translate_reason(
            'invoice date "45/13/2024" is not a date in the format DD/MM/YYYY'
        )
    assert by_line[4][3:] == LINES[2].split(",")  # the file's own fields, untouched
    assert by_line[8][2].endswith(",extra")  # a line the reader could not split, whole
    assert all("is not" not in row[1] for row in rows)


def test_in_english_the_download_is_the_file_with_a_byte_order_mark(login, batch):
    text = read(login("director").get(reverse("sales:import_rejects", args=[batch.pk])))
    assert text == "\ufeff" + batch.rejects_path.read_text(encoding="utf-8")
    assert "is not a date in the format DD/MM/YYYY" in text
