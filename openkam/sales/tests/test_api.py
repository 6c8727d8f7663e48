"""/api/imports/: upload, start (with corrections), follow, download rejects, roll back."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from openkam.sales.models import BatchStatus, ImportBatch

from .test_views import CSV, HEADER, LINES

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def _as(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return _as


def post_file(client, content: bytes = CSV.encode(), name: str = "sales.csv", **data):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/api/imports/", {"file": file, **data}, format="multipart")


def test_upload_and_start_at_once(api, django_capture_on_commit_callbacks):
    client = api("director")
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_file(client, start="true")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["preview"]["header"] == HEADER.split(",")
    assert len(body["preview"]["rows"]) == 5
    assert body["preview"]["missing"] == []
    assert body["start_errors"] is None
    assert body["mapping"]["customer_id"] == "Customer No"

    # The task ran once the request's transaction committed: every date of the file fits
    # day-first and month-first, so nothing was imported and the batch waits for a choice.
    waiting = client.get(f"/api/imports/{body['id']}/").json()
    assert waiting["status"] == "pending" and waiting["imported"] == 0
    assert waiting["options"]["date_reads"] == {"%d/%m/%Y": 4, "%m/%d/%Y": 4}
    assert "no day is above 12" in waiting["options"]["date_question"]
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/api/imports/{body['id']}/start/", {"options": {"date_format": "%d/%m/%Y"}}
        )
    assert started.status_code == 202, started.json()
    done = client.get(f"/api/imports/{body['id']}/").json()
    assert done["options"]["date_question"] is None
    assert done["status"] == "committed"
    assert (done["rows_read"], done["imported"], done["rejected"]) == (5, 4, 1)
    assert done["credit_lines"] == 1
    assert done["created_by"] == "director"
    assert done["progress"] == 1.0
    assert done["rejects_url"].endswith(f"/api/imports/{body['id']}/rejects/")
    assert client.get("/api/imports/").json()["count"] == 1


def test_upload_without_start_waits(api):
    body = post_file(api("director")).json()
    assert body["status"] == "pending"
    assert body["options"]["decimal"] == "."
    assert ImportBatch.objects.get().status == BatchStatus.PENDING


def test_start_with_a_mapping_override(api, django_capture_on_commit_callbacks):
    client = api("director")
    created = post_file(client).json()
    mapping = {**created["mapping"]}
    mapping.pop("customer_id")  # customers by name only
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/api/imports/{created['id']}/start/",
            {"mapping": mapping, "options": {"date_format": "%m/%d/%Y"}, "save_as": "ERP"},
            format="json",
        )
    assert answer.status_code == 202, answer.json()
    batch = ImportBatch.objects.get(pk=created["id"])
    assert batch.status == BatchStatus.COMMITTED, batch.error
    assert "customer_id" not in batch.mapping
    assert batch.options["date_format"] == "%m/%d/%Y"
    assert str(batch.first_date) == "2024-03-04"
    assert batch.imported == 4

    again = client.post(f"/api/imports/{created['id']}/start/", {}, format="json")
    assert again.status_code == 400


def test_start_refuses_an_incomplete_mapping(api):
    client = api("director")
    created = post_file(client).json()
    answer = client.post(
        f"/api/imports/{created['id']}/start/",
        {"mapping": {"customer_name": "Customer Name"}, "options": {"decimal": ";"}},
        format="json",
    )
    assert answer.status_code == 400
    assert "decimal" in answer.json()["options"]
    answer = client.post(
        f"/api/imports/{created['id']}/start/",
        {"mapping": {"customer_name": "Customer Name", "colour": "Qty"}},
        format="json",
    )
    assert answer.status_code == 400
    assert "Unknown fields: colour" in str(answer.json()["mapping"])
    assert ImportBatch.objects.get().status == BatchStatus.PENDING


def test_start_true_with_missing_fields_stays_pending(api):
    content = b"Customer,Amount\nBangkok Mart,100\n"
    body = post_file(api("director"), content=content, start="true").json()
    assert body["status"] == "pending"
    assert body["preview"]["missing"]
    assert body["start_errors"]["mapping"]


def test_rejects_download_and_roll_back(api, django_capture_on_commit_callbacks):
    client = api("director")
    with django_capture_on_commit_callbacks(execute=True):
        created = post_file(client).json()
        client.post(
            f"/api/imports/{created['id']}/start/", {"options": {"date_format": "%d/%m/%Y"}}
        )
    rejects = client.get(f"/api/imports/{created['id']}/rejects/")
    assert rejects.status_code == 200
    assert rejects["Content-Type"].startswith("text/csv")
    assert b"45/13/2024" in b"".join(rejects.streaming_content)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.delete(f"/api/imports/{created['id']}/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "deleted"


def test_no_rejects_is_404(api, django_capture_on_commit_callbacks):
    client = api("director")
    clean = "\n".join([HEADER, LINES[0], LINES[1]]) + "\n"
    with django_capture_on_commit_callbacks(execute=True):
        created = post_file(client, content=clean.encode(), start="true").json()
    assert ImportBatch.objects.get().rejected == 0
    assert client.get(f"/api/imports/{created['id']}/").json()["rejects_url"] is None
    assert client.get(f"/api/imports/{created['id']}/rejects/").status_code == 404
    refused = client.get(f"/api/imports/{created['id']}/rejects/", HTTP_ACCEPT="text/csv")
    assert refused.status_code == 404


@pytest.mark.parametrize("content", [os.urandom(4096), b"\x00\x01\x02", b"", b"PK\x03\x04xx"])
def test_random_bytes_are_a_400(api, content):
    answer = post_file(api("director"), content=content, name="noise.bin")
    assert answer.status_code == 400, answer.content
    assert "file" in answer.json()
    assert not ImportBatch.objects.exists()


def test_unknown_saved_mapping_is_a_400(api):
    answer = post_file(api("director"), mapping_name="Nope")
    assert answer.status_code == 400
    assert "No saved mapping" in str(answer.json()["mapping"])


def test_a_viewer_is_refused_and_changes_nothing(api):
    batch = ImportBatch.objects.create(file_name="x.csv", file_sha256="")
    client = api("viewer")
    assert client.get("/api/imports/").status_code == 403
    assert client.get(f"/api/imports/{batch.pk}/").status_code == 403
    assert post_file(client).status_code == 403
    assert client.post(f"/api/imports/{batch.pk}/start/", {}, format="json").status_code == 403
    assert client.delete(f"/api/imports/{batch.pk}/").status_code == 403
    assert ImportBatch.objects.get().status == BatchStatus.PENDING


def test_anonymous_is_told_to_authenticate(db):
    answer = APIClient().get("/api/imports/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"
