import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.keyaccounts.models import Handover, NominationDecision, QualificationWeights
from openkam.keyaccounts.services import (
    account_nominate,
    account_rate,
    account_three_ps_record,
    account_type_set,
)

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [a.name for a in response.context["page"].object_list]


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# -- Candidates ---------------------------------------------------------------------------------


@pytest.fixture
def candidates(users, world, make_candidate, prospect):
    """Three candidates: a prospect passing the three P's, a rated active account, and an
    unrated one; plus a lost account (not a candidate) and the world's key accounts."""
    kam1 = users["kam1"]
    account_three_ps_record(
        actor=kam1,
        account=prospect,
        answers=dict.fromkeys(("need", "solvency", "authority"), ("yes", "Seen at the trade fair")),
    )
    rated = make_candidate("Belgrade Foods", country="RS")
    account_rate(actor=users["director"], account=rated, ratings={"fit": (5, "All our range")})
    account_type_set(actor=users["director"], account=rated, type="image_maker", reason="Famous")
    make_candidate("=Quiet Co", country="TH")
    make_candidate("Lost Ltd", status="lost")
    return prospect, rated


def test_candidates_are_ranked_and_exclude_key_and_lost(login, candidates):
    response = login("director").get(reverse("keyaccounts:candidates"))
    assert names(response) == ["Mekong Hotels", "Belgrade Foods", "=Quiet Co"]
    html = response.content.decode()
    assert "Image-maker" in html
    assert "Need ✓" in html
    assert 'href="/key-accounts/' in html and "Nominate" in html


def test_candidates_for_a_kam_are_their_own(login, candidates):
    response = login("kam1").get(reverse("keyaccounts:candidates"))
    assert names(response) == ["Mekong Hotels"]
    assert ">Nominate<" not in response.content.decode()


