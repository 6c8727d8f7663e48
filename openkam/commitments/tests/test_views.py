"""The pages: the account's Promises tab with its quick forms, the one-click buttons, the two
lists with their filters, figures and exports, and their query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.commitments.models import Commitment, CustomerRequest

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = dt.timedelta
HTMX = {"HTTP_HX_REQUEST": "true"}


def _late(make_commitment, account, owner, n=1, **extra):
    return [
        make_commitment(
            account,
            owner=owner,
            description=f"Late promise {i}",
            promised_on=TODAY - D(days=30),
            due_on=TODAY - D(days=5 + i),
            **extra,
        )
        for i in range(n)
    ]


def test_the_promises_tab(login, users, world, make_commitment, make_request):
    own = world["own"]
    (late,) = _late(make_commitment, own, users["kam1"])
    make_commitment(own, description="<b>Soon</b>", promised_on=TODAY, due_on=TODAY + D(days=3))
    make_request(own, received_at=timezone.now() - D(days=20), subject="Old quote")
    client = login("kam1")
    page = client.get(reverse("commitments:account", args=[own.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="commitment-{late.pk}" class="late"' in html
    assert "5 days late" in html
    assert "&lt;b&gt;Soon" in html and "<b>Soon" not in html
    assert "Old quote" in html and "waiting" in html and "overdue" in html
    assert 'data-testid="late-count">1<' in html
    assert "Quick add a commitment" in html and reverse("commitments:done", args=[late.pk]) in html
    viewer = login("viewer").get(reverse("commitments:account", args=[own.pk])).content.decode()
    assert "Quick add" not in viewer and "Mark done" not in viewer
    assert login("kam2").get(reverse("commitments:account", args=[own.pk])).status_code == 404


def test_quick_add_with_htmx(login, users, world):
    own = world["own"]
    client = login("kam1")
    url = reverse("commitments:create", args=[own.pk])
    body = {"quick": "1", "direction": "ours", "description": "Send the planogram"}
    body |= {"due_on": (TODAY + D(days=7)).isoformat(), "owner": users["kam1"].pk}
    answer = client.post(url, body, **HTMX)
    assert answer.status_code == 200 and "Send the planogram" in answer.content.decode()
    assert answer.content.decode().lstrip().startswith('<section class="card" id="commitments">')
    assert Commitment.objects.get(description="Send the planogram").author == users["kam1"]
    refused = client.post(url, {**body, "description": "", "due_on": ""}, **HTMX)
    assert refused.status_code == 200 and "has-error" in refused.content.decode()
    assert client.post(url, {**body, "due_on": ""}).status_code == 400  # without HTMX: the page
    assert client.post(url, body).status_code == 302
    request_url = reverse("commitments:request_create", args=[own.pk])
    moment = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    made = client.post(
        request_url,
        {"quick": "1", "kind": "sample", "subject": "Samples please", "received_at": moment}
        | {"owner": users["kam1"].pk},
        **HTMX,
    )
    assert made.status_code == 200 and "Samples please" in made.content.decode()
    assert CustomerRequest.objects.filter(subject="Samples please", account=own).exists()


def test_one_click_done_answer_close(login, users, world, make_commitment, make_request):
    own = world["own"]
    (late,) = _late(make_commitment, own, users["kam1"])
    client = login("kam1")
    row = client.post(reverse("commitments:done", args=[late.pk]), {"list": "1"}, **HTMX)
    html = row.content.decode()
    assert row.status_code == 200 and html.startswith(f'<tr id="commitment-{late.pk}"')
    assert "Mark done" not in html and "Own Mart" in html  # the list's row, with its account
    late.refresh_from_db()
    assert (late.status, late.done_on) == ("done", TODAY)
    asked = make_request(own, received_at=timezone.now() - D(hours=2))
    back = client.post(
        reverse("commitments:request_answer", args=[asked.pk]), {"next": "/requests/?kind=quote"}
    )
    assert back.status_code == 302 and back["Location"] == "/requests/?kind=quote"
    asked.refresh_from_db()
    assert asked.first_answered_at is not None and asked.closed_at is None
    evil = client.post(
        reverse("commitments:request_close", args=[asked.pk]), {"next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("commitments:account", args=[own.pk])
    asked.refresh_from_db()
    assert asked.closed_at is not None
    assert login("viewer").post(reverse("commitments:done", args=[late.pk])).status_code == 403


def test_the_commitment_list(login, users, world, make_commitment, django_assert_max_num_queries):
    kam1, kam2 = users["kam1"], users["kam2"]
    _late(make_commitment, world["own"], kam1, n=3)
    _late(make_commitment, world["shared"], kam2, n=2, direction="theirs")
    for i in range(25):
        make_commitment(
            world["own"], description=f"Later {i}", promised_on=TODAY, due_on=TODAY + D(days=i)
        )
    client = login("kam1")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("commitments:list"))
    html = page.content.decode()
    assert "28 commitments" in html  # only mine by default
    assert html.index("Late promise 2") < html.index("Later 0")  # late first
    everyone = client.get(reverse("commitments:list"), {"mine": ""}).content.decode()
    assert "30 commitments" in everyone
    director = login("director").get(reverse("commitments:list")).content.decode()
    assert "30 commitments" in director
    theirs = client.get(reverse("commitments:list"), {"mine": "", "direction": "theirs"})
    assert "2 commitments" in theirs.content.decode()
    late = client.get(reverse("commitments:list"), {"late": "true", "owner": "kam1"})
    assert "3 commitments" in late.content.decode()
    due = {"mine": "", "due_from": TODAY.isoformat(), "due_until": (TODAY + D(days=4)).isoformat()}
    assert "5 commitments" in client.get(reverse("commitments:list"), due).content.decode()
    bad = client.get(reverse("commitments:list"), {"due_from": "soon"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    export = client.get(reverse("commitments:list"), {"mine": "", "format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Late promise 0" in text and "Shared Stores" in text
    assert client.get(reverse("commitments:list"), {"format": "xlsx"}).status_code == 200


def test_the_request_list(login, users, world, make_request, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(30):
        make_request(
            world["own"],
            subject=f"Quote {i}",
            received_at=now - D(days=i + 7),  # a week or more: past the target
            first_answered_at=now - D(days=i) if i % 3 else None,
        )
    make_request(world["shared"], owner=users["kam2"], subject="<i>Samples</i>", kind="sample")
    client = login("kam1")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("commitments:requests"))
    html = page.content.decode()
    assert "31 requests" in html and "<svg" in html and "kam2" in html
    assert "&lt;i&gt;Samples" in html
    overdue = client.get(reverse("commitments:requests"), {"state": "overdue"}).content.decode()
    assert "10 requests" in overdue
    assert "Answered" in overdue  # the one-click button
    export = client.get(reverse("commitments:requests"), {"format": "csv", "owner": "kam2"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "<i>Samples</i>" in text and "Quote 1" not in text
    old = client.get(reverse("commitments:requests"), {"received_until": "2020-01-01"})
    assert "0 requests" in old.content.decode()
    partial = client.get(reverse("commitments:requests"), {"kind": "quote"}, **HTMX)
    assert "<html" not in partial.content.decode() and "30 requests" in partial.content.decode()


def test_the_full_forms(login, users, world, make_commitment, make_request):
    own = world["own"]
    row = make_commitment(own)
    client = login("kam1")
    form = client.get(reverse("commitments:update", args=[row.pk]))
    assert form.status_code == 200 and "Send the price list" in form.content.decode()
    data = {
        "direction": "ours",
        "description": "Send the price list",
        "owner": users["kam1"].pk,
        "promised_on": "2026-01-05",
        "due_on": "2026-01-20",
        "status": "done",
        "done_on": "",
    }
    refused = client.post(reverse("commitments:update", args=[row.pk]), data)
    assert refused.status_code == 400 and "done" in refused.content.decode()
    saved = client.post(
        reverse("commitments:update", args=[row.pk]), {**data, "done_on": "2026-01-19"}
    )
    assert saved.status_code == 302
    asked = make_request(own, received_at=timezone.now() - D(days=1))
    assert client.get(reverse("commitments:request_update", args=[asked.pk])).status_code == 200
    gone = client.post(reverse("commitments:request_delete", args=[asked.pk]))
    assert gone.status_code == 302 and not CustomerRequest.objects.filter(pk=asked.pk).exists()
