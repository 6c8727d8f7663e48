"""Forms of the sales-history import: the upload, and the check of how a file was understood."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from openkam.accounts.currencies import currency_choices
from openkam.facts.formats import EXCEL_SERIAL
from openkam.facts.schema import TARGETS

from .models import ColumnMapping

ACCEPTED_FILES = ".csv,.tsv,.txt,.xlsx"

# Offered next to the format decided from the file and its alternatives.
COMMON_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y%m%d",
)
_EXAMPLE_DAY = dt.date(2024, 12, 31)
_EXCEL_EPOCH = dt.date(1899, 12, 30)

DECIMAL_CHOICES = [(".", _("point — 1234.56")), (",", _("comma — 1234,56"))]
THOUSANDS_CHOICES = [
    ("", _("none — 1234567")),
    (",", _("comma — 1,234,567")),
    (".", _("point — 1.234.567")),
    (" ", _("space — 1 234 567")),
    ("\u00a0", _("no-break space — 1 234 567")),
    ("'", _("apostrophe — 1'234'567")),
]
MAP_PREFIX = "map_"


@contextmanager
def upload_on_disk(upload: UploadedFile) -> Iterator[Path]:
    """The uploaded file as a path (the services read files, not streams); removed after."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.TemporaryDirectory(prefix="openkam-upload-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        yield path


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
        help_text=_(
            "The invoice lines exported from your ERP, as CSV or Excel (.xlsx); the first line "
            "holds the column names."
        ),
    )
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.all(),
        to_field_name="name",
        required=False,
        label=_("Saved mapping"),
        empty_label=_("— guess from the column names —"),
        help_text=_("For a file from the same export as before."),
    )


def date_example(pattern: str) -> str:
    """31 December 2024 written in `pattern`."""
    if pattern == EXCEL_SERIAL:
        return gettext("Excel day number %(n)s") % {"n": (_EXAMPLE_DAY - _EXCEL_EPOCH).days}
    try:
        return _EXAMPLE_DAY.strftime(pattern)
    except ValueError:
        return pattern


class ImportSettingsForm(forms.Form):
    """What each column means, and how dates and numbers are written: guessed from the file,
    checked by a person. One select per target (`map_<target>`), choices = the file's header."""

    date_format = forms.ChoiceField(label=_("Dates are written as"))
    decimal = forms.ChoiceField(label=_("Decimal mark"), choices=DECIMAL_CHOICES)
    thousands = forms.ChoiceField(
        label=_("Thousands separator"), choices=THOUSANDS_CHOICES, required=False
    )
    default_currency = forms.ChoiceField(
        label=_("Currency"),
        help_text=_("Of the lines without a currency column or value."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("A name to reuse these choices for the next file from the same export."),
    )

    def __init__(
        self,
        *args: Any,
        header: list[str],
        mapping: dict[str, str],
        options: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**self.initial_from(mapping, options), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        columns = [("", gettext("— not in this file —"))]
        columns += [(h, h) for h in dict.fromkeys(header) if h]
        self.target_fields = []
        for target in TARGETS:
            name = MAP_PREFIX + target.name
            self.fields[name] = forms.ChoiceField(
                label=gettext(target.label), choices=columns, required=False
            )
            self.target_fields.append(name)
        self.fields["date_format"].choices = self._date_choices(options)
        thousands = options.get("thousands")
        if thousands and thousands not in dict(THOUSANDS_CHOICES):
            self.fields["thousands"].choices = [*THOUSANDS_CHOICES, (thousands, repr(thousands))]
        self.fields["default_currency"].choices = currency_choices()

    @staticmethod
    def initial_from(mapping: dict[str, str], options: dict[str, Any]) -> dict[str, Any]:
        return {
            **{MAP_PREFIX + target: header for target, header in mapping.items()},
            **{key: options.get(key) for key in ("date_format", "decimal", "thousands")},
            "default_currency": options.get("default_currency"),
        }

    @staticmethod
    def _date_choices(options: dict[str, Any]) -> list[tuple[str, str]]:
        decided = options.get("date_format") or ""
        patterns = [
            decided,
            *options.get("date_reads", {}),
            *options.get("date_alternatives", []),
            *COMMON_DATE_FORMATS,
        ]
        choices = [] if decided else [("", gettext("— choose —"))]
        for pattern in dict.fromkeys(p for p in patterns if p):
            choices.append((pattern, f"{date_example(pattern)}  ({pattern})"))
        return choices

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.target_fields]

    def column_map(self) -> dict[str, str]:
        """target → header, for the columns the person mapped."""
        return {
            name.removeprefix(MAP_PREFIX): self.cleaned_data[name]
            for name in self.target_fields
            if self.cleaned_data.get(name)
        }

    def options(self) -> dict[str, Any]:
        keys = ("date_format", "decimal", "thousands", "default_currency")
        return {key: self.cleaned_data[key] for key in keys}
