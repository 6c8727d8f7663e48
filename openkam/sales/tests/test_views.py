"""The import pages: upload, preview and mapping, start, progress, result, rejects, roll back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openkam.sales.models import BatchStatus, ColumnMapping, ImportBatch

pytestmark = pytest.mark.django_db

HEADER = (
    "Invoice No,Invoice Date,Customer No,Customer Name,Item Code,Qty,Unit Price,Net Amount,Currency"
)
# Dates that fit day-first and month-first; one date no format reads; one credit note.
LINES = [
    "INV-1,03/04/2024,C-100,Bangkok Mart,P-1,2,50.00,100.00,USD",
    "INV-2,05/04/2024,C-100,Bangkok Mart,P-2,1,75.50,75.50,USD",
    "INV-3,45/13/2024,C-200,Hanoi Fresh,P-1,3,50.00,150.00,USD",
    "CN-4,07/04/2024,C-200,Hanoi Fresh,P-1,-1,50.00,-50.00,USD",
    "INV-5,11/04/2024,C-300,Manila Foods,P-3,4,10.00,40.00,USD",
]
CSV = "\n".join([HEADER, *LINES]) + "\n"


def upload(client, content: str = CSV, name: str = "sales-2024.csv", **extra):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(reverse("sales:import_create"), {"file": file, **extra})


def uploaded(client, **kwargs) -> ImportBatch:
    response = upload(client, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("pk")


def settings_post(batch: ImportBatch, **changes) -> dict:
    """The mapping form as the page offers it (guessed values), with `changes`."""
    data = {f"map_{target}": header for target, header in batch.mapping.items()}
    data.update({k: batch.options[k] for k in ("date_format", "decimal", "thousands")})
    data["default_currency"] = batch.options["default_currency"]
    data.update(changes)
    return data


def other_date_format(batch: ImportBatch) -> str:
    chosen = batch.options["date_format"]
    return next(f for f in ("%d/%m/%Y", "%m/%d/%Y") if f != chosen)


def start(client, batch, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(batch.get_absolute_url(), settings_post(batch, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch.refresh_from_db()
    return response


def test_empty_list_invites_to_import(login):
    response = login("director").get(reverse("sales:import_list"))
    assert response.status_code == 200
    assert b"No imports yet" in response.content
    assert reverse("sales:import_create").encode() in response.content


def test_list_query_count_does_not_grow_with_rows(login, users, django_assert_max_num_queries):
    ImportBatch.objects.bulk_create(
        ImportBatch(file_name=f"file-{i}.csv", file_sha256="", created_by=users["director"])
        for i in range(30)
    )
    client = login("director")
    client.get(reverse("sales:import_list"))  # warm the session and permission caches
    with django_assert_max_num_queries(6):
        response = client.get(reverse("sales:import_list"))
    assert b"file-29.csv" in response.content and b"30 imports" in response.content


def test_upload_shows_the_preview_and_the_guessed_mapping(login):
    client = login("director")
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == BatchStatus.PENDING and batch.created_by.username == "director"

    page = client.get(batch.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hanoi Fresh" in html and "45/13/2024" in html  # the first lines, as they are
    form = page.context["form"]
    assert form["map_customer_id"].value() == "Customer No"
    assert form["map_invoice_date"].value() == "Invoice Date"
    assert form["map_net_amount"].value() == "Net Amount"
    assert form["map_country"].value() in (None, "")
    assert "— not in this file —" in html
    # 03/04/2024 … 11/04/2024 read either way: the page says so.
    assert batch.options["date_ambiguous"]
    assert "fit both day-first and month-first" in html
    assert page.context["missing"] == []


def test_changed_date_format_is_used_and_the_result_counted(
    login, django_capture_on_commit_callbacks
):
    client = login("director")
    batch = uploaded(client)
    chosen = other_date_format(batch)
    start(client, batch, django_capture_on_commit_callbacks, date_format=chosen)

    assert batch.status == BatchStatus.COMMITTED, batch.error
    assert batch.options["date_format"] == chosen
    assert (batch.rows_read, batch.imported, batch.rejected) == (5, 4, 1)
    assert batch.credit_lines == 1
    assert batch.accounts_created == 3
    if chosen == "%m/%d/%Y":
        assert (batch.first_date, batch.last_date) == (dt.date(2024, 3, 4), dt.date(2024, 11, 4))
    else:
        assert (batch.first_date, batch.last_date) == (dt.date(2024, 4, 3), dt.date(2024, 4, 11))

    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Download rejected lines" in html
    assert "Roll back this import" in html
    assert sum(batch.reasons.values()) == 1
    assert next(iter(batch.reasons)) in html

    rejects = client.get(reverse("sales:import_rejects", args=[batch.pk]))
    assert rejects.status_code == 200
    assert rejects["Content-Type"].startswith("text/csv")
    assert "sales-2024-rejected-lines.csv" in rejects["Content-Disposition"]
    assert b"45/13/2024" in b"".join(rejects.streaming_content)

    listing = client.get(reverse("sales:import_list")).content.decode()
    assert "sales-2024.csv" in listing and "Imported" in listing


def test_an_ambiguous_file_comes_back_to_the_preview_with_the_whole_files_counts(
    login, django_capture_on_commit_callbacks
):
    client = login("director")
    batch = uploaded(client)
    start(client, batch, django_capture_on_commit_callbacks)  # the guess, unchanged
    assert batch.status == BatchStatus.PENDING  # nothing imported: a person has to choose
    assert batch.imported == 0
    assert batch.options["date_reads"] == {"%d/%m/%Y": 4, "%m/%d/%Y": 4}
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "4 of the file&#x27;s 5 dates fit both %d/%m/%Y and %m/%d/%Y (no day is above" in page
    assert "The file's 5 dates, read by each format" in page
    # answering the question, even with the proposed format, is a choice: the import runs
    start(client, batch, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.imported, batch.rejected) == (4, 1)
    assert "date_question" not in batch.options


def test_roll_back_asks_first_then_rolls_back(login, django_capture_on_commit_callbacks):
    client = login("director")
    batch = uploaded(client)
    start(client, batch, django_capture_on_commit_callbacks, date_format=other_date_format(batch))
    confirm = client.get(reverse("sales:import_delete", args=[batch.pk]))
    assert confirm.status_code == 200
    assert b"Roll back sales-2024.csv?" in confirm.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sales:import_delete", args=[batch.pk]))
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DELETED
    assert b"was rolled back" in client.get(batch.get_absolute_url()).content


def test_invalid_settings_answer_400_and_keep_the_choices(login):
    client = login("director")
    batch = uploaded(client)
    chosen = other_date_format(batch)
    data = settings_post(
        batch,
        date_format=chosen,
        map_customer_id="",
        map_customer_name="",
        thousands=".",
        decimal=".",
        save_as="Our ERP",
    )
    response = client.post(batch.get_absolute_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Map at least a customer (id or name)" in html
    assert "must differ from the decimal one" in html
    form = response.context["form"]
    assert form["date_format"].value() == chosen
    assert form["save_as"].value() == "Our ERP"
    assert form["map_customer_id"].value() == ""
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING
    assert not ColumnMapping.objects.exists()


def test_saved_mapping_is_offered_at_the_next_upload(login, django_capture_on_commit_callbacks):
    client = login("director")
    batch = uploaded(client)
    start(
        client, batch, django_capture_on_commit_callbacks, save_as="Our ERP", map_customer_name=""
    )
    saved = ColumnMapping.objects.get(name="Our ERP")
    assert "customer_name" not in saved.mapping

    assert b"Our ERP" in client.get(reverse("sales:import_create")).content
    second = uploaded(client, mapping="Our ERP", name="again.csv")
    assert second.mapping == saved.mapping


def test_unreadable_file_is_refused_next_to_the_field(login):
    response = upload(login("director"), content="", name="empty.csv")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    response = upload(login("director"), content="%PDF-1.4 nonsense", name="report.pdf")
    assert response.status_code == 400
    assert "PDF" in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_progress_polls_while_running_and_reloads_when_done(login):
    client = login("director")
    batch = ImportBatch.objects.create(
        file_name="big.csv",
        file_sha256="",
        status=BatchStatus.RUNNING,
        progress=0.42,
        phase="reading",
    )
    url = reverse("sales:import_progress", args=[batch.pk])
    page = client.get(batch.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page

    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "HX-Refresh" not in partial
    assert b'<progress max="100" value="42"' in partial.content
    assert b"reading" in partial.content and b"<html" not in partial.content

    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.COMMITTED, progress=1)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_failed_import_shows_the_error_and_a_hint(login):
    batch = ImportBatch.objects.create(
        file_name="odd.csv", file_sha256="", status=BatchStatus.FAILED, error="Boom in line 7"
    )
    html = login("director").get(batch.get_absolute_url()).content.decode()
    assert "The import failed" in html and "Boom in line 7" in html
    assert "upload it again" in html


def test_no_rejects_no_download(login):
    batch = ImportBatch.objects.create(
        file_name="clean.csv",
        file_sha256="",
        status=BatchStatus.COMMITTED,
        rows_read=3,
        imported=3,
    )
    client = login("director")
    assert b"Download rejected lines" not in client.get(batch.get_absolute_url()).content
    assert client.get(reverse("sales:import_rejects", args=[batch.pk])).status_code == 404


def test_a_key_account_manager_may_not_import(login):
    client = login("kam1")
    batch = ImportBatch.objects.create(file_name="x.csv", file_sha256="")
    assert client.get(reverse("sales:import_list")).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(batch.get_absolute_url()).status_code == 403
    assert client.post(batch.get_absolute_url(), {}).status_code == 403
    assert client.post(reverse("sales:import_delete", args=[batch.pk])).status_code == 403
    assert ImportBatch.objects.get().status == BatchStatus.PENDING
    assert b"/imports/" not in client.get(reverse("accounts:list")).content


def test_nav_shows_imports_to_directors(login):
    assert b'href="/imports/"' in login("director").get(reverse("accounts:list")).content