def test_candidate_filters_and_htmx(login, candidates):
    client = login("director")
    assert names(client.get(reverse("keyaccounts:candidates"), {"country": "RS"})) == [
        "Belgrade Foods"
    ]
    partial = client.get(reverse("keyaccounts:candidates"), {"q": "Quiet"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Quiet Co" in partial.content


def test_candidate_export_applies_the_filters_and_neutralises(login, candidates):
    client = login("director")
    rows = xlsx_rows(
        client.get(reverse("keyaccounts:candidates"), {"format": "xlsx", "country": "TH"})
    )
    assert rows[0][:3] == ["Name", "External id", "Status"]
    assert [r[0] for r in rows[1:]] == ["'=Quiet Co"]
    every = csv_rows(client.get(reverse("keyaccounts:candidates"), {"format": "csv"}))
    assert [r[0] for r in every[1:]] == ["Mekong Hotels", "Belgrade Foods", "'=Quiet Co"]
    mekong = every[1]
    header = every[0]
    assert mekong[header.index("P's passed")] == "3"
    assert mekong[header.index("Need for the offer")] == "Yes"


def test_candidates_empty_state(login, users):
    response = login("director").get(reverse("keyaccounts:candidates"))
    assert b"No candidates" in response.content


def test_candidate_list_query_count_is_flat(
    login, candidates, make_candidate, django_assert_max_num_queries
):
    for i in range(30):
        make_candidate(f"Filler {i:02d}")
    client = login("director")
    client.get(reverse("keyaccounts:candidates"))
    # the ranking reads the candidates once, the snapshot and the weights, then the page
    with django_assert_max_num_queries(9):
        client.get(reverse("keyaccounts:candidates"))


# -- Nomination pages -----------------------------------------------------------------------------


def test_nominate_form_validates_then_nominates(login, users, candidate):
    client = login("director")
    url = reverse("keyaccounts:nominate", args=[candidate.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Managers&#x27; capacity" in page.content or b"Managers' capacity" in page.content
    refused = client.post(url, {"owner": users["kam1"].pk, "decided_on": "2025-01-10"})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    done = client.post(
        url,
        {"owner": users["kam1"].pk, "decided_on": "2025-01-10", "reason": "Regional leader"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("keyaccounts:account", args=[candidate.pk])
    candidate.refresh_from_db()
    assert candidate.status == AccountStatus.KEY
    decision = NominationDecision.objects.get()
    assert decision.reason == "Regional leader"
    assert str(decision.decided_on) == "2025-01-10"


def test_nominate_over_capacity_asks_for_confirmation(login, users, world, candidate):
    users["kam1"].max_key_accounts = 1
    users["kam1"].save()
    client = login("director")
    url = reverse("keyaccounts:nominate", args=[candidate.pk])
    data = {"owner": users["kam1"].pk, "decided_on": "2025-01-10", "reason": "Stretch"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "kam1 already looks after 1 key accounts" in refused.content.decode()
    assert refused.context["form"]["reason"].value() == "Stretch"  # input kept
    assert client.post(url, {**data, "override_capacity": "on"}).status_code == 302
    assert NominationDecision.objects.get().capacity_override


def test_nominating_a_key_account_shows_why_not(login, world):
    response = login("director").get(reverse("keyaccounts:nominate", args=[world["own"].pk]))
    assert b"already a key account" in response.content
    assert b'name="reason"' not in response.content


def test_denominate_page(login, world):
    client = login("director")
    url = reverse("keyaccounts:denominate", args=[world["foreign"].pk])
    assert client.post(url, {"decided_on": "2025-02-01"}).status_code == 400
    assert (
        client.post(url, {"decided_on": "2025-02-01", "reason": "Lost the tender"}).status_code
        == 302
    )
    world["foreign"].refresh_from_db()
    assert world["foreign"].status == AccountStatus.ACTIVE


def test_reassign_page_and_the_note_on_the_account(login, users, world):
    client = login("director")
    url = reverse("keyaccounts:reassign", args=[world["own"].pk])
    form = client.get(url)
    owners = [u.username for u in form.context["form"].fields["owner"].queryset]
    assert "kam1" not in owners and "kam2" in owners
    assert client.post(url, {"owner": users["kam2"].pk}).status_code == 400
    done = client.post(url, {"owner": users["kam2"].pk, "note": "Tender opens in March."})
    assert done.status_code == 302
    assert Handover.objects.get().note == "Tender opens in March."
    tab = client.get(reverse("keyaccounts:account", args=[world["own"].pk])).content.decode()
    assert "Tender opens in March." in tab
    panel = client.get(reverse("keyaccounts:panel", args=[world["own"].pk])).content.decode()
    assert "Tender opens in March." in panel
    history = client.get(reverse("accounts:history", args=[world["own"].pk])).content.decode()
    assert "Tender opens in March." in history


# -- Qualification pages ----------------------------------------------------------------------


def test_type_page(login, world):
    client = login("kam1")
    url = reverse("keyaccounts:type", args=[world["own"].pk])
    assert b"Image-maker" in client.get(url).content
    assert client.post(url, {"type": "expert"}).status_code == 400
    assert client.post(url, {"type": "expert", "reason": "Audits our plant"}).status_code == 302
    assert (
        b"Audits our plant"
        in client.get(reverse("keyaccounts:account", args=[world["own"].pk])).content
    )


def test_three_ps_page_records_only_what_changed(login, prospect):
    client = login("kam1")
    url = reverse("keyaccounts:three_ps", args=[prospect.pk])
    unchanged = {
        "need_answer": "unknown",
        "solvency_answer": "unknown",
        "authority_answer": "unknown",
    }
    nothing = client.post(url, unchanged)
    assert nothing.status_code == 400
    assert "Nothing changed" in nothing.content.decode()
    no_evidence = client.post(url, {**unchanged, "need_answer": "yes"})
    assert "needs its evidence" in no_evidence.content.decode()
    done = client.post(url, {**unchanged, "need_answer": "yes", "need_evidence": "RFQ received"})
    assert done.status_code == 302
    assert prospect.prospect_assessments.get().criterion == "need"
    again = client.get(url)
    assert again.context["form"]["need_evidence"].value() == "RFQ received"


def test_ratings_page(login, world):
    client = login("kam1")
    url = reverse("keyaccounts:ratings", args=[world["own"].pk])
    assert "Nothing changed" in client.post(url, {}).content.decode()
    assert "Say what the rating rests on" in client.post(url, {"fit_score": "4"}).content.decode()
    assert (
        "Select a valid choice"
        in client.post(url, {"fit_score": "9", "fit_comment": "x"}).content.decode()
    )
    assert client.post(url, {"fit_score": "4", "fit_comment": "Whole range"}).status_code == 302
    assert world["own"].qualification_ratings.get().score == 4


def test_panel_shows_state_and_the_actions_allowed(login, world):
    account_type_set(
        actor=world["own"].team.get(role=TeamRole.OWNER).user,
        account=world["own"],
        type="supporter",
        reason="15 % of revenue",
    )
    kam = login("kam1").get(reverse("keyaccounts:panel", args=[world["own"].pk])).content.decode()
    assert "Supporter" in kam and "15 % of revenue" in kam
    assert "Set the type" in kam and "Reassign" not in kam and "De-nominate" not in kam


def test_panel_for_a_director(login, world):
    html = login("director").get(reverse("keyaccounts:panel", args=[world["own"].pk])).content
    assert b"Reassign" in html and b"De-nominate" in html
    assert b"<html" not in html


def test_account_page_links_to_the_key_account_panel_and_tab(login, world):
    html = login("viewer").get(reverse("accounts:detail", args=[world["own"].pk])).content.decode()
    assert reverse("keyaccounts:panel", args=[world["own"].pk]) in html
    assert reverse("keyaccounts:account", args=[world["own"].pk]) in html


def test_key_account_tab_empty_states(login, world):
    html = login("viewer").get(reverse("keyaccounts:account", args=[world["own"].pk])).content
    assert b"No nomination decisions for this account." in html
    assert b"Never handed over." in html
    assert b"Not rated yet." in html
    assert b"Set the type" not in html


# -- Nominations list, workload, weights ------------------------------------------------------------


def test_nominations_list_and_export(login, users, candidate, make_candidate):
    other = make_candidate("Novi Sad Market")
    account_nominate(actor=users["director"], account=candidate, owner=users["kam1"], reason="-Big")
    account_nominate(actor=users["director"], account=other, owner=users["kam2"], reason="Leader")
    client = login("director")
    assert len(names_of_decisions(client.get(reverse("keyaccounts:nominations")))) == 2
    filtered = client.get(reverse("keyaccounts:nominations"), {"owner": "kam1", "format": "csv"})
    rows = csv_rows(filtered)
    assert len(rows) == 2
    assert rows[1][1] == "Chao Phraya Retail"
    assert rows[1][5] == "'-Big"  # neutralised
    empty = client.get(reverse("keyaccounts:nominations"), {"kind": "denominate"})
    assert b"No decision matches these filters." in empty.content


def names_of_decisions(response) -> list[str]:
    return [d.account.name for d in response.context["page"].object_list]


def test_a_kam_sees_only_decisions_on_their_accounts(login, users, candidate, make_candidate):
    other = make_candidate("Novi Sad Market")
    account_nominate(actor=users["director"], account=candidate, owner=users["kam1"], reason="R")
    account_nominate(actor=users["director"], account=other, owner=users["kam2"], reason="R")
    assert names_of_decisions(login("kam1").get(reverse("keyaccounts:nominations"))) == [
        "Chao Phraya Retail"
    ]


def test_workload_counts_and_warns(login, users, world):
    users["kam2"].max_key_accounts = 2
    users["kam2"].save()
    users["kam1"].max_key_accounts = 5
    users["kam1"].save()
    response = login("director").get(reverse("keyaccounts:workload"))
    rows = {r.user.username: r for r in response.context["rows"]}
    assert set(rows) == {"kam1", "kam2"}
    assert rows["kam1"].key_count == 1 and rows["kam1"].capacity.headroom == 4
    assert rows["kam2"].key_count == 3 and rows["kam2"].capacity.over
    html = response.content.decode()
    assert "1 manager is over capacity" in html
    assert "Reassign" in html
    exported = xlsx_rows(login("viewer").get(reverse("keyaccounts:workload"), {"format": "xlsx"}))
    assert exported[0][:5] == ["Manager", "Name", "Key accounts", "Maximum", "Headroom"]
    kam2 = next(r for r in exported if r[0] == "kam2")
    assert kam2[2:6] == [3, 2, -1, True]  # headroom stays a negative number


def test_workload_is_not_for_kams(login, world):
    assert login("kam1").get(reverse("keyaccounts:workload")).status_code == 403


def test_weights_page(login, users):
    client = login("director")
    page = client.get(reverse("keyaccounts:weights"))
    assert page.context["form"] is not None
    assert b"Not set yet" in page.content
    zeros = dict.fromkeys(
        ["fit", "relationship", "culture", "repurchase_frequency", "volume", "price_discipline"], 0
    )
    refused = client.post(reverse("keyaccounts:weights"), zeros)
    assert refused.status_code == 400
    assert "not all zero" in refused.content.decode()
    negative = client.post(reverse("keyaccounts:weights"), {**zeros, "fit": -2})
    assert "greater than or equal to 0" in negative.content.decode()
    done = client.post(reverse("keyaccounts:weights"), {**zeros, "fit": 2, "volume": 1})
    assert done.status_code == 302
    assert QualificationWeights.objects.get().fit == 2
    kam = login("kam1").get(reverse("keyaccounts:weights"))
    assert kam.context["form"] is None
    assert b"67%" in kam.content  # fit's share: 2 of 3, as CLDR writes it in English


def test_navigation_links_to_key_accounts(login, users):
    html = login("kam1").get(reverse("accounts:list")).content.decode()
    assert reverse("keyaccounts:candidates") in html


def test_account_visibility_after_nomination_through_the_pages(login, users, candidate):
    login("director").post(
        reverse("keyaccounts:nominate", args=[candidate.pk]),
        {"owner": users["kam2"].pk, "decided_on": "2025-01-10", "reason": "R"},
    )
    assert Account.objects.get(pk=candidate.pk).status == AccountStatus.KEY
    assert login("kam2").get(reverse("accounts:detail", args=[candidate.pk])).status_code == 200
    assert login("kam1").get(reverse("accounts:detail", args=[candidate.pk])).status_code == 404


def test_list_query_counts_do_not_grow_with_rows(
    login, users, world, make_candidate, django_assert_max_num_queries
):
    for i in range(12):
        account = make_candidate(f"Candidate {i:02d}")
        account_nominate(
            actor=users["director"], account=account, owner=users["kam2"], reason="Grows fast"
        )
    client = login("director")
    # the workload and the candidates also look up the latest metrics snapshot (none here)
    limits = {"keyaccounts:workload": 7, "keyaccounts:nominations": 6, "keyaccounts:candidates": 8}
    for name, limit in limits.items():
        client.get(reverse(name))  # warm the session and permission caches
        with django_assert_max_num_queries(limit):
            client.get(reverse(name))
