"""Shared fixtures: one user per role and a small world of accounts they own or do not."""

from __future__ import annotations

import pytest
from django.utils import translation

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.accounts.services import account_create, account_team_add
from openkam.stakeholders.models import DepartmentKind
from openkam.stakeholders.services import department_create, stakeholder_create
from openkam.users.roles import Role
from openkam.users.services import user_create

PASSWORD = "correct-horse-battery"
ROLE_USERS = {
    "admin": Role.ADMINISTRATOR,
    "director": Role.SALES_DIRECTOR,
    "kam1": Role.KEY_ACCOUNT_MANAGER,
    "kam2": Role.KEY_ACCOUNT_MANAGER,
    "marketing": Role.MARKETING,
    "viewer": Role.VIEWER,
}


def make_users() -> dict:
    return {
        name: user_create(
            username=name, password=PASSWORD, role=role, is_superuser=(name == "admin")
        )
        for name, role in ROLE_USERS.items()
    }


def make_world(users: dict) -> dict:
    """kam1 owns `own` (with a subsidiary `own_sub`); kam2 owns `foreign` and kam1 supports
    kam2's `shared`. Each account has a department and a stakeholder."""
    director = users["director"]

    def make(name: str, owner: str, **extra) -> Account:
        return account_create(
            actor=director,
            data={
                "name": name,
                "status": AccountStatus.KEY,
                "country": "TH",
                "reporting_currency": "THB",
                **extra,
            },
            owner=users[owner],
            nominated=True,  # key accounts as if nominated earlier
        )

    own = make("Own Mart", "kam1", external_id="C-1")
    own_sub = make("Own Mart Vietnam", "kam2", external_id="C-2", parent=own, country="VN")
    foreign = make("Foreign Foods", "kam2", external_id="C-3")
    shared = make("Shared Stores", "kam2", external_id="C-4")
    account_team_add(actor=director, account=shared, user=users["kam1"], role=TeamRole.SUPPORT)
    # get_or_create: a transactional test's flush also empties the data migrations' rows.
    buying, _ = DepartmentKind.objects.get_or_create(
        code="buying", defaults={"name": "Merchandising / buying"}
    )
    objects = {"own": own, "own_sub": own_sub, "foreign": foreign, "shared": shared}
    for key, account in list(objects.items()):
        department = department_create(actor=director, account=account, kind=buying)
        objects[f"{key}_department"] = department
        objects[f"{key}_person"] = stakeholder_create(
            actor=director,
            account=account,
            data={
                "name": f"Buyer of {account.name}",
                "department": department,
                "job_title": "Category buyer",
                "buying_role": "decision_maker",
            },
        )
    return objects


@pytest.fixture
def users(db) -> dict:
    return make_users()


@pytest.fixture
def world(users) -> dict:
    return make_world(users)


@pytest.fixture
def login(client, users):
    def _login(username: str):
        client.force_login(users[username])
        return client

    return _login


@pytest.fixture(autouse=True)
def _default_language():
    """Django's LocaleMiddleware activates a request's language and leaves it active in the
    thread; without this a test after an API call in Thai would run in Thai."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Each test gets its own fact store and imports folder: files outlive the rolled-back
    test transaction, so sharing them would leak order lines between tests."""
    settings.FACTS_DIR = tmp_path / "facts"
    settings.IMPORTS_DIR = tmp_path / "imports"


def pytest_configure(config) -> None:
    """Build the translations Django reads (.mo) from the catalogues (.po) when they are
    missing or older, as `make messages` does, so that `pytest` alone tests the current
    catalogues. Only the controlling process does it, before any pytest-xdist worker starts."""
    if hasattr(config, "workerinput"):
        return
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).parent / "openkam" / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parts[-3])
        with mo.open("wb") as target:
            write_mo(target, catalogue)
