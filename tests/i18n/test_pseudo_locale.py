"""Every visible string of every page goes through the translation catalogue.

A pseudo language (`xx`) translates each message into itself between markers, ``⟦…⟧``. Its
catalogue is made the way translators get theirs: `makemessages` over a copy of the `openkam`
package, then every msgstr set to the marked msgid and compiled with Babel. Django's and the
other installed apps' own messages (month names, form widgets, country names) are marked the
same way: they come translated with those packages, not from us.

Every HTML page of the permission matrix is then rendered in the pseudo language, as a role that
may see it, once without and once with a metrics snapshot (the cockpit's charts, the scorecards).
Whatever visible text is left once the marked segments are cut out must be data or symbols; an
English word left over is a string somebody forgot to mark.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.numbers import get_currency_name, list_currencies
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import trans_real
from django_countries import countries

from openkam.accounts.models import Account, AccountTeamMember, Segment
from openkam.activities.models import Activity
from openkam.alerts.models import Alert, AlertSettings
from openkam.briefs.models import NegotiationBrief
from openkam.catalog.models import Product, ProductCategory
from openkam.commitments.models import Commitment, CustomerRequest
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.core import formatting
from openkam.dossier.models import AccountProfile, KeyFigure, PortraitSection
from openkam.growth.models import GrowthOpportunity, WalletEstimate
from openkam.health.models import HealthWeights
from openkam.keyaccounts.models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)
from openkam.losses.models import AccountLoss
from openkam.marketing.models import Programme, ProgrammeStep, TargetList
from openkam.plans.models import (
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)
from openkam.portfolio.tests.conftest import history, snapshot  # noqa: F401 (fixtures)
from openkam.sales.models import BatchStatus, ColumnMapping, ImportBatch
from openkam.sales.services import batch_preview
from openkam.satisfaction.models import SurveyResponse
from openkam.sellout.models import SelloutImport, SelloutMonth
from openkam.stakeholders.models import Department, DepartmentKind, Stakeholder
from openkam.tenders.models import Tender
from openkam.timesplit.models import TimeEntry
from openkam.users.models import User
from openkam.winback.models import Campaign
from tests.i18n.extraction import PACKAGE, read_catalogue
from tests.test_permission_matrix import HTML_RULES, OWNERSHIP, ROLES, _client_for, _target

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"


# --- the pseudo catalogue ---------------------------------------------------------------------


def mark(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def _third_party_catalogues() -> list[Path]:
    """The English (else any) catalogue of Django and of every installed app not ours."""
    roots = [Path(django.__file__).parent / "conf"] + [
        Path(config.path) for config in apps.get_app_configs() if config.name != "openkam"
    ]
    found = []
    for root in roots:
        if str(root).startswith(str(PACKAGE)):
            continue
        candidates = sorted((root / "locale").glob("*/LC_MESSAGES/django.po"))
        english = root / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if english.exists():
            found.append(english)
        elif candidates:
            found.append(candidates[0])
    return found


def build_pseudo_catalogue(root: Path, ours: Catalog) -> Path:
    """Every message marked, compiled to root/locale/xx/LC_MESSAGES/django.mo."""
    pseudo = Catalog(locale="en", domain="django", charset="utf-8")
    for catalogue in [ours] + [read_catalogue(path) for path in _third_party_catalogues()]:
        for message in catalogue:
            if not message.id or (message.id in pseudo and message.context is None):
                continue
            if isinstance(message.id, tuple):
                string = tuple(mark(form) for form in message.id[:2])
            else:
                string = mark(message.id)
            pseudo.add(message.id, string, context=message.context)
    mo_path = root / "locale" / PSEUDO / "LC_MESSAGES" / "django.mo"
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as handle:
        write_mo(handle, pseudo)
    return root / "locale"


@pytest.fixture(scope="session")
def pseudo_locale(tmp_path_factory, extracted_messages) -> Path:
    return build_pseudo_catalogue(tmp_path_factory.mktemp("pseudo-locale"), extracted_messages)


def _reset_translations() -> None:
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = trans_real.Local()
    trans_real.translation_catalog_exists.cache_clear()
    trans_real.get_languages.cache_clear()
    trans_real._get_supported_language_variant.cache_clear()
    formatting._locale_for.cache_clear()


@pytest.fixture
def in_pseudo(settings, monkeypatch, pseudo_locale):
    """The pseudo language switched on (numbers and dates as in English)."""
    settings.LOCALE_PATHS = [str(pseudo_locale), *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    monkeypatch.setitem(formatting.BABEL_LOCALES, PSEUDO, "en")
    _reset_translations()
    yield
    _reset_translations()


# --- the visible text ---------------------------------------------------------------------------

# Attributes people read (or hear, from a screen reader).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Not read as prose: scripts, styles, and code a person types (`kam analyze`, `%d/%m/%Y`).
HIDDEN_CONTENT = {"script", "style", "template", "code", "kbd", "samp"}


class VisibleText(HTMLParser):
    """Text nodes (in document order, one stream) and read attributes (each on its own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value and (
                name in READ_ATTRIBUTES
                or (name == "label" and tag in ("option", "optgroup"))
                or (
                    name == "value"
                    and tag == "input"
                    and (attributes.get("type") or "").lower() in BUTTON_INPUTS
                )
            ):
                self.attributes.append(value)
        if tag in HIDDEN_CONTENT:
            self._hidden += 1
        self.text.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN_CONTENT:
            self._hidden -= 1

    def handle_endtag(self, tag):
        if tag in HIDDEN_CONTENT and self._hidden:
            self._hidden -= 1
        self.text.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[^\W\d_]+")
STRFTIME = re.compile(r"%[-_0^#]?[A-Za-z]")
# Chart axes' short numbers (48K, 1.2M): CLDR's abbreviations, which Babel writes in each
# language (48,2 N in Vietnamese); the pseudo language formats numbers as English does.
COMPACT_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?\s?[KMBT]\b")


def unmarked(text: str) -> list[str]:
    """The pieces of `text` outside marked segments (innermost first: a translation may hold
    another as a placeholder), stripped, empty ones left out."""
    previous = None
    while previous != text:
        previous, text = text, MARKED.sub("\n", text)
    return [piece.strip() for piece in text.split("\n") if piece.strip()]


def visible_fragments(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    fragments = unmarked("".join(parser.text))
    for value in parser.attributes:
        fragments += unmarked(value)
    return fragments


# --- what may be left ---------------------------------------------------------------------------

PRODUCT_NAME = "OpenKAM"
# Names of things that are not words of any language: file formats a download is offered in.
FORMAT_NAMES = {"Excel", "CSV"}
# The ABC–XYZ matrix's cells are named by their classes' letters, in every language.
ABC_XYZ_CELLS = {abc + xyz for abc in "ABC" for xyz in "XYZ"}
ABC_CLASSES = set("ABC")  # a target list's rule, "ABC class: A"
# The rows a page may show as they were entered: names, identifiers, free text.
DATA_FIELDS = {
    Account: ["name", "legal_name", "external_id", "industry", "description"],
    Segment: ["name"],
    Stakeholder: ["name", "job_title", "email", "phone"],
    Department: ["name"],
    DepartmentKind: ["name"],  # administrators name the kinds of department
    AccountTeamMember: ["note"],
    User: ["username", "first_name", "last_name", "email"],
    Product: ["name", "code"],
    ProductCategory: ["name", "code"],
    ImportBatch: ["file_name"],
    ColumnMapping: ["name"],
    NominationDecision: ["reason"],
    KeyAccountTypeAssignment: ["reason"],
    ProspectAssessment: ["evidence"],
    QualificationRating: ["comment"],
    QualificationWeights: ["note"],
    HealthWeights: ["note"],  # the directors' note on the health weights
    Handover: ["note"],
    Competitor: ["name", "website", "strengths", "notes"],
    AccountCompetitor: ["notes"],
    Tender: ["title", "lost_comment", "notes"],
    Activity: ["subject", "notes", "outcome", "next_step"],
    NegotiationBrief: ["title", "goals", "questions", "notes"],
    AccountPlan: ["ambition"],
    ValueProposition: ["description", "expected_effect"],
    PlanObjective: ["title", "description"],
    PlanAction: ["title"],
    PlanRisk: ["description", "mitigation"],
    PlanReview: ["notes"],
    Commitment: ["description", "notes"],
    CustomerRequest: ["subject", "details"],
    AccountProfile: ["organisation_notes", "sites_notes"],
    KeyFigure: ["source"],
    PortraitSection: ["text", "source"],
    Alert: ["resolved_note"],
    AlertSettings: ["note"],
    TimeEntry: ["note"],
    SurveyResponse: ["comment"],
    SelloutMonth: ["store"],  # the retailer names its stores
    SelloutImport: ["file_name"],
    GrowthOpportunity: ["dismissed_reason"],
    WalletEstimate: ["note"],
    AccountLoss: ["details"],
    Campaign: ["name", "offer_description"],  # win-back campaigns are named by their owner
    TargetList: ["name", "description"],
    Programme: ["name", "objectives"],
    ProgrammeStep: ["title", "notes"],
}


def database_strings() -> set[str]:
    strings = set()
    for model, fields in DATA_FIELDS.items():
        for row in model.objects.values_list(*fields):
            strings |= {value for value in row if value}
    # An uploaded file's own column names and first lines, as the import preview shows them.
    for batch in ImportBatch.objects.filter(status=BatchStatus.PENDING):
        preview = batch_preview(batch)
        strings |= set(preview["header"]) | {cell for row in preview["rows"] for cell in row}
    return {string for string in strings if string.strip()}


def _iso_codes() -> set[str]:
    return set(list_currencies()) | {code for code, _name in countries}


def _currency_labels() -> set[str]:
    """Currency choices as `openkam.accounts.currencies` names them: CLDR's names, in English
    for a language Babel does not know (such as the pseudo language)."""
    return {f"{code} — {get_currency_name(code, locale='en')}" for code in list_currencies()}


def _date_pattern() -> re.Pattern:
    """Dates and times as Babel writes them in English (CLDR's month and period names)."""
    english = Locale.parse("en")
    names = {
        name
        for context in english.months.values()
        for width in context.values()
        for name in width.values()
    } | {name for context in english.days.values() for w in context.values() for name in w.values()}
    months = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    periods = "|".join(map(re.escape, english.day_periods["format"]["abbreviated"].values()))
    return re.compile(
        rf"\b(?:{months})\b\.?(?=\s*\d)|(?<=\d)\s*\b(?:{months})\b|(?<=\d)\s?(?:{periods})\b"
    )


class Allowed:
    """What may be left of a page's text once the marked segments are cut out."""

    def __init__(self, data: set[str]) -> None:
        # Each language is named in itself in the switcher, whatever the page's language.
        languages = {str(name) for _code, name in settings.LANGUAGES}
        with_countries = set(data) | {str(name) for _code, name in countries} | languages
        self.phrases = sorted(with_countries, key=len, reverse=True)
        self.words = {PRODUCT_NAME} | FORMAT_NAMES | ABC_XYZ_CELLS | ABC_CLASSES | _iso_codes()
        self.fragments = _currency_labels()
        self.dates = _date_pattern()

    def leftover(self, fragment: str) -> list[str]:
        """The words of `fragment` that are neither data nor codes: untranslated text."""
        if fragment in self.fragments:
            return []
        for phrase in self.phrases:
            if phrase in fragment:
                fragment = fragment.replace(phrase, " ")
        fragment = self.dates.sub(" ", fragment)
        fragment = STRFTIME.sub(" ", fragment)  # a date format shown as its codes: %d/%m/%Y
        fragment = COMPACT_NUMBER.sub(" ", fragment)
        return [word for word in WORD.findall(fragment) if word not in self.words]


# --- the tests ----------------------------------------------------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(route, role, ownership) for every GET page of the matrix and every role it answers."""
    return [
        (name, role, ownership)
        for name, rule in HTML_RULES.items()
        if rule.method == "get"
        for role in ROLES
        for ownership in (OWNERSHIP if rule.kwargs else ["own"])
        if rule.code(role, ownership) == 200
    ]


def untranslated(client, users, world) -> dict[str, list[str]]:
    """fragment → the pages (route, role, ownership) showing it unmarked."""
    found: dict[str, list[str]] = defaultdict(list)
    for name, role, ownership in pages():
        kwargs, _ = _target(world, users, ownership, HTML_RULES[name].kwargs)
        client.logout()
        response = _client_for(client, users, role).get(
            reverse(name, kwargs=kwargs), headers={"accept-language": PSEUDO}
        )
        assert response.status_code == 200, f"{name} as {role} ({ownership})"
        assert response.get("Content-Language") == PSEUDO, f"{name}: not in the pseudo language"
        if not response["Content-Type"].startswith("text/html"):
            continue  # a PDF or a calendar: their text is the pages' text, checked there
        allowed = Allowed(database_strings())  # after _target: the rows it made
        for fragment in visible_fragments(response.content.decode()):
            if allowed.leftover(fragment):
                found[fragment].append(f"{name} as {role} ({ownership})")
    return found


def report(found: dict[str, list[str]]) -> str:
    lines = [f"{len(found)} unmarked fragments:"]
    for fragment, where in sorted(found.items(), key=lambda item: item[1][0]):
        lines.append(
            f"  {fragment!r}  — {where[0]}" + (f" (+{len(where) - 1})" if where[1:] else "")
        )
    return "\n".join(lines)


@pytest.mark.django_db
def test_every_page_is_translated(in_pseudo, client, users, world):
    found = untranslated(client, users, world)
    assert not found, report(found)


@pytest.mark.django_db
def test_every_page_with_figures_is_translated(in_pseudo, client, users, world, snapshot):  # noqa: F811
    found = untranslated(client, users, world)
    assert not found, report(found)
