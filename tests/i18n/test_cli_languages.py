"""The CLI's summaries for people speak KAM_LANGUAGE (English by default): `kam import` and
`kam analyze`, with the numbers written the language's way and the reasons translated."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from openkam.sales.reasons import translate_reason
from openkam.sales.tests.test_import_service import _month_first_file

pytestmark = pytest.mark.django_db


def test_kam_import_and_analyze_speak_vietnamese(tmp_path, capsys):
    path = _month_first_file(tmp_path, days_above_twelve=True)
    with path.open("a") as file:
        file.write("INV-X,12/31/2011 8:26,C-1,twelve,THB\n")
    out = io.StringIO()
    with translation.override("vi"):
        call_command("import", "orders", str(path), stdout=out)
        report = out.getvalue()
        assert re.search(r"^Lô #\d+: month-first.csv$", report, re.M)
        assert "đọc 337 dòng, nhập 336, từ chối 1, trùng lặp 0" in report
        assert re.search(r"mới\) trong \d+,\d giây$", report, re.M)  # 0,4: a decimal comma
        reason = translate_reason("net amount … is not a number")
        assert reason != "net amount … is not a number"
        assert f"       1 × {reason}" in report
        assert "lines read" not in report and "dates:" not in report

        call_command("analyze", "--as-of", "2011-12-31", stdout=io.StringIO())
        printed = capsys.readouterr().out
        assert gettext("Accounts lost now") in printed
        assert "31 thg 12, 2011" in printed  # the date as Vietnamese writes it
        assert "Accounts lost now" not in printed


def test_kam_language_sets_the_clis_language_and_refuses_an_unknown_one():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openkam.config.settings.local"}
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.LANGUAGE_CODE)"
    chosen = subprocess.run(
        [sys.executable, "-c", code], env={**env, "KAM_LANGUAGE": "vi"}, capture_output=True
    )
    assert chosen.stdout.decode().strip() == "vi", chosen.stderr.decode()[-500:]
    unknown = subprocess.run(
        [sys.executable, "-c", code], env={**env, "KAM_LANGUAGE": "de"}, capture_output=True
    )
    assert unknown.returncode != 0
    assert "KAM_LANGUAGE='de' is not one of OpenKAM's languages" in unknown.stderr.decode()
