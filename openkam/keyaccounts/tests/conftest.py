import pytest

from openkam.accounts.models import AccountStatus
from openkam.accounts.services import account_create


@pytest.fixture
def candidate(users):
    """An active account that nobody owns yet: a candidate for nomination."""
    return account_create(
        actor=users["director"],
        data={
            "name": "Chao Phraya Retail",
            "status": AccountStatus.ACTIVE,
            "country": "TH",
            "reporting_currency": "THB",
        },
    )


@pytest.fixture
def prospect(users):
    """A prospect kam1 found (and so owns)."""
    return account_create(
        actor=users["kam1"],
        data={"name": "Mekong Hotels", "status": AccountStatus.PROSPECT, "country": "VN"},
    )


@pytest.fixture
def make_candidate(users):
    def _make(name: str, **extra):
        return account_create(
            actor=users["director"], data={"name": name, "status": "active", **extra}
        )

    return _make
