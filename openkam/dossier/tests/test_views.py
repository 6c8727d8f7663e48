import datetime as dt
import logging
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.core.pdf import render_pdf
from openkam.dossier.models import Area, KeyFigure, PortraitSection

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (fonts sit in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_dossier_tab_shows_figures_portrait_and_stale_flags(login, world):
    own = world["own"]
    KeyFigure.objects.create(account=own, year=2023, turnover=100, currency="THB", source=XSS)
    PortraitSection.objects.create(
        account=own, area=Area.CORPORATE, text=XSS, reviewed_on=dt.date(2020, 1, 1)
    )
    response = login("kam1").get(reverse("dossier:account", args=[own.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert XSS not in html and "&lt;script&gt;" in html
    assert 'data-flag="stale"' in html and 'data-flag="missing"' in html
    assert "<svg" in html and reverse("dossier:pdf", args=[own.pk]) in html


def test_editing_a_section_reviews_it_today(login, world):
    own = world["own"]
    PortraitSection.objects.create(
        account=own, area=Area.CSR, text="Old", reviewed_on=dt.date(2020, 1, 1)
    )
    url = reverse("dossier:portrait_section", args=[own.pk, "csr"])
    client = login("kam1")
    response = client.post(
        url, {"text": "ลดพลาสติก 50%", "source": "Annual report", "reviewed_on": ""}
    )
    assert response.status_code == 302
    section = PortraitSection.objects.get(account=own, area="csr")
    assert section.text == "ลดพลาสติก 50%" and section.reviewed_on is None  # cleared on purpose
    client.post(url, {"text": "ลดพลาสติก 50%", "reviewed_on": timezone.localdate().isoformat()})
    section.refresh_from_db()
    assert section.reviewed_on == timezone.localdate()
    assert client.get(reverse("dossier:portrait_section", args=[own.pk, "nope"])).status_code == 404


def test_key_figure_form_shows_the_duplicate_year(login, world):
    own = world["own"]
    KeyFigure.objects.create(account=own, year=2023, employees=1)
    response = login("kam1").post(
        reverse("dossier:key_figure_create", args=[own.pk]),
        {"year": 2023, "employees": 2, "currency": "THB"},
    )
    assert response.status_code == 400
    assert "already has key figures" in response.content.decode()


def test_stale_list_pins_its_queries_and_exports(login, world, django_assert_max_num_queries):
    client = login("director")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dossier:stale"))
    assert response.status_code == 200
    assert "Foreign Foods" in response.content.decode()
    export = client.get(reverse("dossier:stale") + "?format=csv")
    assert b"Foreign Foods" in b"".join(export.streaming_content)
    mine = login("kam1").get(reverse("dossier:stale")).content.decode()
    assert "Foreign Foods" not in mine and "Own Mart" in mine


def test_the_dossier_pdf_embeds_sarabun_for_thai_text(login, world, caplog):
    own = world["own"]
    PortraitSection.objects.create(
        account=own, area=Area.CULTURE, text="วัฒนธรรมองค์กรแบบครอบครัว " + XSS
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = login("kam1").get(reverse("dossier:pdf", args=[own.pk]))
    assert response.status_code == 200
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]  # every glyph found
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="dossier-own-mart.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/FontName /[A-Z]{6}\+Sarabun", _pdf_text(pdf))
    assert login("kam1").get(reverse("dossier:pdf", args=[world["foreign"].pk])).status_code == 404


def test_user_text_is_escaped_in_the_printed_html(world, users, rf):
    """The PDF is printed from HTML rendered with autoescaping: a tag typed in a portrait is
    text, never markup (it would otherwise be dropped or styled by the printer)."""
    from django.template.loader import render_to_string

    from openkam.dossier import selectors

    own = world["own"]
    PortraitSection.objects.create(account=own, area=Area.CULTURE, text=XSS)
    html = render_to_string(
        "dossier/print/_portrait.html",
        {"account": own, "portrait": selectors.portrait(account=own)},
    )
    assert XSS not in html and "&lt;script&gt;" in html
    assert render_pdf(None, "print/base.html", {}).startswith(b"%PDF")


def test_the_dossier_tab_pins_its_queries(login, world, django_assert_max_num_queries):
    own = world["own"]
    for year in range(2015, 2025):
        KeyFigure.objects.create(account=own, year=year, turnover=year, currency="THB")
    for area in Area:
        PortraitSection.objects.create(account=own, area=area, text="Known")
    client = login("kam1")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("dossier:account", args=[own.pk])).status_code == 200
